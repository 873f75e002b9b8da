using eNMS.Drivers;
using eNMS.Drivers.Simulation;
using Microsoft.Extensions.Time.Testing;

namespace eNMS.Tests.Drivers;

/// <summary>The in-process simulator that answers for the demo devices: per-device state that config pushes change,
/// the drivers' contract and capabilities, and no network at all.</summary>
public sealed class DeviceSimulatorTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly DriverFactory _factory;

    public DeviceSimulatorTests() =>
        _factory = new DriverFactory(DriverRegistry.CreateDefault(), new eNMS.Drivers.Cli.KnownHosts(), _time,
            new DeviceSimulator(_time) { CommandDelay = TimeSpan.Zero });

    private static DeviceTarget Target(string name, string platform, string host = "192.0.2.10") =>
        new(name, host, platform, new DeviceCredential("demo", "demo-password")) { Simulated = true };

    [Theory]
    [InlineData("cisco_ios", "show ip interface brief", "hostname paris-core")]
    [InlineData("cisco_nxos", "show ip interface brief", "hostname paris-core")]
    [InlineData("arista_eos", "show ip interface brief", "hostname paris-core")]
    [InlineData("juniper_junos", "show interfaces terse", "host-name paris-core;")]
    [InlineData("frr", "show interface brief", "hostname paris-core")]
    public async Task Every_platform_answers_its_show_commands_with_the_device_s_own_state(string platform, string interfaces, string hostnameLine)
    {
        await using var driver = await _factory.ConnectAsync(Target("paris-core", platform), CancellationToken.None);

        var config = await driver.GetRunningConfigAsync(CancellationToken.None);
        var version = await driver.SendCommandAsync("show version", CancellationToken.None);
        var brief = await driver.SendCommandAsync(interfaces, CancellationToken.None);

        Assert.Contains(hostnameLine, config, StringComparison.Ordinal);
        Assert.Contains("10.0.10.1", config, StringComparison.Ordinal); // its loopback, from its address 192.0.2.10
        Assert.NotEmpty(version);
        Assert.Contains("10.1.10.1", brief, StringComparison.Ordinal);
        Assert.Contains("paris-core", driver.Transcript, StringComparison.Ordinal);
        Assert.DoesNotContain("demo-password", driver.Transcript, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_devices_have_different_state()
    {
        await using var paris = await _factory.ConnectAsync(Target("paris-core", "cisco_ios", "192.0.2.10"), CancellationToken.None);
        await using var madrid = await _factory.ConnectAsync(Target("madrid-core", "cisco_ios", "192.0.2.13"), CancellationToken.None);

        Assert.NotEqual(await paris.GetRunningConfigAsync(CancellationToken.None), await madrid.GetRunningConfigAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_merge_shows_its_diff_commits_for_later_connections_and_rolls_back()
    {
        var target = Target("berlin-core", "arista_eos");
        string before;
        await using (var driver = await _factory.ConnectAsync(target, CancellationToken.None))
        {
            before = await driver.GetRunningConfigAsync(CancellationToken.None);
            await driver.LoadCandidateAsync("hostname berlin-edge\nsnmp-server community lab-ro ro\ninterface Ethernet1\n   description to-frankfurt", ConfigLoadMode.Merge, CancellationToken.None);
            var diff = await driver.CompareAsync(CancellationToken.None);
            Assert.Contains("+ snmp-server community lab-ro ro", diff, StringComparison.Ordinal);
            Assert.Contains("- hostname berlin-core", diff, StringComparison.Ordinal);
            Assert.Contains("+  description to-frankfurt", diff, StringComparison.Ordinal);
            await driver.CommitAsync(CancellationToken.None);
        }

        await using (var later = await _factory.ConnectAsync(target, CancellationToken.None))
        {
            var after = await later.GetRunningConfigAsync(CancellationToken.None);
            Assert.Contains("hostname berlin-edge", after, StringComparison.Ordinal);
            Assert.DoesNotContain("hostname berlin-core", after, StringComparison.Ordinal);
            Assert.Contains("description to-frankfurt", after, StringComparison.Ordinal);
            Assert.DoesNotContain("description uplink", after, StringComparison.Ordinal);

            await later.RollbackAsync(CancellationToken.None);
            Assert.Equal(before, await later.GetRunningConfigAsync(CancellationToken.None));
        }
    }

    [Fact]
    public async Task A_replace_with_an_earlier_configuration_restores_it_and_a_discard_changes_nothing()
    {
        await using var driver = await _factory.ConnectAsync(Target("oslo-core", "cisco_ios"), CancellationToken.None);
        var original = await driver.GetRunningConfigAsync(CancellationToken.None);
        await driver.SendConfigAsync(["ntp server 10.9.9.9"], CancellationToken.None);

        await driver.LoadCandidateAsync("no ntp server 10.0.0.123", ConfigLoadMode.Merge, CancellationToken.None);
        Assert.Contains("- ntp server 10.0.0.123", await driver.CompareAsync(CancellationToken.None), StringComparison.Ordinal);
        await driver.DiscardAsync(CancellationToken.None);
        Assert.Contains("ntp server 10.0.0.123", await driver.GetRunningConfigAsync(CancellationToken.None), StringComparison.Ordinal);

        await driver.LoadCandidateAsync(original, ConfigLoadMode.Replace, CancellationToken.None);
        Assert.Equal("- ntp server 10.9.9.9", await driver.CompareAsync(CancellationToken.None));
        await driver.CommitAsync(CancellationToken.None);
        Assert.Equal(original, await driver.GetRunningConfigAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_save_makes_the_running_configuration_the_startup_one_and_junos_needs_none()
    {
        await using var ios = await _factory.ConnectAsync(Target("oslo-core", "cisco_ios"), CancellationToken.None);
        await ios.SendConfigAsync(["snmp-server location Oslo"], CancellationToken.None);
        Assert.DoesNotContain("Oslo", await ios.SendCommandAsync("show startup-config", CancellationToken.None), StringComparison.Ordinal);

        Assert.Contains("[OK]", await ios.SaveConfigAsync(CancellationToken.None), StringComparison.Ordinal);

        Assert.Contains("snmp-server location Oslo", await ios.SendCommandAsync("show startup-config", CancellationToken.None), StringComparison.Ordinal);
        Assert.Contains("write memory", ios.Transcript, StringComparison.Ordinal);
        await using var junos = await _factory.ConnectAsync(Target("bern-core", "juniper_junos"), CancellationToken.None);
        Assert.Equal(eNMS.Drivers.Cli.CliDriver.NothingToSave("juniper_junos"), await junos.SaveConfigAsync(CancellationToken.None));
        await using var linux = await _factory.ConnectAsync(Target("bern-host", "linux"), CancellationToken.None);
        await Assert.ThrowsAsync<NotSupportedException>(() => linux.SaveConfigAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Junos_set_commands_land_in_the_brace_hierarchy()
    {
        await using var driver = await _factory.ConnectAsync(Target("london-core", "juniper_junos"), CancellationToken.None);

        await driver.LoadCandidateAsync("set system services web-management https\nset system host-name london-edge", ConfigLoadMode.Merge, CancellationToken.None);
        var diff = await driver.CompareAsync(CancellationToken.None);
        await driver.CommitAsync(CancellationToken.None);
        var config = await driver.GetRunningConfigAsync(CancellationToken.None);

        Assert.Contains("+   web-management https", diff, StringComparison.Ordinal);
        Assert.Contains("    services {\n        ssh;\n        netconf {\n            ssh;\n        }\n        web-management https;\n    }", config, StringComparison.Ordinal);
        Assert.Contains("host-name london-edge;", config, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unconfirmed_commit_reverts_when_its_timer_runs_out()
    {
        await using var driver = await _factory.ConnectAsync(Target("vienna-core", "juniper_junos"), CancellationToken.None);
        var original = await driver.GetRunningConfigAsync(CancellationToken.None);
        await driver.LoadCandidateAsync("set system services telnet", ConfigLoadMode.Merge, CancellationToken.None);

        await driver.CommitAsync(CancellationToken.None, TimeSpan.FromMinutes(2));
        Assert.Contains("telnet;", await driver.GetRunningConfigAsync(CancellationToken.None), StringComparison.Ordinal);
        _time.Advance(TimeSpan.FromMinutes(3));

        Assert.Equal(original, await driver.GetRunningConfigAsync(CancellationToken.None));
    }

    [Fact]
    public async Task An_unknown_command_fails_like_the_platform_and_names_what_the_simulator_answers()
    {
        await using var driver = await _factory.ConnectAsync(Target("rome-core", "cisco_nxos"), CancellationToken.None);

        var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendCommandAsync("show flux capacitor", CancellationToken.None));

        Assert.Contains("rome-core", error.Message, StringComparison.Ordinal);
        Assert.Contains("% Invalid input", error.Message, StringComparison.Ordinal);
        Assert.Contains("show version", error.Reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Linux_has_no_configuration_as_its_real_driver()
    {
        await using var driver = await _factory.ConnectAsync(Target("jump", "linux"), CancellationToken.None);

        Assert.Equal("jump", await driver.SendCommandAsync("hostname", CancellationToken.None));
        await Assert.ThrowsAsync<NotSupportedException>(() => driver.GetRunningConfigAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("192.0.2.10")]
    [InlineData("198.51.100.7")]
    [InlineData("203.0.113.200")]
    [InlineData("2001:db8::1")]
    public async Task A_device_that_is_not_simulated_is_never_dialled_at_a_documentation_address(string address)
    {
        var target = Target("paris-core", "cisco_ios", address) with { Simulated = false, Timeouts = new(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5)) };
        var factory = new DriverFactory(DriverRegistry.CreateDefault(), new eNMS.Drivers.Cli.KnownHosts());

        // The SSH transport refuses before opening a socket (a dial would fail differently, or wait for the timeout).
        var error = await Assert.ThrowsAsync<DeviceConnectionException>(() => factory.ConnectAsync(target, CancellationToken.None));

        Assert.Contains("is a documentation address", error.Message, StringComparison.Ordinal);
        Assert.Null(error.InnerException);
        Assert.False(DocumentationAddresses.Contains("10.255.0.11"));
    }
}
