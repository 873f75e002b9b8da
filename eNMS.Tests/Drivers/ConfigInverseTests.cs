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
}
