using System.Globalization;
using eNMS.Core.Inventory;

namespace eNMS.Core.Demo;

/// <summary>
/// The network a fresh install shows: a European backbone at real city coordinates. Addresses are from the
/// documentation range (RFC 5737) and the devices are simulated: the in-process simulator answers every service run
/// on them (config changes, backups, pings), and nothing is ever dialled.
/// </summary>
public static class DemoNetwork
{
    private static readonly (string City, double Latitude, double Longitude, string Platform)[] Sites =
    [
        ("paris", 48.8566, 2.3522, "cisco_ios"), ("london", 51.5074, -0.1278, "juniper_junos"),
        ("berlin", 52.5200, 13.4050, "arista_eos"), ("madrid", 40.4168, -3.7038, "cisco_ios"),
        ("rome", 41.9028, 12.4964, "cisco_nxos"), ("amsterdam", 52.3676, 4.9041, "frr"),
        ("brussels", 50.8503, 4.3517, "cisco_ios"), ("vienna", 48.2082, 16.3738, "juniper_junos"),
        ("zurich", 47.3769, 8.5417, "arista_eos"), ("milan", 45.4642, 9.1900, "cisco_ios"),
        ("munich", 48.1351, 11.5820, "frr"), ("frankfurt", 50.1109, 8.6821, "juniper_junos"),
        ("hamburg", 53.5511, 9.9937, "cisco_nxos"), ("copenhagen", 55.6761, 12.5683, "arista_eos"),
        ("stockholm", 59.3293, 18.0686, "juniper_junos"), ("oslo", 59.9139, 10.7522, "cisco_ios"),
        ("helsinki", 60.1699, 24.9384, "frr"), ("warsaw", 52.2297, 21.0122, "cisco_ios"),
        ("prague", 50.0755, 14.4378, "arista_eos"), ("budapest", 47.4979, 19.0402, "juniper_junos"),
        ("bucharest", 44.4268, 26.1025, "cisco_ios"), ("athens", 37.9838, 23.7275, "cisco_nxos"),
        ("lisbon", 38.7223, -9.1393, "frr"), ("barcelona", 41.3874, 2.1686, "arista_eos"),
        ("lyon", 45.7640, 4.8357, "cisco_ios"), ("marseille", 43.2965, 5.3698, "juniper_junos"),
        ("dublin", 53.3498, -6.2603, "cisco_ios"), ("edinburgh", 55.9533, -3.1883, "frr"),
        ("geneva", 46.2044, 6.1432, "cisco_nxos"), ("istanbul", 41.0082, 28.9784, "juniper_junos"),
    ];

    private static readonly (string A, string B)[] Backbone =
    [
        ("paris", "london"), ("paris", "brussels"), ("paris", "lyon"), ("paris", "frankfurt"), ("london", "dublin"),
        ("london", "amsterdam"), ("london", "edinburgh"), ("dublin", "edinburgh"), ("brussels", "amsterdam"),
        ("amsterdam", "hamburg"), ("amsterdam", "frankfurt"), ("frankfurt", "berlin"), ("frankfurt", "munich"),
        ("frankfurt", "zurich"), ("hamburg", "berlin"), ("hamburg", "copenhagen"), ("copenhagen", "stockholm"),
        ("copenhagen", "oslo"), ("stockholm", "helsinki"), ("stockholm", "oslo"), ("berlin", "warsaw"),
        ("berlin", "prague"), ("munich", "vienna"), ("munich", "milan"), ("prague", "vienna"), ("vienna", "budapest"),
        ("budapest", "bucharest"), ("warsaw", "budapest"), ("bucharest", "istanbul"), ("athens", "istanbul"),
        ("rome", "athens"), ("rome", "milan"), ("milan", "zurich"), ("zurich", "geneva"), ("geneva", "lyon"),
        ("lyon", "marseille"), ("marseille", "barcelona"), ("barcelona", "madrid"), ("madrid", "lisbon"),
        ("lisbon", "paris"), ("helsinki", "warsaw"), ("marseille", "milan"),
    ];

