using eNMS.Drivers;
using eNMS.Drivers.Cli;
using eNMS.Tests.TestSupport.Lab;

namespace eNMS.Tests.Drivers.Conformance;

/// <summary>Palo Alto PAN-OS over real SSH to its emulated device: a candidate shared by every administrator that
/// <c>commit</c> applies all or nothing. Whatever fails (a refused line, a refused commit, a dropped connection) leaves
/// the running configuration as it was and nothing of ours in the candidate; someone else's uncommitted changes are
/// never committed with ours; paging on and off; a backup in PAN-OS's brace shape.</summary>
[Collection(LabGroup.Name)]
public sealed class PaloAltoPanosConformanceTests(LabFixture lab)
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static readonly string[] Good = ["set address enms-web ip-netmask 203.0.113.10/32", "set address enms-web description \"enms panos\""];

    private const string Bad = "set adress enms-web ip-netmask 203.0.113.10/32";

    private const string Clock = "Wed Nov 25 11:00:00 UTC 2026";

    private async Task<(DeviceTarget Target, string Before)> FreshDeviceAsync()
    {
        lab.RequireLab();
        var target = lab.Emulated("paloalto_panos");
        await using var driver = await lab.Factory.ConnectAsync(target, None);
        return (target, await driver.GetRunningConfigAsync(None));
    }

    /// <summary>The running configuration is as before and the candidate holds nothing (asked on a new connection).</summary>
    private async Task AssertUntouchedAsync(DeviceTarget target, string before)
    {
        await lab.SetFaultAsync(target, "");
        await using var check = await lab.Factory.ConnectAsync(target, None);
        Assert.Equal(before, await check.GetRunningConfigAsync(None));
        Assert.Equal("no", await check.SendCommandAsync("check pending-changes", None));
    }

    [LabFact]
    public async Task An_error_reply_is_typed_then_output_is_exact_with_paging_off_and_on()
    {
        lab.RequireLab();
        await using var driver = await lab.Factory.ConnectAsync(lab.Emulated("paloalto_panos"), None);

        var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendCommandAsync("show bogus", None));
        Assert.Contains("Unknown command: bogus", error.Message, StringComparison.Ordinal);
        Assert.Equal(Clock, await driver.SendCommandAsync("show clock", None));
        var unpaged = await driver.SendCommandAsync("show log system", None);

        await driver.SendCommandAsync("set cli pager on", None);
        var paged = (await driver.SendCommandAsync("show log system", None)).Split('\n');

        Assert.Equal(60, paged.Count(l => l.StartsWith("2026/11/25 11:", StringComparison.Ordinal)));
        Assert.Equal(unpaged, string.Join('\n', paged));
        Assert.DoesNotContain(paged, l => l.StartsWith("lines ", StringComparison.Ordinal));
        Assert.Contains("set cli pager off", driver.Transcript, StringComparison.Ordinal);
        Assert.Contains("set cli scripting-mode on", driver.Transcript, StringComparison.Ordinal);
        Assert.DoesNotContain(LabFixture.Password, driver.Transcript, StringComparison.Ordinal);
    }

    [LabFact]
    public async Task A_refused_line_fails_quoting_it_and_the_candidate_is_reverted()
    {
        var (target, before) = await FreshDeviceAsync();
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendConfigAsync([Good[0], Bad, Good[1]], None));

            Assert.Equal(Bad, error.Command);
            Assert.Contains("Invalid syntax.", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Good[1], driver.Transcript, StringComparison.Ordinal);
            Assert.Contains("revert config", driver.Transcript, StringComparison.Ordinal);
            Assert.True(driver.IsUsable);
            Assert.Equal(Clock, await driver.SendCommandAsync("show clock", None));
            Assert.Equal(before, await driver.GetRunningConfigAsync(None));
        }

        await AssertUntouchedAsync(target, before);
    }

    [LabFact]
    public async Task Ten_refused_pushes_in_a_row_revert_each_time_and_leave_the_device_as_before()
    {
        var (target, before) = await FreshDeviceAsync();
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            for (var attempt = 0; attempt < 10; attempt++)
            {
                var error = await Assert.ThrowsAsync<DeviceCommandException>(() => NegativeCase.PushAsync(driver, [Good[0], Bad, Good[1]], None));
                Assert.Equal(Bad, error.Command);
            }
            Assert.True(driver.IsUsable);
            Assert.Equal(before, await driver.GetRunningConfigAsync(None));
        }

        await AssertUntouchedAsync(target, before);
    }

    [LabFact]
    public async Task A_commit_the_device_refuses_quotes_why_and_nothing_applies()
    {
        var (target, before) = await FreshDeviceAsync();
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            // Each line is valid on its own; the zone 'dmz' does not exist, which only the commit's validation sees.
            var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendConfigAsync(
                [Good[0], "set rulebase security rules enms-r1 from trust to dmz action allow"], None));

            Assert.Equal("commit", error.Command);
            Assert.Contains("rulebase -> security -> rules -> enms-r1 -> to 'dmz' is not an allowed keyword | Commit failed", error.Message, StringComparison.Ordinal);
            Assert.True(driver.IsUsable);
            Assert.Equal(before, await driver.GetRunningConfigAsync(None));
        }

        await AssertUntouchedAsync(target, before);
    }

    [LabFact]
    public async Task Someone_elses_uncommitted_changes_are_never_committed_with_ours_nor_reverted()
    {
        var (target, before) = await FreshDeviceAsync();
        await using (var other = await lab.Factory.ConnectAsync(target, None))
        {
            await other.SendCommandAsync("configure", None);
            await other.SendCommandAsync("set address someone-else ip-netmask 198.18.0.1/32", None);
            await other.SendCommandAsync("exit", None);
        }
        await using var driver = await lab.Factory.ConnectAsync(target, None);

        var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendConfigAsync(Good, None));

        Assert.Equal("check pending-changes", error.Command);
        Assert.Contains("revert config", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Good[0], driver.Transcript, StringComparison.Ordinal);
        Assert.Equal(before, await driver.GetRunningConfigAsync(None));
        Assert.Equal("yes", await driver.SendCommandAsync("check pending-changes", None));
    }

    [LabFact]
    public async Task Merge_candidate_shows_its_diff_commits_and_is_in_the_backup_of_panos_shape()
    {
        var (target, before) = await FreshDeviceAsync();
        await using var driver = await lab.Factory.ConnectAsync(target, None);

        await driver.LoadCandidateAsync(string.Join('\n', Good), ConfigLoadMode.Merge, None);
        var diff = (await driver.CompareAsync(None)).Split('\n');
        Assert.Contains("+       ip-netmask 203.0.113.10/32;", diff);
        Assert.Contains("+       description \"enms panos\";", diff);
        Assert.DoesNotContain(diff, l => l.StartsWith('-'));
        Assert.Equal(before, await driver.GetRunningConfigAsync(None)); // nothing applies before the commit

        await driver.CommitAsync(None);

        var running = await driver.GetRunningConfigAsync(None);
        Assert.Contains("  address {\n    enms-web {\n      description \"enms panos\";\n      ip-netmask 203.0.113.10/32;\n    }\n  }\n", running, StringComparison.Ordinal);
        Assert.StartsWith("config {\n", running, StringComparison.Ordinal);
        Assert.Null(driver.RunningConfigShape.Problem(running));
        Assert.NotNull(driver.RunningConfigShape.Problem(running[..running.LastIndexOf('}')]));
        Assert.Equal(Clock, await driver.SendCommandAsync("show clock", None));
    }

    [LabFact]
    public async Task A_discarded_or_abandoned_candidate_leaves_nothing()
    {
        var (target, before) = await FreshDeviceAsync();
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            await driver.LoadCandidateAsync(string.Join('\n', Good), ConfigLoadMode.Merge, None);
            await driver.DiscardAsync(None);
            Assert.Equal("no", await driver.SendCommandAsync("check pending-changes", None));
            await Assert.ThrowsAsync<InvalidOperationException>(() => driver.CompareAsync(None));

            await driver.LoadCandidateAsync(string.Join('\n', Good), ConfigLoadMode.Merge, None);
        }

        await AssertUntouchedAsync(target, before);
    }

    [LabFact]
    public async Task A_push_cut_by_a_dropped_connection_is_reverted_over_a_new_one()
    {
        var (target, before) = await FreshDeviceAsync();
        await lab.SetFaultAsync(target, "drop-mid-config");
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            var error = await Assert.ThrowsAnyAsync<DeviceException>(() => driver.SendConfigAsync([.. Good, "set address enms-other ip-netmask 203.0.113.11/32"], None));
            Assert.IsType<DeviceConnectionException>(error);
        }

        await AssertUntouchedAsync(target, before);
    }

    [LabFact]
    public async Task A_push_cancelled_midway_sends_nothing_after_the_cancel_and_the_candidate_is_reverted()
    {
        string[] lines = [.. Good, "set address enms-other ip-netmask 203.0.113.11/32"];
        var (target, before) = await FreshDeviceAsync();
        await lab.SetFaultAsync(target, "slow");
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            await CancelMidway.PushAsync(driver, lines, lines[1]);
            Assert.DoesNotContain(lines[2], driver.Transcript, StringComparison.Ordinal);
            Assert.DoesNotContain("Configuration committed", driver.Transcript, StringComparison.Ordinal);
            // The candidate outlives the session: reverted on this connection when the cancel came between lines,
            // else over a new one once this one is closed (so that the line it was sending cannot land afterwards).
            if (driver.IsUsable)
            {
                Assert.Contains("revert config", driver.Transcript, StringComparison.Ordinal);
                Assert.Equal(Clock, await driver.SendCommandAsync("show clock", None));
            }
            else
            {
                Assert.Contains("[eNMS: connection closed: cancelled mid-command]", driver.Transcript, StringComparison.Ordinal);
            }
        }

        await AssertUntouchedAsync(target, before);
    }

    [LabFact]
    public async Task A_host_name_commit_moves_the_prompt_and_there_is_nothing_to_save()
    {
        var (target, _) = await FreshDeviceAsync();
        await using var driver = await lab.Factory.ConnectAsync(target, None);

        await driver.SendConfigAsync(["set deviceconfig system hostname pa-renamed"], None);

        Assert.Contains("enmslab@pa-renamed>", driver.Transcript, StringComparison.Ordinal);
        Assert.Equal(Clock, await driver.SendCommandAsync("show clock", None));
        Assert.Equal(CliDriver.NothingToSave("paloalto_panos"), await driver.SaveConfigAsync(None));
    }

    [LabFact]
    public async Task Replace_rollback_and_commit_timers_are_declared_unsupported_not_faked()
    {
        var (target, before) = await FreshDeviceAsync();
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            await Assert.ThrowsAsync<NotSupportedException>(() => driver.LoadCandidateAsync(Good[0], ConfigLoadMode.Replace, None));
            await Assert.ThrowsAsync<NotSupportedException>(() => driver.RollbackAsync(None));
            await driver.LoadCandidateAsync(Good[0], ConfigLoadMode.Merge, None);
            await Assert.ThrowsAsync<NotSupportedException>(() => driver.CommitAsync(None, TimeSpan.FromMinutes(1)));
            await driver.DiscardAsync(None);
        }

        await AssertUntouchedAsync(target, before);
    }
}
