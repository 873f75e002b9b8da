using System.Globalization;
using System.Net;
using System.Numerics;

namespace eNMS.Core.Parsing;

/// <summary>
/// The getters' commands on the platforms whose CLI is not Cisco-like — routers and firewalls (VyOS, RouterOS,
/// FortiOS, PAN-OS, SR OS MD-CLI; ASA, whose commands differ from IOS's) and switches (VRP and Comware
/// <c>display</c>, ProCurve <c>show system</c>, EXOS <c>show switch</c>...): each vendor's documented command for facts,
/// interfaces, ARP, LLDP neighbours, BGP neighbours and a routes summary, and the interface states they print in the
/// words the common shape reads. Their outputs go through eNMS's templates like the others'. A getter missing from a
/// platform's list has no command there (no LLDP on the firewalls, no BGP or route summary on the switches...).
/// </summary>
internal static class VendorGetterCommands
{
    private static readonly Dictionary<string, Dictionary<string, string>> Commands = new(StringComparer.Ordinal)
    {
        ["vyos"] = new(StringComparer.Ordinal)
        {
            ["facts"] = "show version",
            ["interfaces"] = "show interfaces",
            ["arp"] = "show arp",
            [DeviceGetters.LldpNeighbors] = "show lldp neighbors",
            [DeviceGetters.BgpNeighbors] = "show ip bgp summary",
            [DeviceGetters.RoutesSummary] = "show ip route summary",
        },
        ["fortinet"] = new(StringComparer.Ordinal)
        {
            ["facts"] = "get system status",
            // The physical ports with their address and link status (get system interface has the settings, not the link).
            ["interfaces"] = "get system interface physical",
            ["arp"] = "get system arp",
            [DeviceGetters.BgpNeighbors] = "get router info bgp summary",
        },
        ["paloalto_panos"] = new(StringComparer.Ordinal)
        {
            ["facts"] = "show system info",
            ["interfaces"] = "show interface all",
            ["arp"] = "show arp all",
            [DeviceGetters.BgpNeighbors] = "show routing protocol bgp summary",
        },
        ["nokia_sros"] = new(StringComparer.Ordinal)
        {
            ["facts"] = "show system information",
            ["interfaces"] = "show router interface",
            ["arp"] = "show router arp",
            [DeviceGetters.BgpNeighbors] = "show router bgp summary",
            [DeviceGetters.RoutesSummary] = "show router route-table summary",
        },
        ["cisco_asa"] = new(StringComparer.Ordinal)
        {
            ["facts"] = "show version",
            ["interfaces"] = "show interface ip brief",
            ["arp"] = "show arp",
            [DeviceGetters.BgpNeighbors] = "show bgp summary",
            [DeviceGetters.RoutesSummary] = "show route summary",
        },
        ["mikrotik_routeros"] = new(StringComparer.Ordinal)
        {
            ["facts"] = "/system resource print",
            ["interfaces"] = "/interface print",
            ["arp"] = "/ip arp print",
            // Neighbours found by MNDP, CDP and LLDP; only the detail view names the neighbour's port.
            [DeviceGetters.LldpNeighbors] = "/ip neighbor print detail",
        },
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

    /// <summary>An interface's states in the words the common shape reads (ADMIN up/down, LINK up/down) and its address
    /// as address/length, from what a platform prints instead: VyOS's S/L codes (<c>u</c> up, <c>D</c> down, <c>A</c>
    /// admin down; <c>-</c> for no address), SR OS's Up and Down, RouterOS's flags (<c>X</c> disabled, <c>R</c> running),
    /// FortiOS's address and netmask; PAN-OS's two rows per interface merged into one.</summary>
    public static List<Dictionary<string, string>> States(string platform, List<Dictionary<string, string>> rows)
    {
        foreach (var row in rows)
        {
            switch (platform)
            {
                case "vyos":
                    row["ADMIN"] = row.GetValueOrDefault("STATE") == "A" ? "down" : "up";
                    row["LINK"] = row.GetValueOrDefault("LINK") == "u" ? "up" : "down";
                    row["IP_ADDRESS"] = row.GetValueOrDefault("IP_ADDRESS") is "-" or null ? "" : row["IP_ADDRESS"];
                    break;
                case "nokia_sros":
                    row["ADMIN"] = row.GetValueOrDefault("ADMIN", "").ToLowerInvariant();
                    row["LINK"] = row.GetValueOrDefault("OPER", "").ToLowerInvariant();
                    row["IP_ADDRESS"] = row.GetValueOrDefault("IP_ADDRESS") is "-" or null ? "" : row["IP_ADDRESS"];
                    break;
                case "mikrotik_routeros":
                    row["ADMIN"] = row.GetValueOrDefault("FLAGS", "").Contains('X', StringComparison.Ordinal) ? "down" : "up";
                    row["LINK"] = row.GetValueOrDefault("FLAGS", "").Contains('R', StringComparison.Ordinal) ? "up" : "down";
                    break;
                case "fortinet":
                    row["IP_ADDRESS"] = WithPrefixLength(row.GetValueOrDefault("IP_ADDRESS", ""));
                    break;
            }
        }
        return platform == "paloalto_panos" ? MergedByName(rows) : rows;
    }

    /// <summary>PAN-OS lists an interface twice (hardware: its link; logical: its address, N/A for none): one row each,
    /// in the order they first come.</summary>
    private static List<Dictionary<string, string>> MergedByName(List<Dictionary<string, string>> rows)
    {
        var merged = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var row in rows.Where(r => r.GetValueOrDefault("INTERFACE", "").Length > 0))
        {
            if (!merged.TryGetValue(row["INTERFACE"], out var into))
            {
                merged[row["INTERFACE"]] = into = new Dictionary<string, string>(StringComparer.Ordinal);
            }
            foreach (var (column, value) in row.Where(c => c.Value.Length > 0))
            {
                into[column] = column == "IP_ADDRESS" && value == "N/A" ? "" : value;
            }
        }
        return [.. merged.Values];
    }

    /// <summary>"192.0.2.1 255.255.255.0" as 192.0.2.1/24; "0.0.0.0 0.0.0.0" (no address) as empty.</summary>
    private static string WithPrefixLength(string addressAndMask)
    {
        var parts = addressAndMask.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || parts[0] == "0.0.0.0" || !IPAddress.TryParse(parts[1], out var mask))
        {
            return parts.Length == 1 ? parts[0] : "";
        }
        var bits = mask.GetAddressBytes().Sum(b => BitOperations.PopCount(b));
        return string.Create(CultureInfo.InvariantCulture, $"{parts[0]}/{bits}");
    }
}
