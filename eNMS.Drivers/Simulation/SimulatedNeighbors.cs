namespace eNMS.Drivers.Simulation;

/// <summary>
/// A simulated device's neighbours as its platform shows them (LLDP tables, lldpd's JSON, CDP detail) and what it
/// advertises to them: the LLDP system description lldpd and the vendors send (Linux hosts describe their kernel), and
/// CDP entries for neighbours that speak CDP (Cisco devices only: a cable to an Arista or Juniper box shows in LLDP alone).
/// </summary>
internal static class SimulatedNeighbors
{
    public static string SystemDescription(string platform) => platform switch
    {
        "cisco_ios" => "Cisco IOS Software [Cupertino], ISR Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), Version 17.9.4a, RELEASE SOFTWARE (fc3)",
        "cisco_nxos" => "Cisco Nexus Operating System (NX-OS) Software 10.3(4a)",
        "cisco_xr" => "Cisco IOS XR Software, Version 7.9.2",
        "arista_eos" => "Arista Networks EOS version 4.31.2F running on an Arista Networks DCS-7280CR3-32P4-F",
        "juniper_junos" => "Juniper Networks, Inc. mx204 internet router, kernel JUNOS 23.2R1.14",
        _ => "Debian GNU/Linux 12 (bookworm) Linux 6.1.0-enms #1 SMP PREEMPT_DYNAMIC x86_64",
    };

    private static string? CdpPlatform(string platform) => platform switch
    {
        "cisco_ios" => "cisco ISR4451-X/K9",
        "cisco_nxos" => "N9K-C9300v",
        "cisco_xr" => "cisco IOS-XRv 9000",
        _ => null,
    };

    /// <summary><c>show cdp neighbors detail</c> as IOS and NX-OS print it (NX-OS: the device id carries the serial
    /// number, the system name and management address follow).</summary>
    public static string CdpDetail(SimulatedDevice d)
    {
        var nxos = d.Platform.Key == "cisco_nxos";
        var lines = new List<string>();
        foreach (var n in d.Neighbors.Where(n => CdpPlatform(n.Platform) is not null))
        {
            lines.Add(nxos ? "----------------------------------------" : "-------------------------");
            lines.Add(nxos ? $"Device ID:{n.Device}(FOX{n.Device.Sum(c => c) % 10_000:D4})" : $"Device ID: {n.Device}");
            if (nxos)
            {
                lines.Add($"System Name: {n.Device}");
                lines.Add("");
            }
            lines.Add(nxos ? "Interface address(es):" : "Entry address(es): ");
            lines.Add(nxos ? $"    IPv4 Address: {n.Address}" : $"  IP address: {n.Address}");
            lines.Add($"Platform: {CdpPlatform(n.Platform)},  Capabilities: Router Switch IGMP ");
            lines.Add($"Interface: {n.LocalInterface},  Port ID (outgoing port): {n.Port}");
            lines.Add("Holdtime : 157 sec");
            lines.Add("");
            lines.Add("Version :");
            lines.Add(SystemDescription(n.Platform));
            lines.Add("Technical Support: http://www.cisco.com/techsupport");
            lines.Add("");
            lines.Add("advertisement version: 2");
            lines.Add("Duplex: full");
            lines.Add(nxos ? "Mgmt address(es):" : "Management address(es): ");
            lines.Add(nxos ? $"    IPv4 Address: {n.Address}" : $"  IP address: {n.Address}");
            lines.Add("");
        }
        lines.Add("");
        lines.Add($"Total cdp entries displayed : {lines.Count(l => l.StartsWith("Device ID", StringComparison.Ordinal))}");
        return string.Join('\n', lines);
    }

    /// <summary>IOS and NX-OS <c>show lldp neighbors</c>: the device id cut at 20 characters and the local interface
    /// abbreviated, as those platforms print them.</summary>
    public static string CiscoLldp(SimulatedDevice d, string shortType, string longType)
    {
        var lines = new List<string>
        {
            "Capability codes:",
            "    (R) Router, (B) Bridge, (T) Telephone, (C) DOCSIS Cable Device",
            "    (W) WLAN Access Point, (P) Repeater, (S) Station, (O) Other",
            "",
            "Device ID           Local Intf     Hold-time  Capability      Port ID",
        };
        lines.AddRange(d.Neighbors.Select(n =>
            $"{(n.Device.Length > 20 ? n.Device[..20] : n.Device),-19} {n.LocalInterface.Replace(longType, shortType, StringComparison.Ordinal),-14} {120,-10} {"R",-15} {n.Port}"));
        lines.Add("");
        lines.Add($"Total entries displayed: {d.Neighbors.Count}");
        return string.Join('\n', lines);
    }

    public static string EosLldp(SimulatedDevice d) => string.Join('\n', new[]
    {
        "Last table change time   : 0:12:05 ago",
        $"Number of table inserts  : {d.Neighbors.Count}",
        "Number of table deletes  : 0",
        "Number of table drops    : 0",
        "Number of table age-outs : 0",
        "",
        "Port          Neighbor Device ID       Neighbor Port ID    TTL",
        "------------- ------------------------ ------------------- ---",
    }.Concat(d.Neighbors.Select(n => $"{n.LocalInterface.Replace("Ethernet", "Et", StringComparison.Ordinal),-13} {n.Device,-24} {n.Port,-19} 120")));

    public static string JunosLldp(SimulatedDevice d) =>
        "Local Interface    Parent Interface    Chassis Id          Port info          System Name\n"
        + string.Join('\n', d.Neighbors.Select(n => $"{n.LocalInterface,-18} {"-",-19} {ChassisOf(n),-19} {n.Port,-18} {n.Device}"));

    /// <summary>lldpd's <c>lldpcli -f json show neighbors</c>: one object per interface in an array.</summary>
    public static string LldpcliJson(SimulatedDevice d) => System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["lldp"] = new Dictionary<string, object>
        {
            ["interface"] = d.Neighbors.Select(n => new Dictionary<string, object>
            {
                [n.LocalInterface] = new Dictionary<string, object>
                {
                    ["via"] = "LLDP",
                    ["chassis"] = new Dictionary<string, object>
                    {
                        [n.Device] = new Dictionary<string, object>
                        {
                            ["id"] = new Dictionary<string, string> { ["type"] = "mac", ["value"] = ChassisOf(n) },
                            ["mgmt-ip"] = n.Address,
                            ["descr"] = SystemDescription(n.Platform),
                        },
                    },
                    ["port"] = new Dictionary<string, object>
                    {
                        ["id"] = new Dictionary<string, string> { ["type"] = "ifname", ["value"] = n.Port },
                        ["ttl"] = "120",
                    },
                },
            }).ToList(),
        },
    });

    /// <summary>A stable, locally administered MAC for a neighbour: 02:00 and its address's four bytes.</summary>
    private static string ChassisOf(SimulatedNeighbor n) =>
        System.Net.IPAddress.TryParse(n.Address, out var address) && address.GetAddressBytes() is { Length: 4 } b
            ? $"02:00:{b[0]:x2}:{b[1]:x2}:{b[2]:x2}:{b[3]:x2}" : "02:00:00:00:00:01";
}
