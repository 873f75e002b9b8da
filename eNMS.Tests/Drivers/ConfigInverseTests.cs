using eNMS.Drivers.Config;
using eNMS.Drivers.Platforms.Profiles;

namespace eNMS.Tests.Drivers;

/// <summary>The inverse changes a revert sends where the platform cannot replace its configuration.</summary>
public class ConfigInverseTests
{
    private static readonly CliNegation Asa = PlatformProfiles.CiscoAsa.Negation!;

    private const string Snapshot = """
        : Saved
        ASA Version 9.16(4)
        hostname fw1
        interface GigabitEthernet0/1
         description uplink
         shutdown
         ip address 192.0.2.1 255.255.255.0
        interface GigabitEthernet0/2
         nameif dmz
         security-level 50
        access-list outside_in extended permit tcp any host 192.0.2.80 eq 443
        access-list outside_in extended permit tcp any host 192.0.2.80 eq 80
        logging host management 192.0.2.50
        : end
        """;

    private const string Changed = """
        : Saved
        ASA Version 9.16(4)
        hostname fw2
        interface GigabitEthernet0/1
         description changed
         no shutdown
         ip address 192.0.2.9 255.255.255.0
        interface GigabitEthernet0/2
         nameif dmz
         security-level 50
         speed 100
        interface GigabitEthernet0/3
         description new port
        interface GigabitEthernet0/1.10
         vlan 10
        object network db
         host 192.0.2.90
        access-list outside_in extended permit tcp any host 192.0.2.80 eq 443
        access-list outside_in extended permit tcp any host 192.0.2.81 eq 22
        access-list outside_in extended permit tcp any host 192.0.2.80 eq 80
        : end
        """;

    private static IReadOnlyList<string> Inverse(string current, string target, CliNegation? negation = null) =>
        ConfigInverse.Commands(ConfigInverse.Parse(current, negation ?? Asa), ConfigInverse.Parse(target, negation ?? Asa), negation ?? Asa);

    [Fact]
    public void Added_lines_are_negated_last_first_removed_lines_typed_back_under_their_section_and_changed_values_replaced()
    {
        Assert.Equal(
        [
            "no access-list outside_in extended permit tcp any host 192.0.2.81 eq 22",
            "no object network db",
            "no interface GigabitEthernet0/1.10",
            // A physical port cannot be removed: its settings are negated, "description" in its documented bare form.
            "interface GigabitEthernet0/3", "no description", "exit",
            // The old hostname, description and address replace the new ones: no "no hostname" (which would rename
            // the prompt), "no shutdown" goes by typing "shutdown" back.
            "hostname fw1",
            "interface GigabitEthernet0/1", "description uplink", "exit",
            "interface GigabitEthernet0/1", "shutdown", "exit",
            "interface GigabitEthernet0/1", "ip address 192.0.2.1 255.255.255.0", "exit",
            "interface GigabitEthernet0/2", "no speed", "exit",
            "logging host management 192.0.2.50",
        ], Inverse(Changed, Snapshot));
    }

    [Fact]
    public void Equal_configurations_need_no_line_and_the_noise_is_not_configuration()
    {
        Assert.Empty(Inverse(Snapshot, Snapshot.Replace(": Saved\n", ": Saved\n: Serial Number: X\n", StringComparison.Ordinal)));
        Assert.Equal("", ConfigInverse.Residual(ConfigInverse.Parse(Snapshot, Asa), ConfigInverse.Parse(Snapshot, Asa)));
    }

    [Fact]
    public void A_negation_the_snapshot_holds_is_typed_once_and_a_secondary_address_is_negated_whole()
    {
        var commands = Inverse(
            "interface Vlan10\n shutdown\n ip address 10.0.0.1 255.255.255.0\n ip address 10.0.1.1 255.255.255.0 secondary\n",
            "interface Vlan10\n no shutdown\n ip address 10.0.0.1 255.255.255.0\n", new CliNegation());

        Assert.Equal(["interface Vlan10", "no ip address 10.0.1.1 255.255.255.0 secondary", "exit",
            "interface Vlan10", "no shutdown", "exit"], commands);
    }

    [Fact]
    public void A_residual_names_what_differs_and_an_access_list_in_another_order()
    {
        var before = ConfigInverse.Parse("access-list a extended permit ip any host 1.1.1.1\naccess-list a extended deny ip any any\nlogging on\n", Asa);
        var now = ConfigInverse.Parse("access-list a extended deny ip any any\naccess-list a extended permit ip any host 1.1.1.1\n", Asa);

        var residual = ConfigInverse.Residual(now, before);

        Assert.Contains("+ logging on", residual, StringComparison.Ordinal);
        Assert.Contains("~ access-list a: its entries are in another order than before", residual, StringComparison.Ordinal);
    }

