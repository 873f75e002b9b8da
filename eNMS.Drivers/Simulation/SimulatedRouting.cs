using System.Globalization;

namespace eNMS.Drivers.Simulation;

/// <summary>
/// A simulated device's BGP sessions and routing table summary as its platform prints them (formats written from the
/// vendors' documented outputs). The device is AS 65000 + its number and peers with its two OSPF neighbours
/// (Established, on the uplink's addresses) and with a third address that never answers (Active: the negative case);
/// its routes are the two connected ones, one static, the two OSPF loopbacks and what the BGP peers sent.
/// </summary>
internal static class SimulatedRouting
{
    private sealed record Peer(string Address, int As, int Received, int Accepted, bool Up);

    private static int LocalAs(SimulatedDevice d) => 65000 + d.Number;

    private static Peer[] Peers(SimulatedDevice d)
    {
        int[] neighbours = [(d.Number + 1) % 250, (d.Number + 249) % 250];
        var up = neighbours.Select((n, i) => new Peer($"10.1.{d.Number}.{n % 250 + 2}", 65000 + n, 2 + i, i == 0 ? 2 : 1, true));
        // The second peer sends a prefix the inbound policy drops: received 3, accepted 1 where the platform shows both.
        return [.. up.Select((p, i) => i == 1 ? p with { Received = 3 } : p), new Peer($"10.1.{d.Number}.254", 65254, 0, 0, false)];
    }

    private static int BgpRoutes(SimulatedDevice d) => Peers(d).Sum(p => p.Accepted);

    private static string Row(params object[] cells) => string.Concat(cells.Select(c => Convert.ToString(c, CultureInfo.InvariantCulture)));

    /// <summary>IOS <c>show ip bgp summary</c>; NX-OS's (<c>vrf all</c>) has the same table under a header per VRF.</summary>
    public static string CiscoBgpSummary(SimulatedDevice d)
    {
        var nxos = d.Platform.Key == "cisco_nxos";
        var lines = new List<string>();
        if (nxos)
        {
            lines.Add("BGP summary information for VRF default, address family IPv4 Unicast");
        }
        lines.Add($"BGP router identifier 10.0.{d.Number}.1, local AS number {LocalAs(d)}");
        lines.AddRange(nxos
            ? ["BGP table version is 12, IPv4 Unicast config peers 3, capable peers 2", $"{BgpRoutes(d) + 2} network entries and {BgpRoutes(d) + 2} paths using 1220 bytes of memory",
                "BGP attribute entries [2/328], BGP AS path entries [2/12]", "BGP community entries [0/0], BGP clusterlist entries [0/0]", ""]
            : ["BGP table version is 12, main routing table version 12", $"{BgpRoutes(d) + 2} network entries using 1240 bytes of memory",
                $"{BgpRoutes(d) + 2} path entries using 680 bytes of memory", "2/2 BGP path/bestpath attribute entries using 576 bytes of memory",
                "BGP using 2520 total bytes of memory", "BGP activity 5/0 prefixes, 5/0 paths, scan interval 60 secs", ""]);
        lines.Add(nxos ? "Neighbor        V    AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd"
            : "Neighbor        V           AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd");
        foreach (var p in Peers(d))
        {
            lines.Add(Row($"{p.Address,-15} 4 ", nxos ? $"{p.As,5}" : $"{p.As,12}", p.Up ? "    1834    1830       12" : "       0       0        0",
                "    0    0 ", p.Up ? $"{"1d02h",-8} {p.Accepted}" : $"{"never",-8} Active"));
        }
        return string.Join('\n', lines);
    }

    /// <summary>EOS <c>show ip bgp summary vrf all</c>: a Description column, the state and both prefix counts.</summary>
    public static string EosBgpSummary(SimulatedDevice d)
    {
        var lines = new List<string>
        {
            "BGP summary information for VRF default",
            $"Router identifier 10.0.{d.Number}.1, local AS number {LocalAs(d)}",
            "Neighbor Status Codes: m - Under maintenance",
            "  Description              Neighbor         V AS           MsgRcvd   MsgSent  InQ OutQ  Up/Down State   PfxRcd PfxAcc",
        };
        foreach (var p in Peers(d))
        {
            var description = p.Up ? $"to-as{p.As}" : "unreachable peer";
            lines.Add(Row($"  {description,-24} {p.Address,-16} 4 {p.As,-12} ", p.Up ? "   1834      1830" : "      0         0", "    0    0 ",
                p.Up ? $"   1d02h Estab   {p.Received,-6} {p.Accepted}" : "00:15:42 Active"));
        }
        return string.Join('\n', lines);
    }

    /// <summary>Junos <c>show bgp summary</c>: an Established peer's counts on a line per table under it.</summary>
    public static string JunosBgpSummary(SimulatedDevice d)
    {
        var peers = Peers(d);
        var lines = new List<string>
        {
            "Threading mode: BGP I/O",
            "Default eBGP mode: advertise - accept, receive - accept",
            $"Groups: 1 Peers: {peers.Length} Down peers: {peers.Count(p => !p.Up)}",
            "Table          Tot Paths  Act Paths Suppressed    History Damp State    Pending",
            "inet.0",
            $"                       {peers.Sum(p => p.Received)}          {BgpRoutes(d)}          0          0          0          0",
            "Peer                     AS      InPkt     OutPkt    OutQ   Flaps Last Up/Dwn State|#Active/Received/Accepted/Damped...",
        };
        foreach (var p in peers)
        {
            lines.Add(Row($"{p.Address,-21} {p.As,5} ", p.Up ? "      1834       1830" : "         0          0", "       0       0 ",
                p.Up ? "1d 2:10:05 Establ" : "     15:42 Active"));
            if (p.Up)
            {
                lines.Add($"  inet.0: {p.Accepted}/{p.Received}/{p.Accepted}/0");
            }
        }
        return string.Join('\n', lines);
    }

