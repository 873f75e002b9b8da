using eNMS.Core.Data;
using eNMS.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Inventory.Import;

/// <summary>
/// An import by a user limited to pools touches nothing outside them: a replace (which removes whatever the file
/// lacks, across the whole inventory) is refused; pool rows are refused (<see cref="ScopeRules.Pools"/>); a device
/// row whose name belongs to a device outside the pools, and a link row whose name belongs to a link outside them or
/// whose end is such a device, are skipped as problems. The reason never names the outside object beyond the name
/// the file itself gave.
/// </summary>
internal static class ImportScope
{
    private const string Outside = "a device outside your pools has this name; it is left unchanged";

    /// <exception cref="OutOfScopeException">A replace by a user limited to pools.</exception>
    public static async Task ApplyAsync(EnmsDbContext db, ImportOptions options, List<DeviceDraft> devices, List<LinkDraft> links,
        List<PoolDraft> pools, ImportReport report, CancellationToken ct)
    {
        if (options.ScopePoolIds is not { } scope)
        {
            return;
        }
        if (options.Replace)
        {
            throw new OutOfScopeException("A replace import removes what the file lacks from the whole inventory: only users who are not limited to pools may use it.");
        }
        foreach (var pool in pools)
        {
            report.Problems.Add(new ImportProblem("pool", pool.Row, "", ScopeRules.Pools));
            report.Pools.Skipped++;
        }
        pools.Clear();

        var names = devices.Select(d => d.Values.Name).Concat(links.SelectMany(l => new[] { l.SourceName, l.DestinationName })).Distinct().ToList();
        var outsideDevices = (await db.Devices.AsNoTracking()
            .Where(d => names.Contains(d.Name) && !d.Pools.Any(p => scope.Contains(p.Id))).Select(d => d.Name).ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var device in devices.Where(d => outsideDevices.Contains(d.Values.Name)))
        {
            report.Problems.Add(new ImportProblem("device", device.Row, "name", Outside));
            report.Devices.Skipped++;
        }
        devices.RemoveAll(d => outsideDevices.Contains(d.Values.Name));

        var linkNames = links.Select(l => l.Values.Name).ToList();
        var outsideLinks = (await db.Links.AsNoTracking()
            .Where(l => linkNames.Contains(l.Name) && !(l.Source!.Pools.Any(p => scope.Contains(p.Id)) && l.Destination!.Pools.Any(p => scope.Contains(p.Id))))
            .Select(l => l.Name).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        foreach (var link in links)
        {
            var reason = outsideLinks.Contains(link.Values.Name) ? "a link outside your pools has this name; it is left unchanged"
                : outsideDevices.Contains(link.SourceName) || outsideDevices.Contains(link.DestinationName) ? "an end of this link is a device outside your pools"
                : null;
            if (reason is not null)
            {
                report.Problems.Add(new ImportProblem("link", link.Row, "name", reason));
                report.Links.Skipped++;
            }
        }
        links.RemoveAll(l => outsideLinks.Contains(l.Values.Name) || outsideDevices.Contains(l.SourceName) || outsideDevices.Contains(l.DestinationName));
    }
}

/// <summary>What an import's audit entry says: its counts (the rows themselves are in the file).</summary>
internal static class ImportAudit
{
    public static string Details(ImportReport report) => System.Text.Json.JsonSerializer.Serialize(new
    {
        devices = report.Devices,
        links = report.Links,
        pools = report.Pools,
        report.CredentialsCreated,
        problems = report.Problems.Count,
    });
}
