using eNMS.Core.Automation.Execution;
using eNMS.Core.Data;
using eNMS.Core.Parsing;
using eNMS.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Automation.Handlers;

public sealed class GettersParameters
{
    /// <summary>Which getters to run, among <see cref="GettersHandler.Names"/>; each is one key of the result's data.</summary>
    public List<string> Getters { get; set; } = [];

    /// <summary>Facts also update the device's vendor, model and OS version (non-empty values only), audited under the
    /// run's user.</summary>
    public bool UpdateInventory { get; set; }
}

/// <summary><c>getters</c>: NAPALM-style structured state (facts, interfaces, ARP, LLDP/CDP and BGP neighbours, routes summary) read by
/// <see cref="DeviceGetters"/>, in one shape whatever the vendor. A getter the platform has no command or template for
/// fails alone, with its reason.</summary>
public sealed class GettersHandler(DeviceGetters getters, IDbContextFactory<EnmsDbContext> dbFactory) : ServiceHandler<GettersParameters>
{
    public static IReadOnlyCollection<string> Names => DeviceGetters.Names;

    public override string Kind => "getters";

    public override string Description => "Reads facts, interfaces, ARP, LLDP/CDP and BGP neighbours and a routes summary in one shape for every platform (CLI parsed with TextFSM, or JSON), optionally updating the device's inventory.";

    protected override GettersParameters ExampleParameters => new() { Getters = ["facts"] };

    protected override string? Validate(GettersParameters p)
    {
        if (p.Getters is not { Count: > 0 })
        {
            return $"Choose at least one getter among {string.Join(", ", Names)}.";
        }
        return p.Getters.FirstOrDefault(g => !DeviceGetters.IsKnown(g)) is { } unknown
            ? $"Unknown getter '{unknown}': choose among {string.Join(", ", Names)}."
            : null;
    }

    protected override async Task<ServiceResult> ExecuteAsync(ServiceContext context, GettersParameters p, CancellationToken ct)
    {
        var platform = context.Device?.Platform ?? "";
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var errors = new List<string>();
        var outputs = new List<string>();
        await using var driver = await context.ConnectAsync(ct);
        foreach (var name in p.Getters.Distinct())
        {
            var reading = await getters.ReadAsync(driver, platform, name, ct);
            if (reading.Command is not null)
            {
                outputs.Add($"--- {reading.Command}\n{reading.Output}");
            }
            if (reading.Data is not null)
            {
                data[name] = reading.Data;
            }
            if (reading.Error is not null)
            {
                errors.Add($"{name}: {reading.Error}");
            }
        }
        List<string> changed = [];
        if (p.UpdateInventory && data.TryGetValue("facts", out var facts) && context.Device is { } device)
        {
            changed = await UpdateInventoryAsync(context, device.Id, (Dictionary<string, string>)facts, ct);
            context.Log(changed.Count == 0 ? "inventory already up to date" : $"inventory updated: {string.Join(", ", changed)}");
        }
        var text = string.Join("\n", outputs);
        return errors.Count == 0 ? ServiceResult.Ok(text, changed: changed.Count > 0, data: data) : ServiceResult.Fail(string.Join("; ", errors), text, data);
    }

    /// <summary>Saves the facts' non-empty values that differ into the device, through the audited DbContext, as the
    /// run's user (a run has no request, so the actor is set here).</summary>
    private async Task<List<string>> UpdateInventoryAsync(ServiceContext context, int deviceId, Dictionary<string, string> facts, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var device = await db.Devices.FirstOrDefaultAsync(d => d.Id == deviceId, ct);
        var changed = new List<string>();
        if (device is null)
        {
            return changed;
        }
        void Set(string fact, string current, Action<string> set)
        {
            if (facts.GetValueOrDefault(fact) is { Length: > 0 } value && value != current)
            {
                set(value);
                changed.Add(fact);
            }
        }
        Set("vendor", device.Vendor, v => device.Vendor = v);
        Set("model", device.Model, v => device.Model = v);
        Set("os_version", device.OsVersion, v => device.OsVersion = v);
        if (changed.Count > 0)
        {
            AuditActor.Current = new AuditActor(context.Run.CreatedBy.Length > 0 ? context.Run.CreatedBy : "system", null);
            await db.SaveChangesAsync(ct);
        }
        return changed;
    }
}