    /// <summary>FRR <c>show bgp vrf all summary json</c>, the fields eNMS reads and a few around them.</summary>
    public static string FrrBgpSummaryJson(SimulatedDevice d)
    {
        var peers = Peers(d).Select(p => $$"""
                "{{p.Address}}":{"remoteAs":{{p.As}},"localAs":{{LocalAs(d)}},"version":4,"msgRcvd":{{(p.Up ? 1834 : 0)}},"msgSent":{{(p.Up ? 1830 : 0)}},"peerUptime":"{{(p.Up ? "1d02h10m" : "never")}}","peerUptimeMsec":{{(p.Up ? 94205000 : 0)}},"pfxRcd":{{p.Accepted}},"pfxSnt":{{(p.Up ? 3 : 0)}},"state":"{{(p.Up ? "Established" : "Active")}}","peerState":"OK","desc":"{{(p.Up ? $"to-as{p.As}" : "unreachable peer")}}","idType":"ipv4"}
            """);
        return $$"""
            {
            "default":{
            "ipv4Unicast":{
              "routerId":"10.0.{{d.Number}}.1",
              "as":{{LocalAs(d)}},
              "vrfId":0,
              "vrfName":"default",
              "peers":{
            {{string.Join(",\n", peers)}}
              },
              "failedPeers":1,
              "totalPeers":3
            }
            }
            }
            """;
    }

    /// <summary>IOS <c>show ip route summary</c>: networks and subnets per source (the OSPF and BGP breakdown lines
    /// under them), internal entries, then the totals.</summary>
    public static string IosRouteSummary(SimulatedDevice d) => $"""
        IP routing table name is default (0x0)
        IP routing table maximum-paths is 32
        Route Source    Networks    Subnets     Replicates  Overhead    Memory (bytes)
        application     0           0           0           0           0
        connected       0           2           0           192         608
        static          1           0           0           96          304
        ospf 1          0           2           0           192         608
          Intra-area: 2 Inter-area: 0 External-1: 0 External-2: 0
          NSSA External-1: 0 NSSA External-2: 0
        bgp {LocalAs(d),-11} {BgpRoutes(d),-11} 0           0           288         912
          External: {BgpRoutes(d)} Internal: 0 Local: 0
        internal        2                                               1120
        Total           {BgpRoutes(d) + 3,-11} 4           0           768         3552
        """;

    /// <summary>NX-OS <c>show ip route summary vrf all</c>: best paths per protocol, per VRF.</summary>
    public static string NxosRouteSummary(SimulatedDevice d) => $"""
        IP Route Table for VRF "default"
        Total number of routes: {BgpRoutes(d) + 5}
        Total number of paths:  {BgpRoutes(d) + 5}

        Best paths per protocol:      Backup paths per protocol:
          direct         : 2            None
          static         : 1
          ospf-1         : 2
          bgp-{LocalAs(d)}      : {BgpRoutes(d)}

        Number of routes per mask-length:
          /24: {BgpRoutes(d) + 2}       /32: 3
        """;

    /// <summary>EOS <c>show ip route vrf all summary</c>: routes per source (static broken down by kind), per VRF.</summary>
    public static string EosRouteSummary(SimulatedDevice d) => $"""
        VRF: default
           Route Source                                Number Of Routes
        ------------------------------------- -------------------------
           connected                                                  2
           static (persistent)                                        1
           static (non-persistent)                                    0
           static                                                     1
           ospf                                                       2
             Intra-area: 2 Inter-area: 0 External-1: 0 External-2: 0
             NSSA External-1: 0 NSSA External-2: 0
           bgp                                                        {BgpRoutes(d)}
             External: {BgpRoutes(d)} Internal: 0
           isis                                                       0
           rip                                                        0

           Total Routes                                               {BgpRoutes(d) + 5}
        """;

    /// <summary>Junos <c>show route summary</c>: routes per protocol in each routing table.</summary>
    public static string JunosRouteSummary(SimulatedDevice d) => $"""
        Autonomous system number: {LocalAs(d)}
        Router ID: 10.0.{d.Number}.1

        inet.0: {BgpRoutes(d) + 5} destinations, {BgpRoutes(d) + 5} routes ({BgpRoutes(d) + 5} active, 0 holddown, 0 hidden)
                      Direct:      2 routes,      2 active
                      Static:      1 routes,      1 active
                        OSPF:      2 routes,      2 active
                         BGP:      {BgpRoutes(d)} routes,      {BgpRoutes(d)} active
        """;

    /// <summary>FRR <c>show ip route summary json</c>.</summary>
    public static string FrrRouteSummaryJson(SimulatedDevice d) => $$"""
        {
          "routes":[
            {"fib":2,"rib":2,"fibOffLoaded":0,"fibTrapped":0,"type":"connected"},
            {"fib":1,"rib":1,"fibOffLoaded":0,"fibTrapped":0,"type":"static"},
            {"fib":2,"rib":2,"fibOffLoaded":0,"fibTrapped":0,"type":"ospf"},
            {"fib":{{BgpRoutes(d)}},"rib":{{BgpRoutes(d)}},"fibOffLoaded":0,"fibTrapped":0,"type":"ebgp"},
            {"fib":0,"rib":0,"fibOffLoaded":0,"fibTrapped":0,"type":"ibgp"}
          ],
          "routesTotal":{{BgpRoutes(d) + 5}},
          "routesTotalFib":{{BgpRoutes(d) + 5}}
        }
        """;
}
