using eNMS.Core.Data;

namespace eNMS.Core.Inventory.Import;

/// <summary>
/// What a replace deletes: for each sheet the file has, what exists under a name the sheet does not have at all.
/// A row that is present but invalid keeps its object (it is skipped, not absent). Links whose device goes are
/// listed too: the database removes them with it.
/// </summary>
internal static class ReplaceDeletions
{
    public static void Remove(EnmsDbContext db, Dictionary<string, HashSet<string>> present,
        Dictionary<string, Device> devices, Dictionary<string, Link> links, Dictionary<string, Pool> pools, ImportReport report)
    {
        var deletions = report.Deletions;
        var goneDevices = Absent(present, "device", devices);
        var goneDeviceIds = goneDevices.Select(d => d.Id).ToHashSet();
        var goneLinks = Absent(present, "link", links);
        var cascaded = links.Values.Except(goneLinks)
            .Where(l => goneDeviceIds.Contains(l.SourceId) || goneDeviceIds.Contains(l.DestinationId)).ToList();
        var gonePools = Absent(present, "pool", pools);

        db.Links.RemoveRange(goneLinks.Concat(cascaded));
        db.Devices.RemoveRange(goneDevices);
        db.Pools.RemoveRange(gonePools);

        deletions.Devices.AddRange(goneDevices.Select(d => d.Name).Order(StringComparer.Ordinal));
        deletions.Links.AddRange(goneLinks.Concat(cascaded).Select(l => l.Name).Order(StringComparer.Ordinal));
        deletions.CascadedLinks = cascaded.Count;
        deletions.Pools.AddRange(gonePools.Select(p => p.Name).Order(StringComparer.Ordinal));
        report.Devices.Deleted = deletions.Devices.Count;
        report.Links.Deleted = deletions.Links.Count;
        report.Pools.Deleted = deletions.Pools.Count;
    }

    /// <summary>Only kinds the file has a sheet for are replaced: a devices-only file never deletes a pool.</summary>
    private static List<T> Absent<T>(Dictionary<string, HashSet<string>> present, string sheet, Dictionary<string, T> existing) =>
        present.TryGetValue(sheet, out var names)
            ? existing.Where(e => !names.Contains(e.Key)).Select(e => e.Value).ToList()
            : [];
}
