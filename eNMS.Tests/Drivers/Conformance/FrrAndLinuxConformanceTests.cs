using eNMS.Drivers;
using eNMS.Tests.TestSupport.Lab;

namespace eNMS.Tests.Drivers.Conformance;

/// <summary>Real FRRouting routers (vtysh over SSH in namespaces) and Linux hosts.</summary>
[Collection(LabGroup.Name)]
public class FrrAndLinuxConformanceTests(LabFixture lab)
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static bool HasLine(string text, char sign, string content) =>
        text.Split('\n').Any(l => l.StartsWith(sign) && l.Contains(content, StringComparison.Ordinal));

    [LabFact]
    public async Task Frr_command_output_is_exactly_what_vtysh_prints()
    {
        lab.RequireLab();
        await using var driver = await lab.Factory.ConnectAsync(LabFixture.Router(1), None);

        var output = await driver.SendCommandAsync("show version", None);

        Assert.Equal(await lab.VtyshAsync(1, "show version"), output);
        var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendCommandAsync("show bogus", None));
        Assert.Contains("% Unknown command", error.Reply, StringComparison.Ordinal);
    }

    [LabFact]
    public async Task Frr_pushed_config_is_in_the_running_config()
    {
        lab.RequireLab();
        await using var driver = await lab.Factory.ConnectAsync(LabFixture.Router(2), None);

        await driver.SendConfigAsync(["ip route 203.0.113.0/24 Null0"], None);
        Assert.Contains("ip route 203.0.113.0/24 Null0", await driver.GetRunningConfigAsync(None), StringComparison.Ordinal);
        await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendConfigAsync(["ip route bogus"], None));

        await driver.SendConfigAsync(["no ip route 203.0.113.0/24 Null0"], None);
        Assert.DoesNotContain("203.0.113.0", await driver.GetRunningConfigAsync(None), StringComparison.Ordinal);
    }

    [LabFact]
    public async Task Frr_ten_refused_pushes_in_a_row_quote_the_line_send_nothing_after_it_and_change_nothing()
    {
        lab.RequireLab();
        await using var driver = await lab.Factory.ConnectAsync(LabFixture.Router(2), None);
        var before = await driver.GetRunningConfigAsync(None);

        for (var attempt = 0; attempt < 10; attempt++)
        {
            var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendConfigAsync(["ip route bogus", "ip route 203.0.113.0/24 Null0"], None));
            Assert.Equal("ip route bogus", error.Command);
            Assert.StartsWith("% ", error.Reply.Trim(), StringComparison.Ordinal);
        }

        Assert.True(driver.IsUsable);
        Assert.DoesNotContain("203.0.113.0", driver.Transcript, StringComparison.Ordinal);
        Assert.Equal(before, await driver.GetRunningConfigAsync(None));
        Assert.Equal(await lab.VtyshAsync(2, "show version"), await driver.SendCommandAsync("show version", None));
    }

    [LabFact]
    public async Task Frr_merge_and_replace_transactions_diff_commit_and_roll_back()
    {
        lab.RequireLab();
        await using var driver = await lab.Factory.ConnectAsync(LabFixture.Router(3), None);
        var before = await driver.GetRunningConfigAsync(None);

        await driver.LoadCandidateAsync("ip route 198.51.100.0/24 Null0\n", ConfigLoadMode.Merge, None);
        Assert.Equal("+ ip route 198.51.100.0/24 Null0", await driver.CompareAsync(None));
        await driver.CommitAsync(None);
        Assert.Contains("ip route 198.51.100.0/24 Null0", await driver.GetRunningConfigAsync(None), StringComparison.Ordinal);
        await driver.RollbackAsync(None);
        Assert.Equal(before, await driver.GetRunningConfigAsync(None));

        var replacement = before.Replace(" ip ospf passive\n", "", StringComparison.Ordinal) + "\nip route 192.0.2.128/25 Null0\n";
        await driver.LoadCandidateAsync(replacement, ConfigLoadMode.Replace, None);
        var diff = await driver.CompareAsync(None);
        Assert.True(HasLine(diff, '-', "ip ospf passive"), diff);
        Assert.True(HasLine(diff, '+', "ip route 192.0.2.128/25 Null0"), diff);
        await driver.CommitAsync(None);
        var replaced = await driver.GetRunningConfigAsync(None);
        Assert.DoesNotContain("ip ospf passive", replaced, StringComparison.Ordinal);
        Assert.Contains("ip route 192.0.2.128/25 Null0", replaced, StringComparison.Ordinal);

        await driver.RollbackAsync(None);

        Assert.Equal(before, await driver.GetRunningConfigAsync(None));
    }

    [LabFact]
    public async Task Linux_commands_run_in_bash_and_config_is_declared_unsupported()
    {
        lab.RequireLab();
        await using var driver = await lab.Factory.ConnectAsync(LabFixture.LinuxHost(1), None);

        Assert.Equal("h1", await driver.SendCommandAsync("hostname", None));
        Assert.Equal("a\nb", await driver.SendCommandAsync("printf 'a\\nb\\n'", None));
        await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendCommandAsync("no-such-command", None));
        await Assert.ThrowsAsync<NotSupportedException>(() => driver.SendConfigAsync(["x"], None));
    }

    [LabFact]
    public async Task Keyboard_interactive_login_answers_the_password_prompt()
    {
        lab.RequireLab();
        var target = LabFixture.LinuxHost(1) with { Port = 2222 };

        await using var driver = await lab.Factory.ConnectAsync(target, None);

        Assert.Equal("h1", await driver.SendCommandAsync("hostname", None));
    }

    [LabFact]
    public async Task Frr_routers_in_the_lab_form_full_ospf_adjacencies()
    {
        lab.RequireLab();
        await using var driver = await lab.Factory.ConnectAsync(LabFixture.Router(2), None);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string neighbors;

        // r2 sits between r1 and r3; adjacencies take ~7 s after the lab comes up (hello 2 s, dead 8 s).
        do
        {
            neighbors = await driver.SendCommandAsync("show ip ospf neighbor", None);
        }
        while (neighbors.Split('\n').Count(l => l.Contains("Full", StringComparison.Ordinal)) < 2
            && clock.Elapsed < TimeSpan.FromSeconds(30) && await Delay());

        Assert.Equal(2, neighbors.Split('\n').Count(l => l.Contains("Full", StringComparison.Ordinal)));
        Assert.Contains("10.255.2.1", neighbors, StringComparison.Ordinal);
        Assert.Contains("10.255.2.3", neighbors, StringComparison.Ordinal);
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(TimeSpan.FromSeconds(1));
        return true;
    }
}
