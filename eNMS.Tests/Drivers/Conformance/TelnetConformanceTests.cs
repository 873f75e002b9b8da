using eNMS.Drivers;
using eNMS.Tests.TestSupport.Lab;

namespace eNMS.Tests.Drivers.Conformance;

/// <summary>The whole emulated-platform contract (commands, errors, config, candidates, timers, paging) again over
/// Telnet: Debian's telnetd and /bin/login in front of the same emulated CLIs. The IOS replace candidate goes through
/// tclsh there, Telnet having no SCP.</summary>
[Collection(LabGroup.Name)]
public sealed class TelnetEmulatedPlatformConformanceTests(LabFixture lab) : EmulatedPlatformConformanceTests(lab)
{
    protected override DeviceTarget Dial(DeviceTarget target) => target with { Transport = CliTransport.Telnet, Port = 23 };
}

/// <summary>Telnet against real servers: FRR's vtysh behind telnetd, the emulator, refused logins and dropped
/// connections.</summary>
[Collection(LabGroup.Name)]
public sealed class TelnetConformanceTests(LabFixture lab)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [LabFact]
    public async Task Frr_over_telnet_answers_exactly_what_vtysh_prints_and_takes_config()
    {
        lab.RequireLab();
        await using var driver = await lab.Factory.ConnectAsync(LabFixture.RouterOverTelnet(1), None);

        Assert.Equal(await lab.VtyshAsync(1, "show version"), await driver.SendCommandAsync("show version", None));
        var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendCommandAsync("show bogus", None));
        Assert.Contains("% Unknown command", error.Reply, StringComparison.Ordinal);
        await driver.SendConfigAsync(["ip route 203.0.113.64/26 Null0"], None);
        Assert.Contains("ip route 203.0.113.64/26 Null0", await driver.GetRunningConfigAsync(None), StringComparison.Ordinal);
        await driver.SendConfigAsync(["no ip route 203.0.113.64/26 Null0"], None);
        Assert.DoesNotContain("203.0.113.64", await driver.GetRunningConfigAsync(None), StringComparison.Ordinal);
        // The login dialogue is in the transcript (it tells what the device said), the password is not.
        Assert.Contains("login:", driver.Transcript, StringComparison.Ordinal);
        Assert.DoesNotContain(LabFixture.Password, driver.Transcript, StringComparison.Ordinal);
    }

    [LabTheory]
    [InlineData("huawei")]
    [InlineData("hp_comware")]
    [InlineData("aruba_aoscx")]
    [InlineData("dell_os10")]
    [InlineData("hp_procurve")]
    [InlineData("ubiquiti_edge")]
    [InlineData("vyos")]
    [InlineData("fortinet")]
    [InlineData("paloalto_panos")]
    [InlineData("mikrotik_routeros")]
    [InlineData("nokia_sros")]
    [InlineData("extreme_exos")]
    public async Task The_platforms_added_as_profiles_answer_and_take_config_over_telnet(string platform)
    {
        lab.RequireLab();
        var target = lab.Emulated(platform) with { Transport = CliTransport.Telnet, Port = 23 };
        var c = platform switch
        {
            "huawei" => LineByLineCase.Huawei,
            "hp_comware" => LineByLineCase.Comware,
            "dell_os10" => LineByLineCase.Os10,
            "hp_procurve" => LineByLineCase.Procurve,
            "ubiquiti_edge" => LineByLineCase.EdgeSwitch,
            _ => LineByLineCase.Aoscx,
        };
        (string command, string output, string bad, string[] lines, string pushed) = platform switch
        {
            "vyos" => ("show date", "Wed Nov 25 11:00:00 UTC 2026", "show bogus", ["set system ntp server 203.0.113.1"], "server 203.0.113.1"),
            "fortinet" => ("execute time", "current time is: 11:00:00\nlast ntp sync:Wed Nov 25 10:55:00 2026", "show bogus",
                ["config system dns", "set primary 203.0.113.53", "end"], "set primary 203.0.113.53"),
            "paloalto_panos" => ("show clock", "Wed Nov 25 11:00:00 UTC 2026", "show bogus",
                ["set address enms-telnet ip-netmask 203.0.113.12/32"], "ip-netmask 203.0.113.12/32;"),
            "mikrotik_routeros" => ("/system clock print", "                  time: 11:00:00\n                  date: 2026-11-25\n" +
                "  time-zone-autodetect: yes\n        time-zone-name: UTC\n            gmt-offset: +00:00", "/bogus print",
                ["/ip dns set servers=203.0.113.53"], "set servers=203.0.113.53"),
            "nokia_sros" => ("show time", "Wed Nov 25 11:00:00 UTC 2026", "show bogus",
                ["system location \"telnet lab\""], "location \"telnet lab\""),
            "extreme_exos" => ("show vlan", ExtremeExosConformanceTests.Vlans, "show bogus",
                ["configure snmp sysLocation \"telnet lab\""], "configure snmp sysLocation \"telnet lab\""),
            _ => (c.Command, c.ExpectedOutput, c.BadCommand, c.ConfigLines, c.ConfigInRunning),
        };
        await using var driver = await lab.Factory.ConnectAsync(target, None);

        await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendCommandAsync(bad, None));
        Assert.Equal(output, await driver.SendCommandAsync(command, None));
        await driver.SendConfigAsync(lines, None);

        Assert.Contains(pushed, await driver.GetRunningConfigAsync(None), StringComparison.Ordinal);
        Assert.Contains("login:", driver.Transcript, StringComparison.Ordinal);
        Assert.DoesNotContain(LabFixture.Password, driver.Transcript, StringComparison.Ordinal);
    }

    [LabFact]
    public async Task A_wrong_password_is_an_authentication_error_naming_the_device()
    {
        lab.RequireLab();
        var router = LabFixture.RouterOverTelnet(2);
        router = router with { Credential = router.Credential with { Password = "not-the-password" } };
        var ios = lab.Emulated("cisco_ios") with { Transport = CliTransport.Telnet, Port = 23 };
        ios = ios with { Credential = ios.Credential with { Password = "not-the-password" } };

        foreach (var target in new[] { router, ios })
        {
            var error = await Assert.ThrowsAsync<DeviceAuthenticationException>(() => lab.Factory.ConnectAsync(target, None));
            Assert.Equal(target.Name, error.Device);
            Assert.StartsWith($"{target.Name}: Telnet login refused for user '{target.Credential.Username}'", error.Message, StringComparison.Ordinal);
            Assert.Contains("Login incorrect", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("not-the-password", error.Message, StringComparison.Ordinal);
        }
    }

    [LabFact]
    public async Task A_server_that_closes_mid_output_is_a_lost_connection_with_what_came()
    {
        lab.RequireLab();
        var target = lab.Emulated("cisco_ios") with { Transport = CliTransport.Telnet, Port = 23 };
        await lab.SetFaultAsync(target, "drop");
        await using var faulty = await lab.Factory.ConnectAsync(target, None);
        var error = await Assert.ThrowsAsync<DeviceConnectionException>(() => faulty.SendCommandAsync("show version", None));

        Assert.Contains("connection lost", error.Message, StringComparison.Ordinal);
        Assert.StartsWith(target.Name + ":", error.Message, StringComparison.Ordinal);
        Assert.Contains("Cisco IOS Software", error.PartialOutput, StringComparison.Ordinal);
        Assert.False(faulty.IsUsable);
    }

    [LabFact]
    public async Task Nothing_listening_on_the_telnet_port_is_a_connection_error_naming_the_device()
    {
        lab.RequireLab();
        // The Linux hosts run sshd only.
        var host = LabFixture.LinuxHost(1) with { Transport = CliTransport.Telnet, Port = 23 };

        var error = await Assert.ThrowsAsync<DeviceConnectionException>(() => lab.Factory.ConnectAsync(host, None));

        Assert.StartsWith($"{host.Name}: Telnet to {host.Host}:23", error.Message, StringComparison.Ordinal);
    }
}
