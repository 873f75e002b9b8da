using System.Globalization;
using eNMS.Core.Parsing;
using eNMS.Drivers;
using eNMS.Tests.Core.Parsing;
using eNMS.Tests.TestSupport;
using eNMS.Tests.TestSupport.Lab;

namespace eNMS.Tests.Integration;

/// <summary>facts, interfaces, arp and lldp_neighbors on the lab's emulated switches over real SSH, each platform with
/// its vendor's command, the emulator's output and eNMS's template; then the uplink shut down through the driver shows
/// in the interfaces and takes the LLDP neighbour and the ARP entries learnt through it away. What the emulator sees
/// around a device comes from its address (lab/emulator/enms_emulator.py, <c>lab_neighbours</c>): the gateway
/// 192.0.2.254 and the lab's core switch on the uplink.</summary>
[Collection(LabGroup.Name)]
public sealed class SwitchGettersOnLabTests(LabFixture lab) : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TestDatabase _db = new();

    public void Dispose() => _db.Dispose();

    /// <summary>What a fresh emulated device of the platform shows: its uplink (up, to the core switch), a port shut
    /// down, the interface holding its management address (and that address as printed), where ARP entries are learnt,
    /// whether they are learnt through the uplink, the configuration lines that shut the uplink, and those a platform
    /// needs first (a port to shut down, an address where its neighbours answer ARP).</summary>
    private sealed record Expected(string Vendor, string Uplink, string ShutPort, string AddressedInterface, string Address,
        string ArpInterface, bool ArpThroughUplink, string LldpPort, string[] ShutUplink, string[] Prepare);

    private static Expected For(string platform) => platform switch
    {
        "huawei" => new("Huawei", "GigabitEthernet0/0/0", "GigabitEthernet0/0/1", "GigabitEthernet0/0/0", "192.0.2.1/24", "GE0/0/0", true, "GE0/0/0",
            ["interface GigabitEthernet0/0/0", "shutdown", "quit"], []),
        "hp_comware" => new("HPE", "GE1/0/0", "GE1/0/1", "GE1/0/0", "192.0.2.1", "GE1/0/0", true, "GE1/0/0",
            ["interface GigabitEthernet1/0/0", "shutdown", "quit"], []),
        "hp_procurve" => new("HPE", "1", "3", "1", "", "1", true, "1", ["interface 1", "disable", "exit"], ["interface 3", "disable", "exit"]),
        "aruba_aoscx" => new("HPE Aruba", "1/1/1", "1/1/2", "1/1/1", "", "mgmt", false, "1/1/1", ["interface 1/1/1", "shutdown", "exit"], []),
        "dell_os10" => new("Dell", "Ethernet 1/1/1", "Ethernet 1/1/2", "Management 1/1/1", "192.0.2.1/24", "mgmt1/1/1", false, "ethernet1/1/1",
            ["interface ethernet 1/1/1", "shutdown", "exit"], []),
        // EXOS's mgmt VLAN is in VR-Mgmt, which show iparp does not list: an address on VLAN Default (VR-Default) first.
        "extreme_exos" => new("Extreme", "1", "3", "1", "", "1", true, "1", ["disable ports 1"], ["disable ports 3", "configure vlan Default ipaddress 192.0.2.2/24"]),
        "ubiquiti_edge" => new("Ubiquiti", "0/1", "0/2", "0/1", "", "0/1", true, "0/1", ["interface 0/1", "shutdown", "exit"], []),
        _ => throw new ArgumentOutOfRangeException(nameof(platform)),
    };

    private async Task<GetterReading> ReadAsync(IDeviceDriver driver, string getter)
    {
        var getters = new DeviceGetters(new ParsingLibrary(_db, new StaticOptionsMonitor<ParsingOptions>(new ParsingOptions())));
        return await getters.ReadAsync(driver, driver.Target.Platform, getter, None);
    }

    private async Task<T> DataAsync<T>(IDeviceDriver driver, string getter)
    {
        var reading = await ReadAsync(driver, getter);
        Assert.True(reading.Error is null, $"{getter}: {reading.Error}\n{reading.Output}");
        return Assert.IsType<T>(reading.Data);
    }

    private static (bool Enabled, bool Up, string Ipv4) State(Dictionary<string, object> interfaces, string name)
    {
        Assert.True(interfaces.ContainsKey(name), $"no {name} among {string.Join(", ", interfaces.Keys)}");
        var state = (Dictionary<string, object>)interfaces[name];
        return ((bool)state["is_enabled"], (bool)state["is_up"], (string)state["ipv4"]);
    }

    private static string Hex(string mac) => new(mac.Where(Uri.IsHexDigit).Select(char.ToLowerInvariant).ToArray());

    [LabTheory]
    [MemberData(nameof(SwitchGettersTests.Platforms), MemberType = typeof(SwitchGettersTests))]
    public async Task Getters_read_the_emulated_switch_and_follow_its_uplink_being_shut_down(string platform)
    {
        lab.RequireLab();
        var expected = For(platform);
        var target = lab.Emulated(platform);
        var octets = target.Host.Split('.').Select(o => int.Parse(o, CultureInfo.InvariantCulture)).ToArray();
        await using var driver = await lab.Factory.ConnectAsync(target, None);
        if (expected.Prepare.Length > 0)
        {
            await driver.SendConfigAsync(expected.Prepare, None);
        }

        var facts = await DataAsync<Dictionary<string, string>>(driver, "facts");
        Assert.Equal(expected.Vendor, facts["vendor"]);
        Assert.False(string.IsNullOrEmpty(facts["os_version"]), string.Join(", ", facts));

        var interfaces = await DataAsync<Dictionary<string, object>>(driver, "interfaces");
        var uplink = State(interfaces, expected.Uplink);
        Assert.Equal((true, true), (uplink.Enabled, uplink.Up));
        Assert.Equal((false, false, ""), State(interfaces, expected.ShutPort));
        Assert.Equal(expected.Address, State(interfaces, expected.AddressedInterface).Ipv4);

        var arp = await DataAsync<List<Dictionary<string, string>>>(driver, "arp");
        var gateway = Assert.Single(arp, e => e["ip"] == "192.0.2.254");
        Assert.Equal(("00005e0001" + octets[2].ToString("x2", CultureInfo.InvariantCulture), expected.ArpInterface), (Hex(gateway["mac"]), gateway["interface"]));
        Assert.Contains(arp, e => e["ip"] == $"192.0.2.{10 + octets[3] % 200}");

        var lldp = await DataAsync<Dictionary<string, List<Dictionary<string, string>>>>(driver, DeviceGetters.LldpNeighbors);
        var core = Assert.Single(Assert.Single(lldp, n => n.Key == expected.LldpPort).Value);
        var name = $"lab-core-{octets[2]}-{octets[3]}.switches.enms.example";
        // ProCurve cuts a system name longer than its column with "...".
        Assert.Equal(platform == "hp_procurve" ? name[..19] + "..." : name, core["hostname"]);
        Assert.Equal($"1/1/{octets[3] % 48 + 1}", core["port"]);

        foreach (var getter in new[] { DeviceGetters.CdpNeighbors, DeviceGetters.BgpNeighbors, DeviceGetters.RoutesSummary })
        {
            var none = await ReadAsync(driver, getter);
            Assert.Equal((null, $"no command for platform '{platform}'"), (none.Data, none.Error));
        }

        await driver.SendConfigAsync(expected.ShutUplink, None);

        interfaces = await DataAsync<Dictionary<string, object>>(driver, "interfaces");
        uplink = State(interfaces, expected.Uplink);
        Assert.Equal((false, false), (uplink.Enabled, uplink.Up));
        Assert.Empty(await DataAsync<Dictionary<string, List<Dictionary<string, string>>>>(driver, DeviceGetters.LldpNeighbors));
        arp = await DataAsync<List<Dictionary<string, string>>>(driver, "arp");
        Assert.Equal(expected.ArpThroughUplink, !arp.Any(e => e["ip"] == "192.0.2.254"));
    }
}
