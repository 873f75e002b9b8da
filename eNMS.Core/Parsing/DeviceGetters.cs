using System.Text.Json;
using eNMS.Drivers;

namespace eNMS.Core.Parsing;

/// <summary>What one getter read from a device: the command sent, the device's reply, the data in the common shape, or
/// why it failed (no command for the platform, the device refused the command, the output did not parse).</summary>
public sealed record GetterReading(string Name, string? Command, string Output, object? Data, string? Error);

/// <summary>
/// NAPALM-style getters (facts, interfaces, ARP, LLDP and CDP neighbours, BGP neighbours, routes summary): the CLI command
/// giving each on a platform and its output mapped to one shape whatever the vendor, parsed with the TextFSM templates the
/// parsing library finds for the platform, or read as JSON where the platform answers in it (lldpd's <c>lldpcli</c> on
/// Linux and FRR hosts, FRR's vtysh for the routing getters). Used by the <c>getters</c> service kind and by topology
/// discovery.
/// </summary>
public sealed class DeviceGetters(ParsingLibrary parsing)
{
    public const string LldpNeighbors = "lldp_neighbors";

    public const string CdpNeighbors = "cdp_neighbors";

    public const string BgpNeighbors = "bgp_neighbors";

    public const string RoutesSummary = "routes_summary";

    /// <summary>A JSON reply is read whole: a bound so that a runaway device cannot fill the server's memory.</summary>
    internal const int MaxJsonChars = 4_000_000;

    /// <summary>A getter: the command giving it on a platform (null: none), its parsed rows in the common shape, and for
    /// the platforms whose command answers in JSON, the reader of that JSON (null: the output goes through TextFSM).</summary>
    private sealed record Getter(Func<string, string?> Command, Func<string, List<Dictionary<string, string>>, object> Normalize,
        Func<string, Func<string, object>?>? Json = null);

    private static readonly Dictionary<string, Getter> Known = new(StringComparer.Ordinal)
    {
        ["facts"] = new(_ => "show version", (platform, rows) => Facts(platform, rows.FirstOrDefault() ?? [])),
        ["interfaces"] = new(platform => platform == "juniper_junos" ? "show interfaces terse" : "show ip interface brief",
            (platform, rows) => Interfaces(VendorGetterCommands.States(platform, rows))),
        ["arp"] = new(platform => platform == "juniper_junos" ? "show arp no-resolve" : "show ip arp", (_, rows) => Arp(rows)),
        [LldpNeighbors] = new(platform => IsLldpd(platform) ? "lldpcli -f json show neighbors" : "show lldp neighbors", (_, rows) => Neighbors(rows),
            platform => IsLldpd(platform) ? output => Neighbors(LldpcliRows(output)) : null),
        [CdpNeighbors] = new(platform => HasCdp(platform) ? "show cdp neighbors detail" : null, (_, rows) => Neighbors(rows)),
        [BgpNeighbors] = new(RoutingGetters.BgpCommand, RoutingGetters.BgpNeighbors, platform => platform == "frr" ? RoutingGetters.FrrBgpNeighbors : null),
        [RoutesSummary] = new(RoutingGetters.RoutesCommand, RoutingGetters.RoutesSummary, platform => platform == "frr" ? RoutingGetters.FrrRoutesSummary : null),
    };

    // The vendor is the platform's, not the output's: no show version names it in a field of its own.
    private static readonly (string Prefix, string Vendor)[] Vendors = [("cisco_", "Cisco"), ("arista_", "Arista"), ("juniper_", "Juniper"),
        ("huawei", "Huawei"), ("hp_", "HPE"), ("aruba_", "HPE Aruba"), ("dell_", "Dell"), ("extreme_", "Extreme"), ("ubiquiti_", "Ubiquiti"),
        ("vyos", "VyOS"), ("mikrotik_", "MikroTik"), ("fortinet", "Fortinet"), ("paloalto_", "Palo Alto Networks"), ("nokia_", "Nokia")];

    public static IReadOnlyCollection<string> Names => Known.Keys;

    public static bool IsKnown(string name) => Known.ContainsKey(name);

    /// <summary>Cisco's own neighbour protocol: IOS (and IOS XE), NX-OS and IOS XR speak it besides LLDP.</summary>
    public static bool HasCdp(string platform) => platform is "cisco_ios" or "cisco_nxos" or "cisco_xr";

    /// <summary>Linux and FRR hosts run lldpd, read with <c>lldpcli</c>; the others have a <c>show lldp</c> of their own.</summary>
    private static bool IsLldpd(string platform) => platform is "linux" or "frr";

    /// <summary>The command giving a getter on a platform, or null when the platform has none.</summary>
    internal static string? CommandFor(string platform, string name) =>
        VendorGetterCommands.Covers(platform) ? VendorGetterCommands.For(platform, name) : Known[name].Command(platform);

