using eNMS.Drivers;
using eNMS.Tests.TestSupport.Lab;

namespace eNMS.Tests.Drivers.Conformance;

/// <summary>Extreme EXOS over real SSH to its emulated device: no config mode and no transaction, so eNMS promises
/// exactly this and no more — a refused line fails the push quoting it and the switch's error, the lines before it stay
/// applied, the lines after it are never sent, and the session stays usable; a cancelled push stops at the line under
/// way. The prompt's command counter and its unsaved-changes star never confuse the session; paging on and off; a
/// backup by <c>show configuration</c>; <c>save configuration</c> answers the switch's question.</summary>
[Collection(LabGroup.Name)]
public sealed class ExtremeExosConformanceTests(LabFixture lab)
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary><c>show vlan</c> on a fresh emulated switch.</summary>
    public const string Vlans = "Default          1     ------------------\nmgmt             4095  192.0.2.1/24";

    private static readonly string[] Good = ["create vlan enms", "configure vlan enms tag 100"];

    private const string Bad = "configure vlan enms tagg 101";

    private async Task<(DeviceTarget Target, string Before)> FreshDeviceAsync()
    {
        lab.RequireLab();
        var target = lab.Emulated("extreme_exos");
        await using var driver = await lab.Factory.ConnectAsync(target, None);
        return (target, await driver.GetRunningConfigAsync(None));
    }

    private async Task<string> RunningAsync(DeviceTarget target)
    {
        await lab.SetFaultAsync(target, "");
        await using var check = await lab.Factory.ConnectAsync(target, None);
        return await check.GetRunningConfigAsync(None);
    }

    [LabFact]
    public async Task An_error_reply_is_typed_then_output_is_exact_with_paging_off_and_on()
    {
        lab.RequireLab();
        await using var driver = await lab.Factory.ConnectAsync(lab.Emulated("extreme_exos"), None);

        var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendCommandAsync("show bogus", None));
        Assert.Contains("%% Invalid input detected at '^' marker.", error.Message, StringComparison.Ordinal);
        Assert.Equal(Vlans, await driver.SendCommandAsync("show vlan", None));
        var unpaged = await driver.SendCommandAsync("show log", None);

        await driver.SendCommandAsync("enable clipaging", None);
        var paged = (await driver.SendCommandAsync("show log", None)).Split('\n');

        Assert.Equal(60, paged.Length);
        Assert.All(paged, l => Assert.StartsWith("11/25/2026 11:", l, StringComparison.Ordinal));
        Assert.Equal(unpaged, string.Join('\n', paged));
        Assert.Contains("Press <SPACE> to continue or <Q> to quit:", driver.Transcript, StringComparison.Ordinal);
        Assert.Contains("disable clipaging", driver.Transcript, StringComparison.Ordinal);
        Assert.DoesNotContain(LabFixture.Password, driver.Transcript, StringComparison.Ordinal);
    }

    [LabFact]
    public async Task A_refused_line_is_quoted_the_lines_before_it_stay_and_the_lines_after_it_are_never_sent()
    {
        var (target, before) = await FreshDeviceAsync();
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendConfigAsync([Good[0], Bad, Good[1]], None));

            Assert.Equal(Bad, error.Command);
            Assert.Contains("%% Invalid input detected at '^' marker.", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Good[1], driver.Transcript, StringComparison.Ordinal);
            Assert.False(driver.Capabilities.HasFlag(DriverCapabilities.ConfigMerge));
            Assert.True(driver.IsUsable);
            Assert.Equal(Vlans.Replace("\nmgmt", "\nenms                   ------------------\nmgmt", StringComparison.Ordinal),
                await driver.SendCommandAsync("show vlan", None));

            var refused = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendConfigAsync(["configure vlan nosuch tag 200"], None));
            Assert.Contains("Error: VLAN \"nosuch\" does not exist.", refused.Message, StringComparison.Ordinal);
        }

        // Exactly the line before the refused one, and nothing else.
        Assert.Equal(before.Replace("#\n# Module vlan configuration.\n#\n", "#\n# Module vlan configuration.\n#\ncreate vlan \"enms\"\n", StringComparison.Ordinal),
            await RunningAsync(target));
    }

    [LabFact]
    public async Task Ten_refused_pushes_in_a_row_change_nothing_and_leave_the_session_usable()
    {
        var (target, before) = await FreshDeviceAsync();
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            for (var attempt = 0; attempt < 10; attempt++)
            {
                var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendConfigAsync([Bad, Good[0]], None));
                Assert.Equal(Bad, error.Command);
            }
            Assert.True(driver.IsUsable);
            Assert.Equal(Vlans, await driver.SendCommandAsync("show vlan", None));
        }

        Assert.Equal(before, await RunningAsync(target));
    }

    [LabFact]
    public async Task A_push_cancelled_midway_stops_at_the_line_under_way()
    {
        var (target, before) = await FreshDeviceAsync();
        await lab.SetFaultAsync(target, "slow");
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            using var cancel = new CancellationTokenSource();
            var push = driver.SendConfigAsync(["configure snmp sysLocation \"lab one\"", .. Good], cancel.Token);
            while (!driver.Transcript.Contains("sysLocation", StringComparison.Ordinal) && !push.IsCompleted)
            {
                await Task.Delay(10);
            }
            await cancel.CancelAsync();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => push);
            Assert.False(driver.IsUsable);
        }

        // The line under way may have applied (the switch took it before the cancellation); the others were never sent.
        var running = await RunningAsync(target);
        Assert.Contains(running, new[] { before, before.Replace("configure snmp sysContact", "configure snmp sysLocation \"lab one\"\nconfigure snmp sysContact", StringComparison.Ordinal) });
    }

    [LabFact]
    public async Task The_counter_and_the_unsaved_star_move_the_prompt_a_rename_too_and_save_answers_the_question()
    {
        var (target, before) = await FreshDeviceAsync();
        Assert.StartsWith("#\n# Module devmgr configuration.\n#\nconfigure snmp sysName \"exos-", before, StringComparison.Ordinal);
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            await driver.SendConfigAsync([.. Good, "configure vlan enms ipaddress 203.0.113.1/24", "configure snmp sysName \"exos-renamed\""], None);

            Assert.Contains("* exos-renamed.", driver.Transcript, StringComparison.Ordinal);
            var running = await driver.GetRunningConfigAsync(None);
            Assert.Contains("configure snmp sysName \"exos-renamed\"\n", running, StringComparison.Ordinal);
            Assert.Contains("create vlan \"enms\"\nconfigure vlan enms tag 100\nconfigure vlan enms ipaddress 203.0.113.1/24\n", running, StringComparison.Ordinal);

            Assert.Contains("Configuration saved to primary.cfg successfully.", await driver.SaveConfigAsync(None), StringComparison.Ordinal);
            Assert.Contains("(y/N) y", driver.Transcript, StringComparison.Ordinal);
            Assert.Equal(running, await driver.GetRunningConfigAsync(None));
            Assert.Matches(@"\nexos-renamed\.\d+ # $", driver.Transcript); // saved: no star any more
        }

        await lab.SetFaultAsync(target, "nvram-full");
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            await driver.SendConfigAsync(["configure snmp sysLocation \"unsaved\""], None);
            var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SaveConfigAsync(None));
            Assert.Equal("save configuration", error.Command);
            Assert.Contains("No space left on device", error.Message, StringComparison.Ordinal);
            Assert.True(driver.IsUsable);
        }
    }

    [LabFact]
    public async Task Transactions_are_declared_unsupported_not_faked()
    {
        lab.RequireLab();
        await using var driver = await lab.Factory.ConnectAsync(lab.Emulated("extreme_exos"), None);

        await Assert.ThrowsAsync<NotSupportedException>(() => driver.LoadCandidateAsync(Good[0], ConfigLoadMode.Merge, None));
        await Assert.ThrowsAsync<NotSupportedException>(() => driver.CommitAsync(None));
        await Assert.ThrowsAsync<NotSupportedException>(() => driver.RollbackAsync(None));
    }
}
