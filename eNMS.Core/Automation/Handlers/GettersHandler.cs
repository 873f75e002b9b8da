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

/// <summary><c>getters</c>: NAPALM-style structured state (facts, interfaces, ARP, LLDP neighbours) from CLI commands
/// parsed with the TextFSM templates the parsing library finds for the device's platform, mapped to one shape whatever
/// the vendor. A getter the platform has no command or template for fails alone, with its reason.</summary>
public sealed class GettersHandler(ParsingLibrary parsing, IDbContextFactory<EnmsDbContext> dbFactory) : ServiceHandler<GettersParameters>
{
    /// <summary>A getter: the command giving it on a platform (null: none), and its parsed rows in the common shape.</summary>
    private sealed record Getter(Func<string, string?> Command, Func<string, List<Dictionary<string, string>>, object> Normalize);

    private static readonly Dictionary<string, Getter> Known = new(StringComparer.Ordinal)
    {
        ["facts"] = new(_ => "show version", (platform, rows) => Facts(platform, rows.FirstOrDefault() ?? [])),
        ["interfaces"] = new(platform => platform == "juniper_junos" ? "show interfaces terse" : "show ip interface brief", (_, rows) => Interfaces(rows)),
        ["arp"] = new(platform => platform == "juniper_junos" ? "show arp no-resolve" : "show ip arp", (_, rows) => Arp(rows)),
        ["lldp_neighbors"] = new(_ => "show lldp neighbors", (_, rows) => LldpNeighbors(rows)),
    };

    // The vendor is the platform's, not the output's: no show version names it in a field of its own.
    private static readonly (string Prefix, string Vendor)[] Vendors = [("cisco_", "Cisco"), ("arista_", "Arista"), ("juniper_", "Juniper")];

    public static IReadOnlyCollection<string> Names => Known.Keys;

    public override string Kind => "getters";

    public override string Description => "Reads facts, interfaces, ARP and LLDP neighbours in one shape for every platform (CLI parsed with TextFSM), optionally updating the device's inventory.";

    protected override GettersParameters ExampleParameters => new() { Getters = ["facts"] };

    protected override string? Validate(GettersParameters p)
    {
        if (p.Getters is not { Count: > 0 })
        {
            return $"Choose at least one getter among {string.Join(", ", Names)}.";
        }
        return p.Getters.FirstOrDefault(g => !Known.ContainsKey(g)) is { } unknown
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
            var getter = Known[name];
            if (getter.Command(platform) is not { } command)
            {
                errors.Add($"{name}: no command for platform '{platform}'");
                continue;
            }
            string output;
            try
            {
                output = await driver.SendCommandAsync(command, [], ct);
            }
            catch (Drivers.DeviceCommandException e)
            {
                // The device refused the command (not a lost session): this getter fails, the next ones still run.
                outputs.Add($"--- {command}\n{e.Reply}");
                errors.Add($"{name}: {e.Message}");
                continue;
            }
            outputs.Add($"--- {command}\n{output}");
            try
            {
                var table = await parsing.ParseAsync(null, platform, command, output, ct);
                if (name == "facts" && table.Rows.Count == 0)
                {
                    throw new ParsingException($"the output of '{command}' gave no facts");
                }
                data[name] = getter.Normalize(platform, table.ToDictionaries().Select(r => r.ToDictionary(c => c.Key, c => c.Value?.ToString() ?? "", StringComparer.Ordinal)).ToList());
            }
            catch (ParsingException e)
            {
                errors.Add($"{name}: {e.Message}");
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

    private static string First(Dictionary<string, string> row, params string[] columns) =>
        columns.Select(c => row.GetValueOrDefault(c, "")).FirstOrDefault(v => v.Length > 0) ?? "";

    private static Dictionary<string, string> Facts(string platform, Dictionary<string, string> row) => new(StringComparer.Ordinal)
    {
        ["vendor"] = Vendors.FirstOrDefault(v => platform.StartsWith(v.Prefix, StringComparison.Ordinal)).Vendor ?? "",
        ["model"] = First(row, "MODEL", "HARDWARE", "PLATFORM"),
        ["serial_number"] = First(row, "SERIAL_NUMBER", "SERIAL"),
        ["os_version"] = First(row, "VERSION", "OS", "IMAGE"),
        ["uptime"] = First(row, "UPTIME"),
        ["hostname"] = First(row, "HOSTNAME"),
    };

    private static Dictionary<string, object> Interfaces(List<Dictionary<string, string>> rows) =>
        rows.Where(r => First(r, "INTERFACE").Length > 0).DistinctBy(r => r["INTERFACE"]).ToDictionary(r => r["INTERFACE"], r => (object)new Dictionary<string, object>
        {
            ["is_enabled"] = First(r, "STATUS", "ADMIN") is var status && !status.Contains("down", StringComparison.Ordinal) && status != "disabled",
            ["is_up"] = First(r, "PROTO", "LINK") == "up",
            ["ipv4"] = First(r, "IP_ADDRESS") is { } ip && ip != "unassigned" ? ip : "",
        }, StringComparer.Ordinal);

    private static List<Dictionary<string, string>> Arp(List<Dictionary<string, string>> rows) =>
        rows.Select(r => new Dictionary<string, string>
        {
            ["interface"] = First(r, "INTERFACE"),
            ["mac"] = First(r, "MAC"),
            ["ip"] = First(r, "ADDRESS"),
            ["age"] = First(r, "AGE"),
        }).ToList();

    private static Dictionary<string, List<Dictionary<string, string>>> LldpNeighbors(List<Dictionary<string, string>> rows) =>
        rows.GroupBy(r => First(r, "LOCAL_INTERFACE"), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(r => new Dictionary<string, string>
        {
            ["hostname"] = First(r, "NEIGHBOR"),
            ["port"] = First(r, "NEIGHBOR_INTERFACE"),
        }).ToList(), StringComparer.Ordinal);
}
