using eNMS.Drivers.Config;

namespace eNMS.Drivers.Simulation;

/// <summary>
/// What a simulated device of one platform looks like: its configuration syntax, its first configuration, its
/// prompt and the replies of its usual show commands. One entry per platform key, as for the real drivers.
/// </summary>
public sealed record SimulatedPlatform(
    string Key,
    DriverCapabilities Capabilities,
    string RunningConfigCommand,
    Func<SimulatedDevice, string> InitialConfig,
    Func<SimulatedDevice, string, string?> Show,
    string InvalidInput,
    bool Braces = false)
{
    private const DriverCapabilities Candidates = DriverCapabilities.Commands | DriverCapabilities.Config |
        DriverCapabilities.ConfigMerge | DriverCapabilities.Diff | DriverCapabilities.Rollback;

    private const string CiscoInvalid = "% Invalid input detected at '^' marker.";

    /// <summary>Every platform the simulator answers for, with the capabilities of the real driver of that platform.</summary>
    public static IReadOnlyDictionary<string, SimulatedPlatform> All { get; } = new Dictionary<string, SimulatedPlatform>(StringComparer.OrdinalIgnoreCase)
    {
        ["cisco_ios"] = new("cisco_ios", Candidates | DriverCapabilities.ConfigReplace | DriverCapabilities.CommitConfirm,
            "show running-config", IosConfig, IosShow, CiscoInvalid),
        ["cisco_nxos"] = new("cisco_nxos", Candidates, "show running-config", NxosConfig, NxosShow, CiscoInvalid),
        ["arista_eos"] = new("arista_eos", Candidates | DriverCapabilities.ConfigReplace | DriverCapabilities.CommitConfirm,
            "show running-config", EosConfig, EosShow, CiscoInvalid),
        ["juniper_junos"] = new("juniper_junos", Candidates | DriverCapabilities.ConfigReplace | DriverCapabilities.CommitConfirm,
            "show configuration", JunosConfig, JunosShow, "error: syntax error", Braces: true),
        ["frr"] = new("frr", Candidates | DriverCapabilities.ConfigReplace, "show running-config", FrrConfig, FrrShow, CiscoInvalid),
        ["linux"] = new("linux", DriverCapabilities.Commands, "", _ => "", LinuxShow, "bash: command not found"),
    };

    /// <summary>The prompt the device shows in privileged mode, as its transcript records it.</summary>
    public string Prompt(string hostname) => Braces ? $"admin@{hostname}> " : Key == "linux" ? $"admin@{hostname}:~$ " : $"{hostname}#";

    /// <summary>How the real platform ends its running configuration (IOS, EOS and FRR print a last line <c>end</c>).</summary>
    public ConfigShape RunningConfigShape => Braces ? ConfigShape.ClosedBraces
        : Key is "cisco_ios" or "arista_eos" or "frr" ? ConfigShape.EndsWith("end") : ConfigShape.Unknown;

    /// <summary>The running configuration as <see cref="RunningConfigCommand"/> shows it, end marker included.</summary>
    public string ShowRunning(string rendered) => Braces || RunningConfigShape == ConfigShape.Unknown ? rendered : rendered + "end\n";

    /// <summary>Parses configuration text; brace syntax (Junos) is read by its indentation, braces dropped.</summary>
    public IReadOnlyList<ConfigNode> Parse(string config) => ConfigTree.Parse(
        Braces ? string.Join('\n', config.Split('\n').Select(l => l.TrimEnd().TrimEnd('{').TrimEnd().TrimEnd(';'))) : config,
        line => line == "}" || (!Braces && line == "end") || line.StartsWith("Building configuration", StringComparison.Ordinal)
            || line.StartsWith("Current configuration", StringComparison.Ordinal) || line.StartsWith("## Last", StringComparison.Ordinal));

    /// <summary>Writes a configuration the way the platform shows it.</summary>
    public string Render(IReadOnlyList<ConfigNode> nodes)
    {
        var lines = new List<string>();
        Write(nodes, 0);
        return string.Join('\n', lines) + "\n";

        void Write(IReadOnlyList<ConfigNode> level, int depth)
        {
            var pad = new string(' ', Braces ? depth * 4 : depth);
            foreach (var node in level)
            {
                if (!Braces)
                {
                    lines.Add(pad + node.Line);
                    Write(node.Children, depth + 1);
                    if (depth == 0 && node.Children.Count > 0)
                    {
                        lines.Add("!");
                    }
                    continue;
                }
                if (node.Children.Count == 0)
                {
                    lines.Add($"{pad}{node.Line};");
                    continue;
                }
                lines.Add($"{pad}{node.Line} {{");
                Write(node.Children, depth + 1);
                lines.Add(pad + "}");
            }
        }
    }

    private static string Loopback(SimulatedDevice d) => $"10.0.{d.Number}.1";

    private static string IosConfig(SimulatedDevice d) => $"""
        version 17.9
        service timestamps log datetime msec
        hostname {d.Name}
        enable secret 9 $9$enmsDemo${d.Number:x4}Secret
        username admin privilege 15 secret 9 $9$enmsDemo$AdminSecret
        ntp server 10.0.0.123
        snmp-server community demo-{d.Number} RO
        interface Loopback0
         ip address {Loopback(d)} 255.255.255.255
        interface GigabitEthernet0/0
         description uplink
         ip address 10.1.{d.Number}.1 255.255.255.0
         ip ospf network point-to-point
        interface GigabitEthernet0/1
         description access
         shutdown
        router ospf 1
         router-id {Loopback(d)}
         network 10.0.0.0 0.255.255.255 area 0
        line vty 0 4
         transport input ssh
        """;

    private static string NxosConfig(SimulatedDevice d) => $"""
        version 10.3(4a)
        hostname {d.Name}
        feature ospf
        feature lldp
        username admin password 5 $5$enmsDemo$NxosSecret role network-admin
        snmp-server community demo-{d.Number} group network-operator
        interface loopback0
          ip address {Loopback(d)}/32
        interface Ethernet1/1
          description uplink
          no switchport
          ip address 10.1.{d.Number}.1/24
          ip router ospf 1 area 0.0.0.0
        router ospf 1
          router-id {Loopback(d)}
        """;

    private static string EosConfig(SimulatedDevice d) => $"""
        hostname {d.Name}
        username admin privilege 15 role network-admin secret sha512 $6$enmsDemo$EosSecret
        ntp server 10.0.0.123
        interface Ethernet1
           description uplink
           no switchport
           ip address 10.1.{d.Number}.1/24
        interface Loopback0
           ip address {Loopback(d)}/32
        ip routing
        router ospf 1
           router-id {Loopback(d)}
           network 10.0.0.0/8 area 0.0.0.0
        management ssh
           idle-timeout 60
        """;

    private static string JunosConfig(SimulatedDevice d) => $$"""
        system {
            host-name {{d.Name}};
            root-authentication {
                encrypted-password "$6$enmsDemo$JunosSecret";
            }
            services {
                ssh;
                netconf {
                    ssh;
                }
            }
            ntp {
                server 10.0.0.123;
            }
        }
        interfaces {
            ge-0/0/0 {
                description uplink;
                unit 0 {
                    family inet {
                        address 10.1.{{d.Number}}.1/24;
                    }
                }
            }
            lo0 {
                unit 0 {
                    family inet {
                        address {{Loopback(d)}}/32;
                    }
                }
            }
        }
        protocols {
            ospf {
                area 0.0.0.0 {
                    interface ge-0/0/0.0;
                    interface lo0.0;
                }
            }
        }
        """;

    private static string FrrConfig(SimulatedDevice d) => $"""
        frr version 8.4.4
        frr defaults traditional
        hostname {d.Name}
        service integrated-vtysh-config
        interface eth1
         description uplink
         ip address 10.1.{d.Number}.1/24
         ip ospf network point-to-point
        interface lo
         ip address {Loopback(d)}/32
        router ospf
         ospf router-id {Loopback(d)}
         network 10.0.0.0/8 area 0
        line vty
        """;

    private static string? IosShow(SimulatedDevice d, string command) => command switch
    {
        "show version" => $"""
            Cisco IOS XE Software, Version 17.09.04a
            Cisco IOS Software [Cupertino], ISR Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), Version 17.9.4a, RELEASE SOFTWARE (fc3)
            {d.Name} uptime is {d.Uptime}
            System image file is "bootflash:isr4400-universalk9.17.09.04a.SPA.bin"
            cisco ISR4451-X/K9 (2RU) processor with 1795936K/6147K bytes of memory.
            Processor board ID FGL2{d.Number:D4}ENMS
            Configuration register is 0x2102
            """,
        "show ip interface brief" => Interfaces(d, "Interface              IP-Address      OK? Method Status                Protocol",
            (name, address, up) => $"{name,-22} {address,-15} YES manual {(up ? "up" : "administratively down"),-21} {(up ? "up" : "down")}"),
        "show ip route" or "show ip route ospf" => Routes(d, "O    ", "via"),
        "show ip ospf neighbor" => OspfNeighbors(d, "Neighbor ID     Pri   State           Dead Time   Address         Interface",
            (id, address) => $"{id,-15} {1,3}   FULL/  -        00:00:3{d.Number % 10}    {address,-15} GigabitEthernet0/0"),
        "show clock" => d.Clock("HH:mm:ss.fff 'UTC' ddd MMM d yyyy"),
        "show lldp neighbors" => SimulatedNeighbors.CiscoLldp(d, "Gi", "GigabitEthernet"),
        "show cdp neighbors detail" => SimulatedNeighbors.CdpDetail(d),
        "show ip bgp summary" => SimulatedRouting.CiscoBgpSummary(d),
        "show ip route summary" => SimulatedRouting.IosRouteSummary(d),
        _ => null,
    };

    private static string? NxosShow(SimulatedDevice d, string command) => command switch
    {
        "show version" => $"""
            Cisco Nexus Operating System (NX-OS) Software
            NXOS: version 10.3(4a) [Maintenance Release]
            cisco Nexus9000 C9300v Chassis
            Device name: {d.Name}
            Kernel uptime is {d.Uptime}
            """,
        "show ip interface brief" => Interfaces(d, "IP Interface Status for VRF \"default\"(1)\nInterface            IP Address      Interface Status",
            (name, address, up) => $"{name,-20} {address,-15} protocol-{(up ? "up" : "down")}/link-{(up ? "up" : "down")}/admin-{(up ? "up" : "down")}"),
        "show ip route" => Routes(d, "ospf-1, intra", "via"),
        "show ip ospf neighbors" or "show ip ospf neighbor" => OspfNeighbors(d, " Neighbor ID     Pri State            Up Time  Address         Interface",
            (id, address) => $" {id,-15} {1,3} FULL/ -          1d02h    {address,-15} Eth1/1"),
        "show clock" => d.Clock("HH:mm:ss.fff 'UTC' ddd MMM d yyyy"),
        "show lldp neighbors" => SimulatedNeighbors.CiscoLldp(d, "Eth", "Ethernet"),
        "show cdp neighbors detail" => SimulatedNeighbors.CdpDetail(d),
        "show ip bgp summary vrf all" => SimulatedRouting.CiscoBgpSummary(d),
        "show ip route summary vrf all" => SimulatedRouting.NxosRouteSummary(d),
        _ => null,
    };

    private static string? EosShow(SimulatedDevice d, string command) => command switch
    {
        "show version" => $"""
            Arista DCS-7280CR3-32P4-F
            Hardware version: 11.00
            Serial number: JPE2{d.Number:D4}ENMS
            Software image version: 4.31.2F
            Architecture: x86_64
            Uptime: {d.Uptime}
            """,
        "show ip interface brief" => Interfaces(d, "Interface         IP Address          Status     Protocol         MTU",
            (name, address, up) => $"{name,-17} {address,-19} {(up ? "up" : "disabled"),-10} {(up ? "up" : "down"),-16} 1500"),
        "show ip route" => Routes(d, " O        ", "via"),
        "show ip ospf neighbor" => OspfNeighbors(d, "Neighbor ID     Instance VRF      Pri State                  Dead Time   Address         Interface",
            (id, address) => $"{id,-15} 1        default  0   FULL                   00:00:33    {address,-15} Ethernet1"),
        "show clock" => d.Clock("ddd MMM d HH:mm:ss yyyy"),
        "show lldp neighbors" => SimulatedNeighbors.EosLldp(d),
        "show ip bgp summary vrf all" => SimulatedRouting.EosBgpSummary(d),
        "show ip route vrf all summary" => SimulatedRouting.EosRouteSummary(d),
        _ => null,
    };

    private static string? JunosShow(SimulatedDevice d, string command) => command.Replace(" | no-more", "", StringComparison.Ordinal) switch
    {
        "show version" => $"""
            Hostname: {d.Name}
            Model: mx204
            Junos: 23.2R1.14
            JUNOS OS Kernel 64-bit  [20230616.a2d9a1d_builder_stable_13]
            """,
        "show interfaces terse" => Interfaces(d, "Interface               Admin Link Proto    Local                 Remote",
            (name, address, up) => $"{name,-23} {(up ? "up" : "down"),-5} {(up ? "up" : "down"),-4} inet     {address}"),
        "show route" => Routes(d, "[OSPF/10] ", "> to"),
        "show ospf neighbor" => OspfNeighbors(d, "Address          Interface              State           ID               Pri  Dead",
            (id, address) => $"{address,-16} ge-0/0/0.0             Full            {id,-16} 128    33"),
        "show system uptime" => $"Current time: {d.Clock("yyyy-MM-dd HH:mm:ss 'UTC'")}\nSystem booted: {d.Uptime} ago",
        "show lldp neighbors" => SimulatedNeighbors.JunosLldp(d),
        "show bgp summary" => SimulatedRouting.JunosBgpSummary(d),
        "show route summary" => SimulatedRouting.JunosRouteSummary(d),
        _ => null,
    };

    private static string? FrrShow(SimulatedDevice d, string command) => command switch
    {
        "show version" => $"FRRouting 8.4.4 ({d.Name}) on Linux(6.1.0-enms).\nCopyright 1996-2005 Kunihiro Ishiguro, et al.",
        "show interface brief" => Interfaces(d, "Interface       Status  VRF             Addresses",
            (name, address, up) => $"{name,-15} {(up ? "up" : "down"),-7} default         {address}"),
        "show ip route" => Routes(d, "O>* ", "via"),
        "show ip ospf neighbor" => OspfNeighbors(d, "Neighbor ID     Pri State           Up Time         Dead Time Address         Interface",
            (id, address) => $"{id,-15} {1,3} Full/-          1d02h10m        33.512s {address,-15} eth1:10.1.{d.Number}.1"),
        "lldpcli -f json show neighbors" => SimulatedNeighbors.LldpcliJson(d),
        "show bgp vrf all summary json" => SimulatedRouting.FrrBgpSummaryJson(d),
        "show ip route summary json" => SimulatedRouting.FrrRouteSummaryJson(d),
        _ => null,
    };

    private static string? LinuxShow(SimulatedDevice d, string command) => command switch
    {
        "hostname" => d.Name,
        "uname -a" => $"Linux {d.Name} 6.1.0-enms #1 SMP PREEMPT_DYNAMIC Debian 6.1.112-1 x86_64 GNU/Linux",
        "uptime" => $" up {d.Uptime},  1 user,  load average: 0.0{d.Number % 10}, 0.02, 0.00",
        "date" => d.Clock("ddd MMM d HH:mm:ss 'UTC' yyyy"),
        "lldpcli -f json show neighbors" => SimulatedNeighbors.LldpcliJson(d),
        _ => null,
    };

    /// <summary>Interfaces and their addresses, read from the current configuration (so a pushed change shows).</summary>
    private static string Interfaces(SimulatedDevice d, string header, Func<string, string, bool, string> row)
    {
        var lines = new List<string> { header };
        foreach (var (name, address, up) in d.InterfaceSummary())
        {
            lines.Add(row(name, address, up));
        }
        return string.Join('\n', lines);
    }

    /// <summary>A plausible OSPF table: the loopbacks of the two neighbouring demo routers.</summary>
    private static string Routes(SimulatedDevice d, string ospfTag, string via)
    {
        var neighbours = Neighbours(d);
        var lines = new List<string> { $"C    10.1.{d.Number}.0/24 is directly connected", $"C    10.0.{d.Number}.1/32 is directly connected" };
        lines.AddRange(neighbours.Select(n => $"{ospfTag}10.0.{n}.1/32 [110/{10 + n % 7}] {via} 10.1.{d.Number}.{n % 250 + 2}"));
        return string.Join('\n', lines);
    }

    private static string OspfNeighbors(SimulatedDevice d, string header, Func<string, string, string> row) =>
        string.Join('\n', new[] { header }.Concat(Neighbours(d).Select(n => row($"10.0.{n}.1", $"10.1.{d.Number}.{n % 250 + 2}"))));

    private static int[] Neighbours(SimulatedDevice d) => [(d.Number + 1) % 250, (d.Number + 249) % 250];
}
