using eNMS.Drivers;
using eNMS.Tests.TestSupport.Lab;

namespace eNMS.Tests.Drivers.Conformance;

/// <summary>VyOS over real SSH to its emulated device: a working configuration per session that <c>commit</c> applies
/// all or nothing. Whatever fails (a refused line, a refused commit, a dropped connection) leaves the running
/// configuration as it was and the CLI in op mode; paging on and off; a backup in VyOS's brace shape; a save.</summary>
[Collection(LabGroup.Name)]
public sealed class VyosConformanceTests(LabFixture lab)
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static readonly string[] Good =
        ["set interfaces ethernet eth1 description 'enms vyos'", "set protocols static route 203.0.113.0/24 blackhole"];

    private const string Bad = "set protocolz static route 203.0.113.0/24";

    private async Task<(DeviceTarget Target, string Before)> FreshDeviceAsync()
    {
        lab.RequireLab();
        var target = lab.Emulated("vyos");
        await using var driver = await lab.Factory.ConnectAsync(target, None);
        return (target, await driver.GetRunningConfigAsync(None));
    }

    private async Task AssertUntouchedAsync(DeviceTarget target, string before)
    {
        await lab.SetFaultAsync(target, "");
        await using var check = await lab.Factory.ConnectAsync(target, None);
        Assert.Equal(before, await check.GetRunningConfigAsync(None));
    }

    [LabFact]
    public async Task An_error_reply_is_typed_then_output_is_exact_with_paging_off_and_on()
    {
        lab.RequireLab();
        await using var driver = await lab.Factory.ConnectAsync(lab.Emulated("vyos"), None);

        var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendCommandAsync("show bogus", None));
        Assert.Contains("Invalid command: show [bogus]", error.Message, StringComparison.Ordinal);
        Assert.Equal("Wed Nov 25 11:00:00 UTC 2026", await driver.SendCommandAsync("show date", None));
        var unpaged = await driver.SendCommandAsync("show log", None);

        await driver.SendCommandAsync("set terminal length 24", None);
        var paged = (await driver.SendCommandAsync("show log", None)).Split('\n');

        Assert.Equal(60, paged.Length);
        Assert.All(paged, l => Assert.StartsWith("Nov 25 11:", l, StringComparison.Ordinal));
        Assert.Equal(unpaged, string.Join('\n', paged));
        Assert.Contains("set terminal length 0", driver.Transcript, StringComparison.Ordinal);
        Assert.DoesNotContain(LabFixture.Password, driver.Transcript, StringComparison.Ordinal);
    }

    [LabFact]
    public async Task A_refused_line_fails_quoting_it_and_the_working_configuration_is_discarded()
    {
        var (target, before) = await FreshDeviceAsync();
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            var lines = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendConfigAsync([Good[0], Bad, Good[1]], None));
            Assert.Equal(Bad, lines.Command);
            Assert.Contains("Configuration path: [protocolz static route 203.0.113.0/24] is not valid", lines.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Good[1], driver.Transcript, StringComparison.Ordinal);

            var candidate = await Assert.ThrowsAsync<DeviceCommandException>(() => NegativeCase.PushAsync(driver, [Bad, .. Good], None));
            Assert.Equal(Bad, candidate.Command);

            Assert.Contains("exit discard", driver.Transcript, StringComparison.Ordinal);
            Assert.True(driver.IsUsable);
            // In op mode again: an op-mode command answers, and the running configuration is as it was.
            Assert.Equal("Wed Nov 25 11:00:00 UTC 2026", await driver.SendCommandAsync("show date", None));
            Assert.Equal(before, await driver.GetRunningConfigAsync(None));
        }

        await AssertUntouchedAsync(target, before);
    }

    [LabFact]
    public async Task Ten_refused_pushes_in_a_row_discard_each_time_and_leave_the_device_as_before()
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
            // Each line passes its own validation; the address is already eth0's, which only the commit verifies.
            var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendConfigAsync(
                ["set interfaces ethernet eth1 description second", "set interfaces ethernet eth1 address 192.0.2.1/24"], None));

            Assert.Equal("commit", error.Command);
            Assert.Contains("Cannot assign address 192.0.2.1/24 to interface eth1: it is already assigned to eth0", error.Message, StringComparison.Ordinal);
            Assert.Contains("Commit failed", error.Message, StringComparison.Ordinal);
            Assert.True(driver.IsUsable);
            Assert.Equal(before, await driver.GetRunningConfigAsync(None));
        }

        await AssertUntouchedAsync(target, before);
    }

    [LabFact]
    public async Task Merge_candidate_shows_its_diff_commits_and_is_in_the_backup_of_vyos_shape()
    {
        var (target, before) = await FreshDeviceAsync();
        await using var driver = await lab.Factory.ConnectAsync(target, None);

        await driver.LoadCandidateAsync(string.Join('\n', Good), ConfigLoadMode.Merge, None);
        var diff = (await driver.CompareAsync(None)).Split('\n');
        Assert.Equal(["  [interfaces ethernet eth1]", "+ description \"enms vyos\"", "  [protocols static route 203.0.113.0/24]", "+ blackhole"], diff);
        Assert.Equal(2, diff.Count(l => l.StartsWith('+')));
        Assert.DoesNotContain(diff, l => l.StartsWith('-'));
        Assert.Equal(before, await driver.GetRunningConfigAsync(None)); // nothing applies before the commit

        await driver.CommitAsync(None);

        var running = await driver.GetRunningConfigAsync(None);
        Assert.Contains("    ethernet eth1 {\n        description \"enms vyos\"\n    }\n", running, StringComparison.Ordinal);
        Assert.Contains("blackhole", running, StringComparison.Ordinal);
        Assert.StartsWith("interfaces {\n", running, StringComparison.Ordinal);
        Assert.Null(driver.RunningConfigShape.Problem(running));
        Assert.NotNull(driver.RunningConfigShape.Problem(running[..running.LastIndexOf('}')]));
        Assert.Equal("Wed Nov 25 11:00:00 UTC 2026", await driver.SendCommandAsync("show date", None));
    }

    [LabFact]
    public async Task A_discarded_or_abandoned_candidate_leaves_nothing()
    {
        var (target, before) = await FreshDeviceAsync();
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            await driver.LoadCandidateAsync(string.Join('\n', Good), ConfigLoadMode.Merge, None);
            await driver.DiscardAsync(None);
            Assert.Equal(before, await driver.GetRunningConfigAsync(None));
            await Assert.ThrowsAsync<InvalidOperationException>(() => driver.CompareAsync(None));

            await driver.LoadCandidateAsync(string.Join('\n', Good), ConfigLoadMode.Merge, None);
        }

        await AssertUntouchedAsync(target, before);
    }

    /// <summary>A push on a fresh device with <paramref name="fault"/> on; the device is as it was afterwards.</summary>
    private async Task PushUnderFaultAsync(string fault, Func<IDeviceDriver, Task> push)
    {
        var (target, before) = await FreshDeviceAsync();
        await lab.SetFaultAsync(target, fault);
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            await push(driver);
        }

        await AssertUntouchedAsync(target, before);
    }

    [LabFact]
    public Task A_push_cut_by_a_dropped_connection_leaves_the_device_as_it_was() => PushUnderFaultAsync("drop-mid-config", async driver =>
    {
        var error = await Assert.ThrowsAnyAsync<DeviceException>(() => driver.SendConfigAsync([.. Good, "set system ntp server 203.0.113.1"], None));
        Assert.IsType<DeviceConnectionException>(error);
    });

    [LabFact]
    public Task A_push_cancelled_midway_is_reported_and_leaves_the_device_as_it_was() => PushUnderFaultAsync("slow", async driver =>
    {
        using var cancel = new CancellationTokenSource();
        var push = driver.SendConfigAsync(Good, cancel.Token);
        while (!driver.Transcript.Contains(Good[0], StringComparison.Ordinal) && !push.IsCompleted)
        {
            await Task.Delay(10);
        }
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => push);
    });

    [LabFact]
    public async Task A_host_name_commit_moves_the_prompt_and_save_writes_or_fails_quoting_the_device()
    {
        var (target, _) = await FreshDeviceAsync();
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            await driver.SendConfigAsync(["set system host-name vyos-renamed"], None);
            Assert.Contains("enmslab@vyos-renamed:~$", driver.Transcript, StringComparison.Ordinal);
            Assert.Equal("Wed Nov 25 11:00:00 UTC 2026", await driver.SendCommandAsync("show date", None));

            Assert.Contains("Done", await driver.SaveConfigAsync(None), StringComparison.Ordinal);
            Assert.Equal("Wed Nov 25 11:00:00 UTC 2026", await driver.SendCommandAsync("show date", None));
        }

        await lab.SetFaultAsync(target, "nvram-full");
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SaveConfigAsync(None));
            Assert.Equal("save", error.Command);
            Assert.Contains("No space left on device", error.Message, StringComparison.Ordinal);
            Assert.Equal("Wed Nov 25 11:00:00 UTC 2026", await driver.SendCommandAsync("show date", None));
        }
    }

    [LabFact]
    public async Task Replace_rollback_and_commit_timers_are_declared_unsupported_not_faked()
    {
        lab.RequireLab();
        await using var driver = await lab.Factory.ConnectAsync(lab.Emulated("vyos"), None);

        await Assert.ThrowsAsync<NotSupportedException>(() => driver.LoadCandidateAsync(Good[0], ConfigLoadMode.Replace, None));
        await Assert.ThrowsAsync<NotSupportedException>(() => driver.RollbackAsync(None));
        await driver.LoadCandidateAsync(Good[0], ConfigLoadMode.Merge, None);
        await Assert.ThrowsAsync<NotSupportedException>(() => driver.CommitAsync(None, TimeSpan.FromMinutes(1)));
        await driver.DiscardAsync(None);
    }
}
