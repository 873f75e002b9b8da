using eNMS.Core.Automation;
using eNMS.Core.Data;
using eNMS.Core.Inventory;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Views;

/// <summary>How a device's last run went, as the map and the topology colour it.</summary>
public enum DeviceRunStatus
{
    Never = 0,
    Succeeded = 1,
    Failed = 2,
    Running = 3,
}

/// <summary>
/// Everything the map and the topology draw, in one compact payload: devices as parallel arrays (10,000 devices
/// stay a few hundred kB of JSON), links as pairs of device ids, and pool membership for "select pool" and
/// filtering, the built-in icons' shapes (Icons, which <see cref="NetworkDevices.Icon"/> indexes) and what the legend
/// lists. Read through a context scoped to the caller's pools (<see cref="ScopedContexts.CreateScopedAsync"/>): only
/// their devices, the links whose two ends are among them, their pools, and run statuses from what concerns them.
/// </summary>
public sealed record NetworkGraph(NetworkDevices Devices, NetworkLinks Links, IReadOnlyList<NetworkPool> Pools, NetworkLegend Legend, IReadOnlyList<DeviceIcon> Icons)
{
    public static async Task<NetworkGraph> LoadAsync(EnmsDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var devices = await db.Devices.AsNoTracking().OrderBy(d => d.Id)
            .Select(d => new { d.Id, d.Name, d.Latitude, d.Longitude, d.Icon, d.Platform, d.Model, d.Vendor }).ToListAsync(ct);
        var statuses = await LastRunStatusesAsync(db, ct);
        var ids = devices.Select(d => d.Id).ToArray();
        var visible = ids.ToHashSet();
        var links = (await db.Links.AsNoTracking().OrderBy(l => l.Id).Select(l => new { l.SourceId, l.DestinationId, l.SourceInterface, l.DestinationInterface, l.Color, l.Subtype }).ToListAsync(ct))
            .Where(l => visible.Contains(l.SourceId) && visible.Contains(l.DestinationId)).ToList();
        var memberships = await db.Pools.AsNoTracking().OrderBy(p => p.Name)
            .Select(p => new { p.Id, p.Name, DeviceIds = p.Devices.Select(d => d.Id).ToList() }).ToListAsync(ct);
        var iconIndex = DeviceIcons.All.Select((icon, i) => (icon.Key, i)).ToDictionary(p => p.Key, p => p.i, StringComparer.Ordinal);
        var icons = devices.Select(d => iconIndex[DeviceIcons.Resolve(d.Icon, d.Platform, d.Model, d.Vendor)]).ToArray();
        var colors = links.Select(l => NetworkLinks.Shown(l.Color)).ToArray();
        return new NetworkGraph(
            new NetworkDevices(ids, [.. devices.Select(d => d.Name)], [.. devices.Select(d => d.Latitude)], [.. devices.Select(d => d.Longitude)],
                [.. ids.Select(id => (int)statuses.GetValueOrDefault(id))], icons),
            new NetworkLinks([.. links.Select(l => l.SourceId)], [.. links.Select(l => l.DestinationId)],
                [.. links.Select(l => l.SourceInterface)], [.. links.Select(l => l.DestinationInterface)], colors),
            [.. memberships.Select(p => new NetworkPool(p.Id, p.Name, [.. p.DeviceIds.Where(visible.Contains)]))],
            NetworkLegend.Of(icons, colors, [.. links.Select(l => l.Subtype)]),
            DeviceIcons.All);
    }

    /// <summary>Per device: running when a run in flight targets it, otherwise failed when any of its results in
    /// the latest run that touched it failed, succeeded when none did.</summary>
    public static async Task<Dictionary<int, DeviceRunStatus>> LastRunStatusesAsync(EnmsDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var latestRun = await LatestRunPerDeviceAsync(db.RunResults.Where(r => r.DeviceId != null && !r.Skipped), ct);
        var latestFailedRun = await LatestRunPerDeviceAsync(db.RunResults.Where(r => r.DeviceId != null && !r.Skipped && !r.Success), ct);
        var statuses = latestRun.ToDictionary(p => p.Key,
            p => latestFailedRun.TryGetValue(p.Key, out var failedRun) && failedRun == p.Value ? DeviceRunStatus.Failed : DeviceRunStatus.Succeeded);
        var inFlight = await db.Runs.AsNoTracking().Where(r => r.Status == RunStatus.Running || r.Status == RunStatus.Pending)
            .Select(r => r.DeviceIds).ToListAsync(ct);
        foreach (var deviceId in inFlight.SelectMany(ids => ids))
        {
            statuses[deviceId] = DeviceRunStatus.Running;
        }
        return statuses;
    }

    private static async Task<Dictionary<int, int>> LatestRunPerDeviceAsync(IQueryable<RunResult> results, CancellationToken ct) =>
        await results.GroupBy(r => r.DeviceId!.Value).Select(g => new { DeviceId = g.Key, RunId = g.Max(r => r.RunId) })
            .ToDictionaryAsync(g => g.DeviceId, g => g.RunId, ct);
}

/// <summary>Parallel arrays: index i of each describes one device. Status is a <see cref="DeviceRunStatus"/>; Icon the
/// index in <see cref="NetworkGraph.Icons"/> of the icon it shows (<see cref="DeviceIcons.Resolve(string, string, string, string)"/>).</summary>
public sealed record NetworkDevices(int[] Id, string[] Name, double?[] Latitude, double?[] Longitude, int[] Status, int[] Icon);

/// <summary>Parallel arrays: link i goes from device Source[i] (its interface SourceInterface[i]) to device Destination[i]
/// (DestinationInterface[i]); the topology writes the interface names at the link's ends when zoomed in. Color[i] is
/// the link's colour, or "" for the theme's link colour.</summary>
public sealed record NetworkLinks(int[] Source, int[] Destination, string[] SourceInterface, string[] DestinationInterface, string[] Color)
{
    /// <summary>Links nobody coloured carry the default #000000, which would vanish on the dark theme: they are drawn in
    /// the theme's own link colour instead.</summary>
    public const string DefaultColor = "#000000";

    /// <summary>The colour a link is drawn in: its own as #rrggbb, or "" (the theme's) for the default and for anything
    /// that is not #rrggbb (the field rule stores only that form; a row written around it must not reach a style).</summary>
    public static string Shown(string? color) =>
        color is { Length: 7 } && color[0] == '#' && color[1..].All(char.IsAsciiHexDigit) && !string.Equals(color, DefaultColor, StringComparison.Ordinal)
            ? color.ToLowerInvariant() : "";
}

public sealed record NetworkPool(int Id, string Name, int[] DeviceIds);
