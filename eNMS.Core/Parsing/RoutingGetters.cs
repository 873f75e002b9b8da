using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace eNMS.Core.Parsing;

/// <summary>
/// The routing getters of <see cref="DeviceGetters"/>: BGP neighbours (NAPALM's <c>get_bgp_neighbors</c>, flattened to
/// one row per VRF, address family and peer) and a routes summary (route count per protocol and total, per VRF and
/// address family). FRR answers in JSON; the other platforms' CLI output comes parsed by eNMS's TextFSM templates.
/// A count the platform's command does not show is null, never a guess.
/// </summary>
internal static partial class RoutingGetters
{
    public static string? BgpCommand(string platform) => platform switch
    {
        "frr" => "show bgp vrf all summary json",
        "cisco_ios" => "show ip bgp summary",
        "cisco_nxos" or "arista_eos" => "show ip bgp summary vrf all",
        "juniper_junos" or "cisco_xr" => "show bgp summary",
        _ => null,
    };

    public static string? RoutesCommand(string platform) => platform switch
    {
        "frr" => "show ip route summary json",
        "cisco_ios" => "show ip route summary",
        "cisco_nxos" => "show ip route summary vrf all",
        "arista_eos" => "show ip route vrf all summary",
        "juniper_junos" or "cisco_xr" => "show route summary",
        _ => null,
    };

    /// <summary>One neighbour row: where a count is not known (the platform does not show it), null.</summary>
    private static Dictionary<string, object?> Neighbor(string vrf, string family, string peer, long? remoteAs, long? localAs, string state,
        long? uptime, long? received, long? accepted, long? sent, string description) => new(StringComparer.Ordinal)
        {
            ["vrf"] = vrf.Length == 0 ? "default" : vrf,
            ["address_family"] = family,
            ["peer"] = peer,
            ["remote_as"] = remoteAs,
            ["local_as"] = localAs,
            ["state"] = state,
            ["is_up"] = state == "Established",
            ["uptime"] = uptime,
            ["received_prefixes"] = received,
            ["accepted_prefixes"] = accepted,
            ["sent_prefixes"] = sent,
            ["description"] = description,
        };

    /// <summary>FRR's <c>show bgp vrf all summary json</c>: VRF → address family (<c>ipv4Unicast</c>...) → peers. Its
    /// <c>pfxRcd</c> counts the prefixes kept after the inbound policy: accepted; how many came in before it is not shown.</summary>
    /// <exception cref="ParsingException">The reply is not FRR's JSON (bgpd not running, truncated, too large).</exception>
    public static List<Dictionary<string, object?>> FrrBgpNeighbors(string output)
    {
        using var json = DeviceGetters.ParseJson(output, "vtysh");
        var rows = new List<Dictionary<string, object?>>();
        foreach (var vrf in Objects(json.RootElement))
        {
            foreach (var family in Objects(vrf.Value).Where(f => f.Value.TryGetProperty("peers", out _)))
            {
                var localAs = Number(family.Value, "as");
                foreach (var peer in Objects(family.Value.GetProperty("peers")))
                {
                    var p = peer.Value;
                    var state = Text(p, "state");
                    var up = Number(p, "peerUptimeMsec");
                    rows.Add(Neighbor(vrf.Name, FrrFamily(family.Name), peer.Name, Number(p, "remoteAs"), Number(p, "localAs") ?? localAs,
                        state, up is > 0 ? up / 1000 : null, null, Number(p, "pfxRcd"), Number(p, "pfxSnt"), Text(p, "desc")));
                }
            }
        }
        return rows;
    }

