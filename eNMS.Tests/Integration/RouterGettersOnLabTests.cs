using System.Globalization;
using eNMS.Core.Parsing;
using eNMS.Drivers;
using eNMS.Tests.TestSupport;
using eNMS.Tests.TestSupport.Lab;

namespace eNMS.Tests.Integration;

/// <summary>
/// Every getter on the lab's emulated routers and firewalls over real SSH. The emulators print each vendor's format
/// from their own state (configuration, plus what lab/README.md says each device sees on the wire: the gateway and a
/// host answering ARP, the core switch on LLDP, BGP peers 192.0.2.254 Established and 198.51.100.2 Active, all derived
/// from the device's address), so what is expected here is computed from that description, not from a template.
/// </summary>
[Collection(LabGroup.Name)]
public sealed class RouterGettersOnLabTests(LabFixture lab) : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TestDatabase _db = new();

    public void Dispose() => _db.Dispose();

    private DeviceGetters Getters() => new(new ParsingLibrary(_db, new StaticOptionsMonitor<ParsingOptions>(new ParsingOptions())));

    /// <summary>What lab/README.md says the device at this address sees and holds.</summary>
    private sealed record Expected(int Third, int Fourth)
    {
        public static Expected Of(DeviceTarget target)
        {
            var octets = target.Host.Split('.').Select(o => int.Parse(o, CultureInfo.InvariantCulture)).ToArray();
            return new(octets[2], octets[3]);
        }

        public string GatewayMac => $"00:00:5e:00:01:{Third:x2}";

        public string HostIp => $"192.0.2.{10 + Fourth % 200}";

        public string HostMac => $"52:54:00:{Third:x2}:{Fourth:x2}:01";

        public string CoreName => $"lab-core-{Third}-{Fourth}.switches.enms.example";

        public string CorePort => $"1/1/{Fourth % 48 + 1}";

        public long LocalAs => 65000 + Fourth;

        public long UpstreamUptime => 3723 + Fourth;
    }

    private async Task<Dictionary<string, GetterReading>> ReadAllAsync(DeviceTarget target)
    {
        await using var driver = await lab.Factory.ConnectAsync(target, None);
        var readings = new Dictionary<string, GetterReading>(StringComparer.Ordinal);
        foreach (var name in DeviceGetters.Names)
        {
            readings[name] = await Getters().ReadAsync(driver, target.Platform, name, None);
        }
        return readings;
    }

    private static T Data<T>(GetterReading reading)
    {
        Assert.True(reading.Error is null, $"{reading.Name}: {reading.Error}\n{reading.Output}");
        return Assert.IsType<T>(reading.Data);
    }

    private static Dictionary<string, (bool Enabled, bool Up, string Ip)> Interfaces(GetterReading reading) =>
        Data<Dictionary<string, object>>(reading).ToDictionary(i => i.Key, i =>
        {
            var state = (Dictionary<string, object>)i.Value;
            return ((bool)state["is_enabled"], (bool)state["is_up"], (string)state["ipv4"]);
        });

    private static void AssertArp(GetterReading reading, Expected expected, string port)
    {
        var arp = Data<List<Dictionary<string, string>>>(reading).Select(a => (a["interface"], a["mac"].ToLowerInvariant(), a["ip"])).ToList();
        Assert.Equal([(port, expected.GatewayMac, "192.0.2.254"), (port, expected.HostMac, expected.HostIp)], arp);
    }

    /// <summary>The upstream peer Established with the lab's counts, the backup (a 4-byte AS) Active; its time in that
    /// state is <paramref name="downFor"/> where the platform shows one (SR OS: since the device came up, to the minute
    /// past a day), null where it prints "never".</summary>
    private static void AssertBgp(GetterReading reading, Expected expected, bool hasLocalAs = true, bool hasSent = true, bool hasDescription = true, long? downFor = null)
    {
        var peers = Data<List<Dictionary<string, object?>>>(reading).ToDictionary(p => (string)p["peer"]!);
        Assert.Equal(2, peers.Count);
        var up = peers["192.0.2.254"];
        Assert.Equal((65100L, "Established", true, expected.UpstreamUptime, 5L), ((long)up["remote_as"]!, (string)up["state"]!, (bool)up["is_up"]!, (long)up["uptime"]!, (long)up["accepted_prefixes"]!));
        Assert.Equal(hasLocalAs ? expected.LocalAs : null, (long?)up["local_as"]);
        Assert.Equal(hasSent ? 3L : null, (long?)up["sent_prefixes"]);
        Assert.Equal(hasDescription ? "upstream" : "", (string)up["description"]!);
        var down = peers["198.51.100.2"];
        Assert.Equal((4200000002L, "Active", false), ((long)down["remote_as"]!, (string)down["state"]!, (bool)down["is_up"]!));
        Assert.Equal(downFor, (long?)down["uptime"]);
        Assert.Null(down["accepted_prefixes"]);
    }

    private static (SortedDictionary<string, long> Protocols, long Total) Routes(GetterReading reading)
    {
        var summary = Assert.Single(Data<List<Dictionary<string, object?>>>(reading));
        return ((SortedDictionary<string, long>)summary["protocols"]!, (long)summary["total"]!);
    }

    [LabFact]
    public async Task VyOS_answers_every_getter_from_its_configuration_and_the_labs_wire()
    {
        lab.RequireLab();
        var target = lab.Emulated("vyos");
        var expected = Expected.Of(target);
        var readings = await ReadAllAsync(target);

        var facts = Data<Dictionary<string, string>>(readings["facts"]);
        Assert.Equal(("VyOS", "1.4.0", $"VY{expected.Third:000}{expected.Fourth:000}"), (facts["vendor"], facts["os_version"], facts["serial_number"]));

        // eth0 carries the management address; eth1 is cabled without one; eth2 and eth3 have no cable.
        var interfaces = Interfaces(readings["interfaces"]);
        Assert.Equal((true, true, "192.0.2.1/24"), interfaces["eth0"]);
        Assert.Equal((true, true, ""), interfaces["eth1"]);
        Assert.Equal((true, false, ""), interfaces["eth2"]);

        AssertArp(readings["arp"], expected, "eth0");
        var core = Assert.Single(Data<Dictionary<string, List<Dictionary<string, string>>>>(readings[DeviceGetters.LldpNeighbors])["eth0"]);
        Assert.Equal((expected.CoreName, expected.CorePort), (core["hostname"], core["port"]));
        AssertBgp(readings[DeviceGetters.BgpNeighbors], expected);

        // eth0's subnet, the configured static route, the upstream's 5 prefixes.
        var (protocols, total) = Routes(readings[DeviceGetters.RoutesSummary]);
        Assert.Equal((1L, 1L, 5L, 7L), (protocols["connected"], protocols["static"], protocols["bgp"], total));
        Assert.Contains("no command", readings[DeviceGetters.CdpNeighbors].Error, StringComparison.Ordinal);
    }

    [LabFact]
    public async Task A_VyOS_port_disabled_in_configuration_reads_as_disabled_and_hears_no_neighbours()
    {
        lab.RequireLab();
        var target = lab.Emulated("vyos");
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            await driver.LoadCandidateAsync("set interfaces ethernet eth0 disable\nset interfaces ethernet eth1 address 198.51.100.1/24", ConfigLoadMode.Merge, None);
            await driver.CommitAsync(None);
        }
        var readings = await ReadAllAsync(target);

        var interfaces = Interfaces(readings["interfaces"]);
        Assert.Equal((false, false, "192.0.2.1/24"), interfaces["eth0"]);
        Assert.Equal((true, true, "198.51.100.1/24"), interfaces["eth1"]);
        Assert.Empty(Data<List<Dictionary<string, string>>>(readings["arp"]));
        Assert.Empty(Data<Dictionary<string, List<Dictionary<string, string>>>>(readings[DeviceGetters.LldpNeighbors]));
        Assert.Equal(1L, Routes(readings[DeviceGetters.RoutesSummary]).Protocols["connected"]);
    }

    [LabFact]
    public async Task FortiOS_answers_its_getters_from_its_configuration_and_the_labs_wire()
    {
        lab.RequireLab();
        var target = lab.Emulated("fortinet");
        var expected = Expected.Of(target);
        var readings = await ReadAllAsync(target);

        var facts = Data<Dictionary<string, string>>(readings["facts"]);
        Assert.Equal(("Fortinet", "FortiGate-VM64", "7.2.5", $"FGVMEV{expected.Third:00000}{expected.Fourth:00000}"),
            (facts["vendor"], facts["model"], facts["os_version"], facts["serial_number"]));

        // port1 has the management address, port2 is cabled without one, port3..port10 have no cable.
        var interfaces = Interfaces(readings["interfaces"]);
        Assert.Equal(10, interfaces.Count);
        Assert.Equal((true, true, "192.0.2.1/24"), interfaces["port1"]);
        Assert.Equal((true, true, ""), interfaces["port2"]);
        Assert.Equal((true, false, ""), interfaces["port3"]);

        AssertArp(readings["arp"], expected, "port1");
        // The upstream's prefixes after the inbound policy; FortiOS's summary shows neither what it sent nor descriptions.
        AssertBgp(readings[DeviceGetters.BgpNeighbors], expected, hasSent: false, hasDescription: false);
        Assert.Contains("no command", readings[DeviceGetters.RoutesSummary].Error, StringComparison.Ordinal);
    }

    [LabFact]
    public async Task PAN_OS_answers_its_getters_from_its_configuration_and_the_labs_wire()
    {
        lab.RequireLab();
        var target = lab.Emulated("paloalto_panos");
        var expected = Expected.Of(target);
        var readings = await ReadAllAsync(target);

        var facts = Data<Dictionary<string, string>>(readings["facts"]);
        Assert.Equal(("Palo Alto Networks", "PA-VM", "10.2.4", $"007{expected.Third:000000}{expected.Fourth:000000}", "3 days, 4:05:06"),
            (facts["vendor"], facts["model"], facts["os_version"], facts["serial_number"], facts["uptime"]));

        // ethernet1/1 (untrust) is cabled, ethernet1/2 (trust) is not; both have the addresses the configuration gives.
        var interfaces = Interfaces(readings["interfaces"]);
        Assert.Equal(2, interfaces.Count);
        Assert.Equal((true, true, "198.51.100.1/24"), interfaces["ethernet1/1"]);
        Assert.Equal((true, false, "10.1.0.1/24"), interfaces["ethernet1/2"]);

        // The dataplane hears the lab's gateway and host in the cabled port's subnet (lab/README.md).
        var arp = Data<List<Dictionary<string, string>>>(readings["arp"]).Select(a => (a["interface"], a["mac"], a["ip"])).ToList();
        Assert.Equal([("ethernet1/1", expected.GatewayMac, "198.51.100.254"), ("ethernet1/1", expected.HostMac, $"198.51.100.{10 + expected.Fourth % 200}")], arp);

        var peers = Data<List<Dictionary<string, object?>>>(readings[DeviceGetters.BgpNeighbors]).ToDictionary(p => (string)p["peer"]!);
        Assert.Equal((65100L, expected.LocalAs, "Established", true, "upstream"), ((long)peers["192.0.2.254"]["remote_as"]!, (long)peers["192.0.2.254"]["local_as"]!,
            (string)peers["192.0.2.254"]["state"]!, (bool)peers["192.0.2.254"]["is_up"]!, (string)peers["192.0.2.254"]["description"]!));
        Assert.Equal((4200000002L, "Active", false), ((long)peers["198.51.100.2"]["remote_as"]!, (string)peers["198.51.100.2"]["state"]!, (bool)peers["198.51.100.2"]["is_up"]!));
    }

    [LabFact]
    public async Task SR_OS_answers_every_getter_and_hears_the_lab_on_an_interface_committed_on_its_cabled_port()
    {
        lab.RequireLab();
        var target = lab.Emulated("nokia_sros");
        var expected = Expected.Of(target);
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            // uplink on the cabled port 1/1/1, spare on 1/1/2 (no cable).
            await driver.LoadCandidateAsync(string.Join('\n',
                "router \"Base\" interface \"uplink\" port 1/1/1", "router \"Base\" interface \"uplink\" ipv4 primary address 203.0.113.1",
                "router \"Base\" interface \"uplink\" ipv4 primary prefix-length 24", "router \"Base\" interface \"spare\" port 1/1/2",
                "router \"Base\" interface \"spare\" ipv4 primary address 198.51.100.1", "router \"Base\" interface \"spare\" ipv4 primary prefix-length 24"),
                ConfigLoadMode.Merge, None);
            await driver.CommitAsync(None);
        }
        var readings = await ReadAllAsync(target);

        var facts = Data<Dictionary<string, string>>(readings["facts"]);
        Assert.Equal(("Nokia", "7750 SR-1", "B-23.10.R1", $"sros-{expected.Fourth}"), (facts["vendor"], facts["model"], facts["os_version"], facts["hostname"]));

        var interfaces = Interfaces(readings["interfaces"]);
        Assert.Equal((true, true, "192.0.2.1/32"), interfaces["system"]);
        Assert.Equal((true, true, "203.0.113.1/24"), interfaces["uplink"]);
        Assert.Equal((true, false, "198.51.100.1/24"), interfaces["spare"]);

        // The router's own addresses, then the lab's gateway and host in uplink's subnet (lab/README.md).
        var arp = Data<List<Dictionary<string, string>>>(readings["arp"]).Where(a => a["ip"] is not ("192.0.2.1" or "203.0.113.1"))
            .Select(a => (a["interface"], a["mac"], a["ip"])).ToList();
        Assert.Equal([("uplink", expected.GatewayMac, "203.0.113.254"), ("uplink", expected.HostMac, $"203.0.113.{10 + expected.Fourth % 200}")], arp);

        AssertBgp(readings[DeviceGetters.BgpNeighbors], expected, downFor: (3 * 24 + 4) * 3600 + 5 * 60);
        var peers = Data<List<Dictionary<string, object?>>>(readings[DeviceGetters.BgpNeighbors]);
        Assert.Equal(6L, (long)peers.Single(p => (string)p["peer"]! == "192.0.2.254")["received_prefixes"]!);

        // system and uplink are up with an address; the upstream's 5 active routes.
        var (protocols, total) = Routes(readings[DeviceGetters.RoutesSummary]);
        Assert.Equal((2L, 5L, 0L, 7L), (protocols["connected"], protocols["bgp"], protocols["static"], total));
    }

    [LabFact]
    public async Task ASA_answers_its_getters_from_its_configuration_and_the_labs_wire()
    {
        lab.RequireLab();
        var target = lab.Emulated("cisco_asa");
        var expected = Expected.Of(target);
        var readings = await ReadAllAsync(target);

        var facts = Data<Dictionary<string, string>>(readings["facts"]);
        Assert.Equal(("Cisco", "ASAv", "9.16(4)", $"9A{expected.Third:000}{expected.Fourth:000}LAB", "3 days 4 hours"),
            (facts["vendor"], facts["model"], facts["os_version"], facts["serial_number"], facts["uptime"]));

        // Management0/0 (nameif management) has the lab address; GigabitEthernet0/1 is shut down without one.
        var interfaces = Interfaces(readings["interfaces"]);
        Assert.Equal((true, true, "192.0.2.1"), interfaces["Management0/0"]);
        Assert.Equal((false, false, ""), interfaces["GigabitEthernet0/1"]);

        // ASA names the interface by its nameif and prints MACs dotted, ages in seconds.
        var arp = Data<List<Dictionary<string, string>>>(readings["arp"]).Select(a => (a["interface"], a["mac"].Replace(".", "", StringComparison.Ordinal), a["ip"], a["age"])).ToList();
        Assert.Equal([("management", expected.GatewayMac.Replace(":", "", StringComparison.Ordinal), "192.0.2.254", "240"),
            ("management", expected.HostMac.Replace(":", "", StringComparison.Ordinal), expected.HostIp, "1020")], arp);

        AssertBgp(readings[DeviceGetters.BgpNeighbors], expected, hasSent: false, hasDescription: false);
        // Management0/0's subnet, the configured route, the upstream's 5 prefixes.
        var (protocols, total) = Routes(readings[DeviceGetters.RoutesSummary]);
        Assert.Equal((1L, 1L, 5L, 7L), (protocols["connected"], protocols["static"], protocols["bgp"], total));
        Assert.Contains("no command", readings[DeviceGetters.LldpNeighbors].Error, StringComparison.Ordinal);
    }

    [LabFact]
    public async Task RouterOS_answers_its_getters_from_its_state_and_the_labs_wire()
    {
        lab.RequireLab();
        var target = lab.Emulated("mikrotik_routeros");
        var expected = Expected.Of(target);
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            await driver.SendConfigAsync(["/interface ethernet set [ find default-name=ether2 ] disabled=yes comment=\"spare port\""], None);
        }
        var readings = await ReadAllAsync(target);

        var facts = Data<Dictionary<string, string>>(readings["facts"]);
        Assert.Equal(("MikroTik", "CHR", "7.12", "3d4h5m6s"), (facts["vendor"], facts["model"], facts["os_version"], facts["uptime"]));

        // ether1 and ether2 are cabled; ether2 was just disabled; /interface print shows no addresses.
        var interfaces = Interfaces(readings["interfaces"]);
        Assert.Equal(8, interfaces.Count);
        Assert.Equal((true, true, ""), interfaces["ether1"]);
        Assert.Equal((false, false, ""), interfaces["ether2"]);
        Assert.Equal((true, false, ""), interfaces["ether3"]);

        var arp = Data<List<Dictionary<string, string>>>(readings["arp"]).Select(a => (a["interface"], a["mac"].ToLowerInvariant(), a["ip"])).ToList();
        Assert.Equal([("ether1", expected.GatewayMac, "192.0.2.254"), ("ether1", expected.HostMac, expected.HostIp)], arp);
        var core = Assert.Single(Data<Dictionary<string, List<Dictionary<string, string>>>>(readings[DeviceGetters.LldpNeighbors])["ether1"]);
        Assert.Equal((expected.CoreName, expected.CorePort, "192.0.2.254"), (core["hostname"], core["port"], core["management_address"]));
        Assert.Contains("no command", readings[DeviceGetters.RoutesSummary].Error, StringComparison.Ordinal);
    }
}
