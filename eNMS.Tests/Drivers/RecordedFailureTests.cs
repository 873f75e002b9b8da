using eNMS.Drivers;
using eNMS.Drivers.Platforms;

namespace eNMS.Tests.Drivers;

/// <summary>Failed configuration pushes replayed from sessions recorded from the lab emulator
/// (<c>Conformance/TranscriptRecordingTests</c>): what the driver sends to undo them, and what it reports.</summary>
public class RecordedFailureTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    public const string JunosRefused = "protocolz {\n    ospf;\n}\nrouting-options {\n    static {\n        route 203.0.113.0/24 discard;\n    }\n}\n";

    public const string EosRefused = "interface Ethernet7\n description enms-negative\nbogus line\nip route 203.0.113.0/24 Null0\n";

    public const string NxosRefused = "interface Ethernet1/7\n description enms-negative\nbogus line\n";

    /// <summary>What five runs that died mid-push leave on an EOS device: pending sessions named like ours.</summary>
    internal static async Task AbandonFiveSessionsAsync(IDeviceDriver driver)
    {
        foreach (var n in Enumerable.Range(1, 5))
        {
            await driver.SendCommandAsync($"configure session enms-dead000{n}", None);
            await driver.SendCommandAsync("end", None);
        }
    }

    private static Task<(IDeviceDriver Driver, TranscriptShell Shell)> ReplayAsync(string transcript, string platform, string name) =>
        RecordedSessionTests.ReplayAsync(transcript, platform, name);

    [Fact]
    public async Task Junos_load_with_a_refused_statement_fails_quoting_the_device_and_discards_the_candidate()
    {
        var (driver, shell) = await ReplayAsync("juniper_junos/load_refused.txt", "juniper_junos", "junos-241");
        await using var _ = driver;

        var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.LoadCandidateAsync(JunosRefused, ConfigLoadMode.Merge, None));
        var diff = await driver.CompareAsync(None);

        Assert.Equal("junos-241: 'load merge terminal' failed: terminal:1:(1) syntax error: protocolz", error.Message);
        Assert.Equal("terminal:1:(1) syntax error: protocolz\nload complete (1 errors)", error.Reply);
        Assert.Contains("rollback 0", driver.Transcript, StringComparison.Ordinal);
        Assert.Equal("", diff);
        Assert.True(shell.Finished);
    }

    [Fact]
    public async Task Eos_refused_line_aborts_the_session_and_quotes_the_device()
    {
        var (driver, shell) = await ReplayAsync("arista_eos/refused_line_aborts.txt", "arista_eos", "eos-241");
        await using var _ = driver;

        var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.LoadCandidateAsync(EosRefused, ConfigLoadMode.Merge, None));
        var sessions = await driver.SendCommandAsync("show configuration sessions", None);

        Assert.Equal("bogus line", error.Command);
        Assert.Contains("% Invalid input (at token 0: 'bogus')", error.Message, StringComparison.Ordinal);
        Assert.Contains("\nabort\n", driver.Transcript.Replace("\r", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("ip route", driver.Transcript, StringComparison.Ordinal);
        Assert.DoesNotContain("enms-", sessions, StringComparison.Ordinal);
        Assert.True(shell.Finished);
    }

    [Fact]
    public async Task Eos_with_five_pending_sessions_deletes_our_abandoned_ones_and_commits()
    {
        var (driver, shell) = await ReplayAsync("arista_eos/session_limit.txt", "arista_eos", "eos-242");
        await using var _ = driver;
        await AbandonFiveSessionsAsync(driver);

        await driver.LoadCandidateAsync("ip route 203.0.113.0/24 Null0", ConfigLoadMode.Merge, None);
        await driver.CommitAsync(None);
        var sessions = await driver.SendCommandAsync("show configuration sessions", None);

        foreach (var n in Enumerable.Range(1, 5))
        {
            Assert.Contains($"no configure session enms-dead000{n}", driver.Transcript, StringComparison.Ordinal);
        }
        Assert.Contains("Maximum number of pending sessions has been reached", driver.Transcript, StringComparison.Ordinal);
        Assert.DoesNotContain("enms-", sessions, StringComparison.Ordinal);
        Assert.True(shell.Finished);
    }

    [Fact]
    public async Task Nxos_refused_line_rolls_back_to_the_checkpoint_and_deletes_it()
    {
        var (driver, shell) = await ReplayAsync("cisco_nxos/refused_line_rolls_back.txt", "cisco_nxos", "nxos-241");
        await using var _ = driver;
        await driver.LoadCandidateAsync(NxosRefused, ConfigLoadMode.Merge, None);

        var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.CommitAsync(None));
        var checkpoints = await driver.SendCommandAsync("show checkpoint summary", None);

        Assert.Equal("bogus line", error.Command);
        Assert.Contains("% Invalid command at '^' marker.", error.Message, StringComparison.Ordinal);
        Assert.Matches(@"rollback running-config checkpoint enms_[0-9a-f]{8}", driver.Transcript);
        Assert.Matches(@"no checkpoint enms_[0-9a-f]{8}", driver.Transcript);
        Assert.DoesNotContain("enms_", checkpoints, StringComparison.Ordinal);
        Assert.True(shell.Finished);
    }

    [Fact]
    public void Eos_show_configuration_sessions_names_only_our_abandoned_sessions()
    {
        const string table = """
            Maximum number of completed sessions: 1
            Maximum number of pending sessions: 5

              Name                 State                User       Terminal
              -------------------- -------------------- ---------- --------
              enms-0a1b2c3d        pending              enmslab
              enms-1a1b2c3d        pending              enmslab    vty12
              enms-2a1b2c3d        pendingCommitTimer   enmslab
              operator1            pending              admin
            """;

        Assert.Equal(["enms-0a1b2c3d"], AristaEosDriver.AbandonedSessions(table));
    }
}
