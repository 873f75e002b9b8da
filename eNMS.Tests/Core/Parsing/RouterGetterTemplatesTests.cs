using eNMS.Core.Parsing;
using eNMS.Tests.TestSupport;

namespace eNMS.Tests.Core.Parsing;

/// <summary>The getters on the router and firewall platforms (VyOS, RouterOS, FortiOS, PAN-OS, SR OS, ASA) through
/// eNMS's templates, on outputs written from each vendor's documentation rather than by the lab emulator, each with
/// the cases a fleet shows: a peer not established, an interface down or disabled, an interface without an address.</summary>
public sealed class RouterGetterTemplatesTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    internal const string VyosFacts = """
        Version:          VyOS 1.4.0
        Release train:    sagitta

        Built by:         autobuild@vyos.net
        Built on:         Mon 03 Jun 2024 12:44 UTC
        Architecture:     x86_64
        Boot via:         installed image
        System type:      VMware guest

        Hardware vendor:  VMware, Inc.
        Hardware model:   VMware Virtual Platform
        Hardware S/N:
        Hardware UUID:    564d1b0e-8a2b-4d4c-9e8e-0c2f1c3a4b5d

        Copyright:        VyOS maintainers and contributors
        """;

    internal const string VyosInterfaces = """
        Codes: S - State, L - Link, u - Up, D - Down, A - Admin Down
        Interface        IP Address                        S/L  Description
        ---------        ----------                        ---  -----------
        eth0             203.0.113.2/30                    u/u  WAN uplink
                         2001:db8::2/64
        eth1             -                                 A/D
        eth2             10.0.0.1/24                       u/D  LAN
        lo               127.0.0.1/8                       u/u
                         ::1/128
        """;

    internal const string VyosArp = """
        Address                  Interface    Link layer address    State
        -----------------------  -----------  --------------------  ---------
        203.0.113.1              eth0         00:53:00:0a:0b:0c     REACHABLE
        10.0.0.77                eth2                               INCOMPLETE
        """;

    internal const string VyosLldp = """
        Capability Codes: R - Router, B - Bridge, W - Wlan r - Repeater, S - Station
                          D - Docsis, T - Telephone, O - Other

        Device ID                 Local     Proto    Cap   Platform             Port ID
        ---------                 -----     -----    ---   --------             -------
        core-sw1                  eth0      LLDP     RB    Arista Networks EOS  Ethernet12
        vyos-peer                 eth2      LLDP     R     VyOS 1.4.0           eth1
        """;

    internal const string VyosBgp = """

        IPv4 Unicast Summary (VRF default):
        BGP router identifier 192.0.2.1, local AS number 65001 vrf-id 0
        BGP table version 12
        RIB entries 21, using 4032 bytes of memory
        Peers 3, using 2173 KiB of memory

        Neighbor        V         AS   MsgRcvd   MsgSent   TblVer  InQ OutQ  Up/Down State/PfxRcd   PfxSnt Desc
        192.0.2.2       4      65002      1520      1519       12    0    0 1d02h03m            8        4 transit-a
        192.0.2.6       4 4200000010         0         0        0    0    0    never       Active        0 transit-b
        198.51.100.9    4      65009        10        12        0    0    0 00:00:42         Idle        0

        Total number of neighbors 3
        """;

    internal const string VyosRoutes = """
        Route Source         Routes               FIB  (vrf default)
        kernel               1                    1
        connected            3                    3
        static               2                    2
        ospf                 6                    5
        ebgp                 8                    8
        ibgp                 1                    1
        ------
        Totals               21                   20
        """;

    internal const string FortiOsFacts = """
        Version: FortiGate-60F v7.2.5,build1517,230606 (GA.F)
        Virus-DB: 91.02196(2023-04-11 09:27)
        Serial-Number: FGT60FTK20012345
        BIOS version: 05000031
        Log hard disk: Not available
        Hostname: branch-fw1
        Operation Mode: NAT
        Current virtual domain: root
        Virtual domain configuration: disable
        Current HA mode: standalone
        System time: Tue Apr 11 10:27:43 2023
        """;

    internal const string FortiOsInterfaces = """
        == [onboard]
                ==[dmz]
                        mode: static
                        ip: 10.10.10.1 255.255.255.0
                        ipv6: ::/0
                        status: down
                        speed: n/a
                ==[wan1]
                        mode: dhcp
                        ip: 198.51.100.23 255.255.255.248
                        ipv6: ::/0
                        status: up
                        speed: 1000Mbps (Duplex: full)
                ==[internal1]
                        mode: static
                        ip: 0.0.0.0 0.0.0.0
                        ipv6: ::/0
                        status: up
                        speed: 100Mbps (Duplex: full)
        """;

    internal const string FortiOsArp = """
        Address           Age(min)   Hardware Addr      Interface
        198.51.100.17     0          00:09:0f:09:00:02 wan1
        10.10.10.20       12         70:4c:a5:11:22:33 dmz
        """;

    internal const string FortiOsBgp = """
        BGP router identifier 10.0.0.1, local AS number 65001
        BGP table version is 4
        3 BGP AS-PATH entries
        0 BGP community entries

        Neighbor        V         AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd
        169.254.1.1     4      65010    2915    2920        4    0    0 2d00h13m        3
        169.254.2.1     4      65020       0       0        0    0    0 never    Connect
        169.254.3.1     4 4200000001      12      10        0    0    0 00:01:10 Idle (Admin)

        Total number of neighbors 3
        """;

    internal const string PanOsFacts = """

        hostname: edge-fw2
        ip-address: 10.0.0.5
        netmask: 255.255.255.0
        uptime: 12 days, 3:14:15
        family: 3200
        model: PA-3220
        serial: 013201001234
        sw-version: 10.1.9-h1
        multi-vsys: off
        """;

    internal const string PanOsInterfaces = """
        total configured hardware interfaces: 3

        name                    id    speed/duplex/state            mac address
        --------------------------------------------------------------------------------
        ethernet1/1             16    10000/full/up                 b4:0c:25:e0:80:10
        ethernet1/2             17    ukn/ukn/down(autoneg)         b4:0c:25:e0:80:11
        ethernet1/3             18    ukn/ukn/down(power-down)      b4:0c:25:e0:80:12

        aggregation groups: 0

        total configured logical interfaces: 4

        name                id    vsys zone             forwarding               tag    address
        ------------------- ----- ---- ---------------- ------------------------ ------ ------------------
        ethernet1/1         16    1    untrust          vr:default               0      203.0.113.10/28
        ethernet1/1.100     256   1    guest            vr:default               100    10.100.0.1/24
        ethernet1/2         17    1    trust            vr:default               0      10.1.0.1/24
        ethernet1/3         18    1                     N/A                      0      N/A
        """;

    internal const string PanOsArp = """

        maximum of entries supported :      2500
        default timeout:                    1800 seconds
        total ARP entries in table :        2
        total ARP entries shown :           2
        status: s - static, c - complete, e - expiring, i - incomplete

        interface         ip address      hw address        port              status   ttl
        --------------------------------------------------------------------------------
        ethernet1/1       203.0.113.1     00:1b:17:00:01:10 ethernet1/1       c        1610
        ethernet1/2       10.1.0.50       (incomplete)      ethernet1/2       i        2
        """;

    internal const string PanOsBgp = """

          router id:                      203.0.113.10
          reject default route:           yes
          install route:                  yes
          local AS:                       64512
          4-byte AS number:               yes
          peer:                           isp-a, AS 64496, Established, IP 203.0.113.1
          peer:                           isp-b, AS 4200000001, Idle, IP 198.51.100.1
          peer group:                     isps, type ebgp, members: isp-a isp-b
        """;

    internal const string SrOsFacts = """
        ===============================================================================
        System Information
        ===============================================================================
        System Name            : pe1.lon
        System Type            : 7750 SR-7
        Chassis Topology       : Standalone
        System Version         : C-22.10.R3
        Crypto Module Version  : SRCM 3.1
        System Contact         : noc@example.net
        System Location        : London
        System Up Time         : 210 days, 04:12:45.18 (hr:min:sec)
        ===============================================================================
        """;

    internal const string SrOsInterfaces = """
        ===============================================================================
        Interface Table (Router: Base)
        ===============================================================================
        Interface-Name                   Adm       Opr(v4/v6)  Mode    Port/SapId
           IP-Address                                                  PfxState
        -------------------------------------------------------------------------------
        system                           Up        Up/Down     Network system
           10.255.0.1/32                                               n/a
        to-p1                            Up        Up/Up       Network 1/1/c1/1
           10.1.1.0/31                                                 n/a
           10.1.9.1/24                                                 n/a
           2001:db8:1::/127                                            PREFERRED
        to-p2                            Down      Down/Down   Network 1/1/c2/1
           10.1.2.0/31                                                 n/a
        spare                            Up        Down/Down   Network 1/1/c3/1
           -                                                           -
        -------------------------------------------------------------------------------
        Interfaces : 4
        ===============================================================================
        """;

    internal const string SrOsArp = """
        ===============================================================================
        ARP Table (Router: Base)
        ===============================================================================
        IP Address      MAC Address       Expiry    Type   Interface
        -------------------------------------------------------------------------------
        10.1.1.0        d0:99:d5:11:22:01 00h00m00s Oth[I] to-p1
        10.1.1.1        d0:99:d5:33:44:02 03h52m11s Dyn[I] to-p1
        -------------------------------------------------------------------------------
        No. of ARP Entries: 2
        ===============================================================================
        """;

    internal const string SrOsBgp = """
        ===============================================================================
         BGP Router ID:10.255.0.1       AS:64500       Local AS:64500
        ===============================================================================
        BGP Admin State         : Up          BGP Oper State              : Up
        Total Peer Groups       : 2           Total Peers                 : 3

        ===============================================================================
        BGP Summary
        ===============================================================================
        Legend : D - Dynamic Neighbor
        ===============================================================================
        Neighbor
        Description
                           AS PktRcvd InQ  Up/Down   State|Rcv/Act/Sent (Addr Family)
                              PktSent OutQ
        -------------------------------------------------------------------------------
        10.255.0.2
        rr1 route reflector
                        64500   88210    0 61d02h11m 120/118/4 (IPv4)
                                88190    0
        10.255.0.3
        (Not Specified)
                        64500       0    0 00h03m12s Connect
                                    0    0
        192.0.2.9
        transit
                        64496     310    0 01h02m03s 0/0/118 (IPv4)
                                  330    0
        -------------------------------------------------------------------------------
        """;

    internal const string SrOsRoutes = """
        ===============================================================================
        Route Table Summary (Router: Base)
        ===============================================================================
                                 Active     Available
        -------------------------------------------------------------------------------
        Static                   2          2
        Direct                   4          4
        Host                     0          0
        BGP                      118        240
        BGP VPN                  0          0
        OSPF                     0          0
        ISIS                     12         12
        -------------------------------------------------------------------------------
        Total                    136        258
        ===============================================================================
        NOTE: ECMP Routes are counted once for every next hop.
        ===============================================================================
        """;

    internal const string AsaFacts = """

        Cisco Adaptive Security Appliance Software Version 9.8(4)32
        Firepower Extensible Operating System Version 2.2(2.148)
        Device Manager Version 7.12(2)

        Compiled on Fri 12-Nov-21 09:43 GMT by builders
        System image file is "disk0:/asa984-32-lfbff-k8.SPA"
        Config file at boot was "startup-config"

        dc-fw1 up 45 days 6 hours
        failover cluster up 45 days 6 hours

        Hardware:   ASA5516, 8192 MB RAM, CPU Atom C2000 series 2416 MHz, 1 CPU (8 cores)
        Internal ATA Compact Flash, 8000MB

        Serial Number: JAD2123456X
        Configuration register is 0x1
        """;

    internal const string AsaInterfaces = """
        Interface                  IP-Address      OK? Method Status                Protocol
        GigabitEthernet1/1         203.0.113.2     YES CONFIG up                    up
        GigabitEthernet1/2         10.0.0.1        YES CONFIG up                    down
        GigabitEthernet1/3         unassigned      YES unset  administratively down down
        Management1/1              192.168.1.1     YES DHCP   up                    up
        """;

    internal const string AsaArp = """
                outside 203.0.113.1 0000.0c9f.f001 12
                inside 10.0.0.25 a0b3.cc12.3456 3600
                inside 10.0.0.1 0050.56a1.0001 -
        """;

    internal const string AsaBgp = """
        BGP router identifier 203.0.113.2, local AS number 65010
        BGP table version is 12, main routing table version 12
        4 network entries using 800 bytes of memory

        Neighbor        V           AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd
        203.0.113.1     4        64496    4711    4700       12    0    0 3w2d            4
        10.0.0.2        4        65011       0       0        1    0    0 never    Idle
        """;

    internal const string AsaRoutes = """
        IP routing table maximum-paths is 3
        Route Source    Networks    Subnets     Replicates  Overhead    Memory (bytes)
        connected       0           3           0           264         864
        static          1           0           0           88          288
        bgp 65010       2           2           0           352         1152
          External: 4 Internal: 0 Local: 0
        internal        3                                               1176
        Total           3           5           0           704         3480
        """;

    internal const string RouterOsFacts = """
                           uptime: 12w3d7h41m2s
                          version: 7.11.2 (stable)
                       build-time: 2023-08-30 09:07:28
                      free-memory: 874.3MiB
                     total-memory: 1024.0MiB
                              cpu: ARMv7
                        cpu-count: 4
                         cpu-load: 2%
                architecture-name: arm
                       board-name: RB4011iGS+
                         platform: MikroTik
        """;

    internal const string RouterOsInterfaces = """
        Flags: X - DISABLED; R - RUNNING; S - SLAVE
        Columns: NAME, TYPE, ACTUAL-MTU, L2MTU, MAX-L2MTU, MAC-ADDRESS
         #     NAME      TYPE    ACTUAL-MTU  L2MTU  MAX-L2MTU  MAC-ADDRESS
         0  RS ether1    ether         1500   1598       9578  DC:2C:6E:01:02:03
         ;;; spare port
         1  X  ether2    ether         1500   1598       9578  DC:2C:6E:01:02:04
         2     ether3    ether         1500   1598       9578  DC:2C:6E:01:02:05
         3  R  bridge1   bridge        1500   1598             DC:2C:6E:01:02:03
        """;

    internal const string RouterOsArp = """
        Flags: D - DYNAMIC; C - COMPLETE; I - INVALID
        Columns: ADDRESS, MAC-ADDRESS, INTERFACE
        #    ADDRESS       MAC-ADDRESS        INTERFACE
        0 DC 10.0.0.254    4C:5E:0C:AA:BB:CC  bridge1
        1 D  10.0.0.77                        bridge1
        2    10.0.0.2      00:0C:42:12:34:56  ether3
        """;

    internal const string RouterOsLldp = """
        Flags: D - DYNAMIC
         0 D interface=ether1 address=10.0.0.254 mac-address=4C:5E:0C:AA:BB:CC identity="core switch 1" platform=MikroTik
             version="7.11.2 (stable)" unpack=none age=31s uptime=1w2d interface-name=bridge/ether5
             system-description="MikroTik RouterOS 7.11.2 (stable) CRS326" system-caps=bridge,router discovered-by=mndp,lldp

         1 D interface=ether3 address=10.0.0.2 mac-address=00:0C:42:12:34:56 identity=ap-lobby platform=MikroTik
             interface-name=ether1 discovered-by=lldp
        """;

    /// <summary>Each sample with the template the index gives for its platform and getter's command (TextFsmDifferentialTests
    /// runs them through Google's TextFSM too).</summary>
    internal static readonly (string Template, string Text)[] Samples =
    [
        ("vyos_show_version.textfsm", VyosFacts),
        ("vyos_show_interfaces.textfsm", VyosInterfaces),
        ("vyos_show_arp.textfsm", VyosArp),
        ("vyos_show_lldp_neighbors.textfsm", VyosLldp),
        ("vyos_show_ip_bgp_summary.textfsm", VyosBgp),
        ("vyos_show_ip_route_summary.textfsm", VyosRoutes),
        ("fortinet_get_system_status.textfsm", FortiOsFacts),
        ("fortinet_get_system_interface_physical.textfsm", FortiOsInterfaces),
        ("fortinet_get_system_arp.textfsm", FortiOsArp),
        ("fortinet_get_router_info_bgp_summary.textfsm", FortiOsBgp),
        ("paloalto_panos_show_system_info.textfsm", PanOsFacts),
        ("paloalto_panos_show_interface_all.textfsm", PanOsInterfaces),
        ("paloalto_panos_show_arp_all.textfsm", PanOsArp),
        ("paloalto_panos_show_routing_protocol_bgp_summary.textfsm", PanOsBgp),
        ("nokia_sros_show_system_information.textfsm", SrOsFacts),
        ("nokia_sros_show_router_interface.textfsm", SrOsInterfaces),
        ("nokia_sros_show_router_arp.textfsm", SrOsArp),
        ("nokia_sros_show_router_bgp_summary.textfsm", SrOsBgp),
        ("nokia_sros_show_router_route_table_summary.textfsm", SrOsRoutes),
        ("cisco_asa_show_version.textfsm", AsaFacts),
        ("cisco_ios_show_ip_interface_brief.textfsm", AsaInterfaces),
        ("cisco_asa_show_arp.textfsm", AsaArp),
        ("cisco_ios_show_ip_bgp_summary.textfsm", AsaBgp),
        ("cisco_ios_show_ip_route_summary.textfsm", AsaRoutes),
        ("mikrotik_routeros_system_resource_print.textfsm", RouterOsFacts),
        ("mikrotik_routeros_interface_print.textfsm", RouterOsInterfaces),
        ("mikrotik_routeros_ip_arp_print.textfsm", RouterOsArp),
        ("mikrotik_routeros_ip_neighbor_print_detail.textfsm", RouterOsLldp),
    ];

    private readonly TestDatabase _db = new();
    private readonly ParsingLibrary _parsing;

    public RouterGetterTemplatesTests() => _parsing = new ParsingLibrary(_db, new StaticOptionsMonitor<ParsingOptions>(new ParsingOptions()));

    public void Dispose() => _db.Dispose();

    /// <summary>The getter's command on the platform, its output parsed by the template the index gives, in the common shape.</summary>
    private async Task<T> GetAsync<T>(string platform, string getter, string output)
    {
        var command = DeviceGetters.CommandFor(platform, getter);
        Assert.NotNull(command);
        return Assert.IsType<T>(DeviceGetters.Normalize(getter, platform, DeviceGetters.Rows(await _parsing.ParseAsync(null, platform, command, output, None))));
    }

    private Task<Dictionary<string, string>> FactsAsync(string platform, string output) => GetAsync<Dictionary<string, string>>(platform, "facts", output);

    private async Task<Dictionary<string, Dictionary<string, object>>> InterfacesAsync(string platform, string output) =>
        (await GetAsync<Dictionary<string, object>>(platform, "interfaces", output)).ToDictionary(i => i.Key, i => (Dictionary<string, object>)i.Value);

    private static (bool Enabled, bool Up, string Ip) State(Dictionary<string, object> i) => ((bool)i["is_enabled"], (bool)i["is_up"], (string)i["ipv4"]);

    private Task<List<Dictionary<string, string>>> ArpAsync(string platform, string output) => GetAsync<List<Dictionary<string, string>>>(platform, "arp", output);

    private Task<Dictionary<string, List<Dictionary<string, string>>>> LldpAsync(string platform, string output) =>
        GetAsync<Dictionary<string, List<Dictionary<string, string>>>>(platform, DeviceGetters.LldpNeighbors, output);

    private async Task<Dictionary<string, Dictionary<string, object?>>> BgpAsync(string platform, string output) =>
        (await GetAsync<List<Dictionary<string, object?>>>(platform, DeviceGetters.BgpNeighbors, output)).ToDictionary(p => (string)p["peer"]!);

    private async Task<(SortedDictionary<string, long> Protocols, long Total)> RoutesAsync(string platform, string output)
    {
        var summary = Assert.Single(await GetAsync<List<Dictionary<string, object?>>>(platform, DeviceGetters.RoutesSummary, output));
        return ((SortedDictionary<string, long>)summary["protocols"]!, (long)summary["total"]!);
    }

    [Fact]
    public async Task VyOS_getters_read_its_op_mode_tables()
    {
        var facts = await FactsAsync("vyos", VyosFacts);
        Assert.Equal(("VyOS", "VMware Virtual Platform", "", "1.4.0"), (facts["vendor"], facts["model"], facts["serial_number"], facts["os_version"]));

        var interfaces = await InterfacesAsync("vyos", VyosInterfaces);
        Assert.Equal(["eth0", "eth1", "eth2", "lo"], interfaces.Keys.Order());
        Assert.Equal((true, true, "203.0.113.2/30"), State(interfaces["eth0"]));
        Assert.Equal((false, false, ""), State(interfaces["eth1"]));
        Assert.Equal((true, false, "10.0.0.1/24"), State(interfaces["eth2"]));

        var arp = await ArpAsync("vyos", VyosArp);
        Assert.Equal([("eth0", "00:53:00:0a:0b:0c", "203.0.113.1"), ("eth2", "", "10.0.0.77")], arp.Select(a => (a["interface"], a["mac"], a["ip"])));

        var lldp = await LldpAsync("vyos", VyosLldp);
        Assert.Equal(("core-sw1", "Ethernet12"), (lldp["eth0"][0]["hostname"], lldp["eth0"][0]["port"]));
        Assert.Equal(("vyos-peer", "eth1", "VyOS 1.4.0"), (lldp["eth2"][0]["hostname"], lldp["eth2"][0]["port"], lldp["eth2"][0]["platform"]));

        var peers = await BgpAsync("vyos", VyosBgp);
        Assert.Equal((65002L, 65001L, "Established", true, 93780L, 8L, 4L, "transit-a"), (
            (long)peers["192.0.2.2"]["remote_as"]!, (long)peers["192.0.2.2"]["local_as"]!, (string)peers["192.0.2.2"]["state"]!, (bool)peers["192.0.2.2"]["is_up"]!,
            (long)peers["192.0.2.2"]["uptime"]!, (long)peers["192.0.2.2"]["accepted_prefixes"]!, (long)peers["192.0.2.2"]["sent_prefixes"]!, (string)peers["192.0.2.2"]["description"]!));
        Assert.Equal((4200000010L, "Active", false, (long?)null, (long?)null), ((long)peers["192.0.2.6"]["remote_as"]!, (string)peers["192.0.2.6"]["state"]!,
            (bool)peers["192.0.2.6"]["is_up"]!, (long?)peers["192.0.2.6"]["uptime"], (long?)peers["192.0.2.6"]["accepted_prefixes"]));
        Assert.Equal(("Idle", ""), ((string)peers["198.51.100.9"]["state"]!, (string)peers["198.51.100.9"]["description"]!));

        var (protocols, total) = await RoutesAsync("vyos", VyosRoutes);
        Assert.Equal((1L, 3L, 2L, 6L, 9L, 21L), (protocols["kernel"], protocols["connected"], protocols["static"], protocols["ospf"], protocols["bgp"], total));
    }

    [Fact]
    public async Task FortiOS_getters_read_its_get_commands()
    {
        var facts = await FactsAsync("fortinet", FortiOsFacts);
        Assert.Equal(("Fortinet", "FortiGate-60F", "FGT60FTK20012345", "7.2.5", "branch-fw1"),
            (facts["vendor"], facts["model"], facts["serial_number"], facts["os_version"], facts["hostname"]));

        var interfaces = await InterfacesAsync("fortinet", FortiOsInterfaces);
        Assert.Equal(["dmz", "internal1", "wan1"], interfaces.Keys.Order());
        Assert.Equal((true, false, "10.10.10.1/24"), State(interfaces["dmz"]));
        Assert.Equal((true, true, "198.51.100.23/29"), State(interfaces["wan1"]));
        Assert.Equal((true, true, ""), State(interfaces["internal1"]));

        var arp = await ArpAsync("fortinet", FortiOsArp);
        Assert.Equal([("wan1", "00:09:0f:09:00:02", "198.51.100.17", "0"), ("dmz", "70:4c:a5:11:22:33", "10.10.10.20", "12")],
            arp.Select(a => (a["interface"], a["mac"], a["ip"], a["age"])));

        // FortiOS 6.x prints no "VRF 0" before the router id.
        var peers = await BgpAsync("fortinet", FortiOsBgp);
        Assert.Equal((65010L, 65001L, "Established", 173580L, 3L), ((long)peers["169.254.1.1"]["remote_as"]!, (long)peers["169.254.1.1"]["local_as"]!,
            (string)peers["169.254.1.1"]["state"]!, (long)peers["169.254.1.1"]["uptime"]!, (long)peers["169.254.1.1"]["accepted_prefixes"]!));
        Assert.Equal(("Connect", false, (long?)null), ((string)peers["169.254.2.1"]["state"]!, (bool)peers["169.254.2.1"]["is_up"]!, (long?)peers["169.254.2.1"]["uptime"]));
        Assert.Equal((4200000001L, "Idle (Admin)"), ((long)peers["169.254.3.1"]["remote_as"]!, (string)peers["169.254.3.1"]["state"]!));
        Assert.Null(DeviceGetters.CommandFor("fortinet", DeviceGetters.RoutesSummary));
    }

    [Fact]
    public async Task PAN_OS_getters_read_its_op_commands_and_merge_an_interfaces_two_tables()
    {
        var facts = await FactsAsync("paloalto_panos", PanOsFacts);
        Assert.Equal(("Palo Alto Networks", "PA-3220", "013201001234", "10.1.9-h1", "12 days, 3:14:15", "edge-fw2"),
            (facts["vendor"], facts["model"], facts["serial_number"], facts["os_version"], facts["uptime"], facts["hostname"]));

        var interfaces = await InterfacesAsync("paloalto_panos", PanOsInterfaces);
        Assert.Equal(["ethernet1/1", "ethernet1/1.100", "ethernet1/2", "ethernet1/3"], interfaces.Keys.Order());
        Assert.Equal((true, true, "203.0.113.10/28"), State(interfaces["ethernet1/1"]));
        Assert.Equal((true, false, "10.1.0.1/24"), State(interfaces["ethernet1/2"]));
        Assert.Equal((true, false, ""), State(interfaces["ethernet1/3"]));
        Assert.Equal("10.100.0.1/24", State(interfaces["ethernet1/1.100"]).Ip);

        var arp = await ArpAsync("paloalto_panos", PanOsArp);
        Assert.Equal([("ethernet1/1", "00:1b:17:00:01:10", "203.0.113.1"), ("ethernet1/2", "", "10.1.0.50")], arp.Select(a => (a["interface"], a["mac"], a["ip"])));

        var peers = await BgpAsync("paloalto_panos", PanOsBgp);
        Assert.Equal((64496L, 64512L, "Established", true, "isp-a"), ((long)peers["203.0.113.1"]["remote_as"]!, (long)peers["203.0.113.1"]["local_as"]!,
            (string)peers["203.0.113.1"]["state"]!, (bool)peers["203.0.113.1"]["is_up"]!, (string)peers["203.0.113.1"]["description"]!));
        // The summary shows no counts: null, not zero.
        Assert.Null(peers["203.0.113.1"]["accepted_prefixes"]);
        Assert.Equal((4200000001L, "Idle", false), ((long)peers["198.51.100.1"]["remote_as"]!, (string)peers["198.51.100.1"]["state"]!, (bool)peers["198.51.100.1"]["is_up"]!));
    }

    [Fact]
    public async Task SR_OS_getters_read_its_md_cli_show_tables()
    {
        var facts = await FactsAsync("nokia_sros", SrOsFacts);
        Assert.Equal(("Nokia", "7750 SR-7", "C-22.10.R3", "pe1.lon", "210 days, 04:12:45.18 (hr:min:sec)"),
            (facts["vendor"], facts["model"], facts["os_version"], facts["hostname"], facts["uptime"]));

        var interfaces = await InterfacesAsync("nokia_sros", SrOsInterfaces);
        Assert.Equal(["spare", "system", "to-p1", "to-p2"], interfaces.Keys.Order());
        // The primary address, not the secondary or IPv6 lines under it.
        Assert.Equal((true, true, "10.1.1.0/31"), State(interfaces["to-p1"]));
        Assert.Equal((false, false, "10.1.2.0/31"), State(interfaces["to-p2"]));
        Assert.Equal((true, false, ""), State(interfaces["spare"]));

        var arp = await ArpAsync("nokia_sros", SrOsArp);
        Assert.Equal([("to-p1", "d0:99:d5:11:22:01", "10.1.1.0"), ("to-p1", "d0:99:d5:33:44:02", "10.1.1.1")], arp.Select(a => (a["interface"], a["mac"], a["ip"])));

        var peers = await BgpAsync("nokia_sros", SrOsBgp);
        Assert.Equal((64500L, 64500L, "Established", 5278260L, 120L, 118L, 4L, "rr1 route reflector"), ((long)peers["10.255.0.2"]["remote_as"]!,
            (long)peers["10.255.0.2"]["local_as"]!, (string)peers["10.255.0.2"]["state"]!, (long)peers["10.255.0.2"]["uptime"]!,
            (long)peers["10.255.0.2"]["received_prefixes"]!, (long)peers["10.255.0.2"]["accepted_prefixes"]!, (long)peers["10.255.0.2"]["sent_prefixes"]!,
            (string)peers["10.255.0.2"]["description"]!));
        Assert.Equal(("Connect", false, ""), ((string)peers["10.255.0.3"]["state"]!, (bool)peers["10.255.0.3"]["is_up"]!, (string)peers["10.255.0.3"]["description"]!));
        Assert.Equal(("Established", 3723L, 0L), ((string)peers["192.0.2.9"]["state"]!, (long)peers["192.0.2.9"]["uptime"]!, (long)peers["192.0.2.9"]["accepted_prefixes"]!));

        var (protocols, total) = await RoutesAsync("nokia_sros", SrOsRoutes);
        Assert.Equal((2L, 4L, 118L, 12L, 136L), (protocols["static"], protocols["connected"], protocols["bgp"], protocols["isis"], total));
    }

    [Fact]
    public async Task ASA_getters_read_its_show_commands_with_the_IOS_tables_it_shares()
    {
        var facts = await FactsAsync("cisco_asa", AsaFacts);
        Assert.Equal(("Cisco", "ASA5516", "JAD2123456X", "9.8(4)32", "45 days 6 hours", "dc-fw1"),
            (facts["vendor"], facts["model"], facts["serial_number"], facts["os_version"], facts["uptime"], facts["hostname"]));

        var interfaces = await InterfacesAsync("cisco_asa", AsaInterfaces);
        Assert.Equal((true, true, "203.0.113.2"), State(interfaces["GigabitEthernet1/1"]));
        Assert.Equal((true, false, "10.0.0.1"), State(interfaces["GigabitEthernet1/2"]));
        Assert.Equal((false, false, ""), State(interfaces["GigabitEthernet1/3"]));

        var arp = await ArpAsync("cisco_asa", AsaArp);
        Assert.Equal([("outside", "0000.0c9f.f001", "203.0.113.1", "12"), ("inside", "a0b3.cc12.3456", "10.0.0.25", "3600"), ("inside", "0050.56a1.0001", "10.0.0.1", "-")],
            arp.Select(a => (a["interface"], a["mac"], a["ip"], a["age"])));

        var peers = await BgpAsync("cisco_asa", AsaBgp);
        Assert.Equal((64496L, 65010L, "Established", 1987200L, 4L), ((long)peers["203.0.113.1"]["remote_as"]!, (long)peers["203.0.113.1"]["local_as"]!,
            (string)peers["203.0.113.1"]["state"]!, (long)peers["203.0.113.1"]["uptime"]!, (long)peers["203.0.113.1"]["accepted_prefixes"]!));
        Assert.Equal(("Idle", false), ((string)peers["10.0.0.2"]["state"]!, (bool)peers["10.0.0.2"]["is_up"]!));

        var (protocols, total) = await RoutesAsync("cisco_asa", AsaRoutes);
        Assert.Equal((3L, 1L, 4L, 8L), (protocols["connected"], protocols["static"], protocols["bgp"], total));
        Assert.Null(DeviceGetters.CommandFor("cisco_asa", DeviceGetters.LldpNeighbors));
    }

    [Fact]
    public async Task RouterOS_getters_read_its_print_commands_flags_and_wrapped_neighbour_entries()
    {
        var facts = await FactsAsync("mikrotik_routeros", RouterOsFacts);
        Assert.Equal(("MikroTik", "RB4011iGS+", "7.11.2", "12w3d7h41m2s"), (facts["vendor"], facts["model"], facts["os_version"], facts["uptime"]));

        var interfaces = await InterfacesAsync("mikrotik_routeros", RouterOsInterfaces);
        Assert.Equal(["bridge1", "ether1", "ether2", "ether3"], interfaces.Keys.Order());
        Assert.Equal((true, true, ""), State(interfaces["ether1"]));
        Assert.Equal((false, false, ""), State(interfaces["ether2"]));
        Assert.Equal((true, false, ""), State(interfaces["ether3"]));
        Assert.Equal((true, true, ""), State(interfaces["bridge1"]));

        var arp = await ArpAsync("mikrotik_routeros", RouterOsArp);
        Assert.Equal([("bridge1", "4C:5E:0C:AA:BB:CC", "10.0.0.254"), ("bridge1", "", "10.0.0.77"), ("ether3", "00:0C:42:12:34:56", "10.0.0.2")],
            arp.Select(a => (a["interface"], a["mac"], a["ip"])));

        // A narrow terminal wraps an entry; identity and description with spaces are quoted.
        var lldp = await LldpAsync("mikrotik_routeros", RouterOsLldp);
        Assert.Equal(["ether1", "ether3"], lldp.Keys.Order());
        Assert.Equal(("core switch 1", "bridge/ether5", "10.0.0.254", "4C:5E:0C:AA:BB:CC", "MikroTik RouterOS 7.11.2 (stable) CRS326"),
            (lldp["ether1"][0]["hostname"], lldp["ether1"][0]["port"], lldp["ether1"][0]["management_address"], lldp["ether1"][0]["chassis_id"], lldp["ether1"][0]["system_description"]));
        Assert.Equal(("ap-lobby", "ether1", ""), (lldp["ether3"][0]["hostname"], lldp["ether3"][0]["port"], lldp["ether3"][0]["system_description"]));
        Assert.Null(DeviceGetters.CommandFor("mikrotik_routeros", DeviceGetters.BgpNeighbors));
    }
}
