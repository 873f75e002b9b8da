using eNMS.Drivers;
using eNMS.Tests.TestSupport.Lab;

namespace eNMS.Tests.Drivers.Conformance;

/// <summary>Nokia SR OS (MD-CLI) over real SSH to its emulated device: a private candidate that <c>commit</c> applies
/// all or nothing. Whatever fails (a refused line, a refused commit, a dropped connection, a cancellation) leaves the
/// running configuration as it was and the CLI in operational mode; the two-line prompt never leaks into output;
/// paging on and off; a backup in braces without its timestamps; commit confirmed, accepted or left to revert.</summary>
[Collection(LabGroup.Name)]
public sealed class NokiaSrosConformanceTests(LabFixture lab)
{
    private static readonly CancellationToken None = CancellationToken.None;

    private const string Time = "Wed Nov 25 11:00:00 UTC 2026";

    private static readonly string[] Good =
        ["/configure system location \"enms lab\"", "port 1/1/2 description \"to r2\""];

    private const string Bad = "protocolz static-route 203.0.113.0/24";

    private async Task<(DeviceTarget Target, string Before)> FreshDeviceAsync()
    {
        lab.RequireLab();
        var target = lab.Emulated("nokia_sros");
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
    public async Task An_error_reply_is_typed_then_output_is_exact_without_the_context_line_with_paging_off_and_on()
    {
        lab.RequireLab();
        await using var driver = await lab.Factory.ConnectAsync(lab.Emulated("nokia_sros"), None);

        var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendCommandAsync("show bogus", None));
        Assert.Contains("MINOR: CLI #2069: Command not found - 'bogus'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("[/]", error.Reply, StringComparison.Ordinal);
        Assert.Equal(Time, await driver.SendCommandAsync("show time", None));
        var unpaged = await driver.SendCommandAsync("show log log-id 99", None);

        await driver.SendCommandAsync("environment more true", None);
        var paged = (await driver.SendCommandAsync("show log log-id 99", None)).Split('\n');

        Assert.Equal(60, paged.Length);
        Assert.Equal(unpaged, string.Join('\n', paged));
        Assert.Contains("Press Q to quit, Enter to print next line or any other key to print next page.", driver.Transcript, StringComparison.Ordinal);
        Assert.Contains("environment more false", driver.Transcript, StringComparison.Ordinal);
        Assert.DoesNotContain(LabFixture.Password, driver.Transcript, StringComparison.Ordinal);
    }

    [LabFact]
    public async Task A_refused_line_fails_quoting_it_and_the_candidate_is_discarded()
    {
        var (target, before) = await FreshDeviceAsync();
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            var lines = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendConfigAsync([Good[0], Bad, Good[1]], None));
            Assert.Equal(Bad, lines.Command);
            Assert.Contains("MINOR: CLI #2004: Unknown element - 'protocolz'", lines.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Good[1], driver.Transcript, StringComparison.Ordinal);

            var value = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendConfigAsync([Good[0], "port 1/1/3 ethernet mtu 99999"], None));
            Assert.Equal("port 1/1/3 ethernet mtu 99999", value.Command);
            Assert.Contains("Invalid element value - '99999' is out of range 512..9800", value.Message, StringComparison.Ordinal);