    // Huawei VRP's display current-configuration: "#" closes each section, global settings indented by one space.
    private const string VrpBefore = """
        !Software Version V200R010C00SPC600
        !Last configuration was updated at 2026-11-25 11:00:00+00:00 by admin
        #
         sysname R1
        #
        vlan 10
         description users
        #
        interface GigabitEthernet0/0/0
         description mgmt
         ip address 192.0.2.1 255.255.255.0
        #
        interface GigabitEthernet0/0/1
         shutdown
        #
         ip route-static 198.18.0.0 255.254.0.0 192.0.2.254
        #
        return
        """;

    private const string VrpChanged = """
        !Software Version V200R010C00SPC600
        !Last configuration was updated at 2026-11-25 11:05:00+00:00 by admin
        #
         sysname R2
        #
        vlan 10
         description servers
        #
        vlan 20
        #
        interface GigabitEthernet0/0/0
         description mgmt
         ip address 192.0.2.1 255.255.255.0
         ip address 192.0.2.9 255.255.255.0 sub
        #
        interface GigabitEthernet0/0/1
         description spare
        #
        interface GigabitEthernet0/0/2
         description new
        #
        interface Vlanif20
         ip address 10.20.0.1 255.255.255.0
        #
         ip route-static 198.18.0.0 255.254.0.0 192.0.2.254
         ntp-service unicast-server 192.0.2.123
        #
        return
        """;

    [Fact]
    public void Vrp_sections_end_at_their_hash_line_so_a_global_setting_after_one_is_not_its_child()
    {
        var tree = ConfigInverse.Parse(VrpBefore, PlatformProfiles.Huawei.Negation!);

        Assert.Equal(["sysname R1", "vlan 10", "interface GigabitEthernet0/0/0", "interface GigabitEthernet0/0/1",
            "ip route-static 198.18.0.0 255.254.0.0 192.0.2.254"], tree.Select(n => n.Line));
        Assert.Equal(["shutdown"], tree[3].Children.Select(n => n.Line));
    }

    [Fact]
    public void Vrp_lines_are_undone_with_undo_and_quit_a_physical_port_emptied_and_a_vlanif_and_vlan_removed()
    {
        var vrp = PlatformProfiles.Huawei.Negation!;

        Assert.Equal(
        [
            "undo ntp-service unicast-server 192.0.2.123",
            "undo interface Vlanif20",
            "interface GigabitEthernet0/0/2", "undo description", "quit",
            "undo vlan 20",
            // The old sysname and VLAN description replace the new ones; a "sub" address goes whole, the primary stays.
            "sysname R1",
            "vlan 10", "description users", "quit",
            "interface GigabitEthernet0/0/0", "undo ip address 192.0.2.9 255.255.255.0 sub", "quit",
            "interface GigabitEthernet0/0/1", "undo description", "quit",
            "interface GigabitEthernet0/0/1", "shutdown", "quit",
        ], Inverse(VrpChanged, VrpBefore, vrp));
        Assert.Empty(Inverse(VrpBefore, VrpBefore.Replace("11:00:00", "12:00:00", StringComparison.Ordinal), vrp));
    }

    [Fact]
    public void Comware_shutdown_goes_by_undo_shutdown_its_version_line_is_not_configuration_and_vlan_interfaces_are_removed()
    {
        var comware = PlatformProfiles.HpComware.Negation!;
        const string before = """
            #
             version 7.1.064, Release 0821P11
            #
             sysname sw1
            #
            vlan 1
            #
            interface Vlan-interface1
             ip address 192.0.2.1 255.255.255.0
            #
            interface GigabitEthernet1/0/1
             port link-mode route
             description uplink
            #
            return
            """;
        const string changed = """
            #
             version 7.1.070, Release 0832
            #
             sysname sw1
            #
            vlan 1
            #
            vlan 30
             name voice
            #
            interface Vlan-interface1
             ip address 192.0.2.1 255.255.255.0
            #
            interface Vlan-interface30
             ip address 10.30.0.1 255.255.255.0
            #
            interface GigabitEthernet1/0/1
             port link-mode route
             description uplink
             shutdown
            #
            return
            """;

        Assert.Equal(["undo interface Vlan-interface30", "undo vlan 30",
            "interface GigabitEthernet1/0/1", "undo shutdown", "quit"], Inverse(changed, before, comware));
        // Typed back, a shutdown the snapshot held; "undo name" in its bare form on a VLAN kept.
        Assert.Equal(["vlan 30", "undo name", "quit", "interface GigabitEthernet1/0/1", "shutdown", "quit"],
            Inverse(before.Replace("vlan 1\n", "vlan 1\n#\nvlan 30\n name voice\n", StringComparison.Ordinal),
                changed.Replace("interface Vlan-interface30\n ip address 10.30.0.1 255.255.255.0\n#\n", "", StringComparison.Ordinal)
                    .Replace(" name voice\n", "", StringComparison.Ordinal), comware));
    }

