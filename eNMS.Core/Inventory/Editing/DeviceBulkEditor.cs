using eNMS.Core.Data;
using eNMS.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Inventory.Editing;

/// <summary>What a bulk edit did: how many devices changed, or why nothing was written.</summary>
public sealed record BulkEditResult(int Changed, string? Problem, IReadOnlyList<int> Missing)
{
    public bool Succeeded => Problem is null;

    public static BulkEditResult Refused(string problem) => new(0, problem, []);
}

/// <summary>
/// Sets one built-in field to one value on many devices (the devices grid's "Set a field on the selection"). The field
/// catalog <see cref="InventoryFields"/> decides which fields exist and checks the value, as for a form or an import;
/// the write goes through the audited context, so every changed device gets its own audit entry with its before and
/// after; dynamic pools follow the new value.
/// </summary>
public sealed class DeviceBulkEditor(IDbContextFactory<EnmsDbContext> dbFactory)
{
    /// <summary>A selection larger than this is refused: the grid selects at most one page (250 rows).</summary>
    public const int MaxDevices = 1000;

    /// <summary>Names are unique, so one name cannot go to many devices.</summary>
    private static readonly HashSet<string> NotBulkEditable = new(StringComparer.OrdinalIgnoreCase) { "name" };

    /// <summary>The fields a bulk edit may set, by column name (the catalog's order).</summary>
    public static IReadOnlyList<InventoryField<Device>> Fields { get; } =
        [.. InventoryFields.Device.All.Where(f => !NotBulkEditable.Contains(f.Name))];

    /// <summary>Sets <paramref name="field"/> to <paramref name="value"/> on the devices <paramref name="ids"/>. All or
    /// nothing: a device the user cannot see (outside <paramref name="scope"/>, or deleted) refuses the whole edit and
    /// is named by id only, as if it did not exist.</summary>
    public async Task<BulkEditResult> SetFieldAsync(IReadOnlyCollection<int> ids, string field, string value, IReadOnlyList<int>? scope,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(field);
        var target = Fields.FirstOrDefault(f => string.Equals(f.Name, field.Trim(), StringComparison.OrdinalIgnoreCase));
        if (target is null)
        {
            return BulkEditResult.Refused(InventoryFields.Device.Find(field) is null
                ? $"'{field}' is not a device field: use {string.Join(", ", Fields.Select(f => f.Name))}."
                : $"{field} cannot be set on several devices at once (it is unique).");
        }
        if (ids.Count == 0)
        {
            return BulkEditResult.Refused("Select the devices to change.");
        }
        if (ids.Count > MaxDevices)
        {
            return BulkEditResult.Refused($"{ids.Count} devices selected: a bulk edit changes at most {MaxDevices}.");
        }
        if (target.Problem(value ?? "") is { } problem)
        {
            return BulkEditResult.Refused(char.ToUpperInvariant(problem[0]) + problem[1..] + ".");
        }
        var wanted = ids.Distinct().ToList();
        List<int> visible;
        await using (var scoped = await dbFactory.CreateScopedAsync(scope, ct))
        {
            visible = await scoped.Devices.Where(d => wanted.Contains(d.Id)).Select(d => d.Id).ToListAsync(ct);
        }
        // Written through an unscoped context: the device's pools outside the user's scope are kept current too.
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var devices = await db.Devices.Where(d => visible.Contains(d.Id)).Include(d => d.Pools).ToListAsync(ct);
        var missing = wanted.Except(devices.Select(d => d.Id)).Order().ToList();
        if (missing.Count > 0)
        {
            return new BulkEditResult(0, $"No device #{string.Join(", #", missing)}: nothing was changed.", missing);
        }
        var dynamicPools = await db.Pools.Where(p => p.Mode == PoolMode.Dynamic).ToListAsync(ct);
        var changed = 0;
        // The audit log details a save of at most DetailLimit objects (a larger one is summarized, as an import is):
        // saved in chunks of that size, in one transaction, every changed device still gets its own entry.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        foreach (var chunk in devices.Chunk(AuditInterceptor.DetailLimit))
        {
            foreach (var device in chunk)
            {
                var before = target.Get(device);
                target.Set(device, value ?? "");
                if (target.Get(device) != before)
                {
                    changed++;
                    PoolMembership.Refresh(device, dynamicPools);
                }
            }
            await db.SaveChangesAsync(ct);
        }
        await transaction.CommitAsync(ct);
        return new BulkEditResult(changed, null, []);
    }
}
