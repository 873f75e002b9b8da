namespace eNMS.Core.Discovery;

/// <summary>What a discovery reads from: the seed devices whose LLDP neighbours are asked.</summary>
public sealed record DiscoveryRequest(IReadOnlyList<int> SeedDeviceIds);

/// <summary>One seed: reached and how many neighbours it listed, or why it was not (unreachable, refused, no parse).</summary>
public sealed record SeedOutcome(int DeviceId, string Device, bool Reached, int Neighbors, string? Error);

/// <summary>A link LLDP shows between two inventory devices, with the interface at each end. For a change,
/// <see cref="LinkId"/> names the inventory link and the Current… fields hold its interfaces today.</summary>
public sealed record ProposedLink(int SourceId, string Source, string SourceInterface, int DestinationId, string Destination,
    string DestinationInterface, int? LinkId = null, string? LinkName = null, string? CurrentSourceInterface = null, string? CurrentDestinationInterface = null);

/// <summary>A neighbour a seed lists that matches no inventory device: a device to add, perhaps. Its system
/// description (LLDP) or platform and version (CDP) give <see cref="PlatformGuess"/> (empty when nothing says).</summary>
public sealed record UnknownNeighbor(int SeenFromId, string SeenFrom, string LocalInterface, string Hostname, string Port, string ChassisId,
    string ManagementAddress, string SystemDescription = "", string PlatformGuess = "");

/// <summary>An unknown neighbour chosen to become a device (name, address and platform as the user settled them),
/// created with its link to the seed that saw it: <see cref="SeenFromId"/>'s <see cref="LocalInterface"/> to its
/// <see cref="Port"/>. Several with one name are one device with several links.</summary>
public sealed record NewDevice(string Name, string Address, string Platform, int SeenFromId, string LocalInterface, string Port, string ChassisId = "");

/// <summary>An inventory link at a reached seed that LLDP did not show (reported only: discovery never deletes).</summary>
public sealed record UnseenLink(int LinkId, string Name, string Source, string SourceInterface, string Destination, string DestinationInterface);

/// <summary>What committing would change: new links, links whose interfaces differ, unknown neighbours, and links not seen.</summary>
public sealed record DiscoveryPreview(IReadOnlyList<SeedOutcome> Seeds, IReadOnlyList<ProposedLink> NewLinks, IReadOnlyList<ProposedLink> ChangedLinks,
    IReadOnlyList<UnknownNeighbor> UnknownNeighbors, IReadOnlyList<UnseenLink> UnseenLinks);

/// <summary>The chosen items of a preview: links to add (no <see cref="ProposedLink.LinkId"/>) or to change (with one),
/// and unknown neighbours to add as devices.</summary>
public sealed record DiscoveryCommit(IReadOnlyList<ProposedLink> Links, IReadOnlyList<NewDevice>? Devices = null);

/// <summary>What a commit did: links created and changed (by name), devices created, and items skipped with the reason
/// (already in the inventory).</summary>
public sealed record DiscoveryCommitResult(IReadOnlyList<string> Created, IReadOnlyList<string> Changed, IReadOnlyList<string> Skipped,
    IReadOnlyList<string> CreatedDevices);
