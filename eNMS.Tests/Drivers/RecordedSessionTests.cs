using eNMS.Drivers;
using eNMS.Drivers.Cli;

namespace eNMS.Tests.Drivers;

/// <summary>Platform drivers against sessions recorded from the lab (real vtysh, the vendor emulator).</summary>
public class RecordedSessionTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>A driver connected through a recorded session (<c>Transcripts/…</c>).</summary>
    internal static async Task<(IDeviceDriver Driver, TranscriptShell Shell)> ReplayAsync(string transcript, string platform, string name)
    {
        var shell = new TranscriptShell(transcript);
        var target = new DeviceTarget(name, "192.0.2.10", platform, new DeviceCredential("enmslab", "enms-lab") { EnableSecret = "enms-enable" });
        var factory = new DriverFactory(DriverRegistry.CreateDefault(), new KnownHosts())
        {
            OpenShell = (_, _) => Task.FromResult<IShell>(shell),
        };
        return (await factory.ConnectAsync(target, None), shell);
    }

    [Fact]
    public async Task Frr_output_is_what_vtysh_printed_and_an_unknown_command_is_typed()
    {
        var (driver, shell) = await ReplayAsync("frr/show_version.txt", "frr", "r1");
        await using var _ = driver;

        var output = await driver.SendCommandAsync("show version", None);
        var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendCommandAsync("show bogus", None));

        Assert.StartsWith("FRRouting 8.4.4 (r1) on Linux", output, StringComparison.Ordinal);
        Assert.EndsWith("'PYTHON=python3'", output, StringComparison.Ordinal);
        Assert.Equal(4, output.Split('\n').Length);
        Assert.Equal("% Unknown command: show bogus", error.Reply);
        Assert.True(shell.Finished);
    }

    [Fact]
    public async Task Ios_more_prompts_are_answered_and_erased_from_a_recorded_session()
    {
        var (driver, shell) = await ReplayAsync("cisco_ios/paging.txt", "cisco_ios", "ios-240");
        await using var _ = driver;

        await driver.SendCommandAsync("terminal length 24", None);
        var log = (await driver.SendCommandAsync("show logging", None)).Split('\n');

        Assert.Equal(60, log.Length);
        Assert.All(log, l => Assert.Matches(@"^Nov 25 11:\d\d:00: %SYS-5-CONFIG_I: Configured from console \(line \d+\)$", l));
        Assert.True(shell.Finished);
        Assert.DoesNotContain("enms-enable", driver.Transcript, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Junos_merge_loads_compares_and_commits_as_recorded()
    {
        var (driver, shell) = await ReplayAsync("juniper_junos/merge_commit.txt", "juniper_junos", "junos-240");
        await using var _ = driver;

        await driver.LoadCandidateAsync("routing-options {\n    static {\n        route 203.0.113.0/24 discard;\n    }\n}\n", ConfigLoadMode.Merge, None);
        var diff = await driver.CompareAsync(None);
        await driver.CommitAsync(None);
        var running = await driver.GetRunningConfigAsync(None);

        Assert.Equal("""
              [edit]
            +    routing-options {
            +        static {
            +            route 203.0.113.0/24 discard;
            +        }
            +    }
            """.ReplaceLineEndings("\n"), diff);
        Assert.StartsWith("system {", running, StringComparison.Ordinal);
        Assert.Contains("        route 203.0.113.0/24 discard;", running, StringComparison.Ordinal);
        Assert.Null(driver.RunningConfigShape.Problem(running)); // the recorded output is what a complete backup looks like
        Assert.True(shell.Finished);
    }

    [Fact]
    public async Task Eos_replace_follows_the_renamed_prompt_and_rolls_back_as_recorded()
    {
        var (driver, shell) = await ReplayAsync("arista_eos/replace_commit_rollback.txt", "arista_eos", "eos-240");
        await using var _ = driver;

        await driver.LoadCandidateAsync("hostname eos-rec\ninterface Ethernet1\n description replaced\n", ConfigLoadMode.Replace, None);
        var diff = await driver.CompareAsync(None);
        await driver.CommitAsync(None);
        var replaced = await driver.GetRunningConfigAsync(None);
        await driver.RollbackAsync(None);
        var restored = await driver.GetRunningConfigAsync(None);

        Assert.Contains("- hostname eos-240\n+ hostname eos-rec", diff, StringComparison.Ordinal);
        Assert.Contains("+  description replaced", diff, StringComparison.Ordinal);
        Assert.Contains("hostname eos-rec", replaced, StringComparison.Ordinal);
        Assert.Contains("hostname eos-240", restored, StringComparison.Ordinal);
        Assert.Null(driver.RunningConfigShape.Problem(restored));
        Assert.NotNull(driver.RunningConfigShape.Problem(restored[..(restored.Length / 2)]));
        Assert.True(shell.Finished);
    }
}
