namespace eNMS.Core.Parsing;

/// <summary>
/// The getters' commands on the switch platforms whose CLI is not Cisco-like: each vendor's documented command for
/// facts, interfaces, ARP and LLDP neighbours (VRP and Comware <c>display</c>, ProCurve <c>show system</c>, EXOS
/// <c>show switch</c>...). Their outputs go through eNMS's templates like the others'. These platforms print no BGP
/// or route summary eNMS reads, nor CDP: those getters answer "no command for platform".
/// </summary>
internal static class SwitchGetterCommands
{
    private static readonly Dictionary<string, Dictionary<string, string>> Commands = new(StringComparer.Ordinal)
    {
        ["huawei"] = new(StringComparer.Ordinal)
        {
            ["facts"] = "display version",
            // display interface brief has no addresses: the IP brief has the same Physical/Protocol columns and them.
            ["interfaces"] = "display ip interface brief",
            ["arp"] = "display arp",
            [DeviceGetters.LldpNeighbors] = "display lldp neighbor brief",
        },
        ["hp_comware"] = new(StringComparer.Ordinal)
        {
            ["facts"] = "display version",
            // Route-mode interfaces with their primary address, and bridge-mode ports.
            ["interfaces"] = "display interface brief",
            ["arp"] = "display arp",
            [DeviceGetters.LldpNeighbors] = "display lldp neighbor-information list",
        },
        ["hp_procurve"] = new(StringComparer.Ordinal)
        {
            // show version prints only the image: show system has the name, revision, serial number and uptime.
            ["facts"] = "show system",
            ["interfaces"] = "show interfaces brief",
            ["arp"] = "show arp",
            [DeviceGetters.LldpNeighbors] = "show lldp info remote-device",
        },
        ["aruba_aoscx"] = new(StringComparer.Ordinal)
        {
            ["facts"] = "show system",
            ["interfaces"] = "show interface brief",
            // show arp alone is VRF default's: the management port's neighbours are in VRF mgmt.
            ["arp"] = "show arp all-vrfs",
            [DeviceGetters.LldpNeighbors] = "show lldp neighbor-info",
        },
        ["dell_os10"] = new(StringComparer.Ordinal)
        {
            ["facts"] = "show version",
            ["interfaces"] = "show ip interface brief",
            ["arp"] = "show ip arp",
            [DeviceGetters.LldpNeighbors] = "show lldp neighbors",
        },
        ["extreme_exos"] = new(StringComparer.Ordinal)
        {
            ["facts"] = "show switch",
            ["interfaces"] = "show ports no-refresh",
            ["arp"] = "show iparp",
            [DeviceGetters.LldpNeighbors] = "show lldp neighbors",
        },
        ["ubiquiti_edge"] = new(StringComparer.Ordinal)
        {
            ["facts"] = "show version",
            // show interfaces status has no administrative state: show port all has Admin Mode and Link Status.
            ["interfaces"] = "show port all",
            ["arp"] = "show arp",
            [DeviceGetters.LldpNeighbors] = "show lldp remote-device all",
        },
    };

    /// <summary>The platforms listed here.</summary>
    public static IEnumerable<string> Platforms => Commands.Keys;

    /// <summary>Whether the platform's getters are listed here (then a getter missing from its list has no command).</summary>
    public static bool Covers(string platform) => Commands.ContainsKey(platform);

    /// <summary>The platform's command for the getter, or null (the platform prints nothing eNMS reads for it).</summary>
    public static string? For(string platform, string getter) =>
        Commands.TryGetValue(platform, out var commands) ? commands.GetValueOrDefault(getter) : null;
}
