using eNMS.Drivers;
using eNMS.Drivers.Config;
using eNMS.Tests.TestSupport.Lab;

namespace eNMS.Tests.Drivers.Conformance;

/// <summary>
/// The conformance suite of a platform whose lines apply as they are typed (no candidate), over real SSH to its
/// emulated device: a typed error, exact output with paging off and on, a refused line quoted with the lines after it
/// never sent and the CLI back where it started, a rename the prompt follows, a backup that is recognisably whole, a
/// save (and one the device cannot write); transactions declared unsupported rather than faked. One sealed class per
/// platform runs it (<see cref="HuaweiConformanceTests"/>, ...).
/// </summary>
public abstract class LineByLineConformanceSuite(LabFixture lab, LineByLineCase c)
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>The lab, for the tests a platform's class adds to the suite.</summary>
    protected LabFixture Lab => lab;

    private async Task<IDeviceDriver> ConnectAsync(DeviceTarget? target = null)
    {
        lab.RequireLab();
        return await lab.Factory.ConnectAsync(target ?? lab.Emulated(c.Platform), None);
    }

    /// <summary>A new device's configuration, read before <paramref name="faults"/> are set (a fault on the reading
    /// session would strike there).</summary>
    private async Task<(DeviceTarget Target, string Before)> FreshDeviceAsync(string faults)
    {
        lab.RequireLab();
        var target = lab.Emulated(c.Platform);
        string before;
        await using (var driver = await ConnectAsync(target))
        {
            before = await driver.GetRunningConfigAsync(None);
        }
        await lab.SetFaultAsync(target, faults);
        return (target, before);
    }

    [LabFact]
    public async Task An_error_reply_is_typed_then_output_is_exact_with_paging_off_and_on()
    {
        await using var driver = await ConnectAsync();

        var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendCommandAsync(c.BadCommand, None));
        Assert.Equal(c.BadCommand, error.Command);
        Assert.Contains(c.DeviceError, error.Message, StringComparison.Ordinal);
        Assert.Equal(c.ExpectedOutput, await driver.SendCommandAsync(c.Command, None));
        var unpaged = (await driver.SendCommandAsync(c.PagedCommand, None)).Split('\n');

        await driver.SendCommandAsync(c.PagingOn, None);
        var paged = (await driver.SendCommandAsync(c.PagedCommand, None)).Split('\n');

        Assert.Equal(60, paged.Count(l => l.StartsWith(c.PagedLinePrefix, StringComparison.Ordinal)));
        Assert.Equal(unpaged, paged);
        Assert.DoesNotContain(paged, l => l.Contains("More", StringComparison.OrdinalIgnoreCase) || l.StartsWith(' '));
        Assert.Contains(c.PagingOn, driver.Transcript, StringComparison.Ordinal);
        Assert.DoesNotContain(LabFixture.Password, driver.Transcript, StringComparison.Ordinal);
    }

    [LabFact]
    public async Task A_refused_first_line_fails_quoting_the_device_and_changes_nothing()
    {
        await using var driver = await ConnectAsync();
        var before = await driver.GetRunningConfigAsync(None);

        var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendConfigAsync([c.BadLine, .. c.ConfigLines], None));

        Assert.Equal(c.BadLine, error.Command);
        Assert.Contains(c.DeviceError, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await driver.GetRunningConfigAsync(None));
        Assert.Equal(c.ExpectedOutput, await driver.SendCommandAsync(c.Command, None));
    }

    [LabFact]
    public async Task Ten_refused_pushes_in_a_row_leave_the_device_as_before_and_the_session_usable()
    {
        await using var driver = await ConnectAsync();
        var before = await driver.GetRunningConfigAsync(None);

        for (var attempt = 0; attempt < 10; attempt++)
        {
            var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendConfigAsync([c.BadLine, .. c.ConfigLines], None));
            Assert.Equal(c.BadLine, error.Command);
        }

        Assert.True(driver.IsUsable);
        Assert.Equal(c.ExpectedOutput, await driver.SendCommandAsync(c.Command, None));
        Assert.Equal(before, await driver.GetRunningConfigAsync(None));
    }

    [LabFact]
    public async Task A_refused_line_in_the_middle_is_quoted_the_lines_after_it_are_never_sent_and_the_cli_is_back_at_the_start()
    {
        await using var driver = await ConnectAsync();
        var before = await driver.GetRunningConfigAsync(None);

        var error = await Assert.ThrowsAsync<DeviceCommandException>(() =>
            driver.SendConfigAsync([.. c.ConfigLines[..2], c.BadLine, .. c.ConfigLines[2..]], None));

        Assert.Equal(c.BadLine, error.Command);
        Assert.Contains(c.DeviceError, error.Message, StringComparison.Ordinal);
        Assert.True(driver.IsUsable);
        var running = await driver.GetRunningConfigAsync(None);
        Assert.DoesNotContain("203.0.113.0", running, StringComparison.Ordinal);
        Assert.DoesNotContain(c.ConfigLines[^1].Trim(), driver.Transcript, StringComparison.Ordinal);
        // Back in the exec/user view: a show command there answers as before.
        Assert.Equal(c.ExpectedOutput, await driver.SendCommandAsync(c.Command, None));
        if (!c.AllOrNothing)
        {
            // Lines apply as typed: those before the refused one are in, those after it were not sent.
            Assert.Contains(c.ConfigInRunning, running, StringComparison.Ordinal);
            return;
        }
        // Undone (or their transaction discarded, not merely left uncommitted): the next push on this connection
        // applies its own line alone.
        Assert.Equal(before, running);
        await driver.SendConfigAsync([c.ConfigLines[^1]], None);
        running = await driver.GetRunningConfigAsync(None);
        Assert.Contains("203.0.113.0", running, StringComparison.Ordinal);
        Assert.DoesNotContain(c.ConfigInRunning, running, StringComparison.Ordinal);
    }

    [LabFact]
    public async Task A_push_cancelled_midway_sends_nothing_after_the_cancel_and_an_all_or_nothing_one_leaves_nothing()
    {
        var (target, before) = await FreshDeviceAsync("slow");
        await using (var driver = await ConnectAsync(target))
        {
            await CancelMidway.PushAsync(driver, c.ConfigLines, c.ConfigLines[1]);
            Assert.DoesNotContain(c.ConfigLines[^1], driver.Transcript, StringComparison.Ordinal);
        }
        await lab.SetFaultAsync(target, "");

        await using var check = await ConnectAsync(target);
        var running = await check.GetRunningConfigAsync(None);
        Assert.DoesNotContain("203.0.113.0", running, StringComparison.Ordinal);
        if (c.AllOrNothing)
        {
            Assert.Equal(before, running);
        }
        Assert.Equal(c.ExpectedOutput, await check.SendCommandAsync(c.Command, None));
    }

    [LabFact]
    public async Task A_push_cut_by_a_dropped_connection_names_the_last_line_acknowledged_and_the_next_lease_is_a_clean_session()
    {
        // The device closes the session once it took two configuration lines: here the fourth line ("ip route ..."),
        // after the interface, its description and the exit were acknowledged. Only that session: the next is healthy.
        var (target, before) = await FreshDeviceAsync("drop-once-mid-config");
        await using var pool = new DriverPool(lab.Factory);
        IDeviceDriver cut;
        await using (var lease = await pool.LeaseAsync(1, target, None))
        {
            cut = lease.Driver;
            var error = await Assert.ThrowsAsync<DeviceConnectionException>(() => cut.SendConfigAsync([.. c.ConfigLines, c.RenameLine], None));

            Assert.Contains("connection lost", error.Message, StringComparison.Ordinal);
            Assert.Contains($"the device acknowledged 3 of 5 lines, the last '{c.ConfigLines[2].Trim()}'", error.Message, StringComparison.Ordinal);
            Assert.Contains($"'{c.ConfigLines[3]}' (line 4) got no answer", error.Message, StringComparison.Ordinal);
            Assert.Contains("the 1 line(s) after it were not sent", error.Message, StringComparison.Ordinal);
            if (c.CutPushOutcome is { } outcome)
            {
                Assert.Contains(outcome, error.Message, StringComparison.Ordinal);
            }
            Assert.DoesNotContain(c.RenameLine, cut.Transcript, StringComparison.Ordinal);
            Assert.False(cut.IsUsable);
        }

        await using (var lease = await pool.LeaseAsync(1, target, None))
        {
            Assert.NotSame(cut, lease.Driver);
            Assert.Equal(c.ExpectedOutput, await lease.Driver.SendCommandAsync(c.Command, None));
            var running = await lease.Driver.GetRunningConfigAsync(None);
            Assert.DoesNotContain(c.RenameLine, running, StringComparison.Ordinal);
            if (c.AllOrNothing)
            {
                Assert.Equal(before, running);
                return;
            }
            // As documented for a platform whose lines apply as typed: the lines the device took stay, exactly them —
            // the ones it acknowledged, and here the one in flight too (pushing all of them again changes nothing).
            Assert.NotEqual(before, running);
            Assert.Contains(c.ConfigInRunning, running, StringComparison.Ordinal);
            await lease.Driver.SendConfigAsync(c.ConfigLines, None);
            Assert.Equal(running, await lease.Driver.GetRunningConfigAsync(None));
        }
    }

    [LabFact]
    public async Task Pushed_lines_are_in_a_backup_of_the_vendors_shape_and_a_rename_moves_the_prompt()
    {
        await using var driver = await ConnectAsync();

        await driver.SendConfigAsync(c.ConfigLines, None);
        var running = await driver.GetRunningConfigAsync(None);
        Assert.StartsWith(c.RunningStart, running, StringComparison.Ordinal);
        Assert.Contains(c.ConfigInRunning, running, StringComparison.Ordinal);
        Assert.Contains("203.0.113.0", running, StringComparison.Ordinal);
        Assert.Null(driver.RunningConfigShape.Problem(running));
        if (driver.RunningConfigShape != ConfigShape.Unknown)
        {
            // A backup cut short lacks the end marker ("return").
            Assert.NotNull(driver.RunningConfigShape.Problem(running[..running.LastIndexOf("return", StringComparison.Ordinal)]));
        }

        await driver.SendConfigAsync([c.RenameLine], None);

        Assert.Equal(c.ExpectedOutput, await driver.SendCommandAsync(c.Command, None));
        Assert.Contains(c.RenamedPrompt, driver.Transcript, StringComparison.Ordinal);
        Assert.Contains(c.RenameLine, await driver.GetRunningConfigAsync(None), StringComparison.Ordinal);
    }

    [LabFact]
    public async Task A_save_keeps_the_configuration_and_one_the_device_cannot_write_fails_quoting_it()
    {
        lab.RequireLab();
        var target = lab.Emulated(c.Platform);
        await using (var driver = await ConnectAsync(target))
        {
            await driver.SendConfigAsync(c.ConfigLines, None);
            Assert.DoesNotContain("203.0.113.0", await driver.SendCommandAsync(c.ShowSaved, None), StringComparison.Ordinal);
            await driver.SaveConfigAsync(None);
            Assert.Contains("203.0.113.0", await driver.SendCommandAsync(c.ShowSaved, None), StringComparison.Ordinal);
        }

        await lab.SetFaultAsync(target, "nvram-full");
        await using (var driver = await ConnectAsync(target))
        {
            await driver.SendConfigAsync([c.RenameLine], None);
            var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SaveConfigAsync(None));
            Assert.Equal(c.SaveCommand, error.Command);
            Assert.DoesNotContain(c.RenameLine, await driver.SendCommandAsync(c.ShowSaved, None), StringComparison.Ordinal);
            Assert.True(driver.IsUsable);
        }
    }

    [LabFact]
    public async Task Transactions_are_declared_unsupported_not_faked()
    {
        await using var driver = await ConnectAsync();

        Assert.False(driver.Capabilities.HasFlag(DriverCapabilities.ConfigMerge));
        await Assert.ThrowsAsync<NotSupportedException>(() => driver.LoadCandidateAsync(c.RenameLine, ConfigLoadMode.Merge, None));
        await Assert.ThrowsAsync<NotSupportedException>(() => driver.CommitAsync(None));
        await Assert.ThrowsAsync<NotSupportedException>(() => driver.RollbackAsync(None));
    }
}

