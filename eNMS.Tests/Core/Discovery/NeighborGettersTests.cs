using eNMS.Core.Discovery;
using eNMS.Core.Parsing;
using eNMS.Drivers;
using eNMS.Drivers.Simulation;
using eNMS.Tests.TestSupport;

namespace eNMS.Tests.Core.Discovery;

/// <summary>The CDP getter on simulated Cisco devices (parsed with eNMS's own template) and the platform guessed from
/// what a neighbour advertises.</summary>
public sealed class NeighborGettersTests : IDisposable
{
    private readonly TestDatabase _db = new();
    private readonly DeviceGetters _getters;

    private readonly DeviceSimulator _simulator = new(TimeProvider.System)
    {
        CommandDelay = TimeSpan.Zero,
        Cabling = new Dictionary<string, IReadOnlyList<SimulatedNeighbor>>(StringComparer.OrdinalIgnoreCase)
        {
            ["nx1"] =
            [
                new("Ethernet1/1", "ios2.lab.example", "GigabitEthernet0/0", "192.0.2.2", "cisco_ios"),
                new("Ethernet1/2", "eos3", "Ethernet1", "192.0.2.3", "arista_eos"),
                new("Ethernet1/3", "nx4", "Ethernet1/9", "192.0.2.4", "cisco_nxos"),
            ],
        },
    };

    public NeighborGettersTests() => _getters = new DeviceGetters(new ParsingLibrary(_db, new StaticOptionsMonitor<ParsingOptions>(new ParsingOptions())));

    public void Dispose() => _db.Dispose();

    private async Task<GetterReading> ReadAsync(string device, string platform, string getter)
    {
        await using var driver = await _simulator.ConnectAsync(new DeviceTarget(device, "192.0.2.1", platform, new DeviceCredential("admin", "x")), CancellationToken.None);
        return await _getters.ReadAsync(driver, platform, getter, CancellationToken.None);
    }

    [Fact]
    public async Task Platforms_without_CDP_have_no_CDP_command()
    {
        foreach (var platform in new[] { "arista_eos", "juniper_junos", "frr", "linux" })
        {
            var reading = await ReadAsync("x", platform, DeviceGetters.CdpNeighbors);
            Assert.Null(reading.Data);
            Assert.Equal($"no command for platform '{platform}'", reading.Error);
        }
    }

    [Fact]
    public async Task CDP_lists_only_Cisco_neighbours_with_name_without_serial_address_platform_and_version()
    {
        var reading = await ReadAsync("nx1", "cisco_nxos", DeviceGetters.CdpNeighbors);
        Assert.Null(reading.Error);
        var neighbors = (Dictionary<string, List<Dictionary<string, string>>>)reading.Data!;
        Assert.Equal(["Ethernet1/1", "Ethernet1/3"], neighbors.Keys.Order(StringComparer.Ordinal));
        var ios = Assert.Single(neighbors["Ethernet1/1"]);
        Assert.Equal(("ios2.lab.example", "GigabitEthernet0/0", "192.0.2.2", "cisco ISR4451-X/K9"), (ios["hostname"], ios["port"], ios["management_address"], ios["platform"]));
        Assert.StartsWith("Cisco IOS Software", ios["system_description"], StringComparison.Ordinal);
        Assert.Equal("nx4", Assert.Single(neighbors["Ethernet1/3"])["hostname"]);
    }

    [Theory]
    [InlineData("cisco_xr", "cisco IOS-XRv 9000 Cisco IOS XR Software, Version 7.9.2")]
    [InlineData("cisco_nxos", "N9K-C9300v Cisco Nexus Operating System (NX-OS) Software, Version 10.3(4a)")]
    [InlineData("cisco_ios", "cisco ISR4451-X/K9 Cisco IOS Software [Cupertino], Version 17.9.4a")]
    [InlineData("arista_eos", "Arista Networks EOS version 4.31.2F running on an Arista Networks DCS-7280CR3")]
    [InlineData("juniper_junos", "Juniper Networks, Inc. mx204 internet router, kernel JUNOS 23.2R1.14")]
    [InlineData("linux", "Debian GNU/Linux 12 (bookworm) Linux 6.1.0-18-amd64")]
    [InlineData("nokia_sros", "TiMOS-B-23.10.R1 both/x86_64 Nokia 7750 SR Copyright (c) 2000-2023 Nokia.")]
    [InlineData("extreme_exos", "ExtremeXOS (X440G2-48t-10G4) version 31.7.1.4 31.7.1.4-patch1-4")]
    [InlineData("hp_procurve", "HP J9773A 2530-24G-PoEP Switch, revision YA.16.10.0009, ROM YA.15.20 (/ws/swbuildm/rel_ukiah_qaoff/code/build/tam(swbuildm_rel_ukiah_qaoff_rel_ukiah)) ProCurve")]
    [InlineData("dell_os10", "Dell SmartFabric OS10 Enterprise. Copyright (c) 1999-2023 by Dell Inc. All Rights Reserved. System Description: OS10 Enterprise. OS Version: 10.5.5.0")]
    [InlineData("ubiquiti_edge", "EdgeSwitch 24-Port Lite, 1.9.3.5390036, Linux 3.6.5-f4a26ed5, 0.0.0.0000000")]
    [InlineData("linux", "EdgeRouter X 5-Port EdgeOS v2.0.9 Linux")]  // EdgeOS is EdgeRouter's CLI (VyOS's family), not EdgeSwitch's
    [InlineData("", "")]
    [InlineData("", "Some Printer 3000")]
    public void The_platform_is_guessed_from_what_the_neighbour_advertises(string expected, string advertised) =>
        Assert.Equal(expected, NeighborPlatform.Guess(advertised));
}
