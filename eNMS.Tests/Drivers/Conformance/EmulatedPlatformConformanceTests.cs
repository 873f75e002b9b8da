using eNMS.Drivers;
using eNMS.Tests.TestSupport.Lab;

namespace eNMS.Tests.Drivers.Conformance;

/// <summary>Every emulated vendor platform over real SSH: the same contract, gated by declared capabilities.</summary>
[Collection(LabGroup.Name)]
public class EmulatedPlatformConformanceTests(LabFixture lab)
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>How a test reaches a fresh emulated device (a subclass runs the whole contract over another transport).</summary>
    protected virtual DeviceTarget Dial(DeviceTarget target) => target;

    private async Task<IDeviceDriver> ConnectAsync(string platform)
    {
        lab.RequireLab();
        return await lab.Factory.ConnectAsync(Dial(lab.Emulated(platform)), None);
    }

    private static bool HasLine(string text, char sign, string content) =>
        text.Split('\n').Any(l => l.StartsWith(sign) && l.Contains(content, StringComparison.Ordinal));

    [LabTheory]
    [MemberData(nameof(PlatformCase.Emulated), MemberType = typeof(PlatformCase))]
    public async Task Connects_finds_the_prompt_and_returns_exact_command_output(string platform)
    {
        var c = PlatformCase.For(platform);
        await using var driver = await ConnectAsync(platform);

        var output = await driver.SendCommandAsync(c.Command, None);

        Assert.Equal(c.ExpectedOutput, output);
        Assert.Contains(c.Command, driver.Transcript, StringComparison.Ordinal);
        Assert.DoesNotContain(LabFixture.Password, driver.Transcript, StringComparison.Ordinal);
        Assert.DoesNotContain(LabFixture.EnableSecret, driver.Transcript, StringComparison.Ordinal);
    }

    [LabTheory]
    [MemberData(nameof(PlatformCase.Emulated), MemberType = typeof(PlatformCase))]
    public async Task Error_replies_are_typed_and_the_connection_stays_usable(string platform)
    {
        var c = PlatformCase.For(platform);
        await using var driver = await ConnectAsync(platform);

        var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendCommandAsync(c.BadCommand, None));
        Assert.Equal(c.BadCommand, error.Command);
        Assert.Equal(driver.Target.Name, error.Device);

        Assert.Equal(c.ExpectedOutput, await driver.SendCommandAsync(c.Command, None));
    }

    [LabTheory]
    [MemberData(nameof(PlatformCase.Emulated), MemberType = typeof(PlatformCase))]
    public async Task Pushed_config_is_in_the_running_config_and_a_bad_line_is_a_typed_error(string platform)
    {
        var c = PlatformCase.For(platform);
        await using var driver = await ConnectAsync(platform);

        await driver.SendConfigAsync(c.ConfigLines, None);

        Assert.Contains(c.ConfigInRunning, await driver.GetRunningConfigAsync(None), StringComparison.Ordinal);
        var bad = platform == "juniper_junos" ? "set bogus thing" : "bogus line";
        var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendConfigAsync([bad], None));
        Assert.Equal(bad, error.Command);
        Assert.Equal(c.ExpectedOutput, await driver.SendCommandAsync(c.Command, None));
    }

    [LabTheory]
    [MemberData(nameof(PlatformCase.Emulated), MemberType = typeof(PlatformCase))]
    public async Task Merge_candidate_shows_its_diff_commits_and_rolls_back(string platform)
    {
        var c = PlatformCase.For(platform);
        await using var driver = await ConnectAsync(platform);
        var before = await driver.GetRunningConfigAsync(None);

        await driver.LoadCandidateAsync(c.MergeCandidate, ConfigLoadMode.Merge, None);
        var diff = await driver.CompareAsync(None);
        Assert.True(HasLine(diff, '+', c.MergedLine), diff);
        Assert.False(HasLine(diff, '-', ""), diff);
        Assert.True(c.MergeCandidate.Trim().Split('\n').Length == diff.Split('\n').Count(l => l.StartsWith('+')), diff);
        await driver.CommitAsync(None);
        Assert.Contains(c.MergedLine, await driver.GetRunningConfigAsync(None), StringComparison.Ordinal);

        await driver.RollbackAsync(None);

        Assert.Equal(before, await driver.GetRunningConfigAsync(None));
    }

    [LabTheory]
    [MemberData(nameof(PlatformCase.Emulated), MemberType = typeof(PlatformCase))]
    public async Task Replace_candidate_removes_what_it_lacks_or_is_declared_unsupported(string platform)
    {
        var c = PlatformCase.For(platform);
        await using var driver = await ConnectAsync(platform);
        var candidate = c.ReplaceCandidate(driver.Target.Name);
        if (!driver.Capabilities.HasFlag(DriverCapabilities.ConfigReplace))
        {
            await Assert.ThrowsAsync<NotSupportedException>(() => driver.LoadCandidateAsync(candidate, ConfigLoadMode.Replace, None));
            return;
        }
        var before = await driver.GetRunningConfigAsync(None);
        var host = before.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("hostname ", StringComparison.Ordinal)
            || l.StartsWith("host-name ", StringComparison.Ordinal)).Split(' ')[1].TrimEnd(';');
        candidate = c.ReplaceCandidate(host);

        await driver.LoadCandidateAsync(candidate, ConfigLoadMode.Replace, None);
        var diff = await driver.CompareAsync(None);
        Assert.True(HasLine(diff, '+', c.ReplacedAddedLine), diff);
        Assert.True(HasLine(diff, '-', c.ReplacedRemovedLine), diff);
        await driver.CommitAsync(None);
        var replaced = await driver.GetRunningConfigAsync(None);
        Assert.Contains(c.ReplacedAddedLine, replaced, StringComparison.Ordinal);
        Assert.DoesNotContain(c.ReplacedRemovedLine, replaced, StringComparison.Ordinal);

        await driver.RollbackAsync(None);

        Assert.Equal(before, await driver.GetRunningConfigAsync(None));
    }

    [LabTheory]
    [MemberData(nameof(PlatformCase.Emulated), MemberType = typeof(PlatformCase))]
    public async Task Discarded_candidate_leaves_nothing_to_compare_or_apply(string platform)
    {
        var c = PlatformCase.For(platform);
        await using var driver = await ConnectAsync(platform);
        var before = await driver.GetRunningConfigAsync(None);

        await driver.LoadCandidateAsync(c.MergeCandidate, ConfigLoadMode.Merge, None);
        await driver.DiscardAsync(None);

        Assert.Equal(before, await driver.GetRunningConfigAsync(None));
        if (platform == "juniper_junos")
        {
            Assert.Equal("", await driver.CompareAsync(None));
        }
        else
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => driver.CompareAsync(None));
        }
    }

    [LabTheory]
    [MemberData(nameof(PlatformCase.Emulated), MemberType = typeof(PlatformCase))]
    public async Task Commit_with_a_timer_reverts_unless_confirmed_where_supported(string platform)
    {
        var c = PlatformCase.For(platform);
        await using var driver = await ConnectAsync(platform);
        await driver.LoadCandidateAsync(c.MergeCandidate, ConfigLoadMode.Merge, None);
        if (!driver.Capabilities.HasFlag(DriverCapabilities.CommitConfirm))
        {
            await Assert.ThrowsAsync<NotSupportedException>(() => driver.CommitAsync(None, TimeSpan.FromMinutes(1)));
            return;
        }
        var before = await driver.GetRunningConfigAsync(None);

        // The lab's emulator runs Junos minutes as 2 s (ENMS_EMU_MINUTE); EOS timers are in seconds.
        await driver.CommitAsync(None, TimeSpan.FromSeconds(2));
        Assert.Contains(c.MergedLine, await driver.GetRunningConfigAsync(None), StringComparison.Ordinal);
        await Task.Delay(TimeSpan.FromSeconds(3));

        Assert.Equal(before, await driver.GetRunningConfigAsync(None));

        // Confirmed in time, it stays (with a replace candidate where the platform has one).
        bool replace = driver.Capabilities.HasFlag(DriverCapabilities.ConfigReplace);
        var host = driver.Target.Name;
        if (replace)
        {
            host = before.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("hostname ", StringComparison.Ordinal)
                || l.StartsWith("host-name ", StringComparison.Ordinal)).Split(' ')[1].TrimEnd(';');
        }
        await driver.LoadCandidateAsync(replace ? c.ReplaceCandidate(host) : c.MergeCandidate,
            replace ? ConfigLoadMode.Replace : ConfigLoadMode.Merge, None);
        await driver.CommitAsync(None, TimeSpan.FromSeconds(2));
        await driver.ConfirmCommitAsync(None);
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Contains(replace ? c.ReplacedAddedLine : c.MergedLine, await driver.GetRunningConfigAsync(None), StringComparison.Ordinal);
    }

    [LabTheory]
    [MemberData(nameof(PlatformCase.Emulated), MemberType = typeof(PlatformCase))]
    public async Task Pager_prompts_are_answered_when_paging_is_back_on(string platform)
    {
        await using var driver = await ConnectAsync(platform);
        bool junos = platform == "juniper_junos";
        await driver.SendCommandAsync(junos ? "set cli screen-length 24" : "terminal length 24", None);

        var log = (await driver.SendCommandAsync(junos ? "show log messages" : "show logging", None)).Split('\n');

        // IOS XR: the time first, and each message names the node that logged it.
        bool xr = platform == "cisco_xr";
        Assert.Equal(xr ? 61 : 60, log.Length);
        Assert.All(log.Skip(xr ? 1 : 0), l => Assert.StartsWith(xr ? "RP/0/RP0/CPU0:Nov 25 11:" : "Nov 25 11:", l, StringComparison.Ordinal));
        Assert.Equal(PlatformCase.For(platform).ExpectedOutput, await driver.SendCommandAsync(PlatformCase.For(platform).Command, None));
    }
}
