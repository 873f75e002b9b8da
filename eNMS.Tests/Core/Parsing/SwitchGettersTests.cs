using eNMS.Core.Parsing;
using eNMS.Tests.TestSupport;

namespace eNMS.Tests.Core.Parsing;

/// <summary>The getters on the switch platforms (Huawei VRP, HPE Comware, ProCurve, AOS-CX, Dell OS10, EXOS, EdgeSwitch)
/// on outputs written after each vendor's documented format: the command each getter sends, eNMS's template found by the
/// index for it, and the common shape, with the rows that trip parsers (a port shut down or merely without link, no
/// address, a neighbour without a system name or with a MAC for a port, a VLAN on a second line, a static entry with no
/// port). The same outputs go through Google's TextFSM in <see cref="TextFsmDifferentialTests"/>.</summary>
public sealed class SwitchGettersTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;

    internal const string VrpVersion = """
        Huawei Versatile Routing Platform Software
        VRP (R) software, Version 5.170 (S5720 V200R011C10SPC500)
        Copyright (C) 2000-2018 HUAWEI TECH Co., Ltd.
        HUAWEI S5720-28X-SI-AC Routing Switch uptime is 12 weeks, 3 days, 4 hours, 31 minutes

        ES5D2T28S005 0(Master) : uptime is 12 weeks, 3 days, 4 hours, 30 minutes
        DDR             Memory Size : 512   M bytes
        FLASH Total     Memory Size : 512   M bytes
        FLASH Available Memory Size : 283   M bytes
        Pcb           Version   : VER B
        BootROM       Version   : 020a.0001
        BootLoad      Version   : 020a.0001
        CPLD          Version   : 0109
        Software      Version   : VRP (R) Software, Version 5.170 (V200R011C10SPC500)
        FLASH         Version   : 0000.0000

        """;

    internal const string VrpInterfaces = """
        *down: administratively down
        ^down: standby
        (l): loopback
        (s): spoofing
        (E): E-Trunk down
        The number of interface that is UP in Physical is 3
        The number of interface that is DOWN in Physical is 2
        The number of interface that is UP in Protocol is 3
        The number of interface that is DOWN in Protocol is 2

        Interface                         IP Address/Mask      Physical   Protocol
        LoopBack0                         10.0.0.1/32          up         up(s)
        MEth0/0/1                         192.168.1.253/24     up         up
        NULL0                             unassigned           up         up(s)
        Vlanif10                          10.1.10.1/24         down       down
        Vlanif20                          unassigned           *down      down

        """;

    internal const string VrpArp = """
        IP ADDRESS      MAC ADDRESS     EXPIRE(M) TYPE        INTERFACE   VPN-INSTANCE
                                                  VLAN
        ------------------------------------------------------------------------------
        10.1.10.1       4c1f-cc12-3401            I -         Vlanif10
        10.1.10.25      00e0-fc09-a1b2  17        D-0         GE0/0/3
                                                  10
        192.168.1.253   4c1f-cc12-3400            I -         MEth0/0/1
        192.168.1.1     3c8c-4034-5e01  5         D-0         MEth0/0/1
        10.9.9.9        0011-2233-4455            S--         Vlanif10    blue
        ------------------------------------------------------------------------------
        Total:5         Dynamic:2       Static:1     Interface:2

        """;

    internal const string VrpLldp = """
        Local Intf       Neighbor Dev             Neighbor Intf             Exptime(s)
        GE0/0/1          core-sw1                 GE1/0/12                  112
        GE0/0/2          ap-floor2                0c:37:96:aa:bb:cc         98
        XGE0/0/1         core-sw2                 XGE1/0/1                  104

        """;

    internal const string ComwareVersion = """
        H3C Comware Software, Version 7.1.070, Release 6615P01
        Copyright (c) 2004-2021 New H3C Technologies Co., Ltd. All rights reserved.
        H3C S6520X-30QC-EI uptime is 0 weeks, 5 days, 1 hour, 22 minutes
        Last reboot reason : Cold reboot

        Boot image: flash:/S6520X-CMW710-BOOT-R6615P01.bin
        Boot image version: 7.1.070, Release 6615P01
          Compiled Apr 20 2021 11:00:00
        System image: flash:/S6520X-CMW710-SYSTEM-R6615P01.bin
        System image version: 7.1.070, Release 6615P01
          Compiled Apr 20 2021 11:00:00

        Slot 1:
        Uptime is 0 weeks,5 days,1 hours,22 minutes
        S6520X-30QC-EI with 2 Processors
        BOARD TYPE:         S6520X-30QC-EI
        DRAM:               2048M bytes

        """;

    internal const string ComwareInterfaces = """
        Brief information on interfaces in route mode:
        Link: ADM - administratively down; Stby - standby
        Protocol: (s) - spoofing
        Interface            Link Protocol Primary IP      Description
        InLoop0              UP   UP(s)    --
        Loop0                UP   UP(s)    10.0.0.2
        M-GE0/0/0            UP   UP       192.168.10.5    out-of-band management
        NULL0                UP   UP(s)    --
        Vlan10               DOWN DOWN     10.1.10.1
        Vlan20               ADM  DOWN     --

        Brief information on interfaces in bridge mode:
        Link: ADM - administratively down; Stby - standby
        Speed: (a) - auto
        Duplex: (a)/A - auto; H - half; F - full
        Type: A - access; T - trunk; H - hybrid
        Interface            Link Speed   Duplex Type PVID Description
        GE1/0/1              UP   1G(a)   F(a)   T    1    uplink to core
        GE1/0/2              DOWN auto    A      A    10
        GE1/0/3              ADM  auto    A      A    1

        """;

    internal const string ComwareArp = """
          Type: S-Static   D-Dynamic   O-Openflow   R-Rule   M-Multiport  I-Invalid
        IP address      MAC address    VLAN/VSI name Interface                Aging Type
        10.1.10.20      0cda-41b5-cf09 10            GE1/0/2                  17    D
        192.168.10.1    3822-d6aa-0001 N/A           M-GE0/0/0                9     D
        10.1.10.99      00e0-fc00-0099 10            GE1/0/1                  N/A   S

        """;

    internal const string ComwareLldp = """
        Chassis ID : * -- -- Nearest nontpmr bridge neighbor
                     # -- -- Nearest customer bridge neighbor
                     Default -- -- Nearest bridge neighbor
        System Name               Local Interface Chassis ID      Port ID
        core-sw1                  GE1/0/1         3822-d666-1c11  GigabitEthernet1/0/48
        Floor 2 AP                GE1/0/5         0c37-96aa-bbcc  0c37-96aa-bbcc

        """;

    internal const string ProcurveSystem = """

         Status and Counters - General System Information

          System Name        : bldg2-floor3-sw
          System Contact     : noc@example.net
          System Location    : Building 2, floor 3, IDF

          MAC Age Time (sec) : 300

          Time Zone          : 60
          Daylight Time Rule : Continental-US-and-Canada

          Software revision  : WB.16.10.0012        Base MAC Addr      : 9457a5-112200
          ROM Version        : WB.16.03             Serial Number      : SG71JP0123

          Up Time            : 147 days             Memory   - Total   : 340,631,552
          CPU Util (%)       : 2                               Free    : 229,005,776

          IP Mgmt  - Pkts Rx : 18,332,108           Packet   - Total   : 6600
                     Pkts Tx : 4,203,650            Buffers    Free    : 4962
                                                               Lowest  : 4822
                                                               Missed  : 0

        """;

    internal const string ProcurveInterfaces = """

         Status and Counters - Port Status

                                  | Intrusion                           MDI   Flow  Bcast
          Port         Type       | Alert     Enabled Status Mode       Mode  Ctrl  Limit
          ------------ ---------- + --------- ------- ------ ---------- ----- ----- ------
          1            100/1000T  | No        Yes     Up     1000FDx    MDIX  off   0
          2            100/1000T  | No        Yes     Down   1000FDx    Auto  off   0
          3            100/1000T  | No        No      Down   1000FDx    Auto  off   0
          23-Trk1      SFP+SR     | No        Yes     Up     10GigFD    NA    off   0
          24-Trk1      SFP+SR     | No        Yes     Up     10GigFD    NA    off   0

        """;

    internal const string ProcurveArp = """

         IP ARP table

          IP Address       MAC Address       Type    Port
          ---------------  ----------------- ------- ----
          10.20.30.1       00000c-07ac01     dynamic Trk1
          10.20.30.41      3c2af4-8e1b20     dynamic 2
          10.20.30.99      001122-334455     static

        """;

    internal const string ProcurveLldp = """

         LLDP Remote Devices Information

          LocalPort | ChassisId                 PortId PortDescr SysName
          --------- + ------------------------- ------ --------- ----------------------
          1         | 10.20.30.77               00 0b 82 4f 1a 2c eth0
          23        | 9c dc 71 00 12 00         49     49        core-a
          24        | 9c dc 71 00 13 00         49     49        core-b.campus.exam...

        """;

    internal const string AoscxSystem = """
        Hostname                        : access-6300-01
        System Description              : FL.10.13.1005
        System Contact                  :
        System Location                 :
        Vendor                          : Aruba
        Product Name                    : JL659A 6300M 48SR5 CL6 PoE 4SFP56 Swch
        Chassis Serial Nbr              : SG0AK1234X
        Base MAC Address                : 9c8cd8-7a1b00
        ArubaOS-CX Version              : FL.10.13.1005

        Time Zone                       : America/New_York

        Up Time                         : 3 weeks, 6 days, 22 hours, 14 minutes
        CPU Util (%)                    : 4
        CPU Util (%) [1 minute avg]     : 4
        CPU Util (%) [5 minutes avg]    : 5
        Memory Usage (%)                : 19

        """;

    internal const string AoscxInterfaces = """
        --------------------------------------------------------------------------------------------------------------
        Port       Native  Mode   Type           Enabled Status  Reason                  Speed    Description
                   VLAN                                                                  (Mb/s)
        --------------------------------------------------------------------------------------------------------------
        1/1/1      10      access 1GbT           yes     up                              1000     Printer 3rd floor
        1/1/2      10      access 1GbT           yes     down    Waiting for link        --       --
        1/1/3      1       access 1GbT           no      down    Administratively down   --       --
        1/1/49     1       trunk  SFP+DAC3       yes     up                              10000    uplink core-a
        lag1       1       trunk  --             yes     up                              20000    --

        """;

    internal const string AoscxArp = """

        IPv4 Address     MAC                Port         Physical Port                                      State     VRF
        -----------------------------------------------------------------------------------------------------------------
        10.10.0.1        00:00:5e:00:01:0a  vlan10       lag1                                               reachable default
        10.10.0.57       ec:b1:d7:44:10:2e  vlan10       1/1/1                                              stale     default
        172.16.0.1       88:3a:30:9b:00:01  mgmt         mgmt                                               reachable mgmt

        Total Number Of ARP Entries Listed: 3.
        -----------------------------------------------------------------------------------------------------------------

        """;

    internal const string AoscxLldp = """

        LLDP Neighbor Information
        =========================

        Total Neighbor Entries          : 3
        Total Neighbor Entries Deleted  : 0
        Total Neighbor Entries Dropped  : 0
        Total Neighbor Entries Aged-Out : 0

        LOCAL-PORT  CHASSIS-ID         PORT-ID                     PORT-DESC                   TTL     SYS-NAME
        ----------------------------------------------------------------------------------------------------------------
        1/1/1       ec:b1:d7:44:10:2e  ec:b1:d7:44:10:2e                                       120
        1/1/49      88:3a:30:9b:00:00  1/1/1                       GigabitEthernet 1/1/1       120     core-a
        1/1/50      88:3a:30:9b:10:00  1/1/1                       1/1/1                       120     core-b

        """;

    internal const string Os10Version = """
        Dell SmartFabric OS10 Enterprise
        Copyright (c) 1999-2023 by Dell Inc. All Rights Reserved.
        OS Version: 10.5.5.4
        Build Version: 10.5.5.4.161
        Build Time: 2023-06-28T17:14:02+0000
        System Type: S5248F-ON
        Architecture: x86_64
        Up Time: 5 weeks 3 days 01:17:42

        """;

    internal const string Os10Interfaces = """
        Interface Name            IP-Address          OK       Method       Status     Protocol
        =========================================================================================
        Ethernet 1/1/1            10.1.1.1/31         YES      manual       up         up
        Ethernet 1/1/2            unassigned          NO       unset        up         down
        Ethernet 1/1/3            unassigned          NO       unset        admin down down
        Management 1/1/1          10.16.148.150/16    YES      manual       up         up
        Vlan 1                    unassigned          NO       unset        up         up
        Loopback 0                10.0.0.11/32        YES      manual       up         up

        """;

    internal const string Os10Arp = """
        Address          Hardware address    Interface             Egress Interface
        ------------------------------------------------------------------------------
        10.1.1.0         90:b1:1c:f4:a5:23   ethernet1/1/1         ethernet1/1/1
        10.10.20.31      00:50:56:9e:11:02   vlan20                port-channel10
        10.16.128.1      00:00:5e:00:01:01   mgmt1/1/1             mgmt1/1/1

        """;

    internal const string Os10Lldp = """
        Loc PortID          Rem Host Name        Rem Port Id                      Rem Chassis Id
        ----------------------------------------------------------------------------------------
        ethernet1/1/1       spine-1              ethernet1/1/49                   90:b1:1c:f4:a5:23
        ethernet1/1/2       spine-2              ethernet1/1/49                   90:b1:1c:f4:b7:11
        ethernet1/1/20      Not Advertised       00:50:56:9e:11:02                00:50:56:9e:11:02
        mgmt1/1/1           oob-sw               Gi1/0/14                         3c:08:f6:12:aa:80

        """;

    internal const string ExosSwitch = """

        SysName:          dc1-tor-07
        SysLocation:      DC1 row 4
        SysContact:       support@extremenetworks.com, +1 888 257 3000
        System MAC:       00:04:96:9D:1F:40
        System Type:      X670-G2-48x-4q

        SysHealth check:  Enabled (Normal)
        Recovery Mode:    All
        System Watchdog:  Enabled

        Current Time:     Thu Mar  7 10:12:55 2024
        Timezone:         [Auto DST Disabled] GMT Offset: 0 minutes, name is UTC.
        Boot Time:        Mon Jan 15 08:01:12 2024
        Boot Count:       31
        Next Reboot:      None scheduled
        System UpTime:    52 days 2 hours 11 minutes 43 seconds

        Current State:    OPERATIONAL
        Image Selected:   secondary
        Image Booted:     secondary
        Primary ver:      30.7.1.1
        Secondary ver:    31.7.1.4

        Config Selected:  primary.cfg
        Config Booted:    primary.cfg

        """;

    internal const string ExosPorts = """
        Port Summary Monitor                                         Thu Mar  7 10:13:02 2024
        Port     Display              VLAN Name          Port  Link  Speed  Duplex
        #        String               (or # VLANs)       State State Actual Actual
        ==================================================================================
        1        esx-01-vmnic0        (0010)             E     A     10000  FULL
        2                             Default            E     R
        3                             Default            D     R
        49                            (0002)             E     NP
        ==================================================================================
           Port State: D-Disabled, E-Enabled, F-Disabled by link-flap detection,
                       L-Disabled due to licensing
           Link State: A-Active, R-Ready, NP-Port Not Present, L-Loopback,
                       D-ELSM enabled but not up
                       d-Ethernet OAM enabled but not up

        """;

    internal const string ExosArp = """
        VR                Destination      Mac                Age  Static  VLAN          VID   Port
        VR-Default        10.40.0.1        00:04:96:9d:1f:41    0     YES  servers       40
        VR-Default        10.40.0.21       00:50:56:a1:22:10    7      NO  servers       40    1
        VR-Default        10.40.0.22       00:50:56:a1:22:11   12      NO  servers       40    2

        Dynamic Entries  :          2             Static Entries   :          1
        Pending Entries  :          0

        In Request       :       1843             In Response      :        412
        Out Request      :        405             Out Response     :       1843

        """;

    internal const string ExosLldp = """

        LLDP Neighbor Information
        Neighbor Information Summary:
        ===============================================================================
        Port    Neighbor Chassis ID  Neighbor Port ID    TTL  Age  Neighbor System Name
        ===============================================================================
        1       00:50:56:A1:22:10    vmnic0              180   22  esx-01.dc1.example
        49      00:04:96:52:9A:00    1:50                120   14  dc1-spine-1
        50      00:04:96:52:9B:00    1:50                120   14
        ===============================================================================
        NOTE: The Chassis ID and/or Port ID might be truncated to fit the screen.

        """;

    internal const string EdgeVersion = """

        Switch: 1

        System Description............................. EdgeSwitch 48-Port 500W, 1.9.3.5162233, Linux 3.6.5-f4a26ed5, 1.0.0.4857129
        Machine Type................................... EdgeSwitch 48-Port 500W
        Machine Model.................................. ES-48-500W
        Serial Number.................................. 788A20D1C0FF
        Burned In MAC Address.......................... 78:8A:20:D1:C0:FF
        Software Version............................... 1.9.3.5162233

        """;

    internal const string EdgePorts = """

                         Admin     Physical     Physical   Link   Link    LACP   Actor
         Intf      Type  Mode      Mode         Status     Status Trap    Mode   Timeout
        --------- ------ --------- ------------ ---------- ------ ------- ------ --------
        0/1              Enable    Auto         1000 Full  Up     Enable  Enable long
        0/2              Enable    Auto                    Down   Enable  Enable long
        0/3              Disable   Auto                    Down   Enable  Enable long
        0/49             Enable    10G Full     10G Full   Up     Enable  Enable long
        3/1       LAG    Enable                            Down   Disable N/A    N/A

        """;

    internal const string EdgeArp = """

        Age Time (seconds)............................. 1200
        Response Time (seconds)........................ 1
        Retries........................................ 4
        Cache Size..................................... 896
        Dynamic Renew Mode ............................ Disable
        Total Entry Count Current / Peak .............. 2 / 5
        Static Entry Count Configured / Active / Max .. 1 / 1 / 64

        IP Address      MAC Address        Interface          Type         Age
        --------------- -----------------  -----------------  --------     -----------
        192.168.1.1     24:A4:3C:0B:12:01  0/49               Dynamic      0h 3m 12s
        192.168.1.50    F0:9F:C2:1A:00:32  0/7                Dynamic      0h 0m 41s
        192.168.1.250   00:11:22:33:44:55  0/2                Static

        """;

    internal const string EdgeLldp = """

        LLDP Remote Device Summary

        Local
        Interface RemID   Chassis ID          Port ID           System Name
        --------- ------- ------------------- ----------------- -----------------
        0/1
        0/2       4       F0:9F:C2:1A:00:32   eth0              UAP-AC-Pro-3F
        0/3
        0/49      1       24:A4:3C:0B:12:00   0/52              core-es-16-xg
        0/50      2       24:A4:3C:0B:12:00   0/51

        """;

    /// <summary>Platform, getter, the template the index must find, and the output.</summary>
    internal static readonly (string Platform, string Getter, string Template, string Output)[] Samples =
    [
        ("huawei", "facts", "huawei_display_version.textfsm", VrpVersion),
        ("huawei", "interfaces", "huawei_display_ip_interface_brief.textfsm", VrpInterfaces),
        ("huawei", "arp", "huawei_display_arp.textfsm", VrpArp),
        ("huawei", "lldp_neighbors", "huawei_display_lldp_neighbor_brief.textfsm", VrpLldp),
        ("hp_comware", "facts", "hp_comware_display_version.textfsm", ComwareVersion),
        ("hp_comware", "interfaces", "hp_comware_display_interface_brief.textfsm", ComwareInterfaces),
        ("hp_comware", "arp", "hp_comware_display_arp.textfsm", ComwareArp),
        ("hp_comware", "lldp_neighbors", "hp_comware_display_lldp_neighbor-information_list.textfsm", ComwareLldp),
        ("hp_procurve", "facts", "hp_procurve_show_system.textfsm", ProcurveSystem),
        ("hp_procurve", "interfaces", "hp_procurve_show_interfaces_brief.textfsm", ProcurveInterfaces),
        ("hp_procurve", "arp", "hp_procurve_show_arp.textfsm", ProcurveArp),
        ("hp_procurve", "lldp_neighbors", "hp_procurve_show_lldp_info_remote-device.textfsm", ProcurveLldp),
        ("aruba_aoscx", "facts", "aruba_aoscx_show_system.textfsm", AoscxSystem),
        ("aruba_aoscx", "interfaces", "aruba_aoscx_show_interface_brief.textfsm", AoscxInterfaces),
        ("aruba_aoscx", "arp", "aruba_aoscx_show_arp.textfsm", AoscxArp),
        ("aruba_aoscx", "lldp_neighbors", "aruba_aoscx_show_lldp_neighbor-info.textfsm", AoscxLldp),
        ("dell_os10", "facts", "dell_os10_show_version.textfsm", Os10Version),
        ("dell_os10", "interfaces", "dell_os10_show_ip_interface_brief.textfsm", Os10Interfaces),
        ("dell_os10", "arp", "dell_os10_show_ip_arp.textfsm", Os10Arp),
        ("dell_os10", "lldp_neighbors", "dell_os10_show_lldp_neighbors.textfsm", Os10Lldp),
        ("extreme_exos", "facts", "extreme_exos_show_switch.textfsm", ExosSwitch),
        ("extreme_exos", "interfaces", "extreme_exos_show_ports_no-refresh.textfsm", ExosPorts),
        ("extreme_exos", "arp", "extreme_exos_show_iparp.textfsm", ExosArp),
        ("extreme_exos", "lldp_neighbors", "extreme_exos_show_lldp_neighbors.textfsm", ExosLldp),
        ("ubiquiti_edge", "facts", "ubiquiti_edge_show_version.textfsm", EdgeVersion),
        ("ubiquiti_edge", "interfaces", "ubiquiti_edge_show_port_all.textfsm", EdgePorts),
        ("ubiquiti_edge", "arp", "ubiquiti_edge_show_arp.textfsm", EdgeArp),
        ("ubiquiti_edge", "lldp_neighbors", "ubiquiti_edge_show_lldp_remote-device_all.textfsm", EdgeLldp),
    ];

    /// <summary>The switch platforms (each one's getters are also tested on the lab's emulator).</summary>
    public static TheoryData<string> Platforms => new("huawei", "hp_comware", "hp_procurve", "aruba_aoscx", "dell_os10", "extreme_exos", "ubiquiti_edge");

    private readonly TestDatabase _db = new();
    private readonly ParsingLibrary _parsing;

    public SwitchGettersTests() => _parsing = new ParsingLibrary(_db, new StaticOptionsMonitor<ParsingOptions>(new ParsingOptions()));

    public void Dispose() => _db.Dispose();

    /// <summary>The output parsed as the getter does: the platform's command, the template the index finds for it.</summary>
    private async Task<T> ReadAsync<T>(string platform, string getter, string output)
    {
        var command = VendorGetterCommands.For(platform, getter) ?? throw new InvalidOperationException($"{platform} has no {getter}");
        var table = await _parsing.ParseAsync(null, platform, command, output, None);
        return (T)DeviceGetters.Normalize(getter, platform, DeviceGetters.Rows(table));
    }

    private Task<Dictionary<string, string>> FactsAsync(string platform, string output) => ReadAsync<Dictionary<string, string>>(platform, "facts", output);

    private async Task<Dictionary<string, (bool Enabled, bool Up, string Ipv4)>> InterfacesAsync(string platform, string output) =>
        (await ReadAsync<Dictionary<string, object>>(platform, "interfaces", output)).ToDictionary(i => i.Key, i =>
        {
            var state = (Dictionary<string, object>)i.Value;
            return ((bool)state["is_enabled"], (bool)state["is_up"], (string)state["ipv4"]);
        });

    private async Task<List<(string Ip, string Mac, string Interface, string Age)>> ArpAsync(string platform, string output) =>
        (await ReadAsync<List<Dictionary<string, string>>>(platform, "arp", output)).Select(e => (e["ip"], e["mac"], e["interface"], e["age"])).ToList();

    private async Task<Dictionary<string, (string Hostname, string Port, string ChassisId)>> LldpAsync(string platform, string output) =>
        (await ReadAsync<Dictionary<string, List<Dictionary<string, string>>>>(platform, DeviceGetters.LldpNeighbors, output))
            .ToDictionary(n => n.Key, n => Assert.Single(n.Value) is var x ? (x["hostname"], x["port"], x["chassis_id"]) : default);

    [Fact]
    public async Task Each_sample_is_read_with_the_template_the_index_finds_for_the_getters_command()
    {
        foreach (var (platform, getter, template, _) in Samples)
        {
            var command = VendorGetterCommands.For(platform, getter);
            Assert.NotNull(command);
            var found = await _parsing.ResolveAsync(null, platform, command, None);
            Assert.Equal(template, Assert.Single(found).Name);
        }
    }

    [Fact]
    public async Task Huawei_VRP_reads_the_release_a_shutdown_apart_from_a_link_down_and_the_VLAN_line_under_an_ARP_entry()
    {
        var facts = await FactsAsync("huawei", VrpVersion);
        Assert.Equal(("Huawei", "S5720-28X-SI-AC", "V200R011C10SPC500", "12 weeks, 3 days, 4 hours, 31 minutes"),
            (facts["vendor"], facts["model"], facts["os_version"], facts["uptime"]));

        var interfaces = await InterfacesAsync("huawei", VrpInterfaces);
        Assert.Equal((true, true, "10.0.0.1/32"), interfaces["LoopBack0"]);
        Assert.Equal((true, false, "10.1.10.1/24"), interfaces["Vlanif10"]);
        Assert.Equal((false, false, ""), interfaces["Vlanif20"]);

        var arp = await ArpAsync("huawei", VrpArp);
        Assert.Equal(5, arp.Count);
        Assert.Equal(("10.1.10.25", "00e0-fc09-a1b2", "GE0/0/3", "17"), arp[1]);
        Assert.Equal(("10.9.9.9", "Vlanif10", ""), (arp[4].Ip, arp[4].Interface, arp[4].Age));

        var lldp = await LldpAsync("huawei", VrpLldp);
        Assert.Equal(("core-sw1", "GE1/0/12", ""), lldp["GE0/0/1"]);
        Assert.Equal("0c:37:96:aa:bb:cc", lldp["GE0/0/2"].Port);
    }

    [Fact]
    public async Task Comware_reads_route_and_bridge_mode_interfaces_and_a_system_name_with_spaces()
    {
        var facts = await FactsAsync("hp_comware", ComwareVersion);
        Assert.Equal(("HPE", "H3C S6520X-30QC-EI", "7.1.070, Release 6615P01"), (facts["vendor"], facts["model"], facts["os_version"]));

        var interfaces = await InterfacesAsync("hp_comware", ComwareInterfaces);
        Assert.Equal((true, true, "192.168.10.5"), interfaces["M-GE0/0/0"]);
        Assert.Equal((true, true, ""), interfaces["NULL0"]);
        Assert.Equal((true, false, "10.1.10.1"), interfaces["Vlan10"]);
        Assert.Equal((false, false, ""), interfaces["Vlan20"]);
        Assert.Equal((true, true, ""), interfaces["GE1/0/1"]);
        Assert.Equal((true, false, ""), interfaces["GE1/0/2"]);
        Assert.Equal((false, false, ""), interfaces["GE1/0/3"]);

        var arp = await ArpAsync("hp_comware", ComwareArp);
        Assert.Equal([("10.1.10.20", "0cda-41b5-cf09", "GE1/0/2", "17"), ("192.168.10.1", "3822-d6aa-0001", "M-GE0/0/0", "9"),
            ("10.1.10.99", "00e0-fc00-0099", "GE1/0/1", "N/A")], arp);

        var lldp = await LldpAsync("hp_comware", ComwareLldp);
        Assert.Equal(("core-sw1", "GigabitEthernet1/0/48", "3822-d666-1c11"), lldp["GE1/0/1"]);
        Assert.Equal("Floor 2 AP", lldp["GE1/0/5"].Hostname);
    }

    [Fact]
    public async Task ProCurve_reads_show_system_trunk_members_and_a_neighbour_without_a_name()
    {
        var facts = await FactsAsync("hp_procurve", ProcurveSystem);
        Assert.Equal(("HPE", "bldg2-floor3-sw", "WB.16.10.0012", "SG71JP0123", "147 days", ""),
            (facts["vendor"], facts["hostname"], facts["os_version"], facts["serial_number"], facts["uptime"], facts["model"]));

        var interfaces = await InterfacesAsync("hp_procurve", ProcurveInterfaces);
        Assert.Equal((true, true, ""), interfaces["1"]);
        Assert.Equal((true, false, ""), interfaces["2"]);
        Assert.Equal((false, false, ""), interfaces["3"]);
        Assert.Equal((true, true, ""), interfaces["23"]);

        var arp = await ArpAsync("hp_procurve", ProcurveArp);
        Assert.Equal([("10.20.30.1", "00000c-07ac01", "Trk1", ""), ("10.20.30.41", "3c2af4-8e1b20", "2", ""), ("10.20.30.99", "001122-334455", "", "")], arp);

        var lldp = await LldpAsync("hp_procurve", ProcurveLldp);
        Assert.Equal(("", "00 0b 82 4f 1a 2c", "10.20.30.77"), lldp["1"]);
        Assert.Equal(("core-a", "49", "9c dc 71 00 12 00"), lldp["23"]);
        Assert.Equal("core-b.campus.exam...", lldp["24"].Hostname);
    }

    [Fact]
    public async Task AOS_CX_reads_show_system_a_reason_in_several_words_and_a_port_description_with_spaces()
    {
        var facts = await FactsAsync("aruba_aoscx", AoscxSystem);
        Assert.Equal(("HPE Aruba", "access-6300-01", "JL659A 6300M 48SR5 CL6 PoE 4SFP56 Swch", "SG0AK1234X", "FL.10.13.1005"),
            (facts["vendor"], facts["hostname"], facts["model"], facts["serial_number"], facts["os_version"]));

        var interfaces = await InterfacesAsync("aruba_aoscx", AoscxInterfaces);
        Assert.Equal((true, true, ""), interfaces["1/1/1"]);
        Assert.Equal((true, false, ""), interfaces["1/1/2"]);
        Assert.Equal((false, false, ""), interfaces["1/1/3"]);
        Assert.Equal((true, true, ""), interfaces["lag1"]);

        var arp = await ArpAsync("aruba_aoscx", AoscxArp);
        Assert.Equal(("10.10.0.1", "00:00:5e:00:01:0a", "vlan10"), (arp[0].Ip, arp[0].Mac, arp[0].Interface));
        Assert.Equal(("172.16.0.1", "mgmt"), (arp[2].Ip, arp[2].Interface));

        var lldp = await LldpAsync("aruba_aoscx", AoscxLldp);
        Assert.Equal(("", "ec:b1:d7:44:10:2e", "ec:b1:d7:44:10:2e"), lldp["1/1/1"]);
        Assert.Equal(("core-a", "1/1/1", "88:3a:30:9b:00:00"), lldp["1/1/49"]);
    }

    [Fact]
    public async Task OS10_reads_interface_names_with_a_space_admin_down_and_a_host_name_not_advertised()
    {
        var facts = await FactsAsync("dell_os10", Os10Version);
        Assert.Equal(("Dell", "S5248F-ON", "10.5.5.4", "5 weeks 3 days 01:17:42"), (facts["vendor"], facts["model"], facts["os_version"], facts["uptime"]));

        var interfaces = await InterfacesAsync("dell_os10", Os10Interfaces);
        Assert.Equal((true, true, "10.1.1.1/31"), interfaces["Ethernet 1/1/1"]);
        Assert.Equal((true, false, ""), interfaces["Ethernet 1/1/2"]);
        Assert.Equal((false, false, ""), interfaces["Ethernet 1/1/3"]);
        Assert.Equal((true, true, "10.16.148.150/16"), interfaces["Management 1/1/1"]);

        var arp = await ArpAsync("dell_os10", Os10Arp);
        Assert.Equal(("10.10.20.31", "00:50:56:9e:11:02", "vlan20"), (arp[1].Ip, arp[1].Mac, arp[1].Interface));

        var lldp = await LldpAsync("dell_os10", Os10Lldp);
        Assert.Equal(("spine-1", "ethernet1/1/49", "90:b1:1c:f4:a5:23"), lldp["ethernet1/1/1"]);
        Assert.Equal(("", "00:50:56:9e:11:02"), (lldp["ethernet1/1/20"].Hostname, lldp["ethernet1/1/20"].Port));
    }

    [Fact]
    public async Task EXOS_reads_the_booted_images_version_port_and_link_states_and_a_static_entry_without_port()
    {
        var facts = await FactsAsync("extreme_exos", ExosSwitch);
        // Booted from the secondary image: its version, not the primary's.
        Assert.Equal(("Extreme", "dc1-tor-07", "X670-G2-48x-4q", "31.7.1.4"), (facts["vendor"], facts["hostname"], facts["model"], facts["os_version"]));

        var interfaces = await InterfacesAsync("extreme_exos", ExosPorts);
        Assert.Equal((true, true, ""), interfaces["1"]);
        Assert.Equal((true, false, ""), interfaces["2"]);
        Assert.Equal((false, false, ""), interfaces["3"]);
        Assert.Equal((true, false, ""), interfaces["49"]);

        var arp = await ArpAsync("extreme_exos", ExosArp);
        Assert.Equal([("10.40.0.1", "00:04:96:9d:1f:41", "", "0"), ("10.40.0.21", "00:50:56:a1:22:10", "1", "7"), ("10.40.0.22", "00:50:56:a1:22:11", "2", "12")], arp);

        var lldp = await LldpAsync("extreme_exos", ExosLldp);
        Assert.Equal(("esx-01.dc1.example", "vmnic0", "00:50:56:A1:22:10"), lldp["1"]);
        Assert.Equal(("", "1:50"), (lldp["50"].Hostname, lldp["50"].Port));
    }

    [Fact]
    public async Task EdgeSwitch_reads_admin_mode_a_LAG_without_mode_and_skips_ports_without_neighbour()
    {
        var facts = await FactsAsync("ubiquiti_edge", EdgeVersion);
        Assert.Equal(("Ubiquiti", "ES-48-500W", "788A20D1C0FF", "1.9.3.5162233"), (facts["vendor"], facts["model"], facts["serial_number"], facts["os_version"]));

        var interfaces = await InterfacesAsync("ubiquiti_edge", EdgePorts);
        Assert.Equal((true, true, ""), interfaces["0/1"]);
        Assert.Equal((true, false, ""), interfaces["0/2"]);
        Assert.Equal((false, false, ""), interfaces["0/3"]);
        Assert.Equal((true, true, ""), interfaces["0/49"]);
        Assert.Equal((true, false, ""), interfaces["3/1"]);

        var arp = await ArpAsync("ubiquiti_edge", EdgeArp);
        Assert.Equal([("192.168.1.1", "24:A4:3C:0B:12:01", "0/49", "0h 3m 12s"), ("192.168.1.50", "F0:9F:C2:1A:00:32", "0/7", "0h 0m 41s"),
            ("192.168.1.250", "00:11:22:33:44:55", "0/2", "")], arp);

        var lldp = await LldpAsync("ubiquiti_edge", EdgeLldp);
        Assert.Equal(["0/2", "0/49", "0/50"], lldp.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(("core-es-16-xg", "0/52", "24:A4:3C:0B:12:00"), lldp["0/49"]);
        Assert.Equal("", lldp["0/50"].Hostname);
    }

    [Theory]
    [MemberData(nameof(Platforms))]
    public void The_switch_platforms_have_no_CDP_BGP_or_routes_command(string platform)
    {
        Assert.True(VendorGetterCommands.Covers(platform));
        Assert.All(new[] { DeviceGetters.CdpNeighbors, DeviceGetters.BgpNeighbors, DeviceGetters.RoutesSummary },
            getter => Assert.Null(VendorGetterCommands.For(platform, getter)));
    }
}
