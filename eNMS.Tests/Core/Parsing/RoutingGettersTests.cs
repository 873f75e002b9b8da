using eNMS.Core.Parsing;
using eNMS.Drivers;
using eNMS.Drivers.Simulation;
using eNMS.Tests.TestSupport;

namespace eNMS.Tests.Core.Parsing;

/// <summary>The bgp_neighbors and routes_summary getters: refusals and broken replies first, then one shape on each
/// simulated platform (IOS, NX-OS, EOS, Junos CLI through eNMS's templates; FRR's JSON) and on IOS XR and Junos
/// outputs the simulator does not print.</summary>
public sealed class RoutingGettersTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;

    internal const string XrBgpSummary = """
        BGP router identifier 10.0.0.9, local AS number 1.10
        BGP generic scan interval 60 secs
        BGP table state: Active
        Table ID: 0xe0000000   RD version: 12
        BGP main routing table version 12

        BGP is operating in STANDALONE mode.


        Process       RcvTblVer   bRIB/RIB   LabelVer  ImportVer  SendTblVer  StandbyVer
        Speaker              12         12         12         12          12           0

        Neighbor        Spk    AS MsgRcvd MsgSent   TblVer  InQ OutQ  Up/Down  St/PfxRcd
        192.0.2.1         0 65001     125     127       12    0    0 2w3d              7
        192.0.2.2         0 65002       0       0        0    0    0 00:03:12 Idle (Admin)
        """;

    internal const string XrRouteSummary = """
        Route Source                     Routes     Backup     Deleted     Memory(bytes)
        connected                        2          0          0           480
        local                            2          0          0           480
        static                           1          0          0           240
        ospf 1                           4          0          0           960
        bgp 65546                        7          0          0           1680
        dagr                             0          0          0           0
        Total                            16         0          0           3840
        """;

    internal const string JunosBgpSummary = """
        Groups: 2 Peers: 3 Down peers: 1
        Peer                     AS      InPkt     OutPkt    OutQ   Flaps Last Up/Dwn State|#Active/Received/Accepted/Damped...
        192.0.2.1             65001         25         26       0       0       10:29 2/3/3/0              0/0/0/0
        192.0.2.9             65009        900        901       0       1  2w5d 18:26:23 Establ
          inet.0: 4/4/4/0
          BLUE.inet.0: 1/2/1/0
        2001:db8::2           65002          0          0       0       3          42 Connect
        """;

    private readonly TestDatabase _db = new();
    private readonly ParsingLibrary _parsing;
    private readonly DeviceGetters _getters;
    private readonly DeviceSimulator _simulator = new(TimeProvider.System) { CommandDelay = TimeSpan.Zero };

    public RoutingGettersTests()
    {
        _parsing = new ParsingLibrary(_db, new StaticOptionsMonitor<ParsingOptions>(new ParsingOptions()));
        _getters = new DeviceGetters(_parsing);
    }

    public void Dispose() => _db.Dispose();

    /// <summary>Device number 5 (its address's last byte): AS 65005, peers 10.1.5.8 (AS 65006, 2 prefixes), 10.1.5.6
    /// (AS 65004, 3 received, 1 accepted) and 10.1.5.254 (down); 3 BGP routes.</summary>
    private async Task<GetterReading> ReadAsync(string platform, string getter)
    {
        await using var driver = await _simulator.ConnectAsync(new DeviceTarget($"{platform}-5", "192.0.2.5", platform, new DeviceCredential("admin", "x")), None);
        return await _getters.ReadAsync(driver, platform, getter, None);
    }

    private static List<Dictionary<string, object?>> Rows(GetterReading reading)
    {
        Assert.True(reading.Error is null, reading.Error);
        return Assert.IsType<List<Dictionary<string, object?>>>(reading.Data);
    }

    private async Task<List<Dictionary<string, object?>>> ParseAsync(string platform, string command, string output, Func<string, List<Dictionary<string, string>>, object> normalize) =>
        (List<Dictionary<string, object?>>)normalize(platform, DeviceGetters.Rows(await _parsing.ParseAsync(null, platform, command, output, None)));

    [Theory]
    [InlineData("linux", DeviceGetters.BgpNeighbors)]
    [InlineData("linux", DeviceGetters.RoutesSummary)]
    public async Task A_platform_without_the_command_fails_that_getter_naming_the_platform(string platform, string getter)
    {
        var reading = await ReadAsync(platform, getter);
        Assert.Null(reading.Data);
        Assert.Equal($"no command for platform '{platform}'", reading.Error);
    }

    [Theory]
    [InlineData("", "an empty reply")]
    [InlineData("bgpd is not running", "'bgpd is not running'")]
    [InlineData("{\"default\":{\"ipv4Unicast\":{\"peers\":{\"10.0.0.1\":{\"state\":\"Estab", "not JSON")]
    public void A_reply_that_is_not_FRRs_JSON_fails_quoting_what_came(string output, string expected)
    {
        var error = Assert.Throws<ParsingException>(() => RoutingGetters.FrrBgpNeighbors(output));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, Assert.Throws<ParsingException>(() => RoutingGetters.FrrRoutesSummary(output)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_oversize_reply_is_refused_before_it_is_parsed()
    {
        var huge = "{\"default\":{\"x\":\"" + new string('a', DeviceGetters.MaxJsonChars) + "\"}}";
        Assert.Contains("larger than", Assert.Throws<ParsingException>(() => RoutingGetters.FrrBgpNeighbors(huge)).Message, StringComparison.Ordinal);
        Assert.Contains("larger than", Assert.Throws<ParsingException>(() => RoutingGetters.FrrRoutesSummary(huge)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void JSON_that_is_not_a_routes_summary_fails_and_no_BGP_instance_is_no_neighbour()
    {
        Assert.Contains("no routes summary", Assert.Throws<ParsingException>(() => RoutingGetters.FrrRoutesSummary("{\"default\":{}}")).Message, StringComparison.Ordinal);
        Assert.Empty(RoutingGetters.FrrBgpNeighbors("{}"));
        Assert.Empty(RoutingGetters.FrrBgpNeighbors("[1, 2]"));
    }

    [Theory]
    [InlineData("cisco_ios", "show ip bgp summary")]
    [InlineData("cisco_nxos", "show ip bgp summary vrf all")]
    [InlineData("arista_eos", "show ip bgp summary vrf all")]
    [InlineData("juniper_junos", "show bgp summary")]
    public async Task An_empty_CLI_output_is_no_neighbour(string platform, string command) =>
        Assert.Empty(await ParseAsync(platform, command, "", RoutingGetters.BgpNeighbors));

    [Theory]
    [InlineData("cisco_ios")]
    [InlineData("cisco_nxos")]
    [InlineData("arista_eos")]
    [InlineData("juniper_junos")]
    [InlineData("frr")]
    public async Task BGP_neighbours_have_one_shape_on_each_platform_with_the_down_session_not_up(string platform)
    {
        var reading = await ReadAsync(platform, DeviceGetters.BgpNeighbors);
        var peers = Rows(reading).ToDictionary(r => (string)r["peer"]!);

        Assert.Equal(["10.1.5.254", "10.1.5.6", "10.1.5.8"], peers.Keys.Order(StringComparer.Ordinal));
        Assert.All(peers.Values, p => Assert.Equal(("default", "ipv4"), ((string)p["vrf"]!, (string)p["address_family"]!)));
        var up = peers["10.1.5.8"];
        Assert.Equal(("Established", true, 65006L, 2L), ((string)up["state"]!, (bool)up["is_up"]!, (long)up["remote_as"]!, (long)up["accepted_prefixes"]!));
        Assert.Equal(platform == "juniper_junos" ? null : 65005L, (long?)up["local_as"]);
        // 1d02h on the Cisco-style platforms, 1d 2:10:05 on Junos, 94205000 ms in FRR's JSON.
        Assert.Equal(platform is "juniper_junos" or "frr" ? 94205L : 93600L, (long?)up["uptime"]);
        Assert.Equal(1L, (long?)peers["10.1.5.6"]["accepted_prefixes"]);
        // Received before the inbound policy: only EOS and Junos show it apart from accepted.
        Assert.Equal(platform is "arista_eos" or "juniper_junos" ? 3L : null, (long?)peers["10.1.5.6"]["received_prefixes"]);
        Assert.Equal(platform == "frr" ? 3L : null, (long?)up["sent_prefixes"]);
        Assert.Equal(platform is "arista_eos" or "frr" ? "to-as65006" : "", (string)up["description"]!);

        var down = peers["10.1.5.254"];
        Assert.Equal(("Active", false, 65254L), ((string)down["state"]!, (bool)down["is_up"]!, (long)down["remote_as"]!));
        Assert.Equal(platform == "frr" ? 0L : null, (long?)down["accepted_prefixes"]);
        if (platform == "arista_eos")
        {
            Assert.Equal(("unreachable peer", 942L), ((string)down["description"]!, (long)down["uptime"]!));
        }
    }

    [Theory]
    [InlineData("cisco_ios", 10)]
    [InlineData("cisco_nxos", 8)]
    [InlineData("arista_eos", 8)]
    [InlineData("juniper_junos", 8)]
    [InlineData("frr", 8)]
    public async Task Routes_summary_counts_each_protocol_under_one_name_and_the_devices_total(string platform, long total)
    {
        var summary = Assert.Single(Rows(await ReadAsync(platform, DeviceGetters.RoutesSummary)));
        var protocols = Assert.IsType<SortedDictionary<string, long>>(summary["protocols"]);

        Assert.Equal(("default", "ipv4"), ((string)summary["vrf"]!, (string)summary["address_family"]!));
        Assert.Equal((2L, 1L, 2L, 3L), (protocols["connected"], protocols["static"], protocols["ospf"], protocols["bgp"]));
        // IOS's total counts its internal entries (2), which are not routes of any protocol.
        Assert.Equal(total, (long)summary["total"]!);
        Assert.DoesNotContain(protocols.Keys, k => k.Contains('(', StringComparison.Ordinal) || k.Contains(' ', StringComparison.Ordinal) || k == "internal");
    }

    [Fact]
    public async Task IOS_XR_summaries_are_read_with_the_shared_Cisco_BGP_template_and_its_own_route_template()
    {
        var peers = await ParseAsync("cisco_xr", "show bgp summary", XrBgpSummary, RoutingGetters.BgpNeighbors);

        Assert.Equal(2, peers.Count);
        Assert.Equal(("192.0.2.1", 65546L, 65001L, "Established", 7L, 1468800L),
            ((string)peers[0]["peer"]!, (long)peers[0]["local_as"]!, (long)peers[0]["remote_as"]!, (string)peers[0]["state"]!, (long)peers[0]["accepted_prefixes"]!, (long)peers[0]["uptime"]!));
        Assert.Equal(("Idle (Admin)", false, 192L), ((string)peers[1]["state"]!, (bool)peers[1]["is_up"]!, (long)peers[1]["uptime"]!));

        var summary = Assert.Single(await ParseAsync("cisco_xr", "show route summary", XrRouteSummary, RoutingGetters.RoutesSummary));
        var protocols = (SortedDictionary<string, long>)summary["protocols"]!;
        Assert.Equal((2L, 2L, 1L, 4L, 7L, 16L), (protocols["connected"], protocols["local"], protocols["static"], protocols["ospf"], protocols["bgp"], (long)summary["total"]!));
    }

    [Fact]
    public async Task Junos_counts_on_the_peer_line_and_tables_of_a_routing_instance_are_read()
    {
        var rows = await ParseAsync("juniper_junos", "show bgp summary", JunosBgpSummary, RoutingGetters.BgpNeighbors);

        Assert.Equal(4, rows.Count);
        Assert.Equal(("default", "Established", 3L, 3L, 629L), ((string)rows[0]["vrf"]!, (string)rows[0]["state"]!, (long)rows[0]["received_prefixes"]!, (long)rows[0]["accepted_prefixes"]!, (long)rows[0]["uptime"]!));
        Assert.Equal(("default", 4L), ((string)rows[1]["vrf"]!, (long)rows[1]["accepted_prefixes"]!));
        Assert.Equal(("BLUE", "192.0.2.9", 2L, 1L, 1707983L), ((string)rows[2]["vrf"]!, (string)rows[2]["peer"]!, (long)rows[2]["received_prefixes"]!, (long)rows[2]["accepted_prefixes"]!, (long)rows[2]["uptime"]!));
        Assert.Equal(("2001:db8::2", "Connect", false), ((string)rows[3]["peer"]!, (string)rows[3]["state"]!, (bool)rows[3]["is_up"]!));
    }

    [Theory]
    [InlineData("00:00:07", 7L)]
    [InlineData("1d02h", 93600L)]
    [InlineData("3w2d", 1987200L)]
    [InlineData("1y2w", 32745600L)]
    [InlineData("2w5d 18:26:23", 1707983L)]
    [InlineData("3:07", 187L)]
    [InlineData("never", null)]
    [InlineData("", null)]
    [InlineData("12:xx", null)]
    public void Uptimes_in_every_vendors_form_are_seconds(string text, long? seconds) =>
        Assert.Equal(seconds, RoutingGetters.Duration(text));
}