/// <summary>Huawei VRP over real SSH to its emulated device: the line-by-line suite.</summary>
[Collection(LabGroup.Name)]
public sealed class HuaweiConformanceTests(LabFixture lab) : LineByLineConformanceSuite(lab, LineByLineCase.Huawei);

/// <summary>HP Comware over real SSH to its emulated device: the line-by-line suite.</summary>
[Collection(LabGroup.Name)]
public sealed class ComwareConformanceTests(LabFixture lab) : LineByLineConformanceSuite(lab, LineByLineCase.Comware);

/// <summary>Aruba AOS-CX over real SSH to its emulated device: the line-by-line suite.</summary>
[Collection(LabGroup.Name)]
public sealed class AosCxConformanceTests(LabFixture lab) : LineByLineConformanceSuite(lab, LineByLineCase.Aoscx);

/// <summary>Dell OS10 over real SSH to its emulated device: the line-by-line suite, each push one transaction; and a
/// commit OS10's validation refuses.</summary>
[Collection(LabGroup.Name)]
public sealed class DellOs10ConformanceTests(LabFixture lab) : LineByLineConformanceSuite(lab, LineByLineCase.Os10)
{
    [LabFact]
    public async Task A_commit_os10_refuses_is_quoted_the_transaction_discarded_and_the_running_configuration_unchanged()
    {
        Lab.RequireLab();
        await using var driver = await Lab.Factory.ConnectAsync(Lab.Emulated("dell_os10"), CancellationToken.None);
        var before = await driver.GetRunningConfigAsync(CancellationToken.None);

        // Each line is valid alone; the address overlaps mgmt1/1/1's subnet, which OS10 checks on the whole candidate
        // at commit.
        var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendConfigAsync(
            ["interface ethernet 1/1/9", "ip address 192.0.2.9/24", "exit", "ip route 203.0.113.0/24 192.0.2.254"], CancellationToken.None));