    [Fact]
    public void Aoscx_ports_and_its_management_interface_are_emptied_while_vlans_and_vlan_interfaces_are_removed()
    {
        var aoscx = PlatformProfiles.ArubaAoscx.Negation!;
        const string before = """
            !
            !Version ArubaOS-CX GL.10.10.1010
            !export-password: default
            hostname sw1
            interface mgmt
                no shutdown
                ip static 192.0.2.1/24
            interface 1/1/1
                description uplink
                no shutdown
            interface 1/1/2
                shutdown
            ip route 198.18.0.0/15 192.0.2.254
            """;
        const string changed = """
            !
            !Version ArubaOS-CX GL.10.10.1010
            !export-password: default
            hostname sw1
            vlan 20
                name servers
            interface mgmt
                no shutdown
                ip static 192.0.2.1/24
                ip dns server-address 192.0.2.53
            interface 1/1/1
                description core
                no shutdown
            interface 1/1/2
                no shutdown
            interface 1/1/3
                description new
            interface vlan20
                ip address 10.20.0.1/24
            """;

        Assert.Equal(
        [
            "no interface vlan20",
            "interface 1/1/3", "no description", "exit",
            "no vlan 20",
            "interface mgmt", "no ip dns server-address 192.0.2.53", "exit",
            "interface 1/1/1", "description uplink", "exit",
            "interface 1/1/2", "shutdown", "exit",
            "ip route 198.18.0.0/15 192.0.2.254",
        ], Inverse(changed, before, aoscx));
    }

    [Fact]
    public void Os10_ethernet_ports_are_emptied_and_vlan_interfaces_removed()
    {
        var os10 = PlatformProfiles.DellOs10.Negation!;
        const string before = """
            ! Version 10.5.2.3
            ! Last configuration change at Nov  25 11:00:00 2026
            !
            hostname os10
            !
            interface ethernet1/1/1
             description uplink
             no shutdown
            !
            interface mgmt1/1/1
             ip address 192.0.2.1/24
            """;
        const string changed = """
            ! Version 10.5.2.3
            ! Last configuration change at Nov  25 11:03:00 2026
            !
            hostname os10
            !
            interface ethernet1/1/1
             description changed
             no shutdown
             mtu 9216
            !
            interface ethernet1/1/5
             description new
            !
            interface vlan20
             ip address 10.20.0.1/24
            !
            interface mgmt1/1/1
             ip address 192.0.2.1/24
            """;

        Assert.Equal(["no interface vlan20", "interface ethernet1/1/5", "no description", "exit",
            "interface ethernet1/1/1", "no mtu 9216", "exit", "interface ethernet1/1/1", "description uplink", "exit"],
            Inverse(changed, before, os10));
    }

    [Fact]
    public void Edgeswitch_sections_closed_by_exit_hold_their_unindented_lines()
    {
        var edge = PlatformProfiles.UbiquitiEdge.Negation!;
        const string before = """
            !Current Configuration:
            !
            network protocol none
            vlan database
            exit
            configure
            hostname "edge1"
            ip route 198.18.0.0 255.254.0.0 192.0.2.254
            line console
            exit
            !
            interface 0/1
            description 'uplink'
            exit

            interface 0/2
            shutdown
            exit

            exit
            """;
        const string changed = """
            !Current Configuration:
            !
            network protocol none
            vlan database
            exit
            configure
            hostname "edge1"
            logging host 192.0.2.50
            line console
            exit
            !
            interface 0/1
            description 'core'
            exit

            interface 0/2
            exit

            interface 0/3
            description 'new'
            exit

            exit
            """;

        Assert.Equal(
        [
            "interface 0/3", "no description", "exit",
            "no logging host 192.0.2.50",
            "ip route 198.18.0.0 255.254.0.0 192.0.2.254",
            "interface 0/1", "description 'uplink'", "exit",
            "interface 0/2", "shutdown", "exit",
        ], Inverse(changed, before, edge));
    }
}