    public static (List<Device> Devices, List<Link> Links, List<Pool> Pools) Build()
    {
        var devices = Sites.Select((site, i) => new Device
        {
            Name = $"{site.City}-core",
            Address = $"192.0.2.{i + 10}",
            Platform = site.Platform,
            Vendor = VendorOf(site.Platform),
            OperatingSystem = OperatingSystemOf(site.Platform),
            Model = ModelOf(site.Platform),
            Location = CultureInfo.InvariantCulture.TextInfo.ToTitleCase(site.City),
            Latitude = site.Latitude,
            Longitude = site.Longitude,
            Icon = "router",
            Description = "Demo backbone router",
            Simulated = true,
            CustomProperties = [new CustomProperty { Name = "role", Value = "core" }],
        }).ToList();
        var byCity = devices.ToDictionary(d => d.Name[..^"-core".Length]);
        var used = new Dictionary<string, int>(StringComparer.Ordinal);
        // Each device's next free port, named as its platform names ports: the names its LLDP shows (see Cabling).
        string NextPort(Device device) => PortName(device.Platform, used[device.Name] = used.GetValueOrDefault(device.Name) + 1);
        var links = Backbone.Select(pair => new Link
        {
            Name = $"{pair.A}-{pair.B}",
            Source = byCity[pair.A],
            Destination = byCity[pair.B],
            SourceInterface = NextPort(byCity[pair.A]),
            DestinationInterface = NextPort(byCity[pair.B]),
            Subtype = "ethernet",
            Color = "#1565c0",
            Description = "Demo backbone link",
        }).ToList();
        var pools = new List<Pool>
        {
            new()
            {
                Name = "Cisco IOS routers",
                Description = "Every device whose platform is cisco_ios",
                Criteria = [new PoolCriterion { Property = "platform", Operator = CriterionOperator.Equals, Value = "cisco_ios" }],
            },
            new()
            {
                Name = "Nordics",
                Description = "Devices in the Nordic capitals",
                Criteria = [new PoolCriterion { Property = "location", Operator = CriterionOperator.Regex, Value = "^(Oslo|Stockholm|Helsinki|Copenhagen)$" }],
            },
        };
        return (devices, links, pools);
    }

    /// <summary>What each demo device's LLDP lists: the backbone links seen from both ends, for the simulator.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<Drivers.Simulation.SimulatedNeighbor>> Cabling()
    {
        var (_, links, _) = Build();
        return links.SelectMany(l => new[]
            {
                (l.Source!, new Drivers.Simulation.SimulatedNeighbor(l.SourceInterface, l.Destination!.Name, l.DestinationInterface, l.Destination.Address, l.Destination.Platform)),
                (l.Destination!, new Drivers.Simulation.SimulatedNeighbor(l.DestinationInterface, l.Source!.Name, l.SourceInterface, l.Source.Address, l.Source.Platform)),
            })
            .GroupBy(e => e.Item1.Name, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<Drivers.Simulation.SimulatedNeighbor>)g.Select(e => e.Item2).ToList(), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The n-th (from 1) port of a device, as its platform names it.</summary>
    private static string PortName(string platform, int n) => platform switch
    {
        "cisco_ios" => $"GigabitEthernet0/{n - 1}",
        "cisco_nxos" => $"Ethernet1/{n}",
        "arista_eos" => $"Ethernet{n}",
        "juniper_junos" => $"ge-0/0/{n - 1}",
        _ => $"eth{n}",
    };

    private static string VendorOf(string platform) => platform switch
    {
        "cisco_ios" or "cisco_nxos" => "Cisco",
        "juniper_junos" => "Juniper",
        "arista_eos" => "Arista",
        _ => "FRRouting",
    };

    private static string OperatingSystemOf(string platform) => platform switch
    {
        "cisco_ios" => "IOS",
        "cisco_nxos" => "NX-OS",
        "juniper_junos" => "Junos",
        "arista_eos" => "EOS",
        _ => "FRR",
    };

    private static string ModelOf(string platform) => platform switch
    {
        "cisco_ios" => "ISR4451",
        "cisco_nxos" => "Nexus 9300",
        "juniper_junos" => "MX204",
        "arista_eos" => "7280R3",
        _ => "Linux router",
    };
}