    /// <summary>Runs one getter on a connected device. Fails alone: a refused command or an output that does not parse
    /// is the reading's <see cref="GetterReading.Error"/>; a lost session still throws (the device is gone).</summary>
    public async Task<GetterReading> ReadAsync(IDeviceDriver driver, string platform, string name, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(driver);
        var getter = Known[name];
        if (CommandFor(platform, name) is not { } command)
        {
            return new(name, null, "", null, $"no command for platform '{platform}'");
        }
        string output;
        try
        {
            output = await driver.SendCommandAsync(command, [], ct);
        }
        catch (DeviceCommandException e)
        {
            // The device refused the command (not a lost session): this getter fails, the next ones still run.
            return new(name, command, e.Reply, null, e.Message);
        }
        try
        {
            if (getter.Json?.Invoke(platform) is { } readJson)
            {
                return new(name, command, output, readJson(output), null);
            }
            var table = await parsing.ParseAsync(null, platform, command, output, ct);
            if (name == "facts" && table.Rows.Count == 0)
            {
                throw new ParsingException($"the output of '{command}' gave no facts");
            }
            return new(name, command, output, getter.Normalize(platform, Rows(table)), null);
        }
        catch (ParsingException e)
        {
            return new(name, command, output, null, e.Message);
        }
    }

    /// <summary>A getter's rows (a template's, read elsewhere) in its common shape: what <see cref="ReadAsync"/> returns as data.</summary>
    internal static object Normalize(string name, string platform, List<Dictionary<string, string>> rows) => Known[name].Normalize(platform, rows);

    /// <summary>A template's rows as text cells, what the getters' normalizers read.</summary>
    internal static List<Dictionary<string, string>> Rows(TextFsmTable table) =>
        table.ToDictionaries().Select(r => r.ToDictionary(c => c.Key, c => c.Value?.ToString() ?? "", StringComparer.Ordinal)).ToList();

    /// <summary>lldpcli's <c>-f json show neighbors</c> as the rows a template would give. lldpcli writes one interface
    /// as an object and several as an array (and the same for each interface's chassis), so both are read.</summary>
    /// <exception cref="ParsingException">The reply is not lldpcli's JSON.</exception>
    internal static List<Dictionary<string, string>> LldpcliRows(string output)
    {
        var rows = new List<Dictionary<string, string>>();
        using var json = ParseJson(output.Trim().Length == 0 ? "{}" : output, "lldpcli");
        if (json.RootElement.ValueKind != JsonValueKind.Object || !json.RootElement.TryGetProperty("lldp", out var lldp)
            || lldp.ValueKind != JsonValueKind.Object || !lldp.TryGetProperty("interface", out var interfaces))
        {
            return rows;
        }
        foreach (var entry in Items(interfaces))
        {
            // {"eth1": {...}} per interface in an array, or all interfaces as properties of one object.
            foreach (var (local, neighbour) in entry.ValueKind == JsonValueKind.Object ? entry.EnumerateObject().Select(p => (p.Name, p.Value)) : [])
            {
                rows.Add(LldpcliRow(local, neighbour));
            }
        }
        return rows;
    }

