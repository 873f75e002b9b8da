using eNMS.Core.Discovery;
using eNMS.Core.Inventory;
using eNMS.Core.Parsing;

namespace eNMS.Tests.Core.Discovery;

/// <summary>How LLDP neighbours are read from lldpd's JSON and matched to inventory devices.</summary>
public sealed class NeighborMatcherTests
{
    private static readonly Device R1 = new() { Id = 1, Name = "R1.lab.example", Address = "10.0.0.1" };
    private static readonly Device Core = new() { Id = 2, Name = "core", Address = "10.0.0.2", CustomProperties = [new CustomProperty { Name = "mac_address", Value = "AA-BB-CC-00-11-22" }] };
    private static readonly Device EdgeA = new() { Id = 3, Name = "edge.a.example" };
    private static readonly Device EdgeB = new() { Id = 4, Name = "edge.b.example" };

    private readonly NeighborMatcher _matcher = new([R1, Core, EdgeA, EdgeB]);

    [Fact]
    public void A_neighbour_matching_nothing_or_an_ambiguous_short_name_matches_no_device()
    {
        Assert.Null(_matcher.Find("r9", "", ""));
        Assert.Null(_matcher.Find("", "", ""));
        // Two devices are "edge" without their domain: neither is guessed.
        Assert.Null(_matcher.Find("edge", "", ""));
        // An address is not shortened to its first label.
        Assert.Null(_matcher.Find("10.9.9.9", "", ""));
    }

    [Fact]
    public void Chassis_id_then_management_address_then_name_without_case_or_domain()
    {
        Assert.Same(Core, _matcher.Find("somebody-else", "aa:bb:cc:00:11:22", ""));
        Assert.Same(R1, _matcher.Find("not-its-name", "", "10.0.0.1"));
        Assert.Same(R1, _matcher.Find("r1", "", ""));
        Assert.Same(R1, _matcher.Find("R1.other.domain", "", ""));
        Assert.Same(EdgeA, _matcher.Find("EDGE.A.EXAMPLE", "", ""));
    }

    [Theory]
    [InlineData("Gi0/1", "GigabitEthernet0/1", true)]
    [InlineData("Eth1/1", "Ethernet1/1", true)]
    [InlineData("Et1", "Ethernet1", true)]
    [InlineData("eth1", "Ethernet1", false)]
    [InlineData("Gi0/1", "Gi0/2", false)]
    [InlineData("ge-0/0/0", "GE-0/0/0", true)]
    public void Interface_abbreviations_compare_equal_to_their_long_form(string a, string b, bool same) =>
        Assert.Equal(same, InterfaceNames.Same(a, b));

    [Fact]
    public void Lldpcli_json_that_is_not_json_fails_and_one_or_several_interfaces_are_read()
    {
        Assert.Throws<ParsingException>(() => DeviceGetters.LldpcliRows("-bash: lldpcli: command not found"));
        Assert.Empty(DeviceGetters.LldpcliRows("{\"lldp\": {}}"));

        const string one = """
            {"lldp": {"interface": {"eth2": {"via": "LLDP", "chassis": {"r2": {"id": {"type": "mac", "value": "26:c1:3d:63:ba:5c"},
              "mgmt-ip": ["10.255.0.12", "fe80::1"]}}, "port": {"id": {"type": "mac", "value": "26:c1:3d:63:ba:5c"}, "descr": "eth1"}}}}}
            """;
        var row = Assert.Single(DeviceGetters.LldpcliRows(one));
        Assert.Equal(("eth2", "r2", "eth1", "26:c1:3d:63:ba:5c", "10.255.0.12"),
            (row["LOCAL_INTERFACE"], row["NEIGHBOR"], row["NEIGHBOR_INTERFACE"], row["CHASSIS_ID"], row["MANAGEMENT_IP"]));

        const string several = """
            {"lldp": {"interface": [{"eth1": {"chassis": {"id": {"type": "mac", "value": "02:00:00:00:00:01"}}, "port": {"id": {"type": "ifname", "value": "swp3"}}}},
              {"eth2": {"chassis": {"r3": {"id": {"type": "mac", "value": "02:00:00:00:00:03"}, "mgmt-ip": "10.0.0.3"}}, "port": {"id": {"type": "ifname", "value": "eth1"}}}}]}}
            """;
        var rows = DeviceGetters.LldpcliRows(several);
        Assert.Equal(2, rows.Count);
        // A chassis without a system name: matched by its id only.
        Assert.Equal(("eth1", "", "swp3", "02:00:00:00:00:01"), (rows[0]["LOCAL_INTERFACE"], rows[0]["NEIGHBOR"], rows[0]["NEIGHBOR_INTERFACE"], rows[0]["CHASSIS_ID"]));
        Assert.Equal(("eth2", "r3", "eth1", "10.0.0.3"), (rows[1]["LOCAL_INTERFACE"], rows[1]["NEIGHBOR"], rows[1]["NEIGHBOR_INTERFACE"], rows[1]["MANAGEMENT_IP"]));
    }
}
