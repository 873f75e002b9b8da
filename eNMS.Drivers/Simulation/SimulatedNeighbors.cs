namespace eNMS.Drivers.Simulation;

/// <summary>
/// What a simulated device advertises to its neighbours, by its platform: the LLDP system description lldpd and the
/// vendors send (Linux hosts describe their kernel), and the CDP entries Cisco devices print for neighbours that
/// speak CDP (Cisco devices only: a cable to an Arista or Juniper box shows in LLDP alone).
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
}