        Assert.Equal("commit", error.Command);
        Assert.Contains("'commit' failed: % Error: Commit failed. IP address 192.0.2.9/24 on ethernet1/1/9 overlaps with mgmt1/1/1.",
            error.Message, StringComparison.Ordinal);
        Assert.Contains("\ndiscard", driver.Transcript, StringComparison.Ordinal);
        Assert.True(driver.IsUsable);
        Assert.Equal(before, await driver.GetRunningConfigAsync(CancellationToken.None));

        // Discarded, not merely left open (OS10 keeps a refused transaction open): the next push on this connection
        // commits its own line alone.
        await driver.SendConfigAsync(["ip route 203.0.113.0/24 192.0.2.254"], CancellationToken.None);
        var running = await driver.GetRunningConfigAsync(CancellationToken.None);
        Assert.Contains("\nip route 203.0.113.0/24 192.0.2.254", running, StringComparison.Ordinal);
        Assert.DoesNotContain("192.0.2.9", running, StringComparison.Ordinal);
        Assert.DoesNotContain("ethernet1/1/9", running, StringComparison.Ordinal);
    }
}

/// <summary>Ubiquiti EdgeSwitch over real SSH to its emulated device (enable, one-level exit): the line-by-line suite.</summary>
[Collection(LabGroup.Name)]
public sealed class EdgeSwitchConformanceTests(LabFixture lab) : LineByLineConformanceSuite(lab, LineByLineCase.EdgeSwitch);

/// <summary>HP ProCurve over real SSH to its emulated device (the banner that waits for a key): the line-by-line suite.</summary>
[Collection(LabGroup.Name)]
public sealed class ProcurveConformanceTests(LabFixture lab) : LineByLineConformanceSuite(lab, LineByLineCase.Procurve);
