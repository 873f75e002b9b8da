using System.Diagnostics;
using System.Globalization;
using eNMS.Core.Parsing;
using eNMS.Drivers;
using eNMS.Tests.TestSupport;
using eNMS.Tests.TestSupport.Lab;

namespace eNMS.Tests.Integration;

/// <summary>bgp_neighbors and routes_summary on the lab's real FRR routers over SSH: r1's eBGP session to r2 comes up,
/// its neighbour that nobody answers stays down, and the counts agree with what vtysh prints as text.</summary>
[Collection(LabGroup.Name)]
public sealed class RoutingGettersOnLabTests(LabFixture lab) : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TestDatabase _db = new();

    public void Dispose() => _db.Dispose();

    private DeviceGetters Getters() => new(new ParsingLibrary(_db, new StaticOptionsMonitor<ParsingOptions>(new ParsingOptions())));

    /// <summary>Reads a getter until <paramref name="done"/> holds (BGP takes a few seconds after the lab comes up), 30 s at most.</summary>
    private async Task<(GetterReading Reading, bool Done)> ReadUntilAsync(IDeviceDriver driver, string getter, Func<GetterReading, Task<bool>> done)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var reading = await Getters().ReadAsync(driver, "frr", getter, None);
            if (reading.Error is null && await done(reading))
            {
                return (reading, true);
            }
            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                return (reading, false);
            }
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    private static List<Dictionary<string, object?>> Rows(GetterReading reading) => (List<Dictionary<string, object?>>)reading.Data!;

    [LabFact]
    public async Task The_neighbour_nobody_answers_is_down_and_the_eBGP_session_to_r2_is_established_with_vtyshs_counts()
    {
        lab.RequireLab();
        await using var driver = await lab.Factory.ConnectAsync(LabFixture.Router(1), None);

        var (reading, established) = await ReadUntilAsync(driver, DeviceGetters.BgpNeighbors,
            r => Task.FromResult(Rows(r).Any(p => (string)p["peer"]! == "10.255.1.2" && (bool)p["is_up"]!)));
        Assert.True(established, reading.Error ?? reading.Output);
        var peers = Rows(reading).ToDictionary(p => (string)p["peer"]!);

        var down = peers["10.255.2.250"];
        Assert.False((bool)down["is_up"]!);
        Assert.NotEqual("Established", (string)down["state"]!);
        Assert.Equal((65250L, 65001L, "nobody answers", 0L), ((long)down["remote_as"]!, (long)down["local_as"]!, (string)down["description"]!, (long)down["accepted_prefixes"]!));
        Assert.Null(down["uptime"]);

        var r2 = peers["10.255.1.2"];
        Assert.Equal((65002L, 65001L, "Established", "r2", "default", "ipv4"),
            ((long)r2["remote_as"]!, (long)r2["local_as"]!, (string)r2["state"]!, (string)r2["description"]!, (string)r2["vrf"]!, (string)r2["address_family"]!));
        Assert.True((long)r2["uptime"]! is >= 0 and < 3600, reading.Output);
        // vtysh's table: Neighbor V AS MsgRcvd MsgSent TblVer InQ OutQ Up/Down State/PfxRcd PfxSnt Desc.
        var line = (await lab.VtyshAsync(1, "show bgp summary")).Split('\n').Single(l => l.StartsWith("10.255.1.2 ", StringComparison.Ordinal));
        var cells = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal((long.Parse(cells[9], CultureInfo.InvariantCulture), long.Parse(cells[10], CultureInfo.InvariantCulture)), ((long)r2["accepted_prefixes"]!, (long)r2["sent_prefixes"]!));
        // r2 announces its loopback and 198.18.2.0/24, and passes on r3's.
        Assert.True((long)r2["accepted_prefixes"]! >= 2, line);
    }

    [LabFact]
    public async Task Routes_summary_counts_agree_with_vtyshs_text_summary()
    {
        lab.RequireLab();
        await using var driver = await lab.Factory.ConnectAsync(LabFixture.Router(1), None);
        var text = "";

        // Compared with the text vtysh prints for the same moment: retried while OSPF and BGP still change the table.
        var (reading, agreed) = await ReadUntilAsync(driver, DeviceGetters.RoutesSummary, async r =>
        {
            text = await lab.VtyshAsync(1, "show ip route summary");
            var summary = Assert.Single(Rows(r));
            var protocols = (SortedDictionary<string, long>)summary["protocols"]!;
            var expected = VtyshCounts(text);
            return protocols.GetValueOrDefault("bgp") > 0 && expected.Routes.All(e => protocols.GetValueOrDefault(e.Key) == e.Value)
                && protocols.Keys.All(expected.Routes.ContainsKey) && (long)summary["total"]! == expected.Total;
        });

        Assert.True(agreed, $"getter: {reading.Output}\nvtysh: {text}");
        var protocols = (SortedDictionary<string, long>)Assert.Single(Rows(reading))["protocols"]!;
        Assert.True(protocols["connected"] >= 2 && protocols["static"] == 1, text);
    }

    /// <summary>vtysh's <c>show ip route summary</c> text: "connected 3 3" per source (routes, FIB), eBGP and iBGP
    /// added up as BGP, and "Totals 10 8".</summary>
    private static (Dictionary<string, long> Routes, long Total) VtyshCounts(string text)
    {
        var routes = new Dictionary<string, long>(StringComparer.Ordinal);
        long total = -1;
        foreach (var cells in text.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(c => c.Length >= 3 && long.TryParse(c[1], out _)))
        {
            if (cells[0] == "Totals")
            {
                total = long.Parse(cells[1], CultureInfo.InvariantCulture);
                continue;
            }
            var protocol = cells[0] is "ebgp" or "ibgp" ? "bgp" : cells[0];
            routes[protocol] = routes.GetValueOrDefault(protocol) + long.Parse(cells[1], CultureInfo.InvariantCulture);
        }
        return (routes, total);
    }
}