            Assert.Contains("discard", driver.Transcript, StringComparison.Ordinal);
            Assert.Contains("quit-config", driver.Transcript, StringComparison.Ordinal);
            Assert.True(driver.IsUsable);
            // In operational mode again: the running configuration is as it was.
            Assert.Equal(Time, await driver.SendCommandAsync("show time", None));
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
                var error = await Assert.ThrowsAsync<DeviceCommandException>(() => attempt % 2 == 0
                    ? driver.SendConfigAsync([Good[0], Bad, Good[1]], None)
                    : LoadAndCommitAsync(driver, [Good[0], Bad]));
                Assert.Equal(Bad, error.Command);
            }
            Assert.True(driver.IsUsable);
            Assert.Equal(Time, await driver.SendCommandAsync("show time", None));
            Assert.Equal(before, await driver.GetRunningConfigAsync(None));
        }

        await AssertUntouchedAsync(target, before);
    }

    private static async Task LoadAndCommitAsync(IDeviceDriver driver, string[] lines)
    {
        await driver.LoadCandidateAsync(string.Join('\n', lines), ConfigLoadMode.Merge, None);
        await driver.CommitAsync(None);
    }

    [LabFact]
    public async Task A_commit_the_device_refuses_quotes_why_and_nothing_applies()
    {
        var (target, before) = await FreshDeviceAsync();
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            // Each line passes on its own; the address without its prefix-length is what only the commit checks.
            var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendConfigAsync(
                [Good[0], "router \"Base\" interface \"enms\" ipv4 primary address 203.0.113.1"], None));

            Assert.Equal("commit", error.Command);
            Assert.Contains("MINOR: MGMT_CORE #4001: configure router \"Base\" interface \"enms\" ipv4 primary - Missing mandatory fields - prefix-length",
                error.Message, StringComparison.Ordinal);
            Assert.True(driver.IsUsable);
            Assert.Equal(Time, await driver.SendCommandAsync("show time", None));
            Assert.Equal(before, await driver.GetRunningConfigAsync(None));
        }

        await AssertUntouchedAsync(target, before);
    }

    [LabFact]
    public async Task Lines_navigate_and_commit_the_backup_has_the_brace_shape_without_its_timestamps_and_save_says_when_it_fails()
    {
        var (target, before) = await FreshDeviceAsync();
        Assert.StartsWith("exit all\nconfigure {\n", before, StringComparison.Ordinal);
        Assert.DoesNotContain("# ", before, StringComparison.Ordinal);
        await using var driver = await lab.Factory.ConnectAsync(target, None);

        await driver.LoadCandidateAsync(string.Join('\n', [.. Good, "router \"Base\"", "interface \"enms\" ipv4 primary address 203.0.113.1",
            "interface \"enms\" ipv4 primary prefix-length 24", "exit all"]), ConfigLoadMode.Merge, None);
        Assert.Equal(before, await driver.GetRunningConfigAsync(None)); // nothing applies before the commit
        await driver.CommitAsync(None);

        var running = await driver.GetRunningConfigAsync(None);
        Assert.Contains("    system {\n        location \"enms lab\"\n", running, StringComparison.Ordinal);
        Assert.Contains("    port 1/1/2 {\n        description \"to r2\"\n    }\n", running, StringComparison.Ordinal);
        Assert.Contains("        interface \"enms\" {\n            ipv4 {\n                primary {\n                    address 203.0.113.1\n" +
            "                    prefix-length 24\n", running, StringComparison.Ordinal);
        Assert.Null(driver.RunningConfigShape.Problem(running));
        Assert.NotNull(driver.RunningConfigShape.Problem(running[..running.LastIndexOf('}')]));
        Assert.Equal(running, await driver.GetRunningConfigAsync(None)); // no timestamp left in a backup
        Assert.Equal(Time, await driver.SendCommandAsync("show time", None));
        Assert.Contains("Completed.", await driver.SaveConfigAsync(None), StringComparison.Ordinal);

        await lab.SetFaultAsync(target, "nvram-full");
        await using var full = await lab.Factory.ConnectAsync(target, None);
        var error = await Assert.ThrowsAsync<DeviceCommandException>(() => full.SaveConfigAsync(None));
        Assert.Equal("admin save", error.Command);
        Assert.Contains("MINOR: MGMT_CORE #2005: Save failed", error.Message, StringComparison.Ordinal);
        Assert.Equal(Time, await full.SendCommandAsync("show time", None));
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
            await Assert.ThrowsAsync<InvalidOperationException>(() => driver.CommitAsync(None));

            await driver.LoadCandidateAsync(string.Join('\n', Good), ConfigLoadMode.Merge, None);
            await Assert.ThrowsAsync<InvalidOperationException>(() => driver.SaveConfigAsync(None));
        }

        await AssertUntouchedAsync(target, before);
    }

    [LabFact]
    public async Task A_confirmed_commit_stays_once_accepted_and_goes_back_by_itself_when_not()
    {
        var (target, before) = await FreshDeviceAsync();
        await using var driver = await lab.Factory.ConnectAsync(target, None);

        await driver.LoadCandidateAsync(Good[0], ConfigLoadMode.Merge, None);
        await driver.CommitAsync(None, TimeSpan.FromMinutes(1));
        Assert.Contains("commit confirmed 1", driver.Transcript, StringComparison.Ordinal);
        await driver.ConfirmCommitAsync(None);
        await Task.Delay(TimeSpan.FromSeconds(3)); // past the lab's minute (2 s)
        var kept = await driver.GetRunningConfigAsync(None);
        Assert.Contains("location \"enms lab\"", kept, StringComparison.Ordinal);

        await driver.LoadCandidateAsync(Good[1], ConfigLoadMode.Merge, None);
        await driver.CommitAsync(None, TimeSpan.FromMinutes(1));
        Assert.Contains("description \"to r2\"", await driver.GetRunningConfigAsync(None), StringComparison.Ordinal);
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(kept, await driver.GetRunningConfigAsync(None));
        var none = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.ConfirmCommitAsync(None));
        Assert.Contains("No confirmed commit in progress", none.Message, StringComparison.Ordinal);
        Assert.NotEqual(before, kept);
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
        var error = await Assert.ThrowsAnyAsync<DeviceException>(() => driver.SendConfigAsync([.. Good, "system contact \"noc\""], None));
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
    public async Task Replace_rollback_and_diff_are_declared_unsupported_not_faked()
    {
        lab.RequireLab();
        await using var driver = await lab.Factory.ConnectAsync(lab.Emulated("nokia_sros"), None);

        await Assert.ThrowsAsync<NotSupportedException>(() => driver.LoadCandidateAsync(Good[0], ConfigLoadMode.Replace, None));
        await Assert.ThrowsAsync<NotSupportedException>(() => driver.RollbackAsync(None));
        await Assert.ThrowsAsync<NotSupportedException>(() => driver.CompareAsync(None));
    }
}
