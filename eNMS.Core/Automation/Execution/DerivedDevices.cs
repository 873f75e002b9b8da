using System.Collections.Concurrent;
using System.Globalization;
using eNMS.Core.Data;
using eNMS.Core.Discovery;
using eNMS.Core.Inventory;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Automation.Execution;

/// <summary>A derived device list that cannot be run on: which value and why (unknown, ambiguous, outside the run's
/// user's pools). Nothing of the node ran.</summary>
public sealed class DerivedDeviceException(string message) : Exception(message)
{
    public DerivedDeviceException() : this("derived devices refused") { }

    public DerivedDeviceException(string message, Exception inner) : this(message) => _ = inner;
}

/// <summary>
/// The inventory devices a node's <see cref="Service.IterateDevices"/> names, for one run: each value is a device name or
/// address, matched as discovery matches an LLDP neighbour (<see cref="NeighborMatcher"/>: the exact name, the address,
/// then the name without its domain, case-insensitively), and must be in the pools of the run's user (a schedule's: its
/// creator's). The inventory's names and addresses are read once per run (a device added during the run is unknown to
/// it); a matched device is loaded once.
/// </summary>
public sealed class DerivedDevices(IDbContextFactory<EnmsDbContext> dbFactory, IReadOnlyList<int>? scopePoolIds, string user)
{
    /// <summary>Most problems one refusal names (the others are counted).</summary>
    private const int NamedProblems = 10;

    /// <summary>The change freezes a derived device is checked against before a change (null: the run overrides them).</summary>
    public Scheduling.ChangeFreezes? Freezes { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    private readonly Lazy<Task<NeighborMatcher>> _matcher = new(() => MatcherAsync(dbFactory));
    // Per device id: the device, or null when it is refused (outside the pools) or no longer exists, with the reason.
    private readonly ConcurrentDictionary<int, (Device? Device, string Refusal)> _loaded = new();

    /// <summary>The devices <paramref name="values"/> name, in their order, each once.</summary>
    /// <exception cref="DerivedDeviceException">A value names no device, or a device outside the user's pools: every such
    /// value is named.</exception>
    public async Task<List<Device>> ResolveAsync(IReadOnlyList<object?> values, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(values);
        var matcher = await _matcher.Value.WaitAsync(ct);
        var matched = new List<(string Value, int? Id)>();
        foreach (var value in values)
        {
            var text = Convert.ToString(value, CultureInfo.InvariantCulture)?.Trim() ?? "";
            matched.Add((text, text.Length == 0 ? null : matcher.Find(text, "", text)?.Id));
        }
        var wanted = matched.Where(m => m.Id is int id && !_loaded.ContainsKey(id)).Select(m => m.Id!.Value).Distinct().ToList();
        if (wanted.Count > 0)
        {
            await LoadAsync(wanted, ct);
        }
        var problems = matched.Select(m => m.Id is not int id ? (m.Value.Length == 0 ? "an empty value" : $"'{m.Value}' is no device of the inventory (by name or address)")
                : _loaded[id].Device is null ? $"'{m.Value}' {_loaded[id].Refusal}" : null)
            .OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (problems.Count > 0)
        {
            throw new DerivedDeviceException(string.Join("; ", problems.Take(NamedProblems))
                + (problems.Count > NamedProblems ? $" (and {problems.Count - NamedProblems} more)" : ""));
        }
        return [.. matched.Select(m => _loaded[m.Id!.Value].Device!).DistinctBy(d => d.Id)];
    }

    /// <summary>The freeze holding a derived device now, or null. The run's own devices are watched by its
    /// <see cref="FreezeGuard"/>; a derived device may be any, so it is asked about when a node would change it.</summary>
    public async Task<Scheduling.FreezeHit?> FreezeAsync(int deviceId, CancellationToken ct) =>
        Freezes is null ? null : (await Freezes.HoldingAsync([deviceId], Time.GetUtcNow(), ct)).FirstOrDefault();

    /// <summary>Every device's name and address (nothing else: the matcher needs no more).</summary>
    private static async Task<NeighborMatcher> MatcherAsync(IDbContextFactory<EnmsDbContext> dbFactory)
    {
        // Shared by the run's devices: not cancelled by the one that asked first.
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var rows = await db.Devices.AsNoTracking().Select(d => new { d.Id, d.Name, d.Address }).ToListAsync(CancellationToken.None);
        return new NeighborMatcher(rows.Select(r => new Device { Id = r.Id, Name = r.Name, Address = r.Address }));
    }

    /// <summary>The devices as a run loads its own; those outside the user's pools are kept as null (refused).</summary>
    private async Task LoadAsync(List<int> ids, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var devices = await db.Devices.AsNoTracking().Where(d => ids.Contains(d.Id)).ToListAsync(ct);
        var allowed = scopePoolIds is not { } scope ? null
            : (await db.Devices.Where(d => ids.Contains(d.Id) && d.Pools.Any(p => scope.Contains(p.Id))).Select(d => d.Id).ToListAsync(ct)).ToHashSet();
        foreach (var id in ids)
        {
            _loaded[id] = devices.FirstOrDefault(d => d.Id == id) is not { } device ? (null, "was deleted during the run")
                : allowed is null || allowed.Contains(id) ? (device, "")
                : (null, $"is outside the pools {(user.Length == 0 ? "the run's user" : user)} may use");
        }
    }
}