    /// <summary>FRR's <c>show ip route summary json</c>: one entry per route type with its RIB count; eBGP and iBGP
    /// are both BGP.</summary>
    /// <exception cref="ParsingException">The reply is not FRR's JSON.</exception>
    public static List<Dictionary<string, object?>> FrrRoutesSummary(string output)
    {
        using var json = DeviceGetters.ParseJson(output, "vtysh");
        var root = json.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("routes", out var routes) || routes.ValueKind != JsonValueKind.Array)
        {
            throw new ParsingException("vtysh's reply has no routes summary");
        }
        var protocols = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var route in routes.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.Object))
        {
            Add(protocols, Protocol(Text(route, "type")), Number(route, "rib") ?? 0);
        }
        return [Summary("default", "ipv4", protocols, Number(root, "routesTotal"))];
    }

    /// <summary>Template rows of a CLI BGP summary in the common shape.</summary>
    public static object BgpNeighbors(string platform, List<Dictionary<string, string>> rows) => platform == "juniper_junos"
        ? JunosNeighbors(rows)
        : rows.Select(r =>
        {
            // IOS, NX-OS, XR: State/PfxRcd is a count once the session is up. EOS: a state and two counts.
            var state = Get(r, "STATE", "STATE_PFXRCD");
            var count = Count(Get(r, "PFX_ACC", "STATE_PFXRCD"));
            // PAN-OS names the state and shows no count; SR OS shows counts and no state once Established.
            var established = state.StartsWith("Estab", StringComparison.Ordinal) || (count is not null && (state.Length == 0 || Count(state) is not null));
            return Neighbor(Get(r, "VRF"), Family(Get(r, "ADDRESS_FAMILY")), Get(r, "NEIGHBOR"), As(Get(r, "REMOTE_AS")), As(Get(r, "LOCAL_AS")),
                established ? "Established" : State(state), Duration(Get(r, "UP_DOWN")), Count(Get(r, "PFX_RCD")), established ? count : null,
                Count(Get(r, "PFX_SNT")), Get(r, "DESCRIPTION"));
        }).ToList();

    /// <summary>Junos: a peer line, then one row per table it exchanges routes in (a table such as <c>BLUE.inet.0</c>
    /// is VRF BLUE); a peer with no table row (not up) is one row with its state.</summary>
    private static List<Dictionary<string, object?>> JunosNeighbors(List<Dictionary<string, string>> rows)
    {
        var result = new List<Dictionary<string, object?>>();
        foreach (var peer in rows.GroupBy(r => Get(r, "PEER"), StringComparer.Ordinal))
        {
            var tables = peer.Where(r => Get(r, "ACTIVE").Length > 0).ToList();
            var first = peer.First();
            var state = peer.Select(r => Get(r, "STATE")).FirstOrDefault(s => s.Length > 0) ?? "";
            foreach (var r in tables.Count > 0 ? tables : [first])
            {
                var (vrf, family) = JunosTable(Get(r, "TABLE"));
                result.Add(Neighbor(vrf, family, peer.Key, As(Get(r, "REMOTE_AS")), null, tables.Count > 0 ? "Established" : State(state),
                    Duration(Get(r, "UP_DOWN")), Count(Get(r, "RECEIVED")), Count(Get(r, "ACCEPTED")), null, ""));
            }
        }
        return result;
    }

    /// <summary>Template rows of a CLI routes summary in the common shape: one entry per VRF (Junos: per table).</summary>
    public static object RoutesSummary(string platform, List<Dictionary<string, string>> rows)
    {
        var result = new List<Dictionary<string, object?>>();
        foreach (var table in rows.GroupBy(r => Get(r, "VRF", "TABLE"), StringComparer.Ordinal))
        {
            var (vrf, family) = platform == "juniper_junos" ? JunosTable(table.Key) : (table.Key, "ipv4");
            var protocols = new SortedDictionary<string, long>(StringComparer.Ordinal);
            long? total = Count(table.Select(r => Get(r, "TOTAL")).FirstOrDefault() ?? "");
            foreach (var r in table)
            {
                var source = Get(r, "SOURCE").Trim().ToLowerInvariant();
                // IOS counts networks and subnets apart; every other platform gives one count.
                var routes = (Count(Get(r, "ROUTES", "NETWORKS")) ?? 0) + (Count(Get(r, "SUBNETS")) ?? 0);
                if (source.StartsWith("total", StringComparison.Ordinal))
                {
                    total ??= routes;
                }
                // EOS breaks "static" down in lines such as "static (persistent)", already counted in "static".
                else if (source.Length > 0 && !source.Contains('(', StringComparison.Ordinal))
                {
                    Add(protocols, Protocol(source), routes);
                }
            }
            result.Add(Summary(vrf, family, protocols, total));
        }
        return result;
    }

    private static Dictionary<string, object?> Summary(string vrf, string family, SortedDictionary<string, long> protocols, long? total) => new(StringComparer.Ordinal)
    {
        ["vrf"] = vrf.Length == 0 ? "default" : vrf,
        ["address_family"] = family,
        ["protocols"] = protocols,
        ["total"] = total ?? protocols.Values.Sum(),
    };

    private static void Add(SortedDictionary<string, long> protocols, string protocol, long routes) =>
        protocols[protocol] = protocols.GetValueOrDefault(protocol) + routes;

    /// <summary>One name per protocol whatever the vendor: an instance or AS number dropped (<c>ospf 1</c>, <c>bgp-65001</c>),
    /// eBGP and iBGP as BGP, NX-OS's and Junos's <c>direct</c> as connected.</summary>
    private static string Protocol(string source)
    {
        var name = ProtocolInstance().Replace(source.Trim().ToLowerInvariant(), "").Replace(' ', '_');
        return name switch
        {
            "ebgp" or "ibgp" => "bgp",
            "direct" => "connected",
            _ => name,
        };
    }

    private static string FrrFamily(string key) => key switch
    {
        "ipv4Unicast" => "ipv4",
        "ipv6Unicast" => "ipv6",
        _ => key,
    };

    /// <summary>NX-OS's header says "IPv4 Unicast"; IOS and XR's default summary is IPv4 unicast.</summary>
    private static string Family(string header) => header.Length == 0 ? "ipv4" : header.Split(' ')[0].ToLowerInvariant();

    private static (string Vrf, string Family) JunosTable(string table)
    {
        var parts = table.Split('.');
        var family = parts.Length >= 2 ? parts[^2] : "inet";
        var vrf = parts.Length >= 3 && parts[^2] is "inet" or "inet6" ? string.Join('.', parts[..^2]) : "default";
        return (vrf, family switch { "inet" => "ipv4", "inet6" => "ipv6", _ => family });
    }

    /// <summary>Session states by the name BGP's state machine gives them (Junos writes "Establ"; EOS "Estab").</summary>
    private static string State(string state) => state switch
    {
        "" => "Unknown",
        _ when state.StartsWith("Estab", StringComparison.Ordinal) => "Established",
        _ => state,
    };

    /// <summary>The time in the current state, in seconds, from the forms vendors print: <c>01:02:03</c>, <c>1d02h</c>,
    /// <c>3w2d</c>, <c>1y2w</c> (IOS, NX-OS, XR, EOS), <c>1d02h03m</c> (FRR's text, VyOS), <c>01h02m03s</c> (SR OS), <c>2w5d 18:26:23</c> or <c>3:07</c> (Junos); null for
    /// <c>never</c> or anything else.</summary>
    internal static long? Duration(string text)
    {
        var m = DurationPattern().Match(text.Trim());
        if (text.Length > 40 || !m.Success || m.Length == 0)
        {
            return null;
        }
        long Part(string name) => m.Groups[name].Success ? long.Parse(m.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
        // "m:ss" on Junos when under an hour: the last two numbers are always minutes and seconds.
        return Part("y") * 365 * 86400 + Part("w") * 7 * 86400 + Part("d") * 86400 + (Part("h") + Part("hh")) * 3600 + (Part("mi") + Part("mm")) * 60 + Part("s") + Part("ss");
    }

    /// <summary>An AS number, plain or in asdot notation (<c>1.10</c> is 65546).</summary>
    private static long? As(string text)
    {
        var parts = text.Split('.');
        return parts.Length switch
        {
            1 => Count(parts[0]),
            2 when Count(parts[0]) is { } high && Count(parts[1]) is { } low => high * 65536 + low,
            _ => null,
        };
    }

    private static long? Count(string text) =>
        text.Length is > 0 and < 19 && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static string Get(Dictionary<string, string> row, params string[] columns) =>
        columns.Select(c => row.GetValueOrDefault(c, "")).FirstOrDefault(v => v.Length > 0) ?? "";

    private static IEnumerable<JsonProperty> Objects(JsonElement element) => element.ValueKind == JsonValueKind.Object
        ? element.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Object)
        : [];

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : "";

    private static long? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : null;

    [GeneratedRegex(@"^(?:(?<y>\d+)y)?(?:(?<w>\d+)w)?(?:(?<d>\d+)d)?(?:(?<h>\d+)h)?(?:(?<mi>\d+)m)?(?:(?<s>\d+)s)?\s*(?:(?:(?<hh>\d+):)?(?<mm>\d+):(?<ss>\d+))?$", RegexOptions.None, 100)]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"[\s-]\d+$", RegexOptions.None, 100)]
    private static partial Regex ProtocolInstance();
}
