using eNMS.Drivers;
using eNMS.Drivers.Cli;

namespace eNMS.Tests.Drivers;

/// <summary>Platform drivers against recorded replies: login sequence, config transactions.</summary>
public class PlatformDriverTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static async Task<IDeviceDriver> ConnectAsync(FakeCli cli, string platform)
    {
        var factory = new DriverFactory(DriverRegistry.CreateDefault(), new KnownHosts())
        {
            OpenShell = (_, _) => Task.FromResult<IShell>(cli.Shell),
        };
        return await factory.ConnectAsync(FakeCli.Target(platform), None);
    }

    private static FakeCli Frr()
    {
        var cli = new FakeCli("r1# ", "\r\nHello, this is FRRouting (version 8.4.4).\r\n\r\n");
        cli.Outputs["terminal length 0"] = "";
        cli.Custom["configure terminal"] = () =>
        {
            cli.Prompt = "r1(config)# ";
            return "configure terminal\r\nr1(config)# ";
        };
        cli.Custom["end"] = () =>
        {
            cli.Prompt = "r1# ";
            return "end\r\nr1# ";
        };
        return cli;
    }

    [Fact]
    public async Task Frr_login_turns_paging_off_and_commands_return_clean_output()
    {
        var cli = Frr();
        cli.Outputs["show version"] = "FRRouting 8.4.4 (r1).";

        await using var driver = await ConnectAsync(cli, "frr");

        Assert.Equal("FRRouting 8.4.4 (r1).", await driver.SendCommandAsync("show version", None));
        Assert.Equal(["", "terminal length 0", "show version"], cli.Shell.Lines);
    }

    [Fact]
    public async Task A_push_cut_by_a_drop_names_the_last_line_acknowledged_sends_nothing_more_and_closes_the_connection()
    {
        var cli = Frr();
        cli.Outputs["ip route 198.51.100.0/24 Null0"] = "";
        cli.Custom["ip route 198.51.100.1/32 Null0"] = () =>
        {
            cli.Shell.Emit("ip route 198.51.100.1/32 Null0\r\n");
            cli.Shell.Close();
            return null;
        };
        await using var driver = await ConnectAsync(cli, "frr");

        var error = await Assert.ThrowsAsync<DeviceConnectionException>(() => driver.SendConfigAsync(
            ["ip route 198.51.100.0/24 Null0", "ip route 198.51.100.1/32 Null0", "ip route 198.51.100.2/32 Null0"], None));

        Assert.Equal("r1: connection lost while waiting for 'ip route 198.51.100.1/32 Null0'; the device acknowledged 1 of 3 lines, " +
            "the last 'ip route 198.51.100.0/24 Null0'; 'ip route 198.51.100.1/32 Null0' (line 2) got no answer (the device may or " +
            "may not have taken it); the 1 line(s) after it were not sent", error.Message);
        Assert.IsType<DeviceConnectionException>(error.InnerException);
        Assert.Equal(["", "terminal length 0", "configure terminal", "ip route 198.51.100.0/24 Null0", "ip route 198.51.100.1/32 Null0"], cli.Shell.Lines);
        Assert.False(driver.IsUsable);
        Assert.True(cli.Shell.Disposed); // closed at once, not when the caller gets round to disposing the driver
    }

    [Fact]
    public async Task Frr_replace_commit_sends_only_the_difference_and_rollback_sends_it_back()
    {
        var cli = Frr();
        var running = "Building configuration...\n\nCurrent configuration:\n!\nfrr version 8.4.4\nhostname r1\nip route 192.0.2.0/24 Null0\nend";
        cli.Custom["show running-config"] = () => "show running-config\r\n" + FakeCli.Crlf(running) + "\r\n" + cli.Prompt;
        foreach (var line in new[] { "no ip route 192.0.2.0/24 Null0", "ip route 198.51.100.0/24 Null0", "ip route 192.0.2.0/24 Null0", "no ip route 198.51.100.0/24 Null0" })
        {
            cli.Custom[line] = () =>
            {
                running = line.StartsWith("no ", StringComparison.Ordinal)
                    ? running.Replace(line[3..] + "\n", "", StringComparison.Ordinal)
                    : running.Replace("end", line + "\nend", StringComparison.Ordinal);
                return line + "\r\n" + cli.Prompt;
            };
        }
        await using var driver = await ConnectAsync(cli, "frr");

        await driver.LoadCandidateAsync("hostname r1\nip route 198.51.100.0/24 Null0\n", ConfigLoadMode.Replace, None);
        Assert.Equal("- ip route 192.0.2.0/24 Null0\n+ ip route 198.51.100.0/24 Null0", await driver.CompareAsync(None));
        await driver.CommitAsync(None);
        Assert.Contains("ip route 198.51.100.0/24 Null0", await driver.GetRunningConfigAsync(None), StringComparison.Ordinal);
        Assert.DoesNotContain("192.0.2.0", await driver.GetRunningConfigAsync(None), StringComparison.Ordinal);

        await driver.RollbackAsync(None);

        Assert.Contains("ip route 192.0.2.0/24 Null0", await driver.GetRunningConfigAsync(None), StringComparison.Ordinal);
        Assert.DoesNotContain("198.51.100.0", await driver.GetRunningConfigAsync(None), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Frr_config_error_is_typed_and_config_mode_is_left()
    {
        var cli = Frr();
        cli.Custom["ip route bogus"] = () => "ip route bogus\r\n% Unknown command: ip route bogus\r\n" + cli.Prompt;
        await using var driver = await ConnectAsync(cli, "frr");

        var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendConfigAsync(["ip route bogus"], None));

        Assert.Equal("ip route bogus", error.Command);
        Assert.Equal("end", cli.Shell.Lines[^1]);
    }

    [Fact]
    public async Task Ios_login_enables_with_the_secret_then_turns_paging_off()
    {
        var cli = new FakeCli("R1>", "\r\nUser Access Verification\r\n\r\n");
        cli.Custom["enable"] = () => "enable\r\nPassword: ";
        cli.Custom["en-secret-42"] = () =>
        {
            cli.Prompt = "R1#";
            return "\r\nR1#";
        };
        cli.Outputs["terminal length 0"] = "";
        cli.Outputs["terminal width 511"] = "";

        await using var driver = await ConnectAsync(cli, "cisco_ios");

        Assert.Equal(["", "enable", "en-secret-42", "terminal length 0", "terminal width 511"], cli.Shell.Lines);
        Assert.DoesNotContain("en-secret-42", driver.Transcript, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Linux_commands_return_output_and_missing_commands_are_errors()
    {
        var cli = new FakeCli("admin@h1:~$ ");
        cli.Outputs["uname -s"] = "Linux";
        cli.Outputs["bogus"] = "-bash: bogus: command not found";
        await using var driver = await ConnectAsync(cli, "linux");

        Assert.Equal("Linux", await driver.SendCommandAsync("uname -s", None));
        await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendCommandAsync("bogus", None));
    }
}
