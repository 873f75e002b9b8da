using eNMS.Drivers;
using eNMS.Tests.TestSupport.Lab;

namespace eNMS.Tests.Drivers.Conformance;

/// <summary>
/// Configuration changes that fail, on the platforms with candidates (Junos, EOS, NX-OS) over real SSH: the failure
/// quotes the device's error line, the running configuration is exactly what it was, and the device holds nothing of
/// ours afterwards (EOS configure sessions, the Junos candidate and commit timer, NX-OS checkpoints) — asked of the
/// device itself on a new connection.
/// </summary>
[Collection(LabGroup.Name)]
public class NegativeConformanceTests(LabFixture lab)
{
    private static readonly CancellationToken None = CancellationToken.None;

    private async Task<(DeviceTarget Target, string Before)> FreshDeviceAsync(string platform)
    {
        lab.RequireLab();
        var target = lab.Emulated(platform);
        await using var driver = await lab.Factory.ConnectAsync(target, None);
        return (target, await driver.GetRunningConfigAsync(None));
    }

    /// <summary>The device is as it was and holds nothing of ours.</summary>
    private async Task AssertUntouchedAsync(DeviceTarget target, string before)
    {
        await lab.SetFaultAsync(target, "");
        var c = NegativeCase.For(target.Platform);
        await using var driver = await lab.Factory.ConnectAsync(target, None);
        Assert.Equal(before, await driver.GetRunningConfigAsync(None));
        var leftovers = await driver.SendCommandAsync(c.LeftoversCommand, None);
        Assert.DoesNotContain(c.OursMarker, leftovers, StringComparison.Ordinal);
        if (target.Platform == "juniper_junos")
        {
            Assert.Equal("", await driver.CompareAsync(None)); // the shared candidate holds no change
        }
    }

    [LabTheory]
    [MemberData(nameof(NegativeCase.Platforms), MemberType = typeof(NegativeCase))]
    public async Task A_line_refused_in_the_middle_fails_quoting_the_device_and_changes_nothing(string platform)
    {
        var c = NegativeCase.For(platform);
        var (target, before) = await FreshDeviceAsync(platform);
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            var candidate = await Assert.ThrowsAnyAsync<DeviceException>(() => NegativeCase.PushAsync(driver, c.WithBadAt(1), None));
            Assert.Contains(c.DeviceError, candidate.Message, StringComparison.Ordinal);
            var lines = await Assert.ThrowsAnyAsync<DeviceException>(() => driver.SendConfigAsync(c.WithBadAt(1), None));
            Assert.Contains(c.DeviceError, lines.Message, StringComparison.Ordinal);
            Assert.True(driver.IsUsable);
        }