    /// <summary>A device's JSON reply, bounded in size; what the device printed instead (such as "bgpd is not running")
    /// is quoted in the error.</summary>
    /// <exception cref="ParsingException">The reply is too large, empty or not JSON.</exception>
    internal static JsonDocument ParseJson(string output, string source)
    {
        if (output.Length > MaxJsonChars)
        {
            throw new ParsingException($"{source}'s reply is larger than {MaxJsonChars:N0} characters");
        }
        try
        {
            return JsonDocument.Parse(output, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException e)
        {
            var start = output.Trim();
            var quoted = start.Length == 0 ? "an empty reply" : $"'{(start.Length > 80 ? start[..80] + "…" : start)}'";
            throw new ParsingException($"{source}'s reply is not JSON ({quoted}): {e.Message}", e);
        }
    }

    private static Dictionary<string, string> LldpcliRow(string local, JsonElement neighbour)
    {
        var row = new Dictionary<string, string>(StringComparer.Ordinal) { ["LOCAL_INTERFACE"] = local };
        if (neighbour.ValueKind != JsonValueKind.Object)
        {
            return row;
        }
        if (neighbour.TryGetProperty("chassis", out var chassis) && Items(chassis).FirstOrDefault() is { ValueKind: JsonValueKind.Object } first)
        {
            // {"r2": {"id": {...}, "mgmt-ip": ...}}: the system name is the key; a chassis without one is the object itself.
            var (systemName, detail) = first.TryGetProperty("id", out _) ? ("", first)
                : first.EnumerateObject().Select(p => (p.Name, p.Value)).FirstOrDefault();
            row["NEIGHBOR"] = systemName ?? "";
            if (detail.ValueKind == JsonValueKind.Object)
            {
                row["CHASSIS_ID"] = Text(detail, "id", "value");
                row["SYSTEM_DESCRIPTION"] = Text(detail, "descr");
                row["MANAGEMENT_IP"] = Items(detail.TryGetProperty("mgmt-ip", out var ip) ? ip : default)
                    .Select(i => i.ValueKind == JsonValueKind.String ? i.GetString() ?? "" : "").FirstOrDefault() ?? "";
            }
        }
        if (neighbour.TryGetProperty("port", out var port) && port.ValueKind == JsonValueKind.Object)
        {
            // The port's id is the interface name when its subtype is ifname; else the description names it.
            var subtype = Text(port, "id", "type");
            row["NEIGHBOR_INTERFACE"] = subtype is "ifname" or "local" || Text(port, "descr").Length == 0 ? Text(port, "id", "value") : Text(port, "descr");
        }
        return row;
    }

    private static IEnumerable<JsonElement> Items(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Array => element.EnumerateArray(),
        JsonValueKind.Undefined or JsonValueKind.Null => [],
        _ => [element],
    };

    private static string Text(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind == JsonValueKind.Array)
            {
                element = element.EnumerateArray().FirstOrDefault();
            }
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return "";
            }
        }
        return element.ValueKind == JsonValueKind.String ? element.GetString() ?? "" : "";
    }

    private static string First(Dictionary<string, string> row, params string[] columns) =>
        columns.Select(c => row.GetValueOrDefault(c, "")).FirstOrDefault(v => v.Length > 0) ?? "";

    private static Dictionary<string, string> Facts(string platform, Dictionary<string, string> row) => new(StringComparer.Ordinal)
    {
        ["vendor"] = Vendors.FirstOrDefault(v => platform.StartsWith(v.Prefix, StringComparison.Ordinal)).Vendor ?? "",
        ["model"] = First(row, "MODEL", "HARDWARE", "PLATFORM"),
        ["serial_number"] = First(row, "SERIAL_NUMBER", "SERIAL"),
        ["os_version"] = First(row, "VERSION", "OS", "IMAGE"),
        ["uptime"] = First(row, "UPTIME"),
        ["hostname"] = First(row, "HOSTNAME"),
    };

    private static Dictionary<string, object> Interfaces(List<Dictionary<string, string>> rows) =>
        rows.Where(r => First(r, "INTERFACE").Length > 0).DistinctBy(r => r["INTERFACE"]).ToDictionary(r => r["INTERFACE"], r => (object)new Dictionary<string, object>
        {
            ["is_enabled"] = IsEnabled(r),
            ["is_up"] = First(r, "PROTO", "LINK", "PHYSICAL").ToLowerInvariant() is var link
                && (link == "up" || link.StartsWith("up(", StringComparison.Ordinal) || link is "active" or "a"),
            ["ipv4"] = First(r, "IP_ADDRESS") is { } ip && ip is not ("unassigned" or "--" or "-") ? ip : "",
        }, StringComparer.Ordinal);

    /// <summary>An administrative column (Junos's Admin "down", ProCurve's and AOS-CX's Enabled "No", EdgeSwitch's
    /// Admin Mode "Disable", EXOS's port state "D") says it alone; else a status column marks only a shutdown (IOS's
    /// "administratively down", OS10's "admin down", EOS's "disabled", VRP's "*down", Comware's "ADM"): a link merely
    /// down is still enabled.</summary>
    private static bool IsEnabled(Dictionary<string, string> row)
    {
        var admin = First(row, "ADMIN").ToLowerInvariant();
        if (admin.Length > 0)
        {
            return admin is not ("down" or "no" or "d" or "disabled" or "disable");
        }
        var status = First(row, "STATUS", "PHYSICAL").ToLowerInvariant();
        return !status.StartsWith("admin", StringComparison.Ordinal) && status is not ("disabled" or "*down" or "adm");
    }

    private static List<Dictionary<string, string>> Arp(List<Dictionary<string, string>> rows) =>
        rows.Select(r => new Dictionary<string, string>
        {
            ["interface"] = First(r, "INTERFACE"),
            ["mac"] = First(r, "MAC"),
            ["ip"] = First(r, "ADDRESS"),
            ["age"] = First(r, "AGE"),
        }).ToList();

    /// <summary>NAPALM's <c>get_lldp_neighbors</c> shape (local interface → hostname and port), plus the chassis id,
    /// management address, platform and system description where the platform's output gives them (empty otherwise).
    /// CDP's device id may carry a serial number in brackets (NX-OS: <c>r2(FOX123)</c>): its system name wins then.</summary>
    private static Dictionary<string, List<Dictionary<string, string>>> Neighbors(List<Dictionary<string, string>> rows) =>
        rows.GroupBy(r => First(r, "LOCAL_INTERFACE"), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(r => new Dictionary<string, string>
        {
            ["hostname"] = First(r, "SYSTEM_NAME") is { Length: > 0 } system ? system : WithoutSerial(First(r, "NEIGHBOR")),
            ["port"] = First(r, "NEIGHBOR_INTERFACE"),
            ["chassis_id"] = First(r, "CHASSIS_ID"),
            ["management_address"] = First(r, "MANAGEMENT_IP", "MANAGEMENT_ADDRESS"),
            ["platform"] = First(r, "PLATFORM"),
            ["system_description"] = First(r, "SYSTEM_DESCRIPTION"),
        }).ToList(), StringComparer.Ordinal);

    private static string WithoutSerial(string deviceId) =>
        deviceId.EndsWith(')') && deviceId.IndexOf('(', StringComparison.Ordinal) is > 0 and var open ? deviceId[..open] : deviceId;
}
