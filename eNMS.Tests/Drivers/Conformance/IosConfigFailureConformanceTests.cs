using System.Diagnostics;
using System.Text.Json;
using eNMS.Drivers;
using eNMS.Tests.TestSupport.Lab;

namespace eNMS.Tests.Drivers.Conformance;

/// <summary>
/// The negative section for cisco_ios over real SSH against the emulator: a push that fails anywhere (a refused line,
/// a drop, a cancellation, a timer not confirmed, ten failures in a row) leaves the running configuration as it was
/// and no file or timer of eNMS's on the device; with tclsh refused (candidate by SCP), and with SCP refused too.
/// </summary>
[Collection(LabGroup.Name)]
public class IosConfigFailureConformanceTests(LabFixture lab)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly string[] GoodLines = ["interface GigabitEthernet0/9", " description enms-negative", "exit", "ip route 203.0.113.0 255.255.255.0 Null0"];

    private async Task<(DeviceTarget Target, string Before)> DeviceAsync(string faults = "")
    {
        lab.RequireLab();
        var target = lab.Emulated("cisco_ios");
        await lab.SetFaultAsync(target, faults);
        await using var driver = await lab.Factory.ConnectAsync(target, None);
        return (target, await driver.GetRunningConfigAsync(None));
    }

    /// <summary>The device as the emulator keeps it: flash file names and whether a revert timer is armed.</summary>
    private async Task<(string[] Flash, bool TimerArmed)> StateAsync(DeviceTarget target)
    {
        var path = Path.Combine(lab.LabDir, "emulator", "state", target.Host, "device.json");
        if (!File.Exists(path))
        {
            return ([], false); // the device never changed
        }
        using var state = JsonDocument.Parse(await File.ReadAllTextAsync(path));
        var flash = state.RootElement.GetProperty("flash").EnumerateObject().Select(p => p.Name).Order().ToArray();
        return (flash, state.RootElement.GetProperty("pending").ValueKind is not JsonValueKind.Null);
    }

    private async Task AssertUnchangedAndCleanAsync(DeviceTarget target, string before, params string[] allowedFiles)
    {
        await lab.SetFaultAsync(target, "");
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            Assert.Equal(before, await driver.GetRunningConfigAsync(None));
        }
        var (flash, timer) = await StateAsync(target);
        Assert.Equal(allowedFiles.Order(), flash);
        Assert.False(timer, "a revert timer is still armed");
    }

    private async Task<DeviceCommandException> RefusedPushAsync(DeviceTarget target, params string[] lines)
    {
        await using var driver = await lab.Factory.ConnectAsync(target, None);
        return await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendConfigAsync(lines, None));
    }

    [LabTheory]
    [InlineData("")]
    [InlineData("notcl noscp")]
    public async Task A_line_refused_in_the_middle_fails_quoting_the_device_and_undoes_the_lines_before(string faults)
    {
        var (target, before) = await DeviceAsync(faults);

        var error = await RefusedPushAsync(target, "interface GigabitEthernet0/9", " description enms-negative", "bogus words", "ip route 203.0.113.0 255.255.255.0 Null0");

        Assert.Contains("'bogus words' failed: % Invalid input detected at '^' marker.", error.Message, StringComparison.Ordinal);
        Assert.Contains("line 3 of 4", error.Message, StringComparison.Ordinal);
        Assert.Contains("as it was", error.Message, StringComparison.Ordinal);
        await AssertUnchangedAndCleanAsync(target, before);
    }

    [LabFact]
    public async Task A_refused_first_line_quotes_incomplete_command()
    {
        var (target, before) = await DeviceAsync();

        var error = await RefusedPushAsync(target, "interface", " description enms-negative");

        Assert.Contains("'interface' failed: % Incomplete command.", error.Message, StringComparison.Ordinal);
        Assert.Contains("line 1 of 2", error.Message, StringComparison.Ordinal);
        await AssertUnchangedAndCleanAsync(target, before);
    }

    [LabFact]
    public async Task All_lines_refused_quotes_the_first_refusal()
    {
        var (target, before) = await DeviceAsync();

        var error = await RefusedPushAsync(target, "i 1", "bogus", "interface");

        Assert.Contains("'i 1' failed: % Ambiguous command:  \"i 1\"", error.Message, StringComparison.Ordinal);
        await AssertUnchangedAndCleanAsync(target, before);
    }

    [LabFact]
    public async Task A_push_cut_by_a_dead_connection_is_undone_on_a_new_one()
    {
        var (target, before) = await DeviceAsync("kill-config");
        await using var driver = await lab.Factory.ConnectAsync(target, None);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<DeviceConnectionException>(() => driver.SendConfigAsync(GoodLines, None));

        Assert.Contains("connection lost", error.Message, StringComparison.Ordinal);
        Assert.Contains("as it was", error.Message, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0, 10);
        await AssertUnchangedAndCleanAsync(target, before);
    }

    [LabFact]
    public async Task A_push_cancelled_midway_is_undone()
    {
        var (target, before) = await DeviceAsync("slow");
        await using var driver = await lab.Factory.ConnectAsync(target, None);
        var lines = Enumerable.Range(1, 40).SelectMany(i => new[] { $"interface GigabitEthernet1/{i}", $" description cancelled-{i}" });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => driver.SendConfigAsync(lines, cts.Token));

        Assert.Contains("as it was", error.Message, StringComparison.Ordinal);
        await AssertUnchangedAndCleanAsync(target, before);
    }

    [LabFact]
    public async Task A_merge_commit_not_confirmed_reverts_and_leaves_no_timer()
    {
        var (target, before) = await DeviceAsync("notcl noscp");
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            await driver.LoadCandidateAsync(string.Join('\n', GoodLines), ConfigLoadMode.Merge, None);
            Assert.Contains("+  description enms-negative", await driver.CompareAsync(None), StringComparison.Ordinal);
            // The lab counts an emulated minute as 2 s (ENMS_EMU_MINUTE).
            await driver.CommitAsync(None, TimeSpan.FromMinutes(1));
            Assert.Contains("description enms-negative", await driver.GetRunningConfigAsync(None), StringComparison.Ordinal);
        }
        await Task.Delay(TimeSpan.FromSeconds(3));

        await AssertUnchangedAndCleanAsync(target, before, "enms_rollback.txt");
    }

    [LabFact]
    public async Task Ten_refused_pushes_in_a_row_exhaust_nothing()
    {
        var (target, before) = await DeviceAsync();
        await using var driver = await lab.Factory.ConnectAsync(target, None);
        for (int i = 0; i < 10; i++)
        {
            await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendConfigAsync(["interface GigabitEthernet0/9", "bogus"], None));
        }
        Assert.Equal(before, await driver.GetRunningConfigAsync(None));

        await driver.SendConfigAsync(GoodLines, None);

        Assert.Contains("description enms-negative", await driver.GetRunningConfigAsync(None), StringComparison.Ordinal);
        Assert.Empty((await StateAsync(target)).Flash);
    }

    [LabTheory]
    [InlineData("notcl")]
    [InlineData("noscp")]
    public async Task A_replace_candidate_travels_by_scp_or_tclsh_and_leaves_only_the_rollback_file(string faults)
    {
        var (target, before) = await DeviceAsync(faults);
        await using var driver = await lab.Factory.ConnectAsync(target, None);

        var host = before.Split('\n').First(l => l.StartsWith("hostname ", StringComparison.Ordinal))[9..];

        await driver.LoadCandidateAsync(PlatformCase.Ios.ReplaceCandidate(host), ConfigLoadMode.Replace, None);
        Assert.Contains("enms_candidate.txt", (await StateAsync(target)).Flash);
        Assert.Contains("description replaced", await driver.CompareAsync(None), StringComparison.Ordinal);
        await driver.CommitAsync(None);

        Assert.Contains("description replaced", await driver.GetRunningConfigAsync(None), StringComparison.Ordinal);
        Assert.Equal(["enms_rollback.txt"], (await StateAsync(target)).Flash);
        Assert.Null(await driver.RollbackUnavailableAsync(None));
        await driver.RollbackAsync(None);
        Assert.Equal(before, await driver.GetRunningConfigAsync(None));
    }

    [LabFact]
    public async Task Without_scp_and_tclsh_a_replace_is_refused_saying_what_the_device_lacks()
    {
        var (target, before) = await DeviceAsync("notcl noscp");
        await using var driver = await lab.Factory.ConnectAsync(target, None);

        var error = await Assert.ThrowsAsync<DeviceException>(() => driver.LoadCandidateAsync("hostname x\n", ConfigLoadMode.Replace, None));

        Assert.Contains("neither SCP nor tclsh is available", error.Message, StringComparison.Ordinal);
        Assert.Contains("ip scp server enable", error.Message, StringComparison.Ordinal);
        Assert.Contains("% Unknown command or computer name", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("'tclsh' failed", error.Message, StringComparison.Ordinal);
        await AssertUnchangedAndCleanAsync(target, before);
    }

    [LabFact]
    public async Task A_rollback_with_no_saved_configuration_is_refused_before_anything_runs()
    {
        var (target, _) = await DeviceAsync();
        await using var driver = await lab.Factory.ConnectAsync(target, None);

        Assert.Contains("enms_rollback.txt", await driver.RollbackUnavailableAsync(None), StringComparison.Ordinal);
        await Assert.ThrowsAsync<DeviceCommandException>(() => driver.RollbackAsync(None));
    }

    [LabFact]
    public async Task A_killed_connection_is_reported_lost_at_once_not_after_the_silence_timeout()
    {
        lab.RequireLab();
        var target = lab.Emulated("cisco_ios", t => t with { Read = TimeSpan.FromSeconds(30) });
        await lab.SetFaultAsync(target, "kill");
        await using var driver = await lab.Factory.ConnectAsync(target, None);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<DeviceConnectionException>(() => driver.SendCommandAsync("show running-config", None));

        Assert.InRange(clock.Elapsed.TotalSeconds, 0, 3);
        Assert.Contains("connection lost", error.Message, StringComparison.Ordinal);
        Assert.Contains("Building configuration", error.PartialOutput, StringComparison.Ordinal);
    }
}