        await AssertUntouchedAsync(target, before);
    }

    [LabTheory]
    [MemberData(nameof(NegativeCase.Platforms), MemberType = typeof(NegativeCase))]
    public async Task A_refused_first_line_or_every_line_refused_fails_and_changes_nothing(string platform)
    {
        var c = NegativeCase.For(platform);
        var (target, before) = await FreshDeviceAsync(platform);
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            var first = await Assert.ThrowsAnyAsync<DeviceException>(() => NegativeCase.PushAsync(driver, c.WithBadAt(0), None));
            Assert.Contains(c.DeviceError, first.Message, StringComparison.Ordinal);
            var all = await Assert.ThrowsAnyAsync<DeviceException>(() => NegativeCase.PushAsync(driver, [c.Bad, c.Bad + " again"], None));
            Assert.Contains(c.DeviceError, all.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("No change", all.Message, StringComparison.Ordinal);
        }

        await AssertUntouchedAsync(target, before);
    }

    [LabTheory]
    [MemberData(nameof(NegativeCase.Platforms), MemberType = typeof(NegativeCase))]
    public async Task A_push_cut_by_a_dropped_connection_is_undone_over_a_new_one(string platform)
    {
        var c = NegativeCase.For(platform);
        var (target, before) = await FreshDeviceAsync(platform);
        await lab.SetFaultAsync(target, "drop-mid-config");
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            var error = await Assert.ThrowsAnyAsync<DeviceException>(() => NegativeCase.PushAsync(driver, c.Good, None));
            Assert.IsType<DeviceConnectionException>(error);
        }

        await AssertUntouchedAsync(target, before);
    }

    [LabTheory]
    [MemberData(nameof(NegativeCase.Platforms), MemberType = typeof(NegativeCase))]
    public async Task A_push_cut_by_a_killed_sshd_is_reported_lost_at_once_and_undone(string platform)
    {
        // sshd killed after the second line (Junos: once the load is taken in): TCP ends with no SSH goodbye, and
        // the 30 s silence timeout must not be what notices it.
        var c = NegativeCase.For(platform);
        lab.RequireLab();
        var target = lab.Emulated(platform, t => t with { Read = TimeSpan.FromSeconds(30) });
        string before;
        await using (var fresh = await lab.Factory.ConnectAsync(target, None))
        {
            before = await fresh.GetRunningConfigAsync(None);
        }
        await lab.SetFaultAsync(target, "kill-config");
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var error = await Assert.ThrowsAnyAsync<DeviceException>(() => NegativeCase.PushAsync(driver, c.Good, None));

            Assert.IsType<DeviceConnectionException>(error);
            Assert.Contains("connection lost", error.Message, StringComparison.Ordinal);
            Assert.InRange(clock.Elapsed.TotalSeconds, 0, 10); // includes the undo over a new connection
        }

        await AssertUntouchedAsync(target, before);
    }

    [LabTheory]
    [MemberData(nameof(NegativeCase.Platforms), MemberType = typeof(NegativeCase))]
    public async Task A_command_cut_by_a_killed_sshd_is_reported_lost_at_once_keeping_what_came(string platform)
    {
        lab.RequireLab();
        var target = lab.Emulated(platform, t => t with { Read = TimeSpan.FromSeconds(30) });
        string full;
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            full = await driver.SendCommandAsync("show version", None);
        }
        await lab.SetFaultAsync(target, "kill");
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var error = await Assert.ThrowsAsync<DeviceConnectionException>(() => driver.SendCommandAsync("show version", None));

            Assert.InRange(clock.Elapsed.TotalSeconds, 0, 3);
            Assert.Contains("connection lost", error.Message, StringComparison.Ordinal);
            Assert.False(driver.IsUsable);
            // What the device sent before it died (the emulator sends the first half of the output) is kept.
            var lines = full.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
            Assert.Contains(lines[0], error.PartialOutput, StringComparison.Ordinal);
            Assert.DoesNotContain(lines[^1], error.PartialOutput, StringComparison.Ordinal);
        }
    }

    [LabTheory]
    [MemberData(nameof(NegativeCase.Platforms), MemberType = typeof(NegativeCase))]
    public async Task A_push_cancelled_midway_is_undone_and_the_cancellation_reported(string platform)
    {
        var c = NegativeCase.For(platform);
        var (target, before) = await FreshDeviceAsync(platform);
        await lab.SetFaultAsync(target, "slow");
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            using var cancel = new CancellationTokenSource();
            var push = NegativeCase.PushAsync(driver, c.Good, cancel.Token);
            // Cancel once the first line is on its way (the slow device echoes it 16 bytes at a time).
            while (!driver.Transcript.Contains(c.Good[0], StringComparison.Ordinal) && !push.IsCompleted)
            {
                await Task.Delay(10);
            }
            await cancel.CancelAsync();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => push);
        }

        await AssertUntouchedAsync(target, before);
    }

    [LabTheory]
    [MemberData(nameof(NegativeCase.Platforms), MemberType = typeof(NegativeCase))]
    public async Task A_commit_with_a_timer_left_unconfirmed_reverts_or_is_refused_before_anything_is_sent(string platform)
    {
        var c = NegativeCase.For(platform);
        var (target, before) = await FreshDeviceAsync(platform);
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            await driver.LoadCandidateAsync(string.Join('\n', c.Good), ConfigLoadMode.Merge, None);
            if (!driver.Capabilities.HasFlag(DriverCapabilities.CommitConfirm))
            {
                var refused = await Assert.ThrowsAsync<NotSupportedException>(() => driver.CommitAsync(None, TimeSpan.FromMinutes(1)));
                Assert.Contains("CommitConfirm", refused.Message, StringComparison.Ordinal);
                await driver.DiscardAsync(None);
            }
            else
            {
                // The lab's emulator counts a Junos minute as 2 s; EOS timers are in seconds.
                await driver.CommitAsync(None, TimeSpan.FromSeconds(2));
                Assert.NotEqual(before, await driver.GetRunningConfigAsync(None));
                await Task.Delay(TimeSpan.FromSeconds(3));
            }
        }

        await AssertUntouchedAsync(target, before);
    }

    [LabTheory]
    [MemberData(nameof(NegativeCase.Platforms), MemberType = typeof(NegativeCase))]
    public async Task Ten_failures_in_a_row_exhaust_nothing_and_the_next_push_works(string platform)
    {
        var c = NegativeCase.For(platform);
        var (target, before) = await FreshDeviceAsync(platform);
        for (int i = 0; i < 10; i++)
        {
            // Alternately on one connection and on new ones: neither may strand a session or a checkpoint.
            await using var driver = await lab.Factory.ConnectAsync(target, None);
            var error = await Assert.ThrowsAnyAsync<DeviceException>(() => NegativeCase.PushAsync(driver, c.WithBadAt(i % 2 + 1), None));
            Assert.Contains(c.DeviceError, error.Message, StringComparison.Ordinal);
            if (i % 2 == 0)
            {
                await Assert.ThrowsAnyAsync<DeviceException>(() => driver.SendConfigAsync(c.WithBadAt(1), None));
            }
        }
        await AssertUntouchedAsync(target, before);

        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            await NegativeCase.PushAsync(driver, c.Good, None);
            Assert.Contains("203.0.113.0/24", await driver.GetRunningConfigAsync(None), StringComparison.Ordinal);
        }
        await using (var check = await lab.Factory.ConnectAsync(target, None))
        {
            Assert.DoesNotContain(c.OursMarker, await check.SendCommandAsync(c.LeftoversCommand, None), StringComparison.Ordinal);
        }
    }

    [LabTheory]
    [MemberData(nameof(NegativeCase.Platforms), MemberType = typeof(NegativeCase))]
    public async Task A_diff_reads_as_one_between_the_two_configurations(string platform)
    {
        lab.RequireLab();
        var target = lab.Emulated(platform);
        await using var driver = await lab.Factory.ConnectAsync(target, None);
        var host = (await driver.GetRunningConfigAsync(None)).Split('\n').Select(l => l.Trim())
            .First(l => l.StartsWith("hostname ", StringComparison.Ordinal) || l.StartsWith("host-name ", StringComparison.Ordinal));
        var candidate = platform == "juniper_junos"
            ? "set system host-name renamed\ndelete interfaces ge-0/0/0 description mgmt"
            : $"hostname renamed\ninterface {platform switch { "arista_eos" => "Ethernet1", "cisco_xr" => "MgmtEth0/RP0/CPU0/0", _ => "Ethernet1/1" }}\n no description";

        await driver.LoadCandidateAsync(candidate, ConfigLoadMode.Merge, None);
        var diff = (await driver.CompareAsync(None)).Split('\n');
        await driver.DiscardAsync(None);

        Assert.Contains(diff, l => l.StartsWith('-') && l.Contains(host, StringComparison.Ordinal));
        Assert.Contains(diff, l => l.StartsWith('+') && l.Contains("renamed", StringComparison.Ordinal));
        Assert.Contains(diff, l => l.StartsWith('-') && l.Contains("description mgmt", StringComparison.Ordinal));
        Assert.DoesNotContain(diff, l => l.Contains("no description", StringComparison.Ordinal));
        Assert.True(Array.FindIndex(diff, l => l.StartsWith('-') && l.Contains(host, StringComparison.Ordinal))
            < Array.FindIndex(diff, l => l.StartsWith('+') && l.Contains("renamed", StringComparison.Ordinal)), string.Join('\n', diff));
    }

    [LabFact]
    public async Task Junos_load_merge_with_a_refused_statement_commits_nothing_and_quotes_the_device()
    {
        var (target, before) = await FreshDeviceAsync("juniper_junos");
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            var error = await Assert.ThrowsAsync<DeviceCommandException>(() => NegativeCase.PushAsync(driver,
                ["protocolz {", "    ospf;", "}", "routing-options {", "    static {", "        route 203.0.113.0/24 discard;", "    }", "}"], None));

            Assert.Equal("load merge terminal", error.Command);
            Assert.Contains("terminal:1:(1) syntax error: protocolz", error.Message, StringComparison.Ordinal);
            Assert.Contains("load complete (1 errors)", error.Reply, StringComparison.Ordinal);
        }

        await AssertUntouchedAsync(target, before);
    }

    [LabFact]
    public async Task Eos_deletes_our_abandoned_sessions_when_five_are_pending_and_leaves_others_alone()
    {
        var (target, before) = await FreshDeviceAsync("arista_eos");
        await using (var raw = await lab.Factory.ConnectAsync(target, None))
        {
            // What five runs that died mid-push left: sessions named like ours, no terminal inside.
            foreach (var n in Enumerable.Range(1, 5))
            {
                await raw.SendCommandAsync($"configure session enms-dead000{n}", None);
                await raw.SendCommandAsync("end", None);
            }
        }

        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            await NegativeCase.PushAsync(driver, NegativeCase.Eos.Good, None);
        }

        await using var check = await lab.Factory.ConnectAsync(target, None);
        Assert.DoesNotContain("enms-", await check.SendCommandAsync("show configuration sessions", None), StringComparison.Ordinal);
        Assert.Contains("ip route 203.0.113.0/24 Null0", await check.GetRunningConfigAsync(None), StringComparison.Ordinal);
        Assert.NotEqual(before, await check.GetRunningConfigAsync(None));
    }

    [LabFact]
    public async Task Eos_with_five_sessions_of_others_pending_fails_quoting_the_device_and_deletes_none()
    {
        var (target, before) = await FreshDeviceAsync("arista_eos");
        await using var driver = await lab.Factory.ConnectAsync(target, None);
        foreach (var n in Enumerable.Range(1, 5))
        {
            await driver.SendCommandAsync($"configure session operator{n}", None);
            await driver.SendCommandAsync("end", None);
        }

        var error = await Assert.ThrowsAsync<DeviceCommandException>(() => NegativeCase.PushAsync(driver, NegativeCase.Eos.Good, None));

        Assert.Contains("% Maximum number of pending sessions has been reached", error.Message, StringComparison.Ordinal);
        var sessions = await driver.SendCommandAsync("show configuration sessions", None);
        Assert.Equal(5, Enumerable.Range(1, 5).Count(n => sessions.Contains($"operator{n}", StringComparison.Ordinal)));
        Assert.DoesNotContain("enms-", sessions, StringComparison.Ordinal);
        Assert.Equal(before, await driver.GetRunningConfigAsync(None));
    }

    [LabFact]
    public async Task Eos_a_global_line_under_an_interface_falls_back_to_the_top_and_a_section_line_there_is_refused()
    {
        var (target, before) = await FreshDeviceAsync("arista_eos");
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            // Documented fallback: the global command leaves the interface section and applies at the top.
            await NegativeCase.PushAsync(driver, ["interface Ethernet7", " description first", "ip route 203.0.113.0/24 Null0"], None);
            var running = await driver.GetRunningConfigAsync(None);
            Assert.Contains("interface Ethernet7\n description first\n!", running, StringComparison.Ordinal);
            Assert.Contains("\nip route 203.0.113.0/24 Null0", running, StringComparison.Ordinal);
            await driver.RollbackAsync(None);
            Assert.Equal(before, await driver.GetRunningConfigAsync(None));

            // After the fallback an interface line is at the top level, where EOS refuses it: nothing applies.
            var error = await Assert.ThrowsAsync<DeviceCommandException>(() => NegativeCase.PushAsync(driver,
                ["interface Ethernet7", " description first", "ip route 203.0.113.0/24 Null0", " description second"], None));
            Assert.Equal("description second", error.Command.Trim());
            Assert.Contains("% Invalid input (at token 0: 'description')", error.Message, StringComparison.Ordinal);
        }

        await AssertUntouchedAsync(target, before);
    }
}
