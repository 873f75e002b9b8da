using System.Collections.Concurrent;
using System.Text.Json;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Core.Parsing;
using eNMS.Core.Security;
using eNMS.Drivers;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Discovery;

/// <summary>A discovery request that cannot be served as sent (too many seeds, an unknown device, a bad interface
/// name): answered 400 with the message.</summary>
public sealed class DiscoveryRequestException(string message) : Exception(message);

/// <summary>
/// Topology discovery: reads the LLDP (and CDP) neighbours of seed devices (the <c>lldp_neighbors</c> and
/// <c>cdp_neighbors</c> getters, over the same connections, credentials and per-platform session limits as runs),
/// matches each neighbour to an inventory device (<see cref="NeighborMatcher"/>) and previews what the inventory lacks,
/// as the spreadsheet import does; a commit then writes the chosen links and new devices, audited. A user limited to pools seeds from, matches against and links only devices in
/// their pools (the scoped context).
/// </summary>
public sealed class TopologyDiscovery(IDbContextFactory<EnmsDbContext> dbFactory, DeviceTargets targets, DriverFactory drivers, PlatformLimits limits,
    HostKeyStore hostKeys, DeviceGetters getters, AuditLog audit)
{
    public const int MaxSeeds = 500;
    public const int MaxNeighborsPerDevice = 256;
    public const int MaxCommitLinks = MaxSeeds * MaxNeighborsPerDevice;

    /// <summary>Seeds read at once: each holds one SSH session (within its platform's limit).</summary>
    private const int Parallelism = 16;

    private static readonly string[] LldpOnly = [DeviceGetters.LldpNeighbors];
    private static readonly string[] LldpAndCdp = [DeviceGetters.LldpNeighbors, DeviceGetters.CdpNeighbors];

    /// <summary>A neighbour as a seed lists it; <see cref="Advertised"/>: its platform and system description.</summary>
    private sealed record Neighbor(string LocalInterface, string Hostname, string Port, string ChassisId, string ManagementAddress, string Advertised);

    /// <exception cref="DiscoveryRequestException">No seed, too many, or an id that names no device.</exception>
    /// <exception cref="OutOfScopeException">A seed outside the caller's pools.</exception>
    public async Task<DiscoveryPreview> PreviewAsync(DiscoveryRequest request, IReadOnlyList<int>? scope, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var seedIds = (request.SeedDeviceIds ?? []).Distinct().ToList();
        if (seedIds.Count == 0 || seedIds.Count > MaxSeeds)
        {
            throw new DiscoveryRequestException($"Choose between 1 and {MaxSeeds} seed devices ({seedIds.Count} given).");
        }
        await using var db = await dbFactory.CreateScopedAsync(scope, ct);
        var seeds = await db.Devices.AsNoTracking().Where(d => seedIds.Contains(d.Id)).OrderBy(d => d.Name).ToListAsync(ct);
        await RequireAllAsync(seedIds, seeds.Select(d => d.Id), "device", ct);
        var readings = await ReadAsync(seeds, ct);
        var matcher = new NeighborMatcher(await db.Devices.AsNoTracking().ToListAsync(ct));
        var links = await db.Links.AsNoTracking().Include(l => l.Source).Include(l => l.Destination)
            .Where(l => seedIds.Contains(l.SourceId) || seedIds.Contains(l.DestinationId)).ToListAsync(ct);
        return Compare(seeds, readings, matcher, links);
    }

    /// <summary>Writes the chosen links: a new one unless the inventory already has it (so committing twice adds nothing),
    /// a change sets the link's interfaces; and the chosen unknown neighbours as devices, each with its link to the seed
    /// that saw it (a name the inventory already has is skipped, link included). One transaction, one audit entry plus
    /// the entity changes.</summary>
    /// <exception cref="DiscoveryRequestException">Too many items, or a field the inventory refuses (the same rules as
    /// the device form and the import).</exception>
    /// <exception cref="OutOfScopeException">A device or link outside the caller's pools, or new devices from a user
    /// limited to pools (<see cref="DiscoveredDevices.ScopeRefusal"/>).</exception>
    public async Task<DiscoveryCommitResult> CommitAsync(DiscoveryCommit commit, IReadOnlyList<int>? scope, AuditActor? actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var chosen = commit.Links ?? [];
        var newDevices = commit.Devices ?? [];
        if (chosen.Count > MaxCommitLinks || newDevices.Count > MaxCommitLinks)
        {
            throw new DiscoveryRequestException($"At most {MaxCommitLinks} links and {MaxCommitLinks} devices per commit ({chosen.Count} and {newDevices.Count} given).");
        }
        ScopeRules.ThrowIf(newDevices.Count > 0 && scope is not null ? DiscoveredDevices.ScopeRefusal : null);
        foreach (var name in chosen.SelectMany(l => new[] { l.SourceInterface, l.DestinationInterface }).Concat(newDevices.SelectMany(d => new[] { d.LocalInterface, d.Port })))
        {
            DiscoveredDevices.CheckInterface(name);
        }
        var drafts = newDevices.Select(DiscoveredDevices.Draft).ToList();
        await using var db = await dbFactory.CreateScopedAsync(scope, ct);
        var deviceIds = chosen.SelectMany(l => new[] { l.SourceId, l.DestinationId }).Concat(newDevices.Select(d => d.SeenFromId)).Distinct().ToList();
        var devices = await db.Devices.Where(d => deviceIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, ct);
        await RequireAllAsync(deviceIds, devices.Keys, "device", ct);
        var linkIds = chosen.Where(l => l.LinkId is not null).Select(l => l.LinkId!.Value).Distinct().ToList();
        var changing = await db.Links.Where(l => linkIds.Contains(l.Id)).ToDictionaryAsync(l => l.Id, ct);
        await RequireAllAsync(linkIds, changing.Keys, "link", ct);
        var existing = (await db.Links.Where(l => deviceIds.Contains(l.SourceId) && deviceIds.Contains(l.DestinationId)).ToListAsync(ct))
            .Select(Key).ToHashSet(StringComparer.Ordinal);
        var names = new HashSet<string>(await db.Links.IgnoreQueryFilters().Select(l => l.Name).ToListAsync(ct), StringComparer.Ordinal);
        List<string> created = [], changed = [], skipped = [], createdDevices = [];
        foreach (var proposal in chosen)
        {
            var (source, destination) = (devices[proposal.SourceId], devices[proposal.DestinationId]);
            var label = $"{source.Name} {proposal.SourceInterface} – {destination.Name} {proposal.DestinationInterface}";
            if (!existing.Add(Key(proposal)))
            {
                skipped.Add($"{label}: already in the inventory");
                continue;
            }
            if (proposal.LinkId is { } id)
            {
                var link = changing[id];
                var forward = link.SourceId == proposal.SourceId;
                (link.SourceInterface, link.DestinationInterface) = forward
                    ? (proposal.SourceInterface, proposal.DestinationInterface) : (proposal.DestinationInterface, proposal.SourceInterface);
                changed.Add(link.Name);
                continue;
            }
            created.Add(AddLink(db, source, proposal.SourceInterface, destination, proposal.DestinationInterface, names));
        }
        if (drafts.Count > 0)
        {
            // Unfiltered: a name held by a device outside the caller's pools is taken too (names are unique inventory-wide).
            var wantedNames = drafts.Select(d => d.Name).Distinct().ToList();
            var taken = (await db.Devices.IgnoreQueryFilters().Where(d => wantedNames.Contains(d.Name)).Select(d => d.Name).ToListAsync(ct))
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
            var dynamicPools = await db.Pools.Where(p => p.Mode == PoolMode.Dynamic).ToListAsync(ct);
            var added = new Dictionary<string, Device>(StringComparer.OrdinalIgnoreCase);
            foreach (var (wanted, draft) in newDevices.Zip(drafts))
            {
                if (taken.Contains(draft.Name))
                {
                    skipped.Add($"{draft.Name}: a device with this name is already in the inventory");
                    continue;
                }
                var seenFrom = devices[wanted.SeenFromId];
                if (!added.TryGetValue(draft.Name, out var device))
                {
                    device = DiscoveredDevices.Create(draft, wanted, seenFrom);
                    PoolMembership.Refresh(device, dynamicPools);
                    db.Devices.Add(device);
                    added[draft.Name] = device;
                    createdDevices.Add(device.Name);
                }
                created.Add(AddLink(db, seenFrom, wanted.LocalInterface, device, wanted.Port, names));
            }
        }
        if (created.Count + changed.Count > 0)
        {
            audit.Add(db, actor, "discovery commit", "inventory", null, "topology discovery (LLDP, CDP)",
                JsonSerializer.Serialize(new { created, changed, devices = createdDevices, skipped = skipped.Count }));
            await db.SaveChangesAsync(ct);
        }
        return new DiscoveryCommitResult(created, changed, skipped, createdDevices);
    }

    private static string AddLink(EnmsDbContext db, Device source, string sourceInterface, Device destination, string destinationInterface, HashSet<string> names)
    {
        var added = new Link
        {
            Name = UniqueName($"{source.Name}:{sourceInterface}-{destination.Name}:{destinationInterface}", names),
            Source = source,
            SourceId = source.Id,
            SourceInterface = sourceInterface,
            Destination = destination,
            DestinationId = destination.Id,
            DestinationInterface = destinationInterface,
            Subtype = "ethernet",
            Description = "Discovered by LLDP or CDP",
        };
        db.Links.Add(added);
        return added.Name;
    }

    /// <summary>Every id is visible through the caller's context; one that exists outside their pools is refused (403),
    /// one that does not exist is a bad request.</summary>
    private async Task RequireAllAsync(IReadOnlyCollection<int> wanted, IEnumerable<int> found, string kind, CancellationToken ct)
    {
        var missing = wanted.Except(found).ToList();
        if (missing.Count == 0)
        {
            return;
        }
        await using var unscoped = await dbFactory.CreateDbContextAsync(ct);
        var exists = kind == "device"
            ? await unscoped.Devices.AnyAsync(d => missing.Contains(d.Id), ct)
            : await unscoped.Links.AnyAsync(l => missing.Contains(l.Id), ct);
        ScopeRules.ThrowIf(exists ? $"A {kind} you chose is outside your pools." : null);
        throw new DiscoveryRequestException($"No {kind} with id {string.Join(", ", missing.Take(10))}.");
    }

    /// <summary>Each seed's LLDP (and, where the platform has it, CDP) neighbours, or why it gave none; a failing seed
    /// never stops the others.</summary>
    private async Task<Dictionary<int, (SeedOutcome Outcome, List<Neighbor> Neighbors)>> ReadAsync(List<Device> seeds, CancellationToken ct)
    {
        var results = new ConcurrentDictionary<int, (SeedOutcome, List<Neighbor>)>();
        // The seeds' credentials are chosen for the user who asked (their use lists apply), as a run's are.
        await using var connections = new DeviceConnections(targets, drivers, limits, hostKeys) { User = AuditActor.Current };
        await Parallel.ForEachAsync(seeds, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (seed, token) =>
        {
            try
            {
                var readings = new List<GetterReading>();
                await using (var driver = await connections.AcquireAsync(seed, retryRefused: true, null, token))
                {
                    foreach (var getter in DeviceGetters.HasCdp(seed.Platform) ? LldpAndCdp : LldpOnly)
                    {
                        readings.Add(await getters.ReadAsync(driver, seed.Platform, getter, token));
                    }
                }
                await connections.ReleaseAsync(seed);
                var errors = readings.Where(r => r.Error is not null).Select(r => readings.Count > 1 ? $"{r.Name}: {r.Error}" : r.Error!).ToList();
                if (errors.Count == readings.Count)
                {
                    results[seed.Id] = (new SeedOutcome(seed.Id, seed.Name, false, 0, connections.Redact(string.Join("; ", errors))), []);
                    return;
                }
                var all = Merge(readings.Where(r => r.Error is null).SelectMany(r => ((Dictionary<string, List<Dictionary<string, string>>>)r.Data!)
                    .SelectMany(local => local.Value.Select(n => new Neighbor(local.Key, n["hostname"], n["port"], n["chassis_id"], n["management_address"],
                        $"{n["platform"]} {n["system_description"]}".Trim())))));
                var kept = all.Take(MaxNeighborsPerDevice).ToList();
                var note = all.Count > kept.Count ? $"only the first {MaxNeighborsPerDevice} of {all.Count} neighbours were read" : null;
                // One protocol failing (CDP switched off) while the other answered: said, the seed still counts.
                note = string.Join("; ", new[] { note }.Concat(errors).OfType<string>()) is { Length: > 0 } joined ? connections.Redact(joined) : null;
                results[seed.Id] = (new SeedOutcome(seed.Id, seed.Name, true, kept.Count, note), kept);
            }
            catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
            {
                // Unreachable, refused login, unknown host key, lost session: this seed's reason, the others go on.
                results[seed.Id] = (new SeedOutcome(seed.Id, seed.Name, false, 0, connections.Redact(e.Message)), []);
            }
        });
        return results.ToDictionary(r => r.Key, r => r.Value);
    }

    /// <summary>A cable LLDP and CDP both show (same local interface and port, in long form) is one neighbour, with
    /// each field from whichever protocol gave it; the longer name wins (IOS's LLDP cuts device ids at 20 characters).</summary>
    private static List<Neighbor> Merge(IEnumerable<Neighbor> neighbors) =>
        neighbors.GroupBy(n => (InterfaceNames.Canonical(n.LocalInterface), InterfaceNames.Canonical(n.Port)))
            .Select(g => g.Aggregate((a, b) => new Neighbor(a.LocalInterface, b.Hostname.Length > a.Hostname.Length ? b.Hostname : a.Hostname,
                a.Port, Either(a.ChassisId, b.ChassisId), Either(a.ManagementAddress, b.ManagementAddress), Either(a.Advertised, b.Advertised))))
            .ToList();

    private static string Either(string a, string b) => a.Length > 0 ? a : b;

    private static DiscoveryPreview Compare(List<Device> seeds, Dictionary<int, (SeedOutcome Outcome, List<Neighbor> Neighbors)> readings,
        NeighborMatcher matcher, List<Link> links)
    {
        var unknown = new List<UnknownNeighbor>();
        var seen = new List<ProposedLink>();
        var seenKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var seed in seeds)
        {
            foreach (var n in readings[seed.Id].Neighbors)
            {
                var match = matcher.Find(n.Hostname, n.ChassisId, n.ManagementAddress);
                if (match is null)
                {
                    unknown.Add(new UnknownNeighbor(seed.Id, seed.Name, n.LocalInterface, n.Hostname, n.Port, n.ChassisId, n.ManagementAddress,
                        n.Advertised, NeighborPlatform.Guess(n.Advertised)));
                }
                else if (match.Id != seed.Id && seenKeys.Add(Key(seed.Id, n.LocalInterface, match.Id, n.Port)))
                {
                    // Two seeds cabled together both list the cable: it is one link (the key is the same from both ends).
                    seen.Add(new ProposedLink(seed.Id, seed.Name, n.LocalInterface, match.Id, match.Name, n.Port));
                }
            }
        }
        var reached = readings.Where(r => r.Value.Outcome.Reached).Select(r => r.Key).ToHashSet();
        var linkKeys = links.Select(Key).ToHashSet(StringComparer.Ordinal);
        var unmatched = links.Where(l => !seenKeys.Contains(Key(l))).ToList();
        var fresh = seen.Where(s => !linkKeys.Contains(Key(s))).ToList();
        List<ProposedLink> added = [], changed = [];
        foreach (var proposal in fresh)
        {
            // A link between the same two devices that LLDP did not confirm is this cable with other interface names.
            var before = unmatched.FirstOrDefault(l => (l.SourceId, l.DestinationId) == (proposal.SourceId, proposal.DestinationId)
                || (l.SourceId, l.DestinationId) == (proposal.DestinationId, proposal.SourceId));
            if (before is null)
            {
                added.Add(proposal);
                continue;
            }
            unmatched.Remove(before);
            changed.Add(before.SourceId == proposal.SourceId
                ? proposal with { LinkId = before.Id, LinkName = before.Name, CurrentSourceInterface = before.SourceInterface, CurrentDestinationInterface = before.DestinationInterface }
                : new ProposedLink(proposal.DestinationId, proposal.Destination, proposal.DestinationInterface, proposal.SourceId, proposal.Source,
                    proposal.SourceInterface, before.Id, before.Name, before.SourceInterface, before.DestinationInterface));
        }
        var unseen = unmatched.Where(l => reached.Contains(l.SourceId) || reached.Contains(l.DestinationId))
            .Select(l => new UnseenLink(l.Id, l.Name, l.Source?.Name ?? "", l.SourceInterface, l.Destination?.Name ?? "", l.DestinationInterface)).ToList();
        return new DiscoveryPreview(seeds.Select(s => readings[s.Id].Outcome).ToList(), added, changed, unknown, unseen);
    }

    /// <summary>A cable whichever end is named first: its two ends (device and interface in long form), in order.</summary>
    private static string Key(int a, string aInterface, int b, string bInterface)
    {
        var (first, second) = ($"{a}\u0001{InterfaceNames.Canonical(aInterface)}", $"{b}\u0001{InterfaceNames.Canonical(bInterface)}");
        return string.CompareOrdinal(first, second) <= 0 ? $"{first}\u0002{second}" : $"{second}\u0002{first}";
    }

    private static string Key(Link l) => Key(l.SourceId, l.SourceInterface, l.DestinationId, l.DestinationInterface);

    private static string Key(ProposedLink p) => Key(p.SourceId, p.SourceInterface, p.DestinationId, p.DestinationInterface);

    private static string UniqueName(string wanted, HashSet<string> taken)
    {
        var name = wanted.Length > InventoryNames.MaxLength ? wanted[..InventoryNames.MaxLength] : wanted;
        for (var i = 2; !taken.Add(name) && i < 10_000; i++)
        {
            var suffix = $" ({i})";
            name = (wanted.Length + suffix.Length > InventoryNames.MaxLength ? wanted[..(InventoryNames.MaxLength - suffix.Length)] : wanted) + suffix;
        }
        return name;
    }
}
