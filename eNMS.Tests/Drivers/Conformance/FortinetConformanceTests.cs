using eNMS.Drivers;
using eNMS.Drivers.Cli;
using eNMS.Tests.TestSupport.Lab;

namespace eNMS.Tests.Drivers.Conformance;

/// <summary>Fortinet FortiOS over real SSH to its emulated device: blocks that apply on <c>next</c>/<c>end</c>, so a
/// refused line (or a refused <c>end</c>) aborts its block and the device ends as before, the lines after it never sent;
/// blocks closed before it stay; paging turned off for the session and back on after; a backup in FortiOS's shape that
/// shows the device's own pager setting; a device with virtual domains.</summary>
[Collection(LabGroup.Name)]
public sealed class FortinetConformanceTests(LabFixture lab)
{
    private static readonly CancellationToken None = CancellationToken.None;

    private const string Time = "current time is: 11:00:00\nlast ntp sync:Wed Nov 25 10:55:00 2026";

    /// <summary>A new device's configuration, read before <paramref name="faults"/> are set (a fault on the reading
    /// session would strike there).</summary>
    private async Task<(DeviceTarget Target, string Before)> FreshDeviceAsync(string faults = "")
    {
        lab.RequireLab();
        var target = lab.Emulated("fortinet");
        string before;
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            before = await driver.GetRunningConfigAsync(None);
        }
        await lab.SetFaultAsync(target, faults);
        return (target, before);
    }

    /// <summary>Pushes <paramref name="lines"/>, expects the refusal of <paramref name="refused"/> quoting
    /// <paramref name="deviceError"/>, then checks the device is as before and the session usable at the top level.</summary>
    private async Task AssertRefusedAndUntouchedAsync(string[] lines, string refused, string deviceError, string faults = "")
    {
        var (target, before) = await FreshDeviceAsync(faults);
        await using var driver = await lab.Factory.ConnectAsync(target, None);

        var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendConfigAsync(lines, None));

        Assert.Equal(refused, error.Command);
        Assert.Contains(deviceError, error.Message, StringComparison.Ordinal);
        Assert.Contains("abort", driver.Transcript, StringComparison.Ordinal);
        var sentAfter = driver.Transcript[driver.Transcript.IndexOf(refused, StringComparison.Ordinal)..];
        Assert.All(lines[(Array.IndexOf(lines, refused) + 1)..].Where(l => l.StartsWith("set ", StringComparison.Ordinal)),
            l => Assert.DoesNotContain(l, sentAfter, StringComparison.Ordinal));
        Assert.True(driver.IsUsable);
        Assert.Equal(Time, await driver.SendCommandAsync("execute time", None));
        Assert.Equal(before, await driver.GetRunningConfigAsync(None));
    }

    [LabFact]
    public Task A_refused_value_aborts_its_block_and_the_lines_before_it_in_the_block_do_not_apply() => AssertRefusedAndUntouchedAsync(
        ["config system global", "set alias enms-alias", "set admintimeout 9999", "set timezone 12", "end"],
        "set admintimeout 9999", "value parse error before '9999' | Command fail. Return code -651");

    [LabFact]
    public Task A_reference_to_a_missing_entry_is_quoted_with_all_of_fortios_reasons() => AssertRefusedAndUntouchedAsync(
        ["config router static", "edit 0", "set dst 203.0.113.0/24", "set device port99", "set comment enms", "next", "end"],
        "set device port99", "entry not found in datasource | value parse error before 'port99' | Command fail. Return code -3");

    [LabFact]
    public Task An_end_fortios_refuses_aborts_the_entry_it_would_have_saved() => AssertRefusedAndUntouchedAsync(
        ["config system interface", "edit vlan9", "set ip 203.0.113.1/24", "end"],
        "end", "node_check_object fail! for type");

    [LabFact]
    public Task An_unknown_key_is_a_parse_error() => AssertRefusedAndUntouchedAsync(
        ["config system dns", "set primary 203.0.113.53", "set bogus 1", "set secondary 203.0.113.54", "end"],
        "set bogus 1", "command parse error before 'bogus' | Command fail. Return code -61");

    [LabFact]
    public async Task Ten_refused_pushes_in_a_row_leave_the_device_as_before_and_the_session_usable()
    {
        var (target, before) = await FreshDeviceAsync();
        await using var driver = await lab.Factory.ConnectAsync(target, None);

        for (var attempt = 0; attempt < 10; attempt++)
        {
            var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendConfigAsync(
                ["config system global", "set alias enms-alias", "set admintimeout 9999", "end"], None));
            Assert.Equal("set admintimeout 9999", error.Command);
        }

        Assert.True(driver.IsUsable);
        Assert.Equal(Time, await driver.SendCommandAsync("execute time", None));
        Assert.Equal(before, await driver.GetRunningConfigAsync(None));
    }

    [LabFact]
    public async Task Blocks_closed_before_the_refused_line_stay_applied_as_fortios_saved_them()
    {
        var (target, _) = await FreshDeviceAsync();
        await using var driver = await lab.Factory.ConnectAsync(target, None);

        var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendConfigAsync(
            ["config system dns", "set primary 203.0.113.53", "end", "config system global", "set alias enms-alias", "set bogus 1", "end",
                "config firewall address", "edit enms-net", "set subnet 203.0.113.0/24", "end"], None));

        Assert.Equal("set bogus 1", error.Command);
        var running = await driver.GetRunningConfigAsync(None);
        Assert.Contains("config system dns\n    set primary 203.0.113.53\nend", running, StringComparison.Ordinal);
        Assert.DoesNotContain("enms-alias", running, StringComparison.Ordinal);
        Assert.DoesNotContain("enms-net", driver.Transcript, StringComparison.Ordinal);
    }

    [LabFact]
    public async Task A_push_that_leaves_a_block_open_is_aborted_not_applied()
    {
        var (target, before) = await FreshDeviceAsync();
        await using var driver = await lab.Factory.ConnectAsync(target, None);

        var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendConfigAsync(["config system global", "set alias enms-alias"], None));

        Assert.Equal("set alias enms-alias", error.Command);
        Assert.Contains("leave a block open", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await driver.GetRunningConfigAsync(None));
    }

    [LabFact]
    public async Task A_push_cut_by_a_dropped_connection_applies_nothing_of_its_open_block()
    {
        var (target, before) = await FreshDeviceAsync("drop-mid-config");
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            await Assert.ThrowsAsync<DeviceConnectionException>(() => driver.SendConfigAsync(
                ["config system global", "set alias enms-alias", "set timezone 12", "set admintimeout 30", "end"], None));
        }

        await lab.SetFaultAsync(target, "");
        await using var check = await lab.Factory.ConnectAsync(target, None);
        // What the dead session could not put back: the pager it turned off (README says so).
        Assert.Equal(before, (await check.GetRunningConfigAsync(None)).Replace("config system console\n    set output standard\nend\n", "", StringComparison.Ordinal));
    }

    [LabFact]
    public async Task A_push_cancelled_midway_sends_nothing_after_the_cancel_and_applies_nothing_of_its_open_block()
    {
        string[] lines = ["config system global", "set alias enms-alias", "set timezone 12", "set admintimeout 30", "end"];
        var (target, before) = await FreshDeviceAsync("slow");
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            await CancelMidway.PushAsync(driver, lines, lines[2]);
            Assert.DoesNotContain(lines[3], driver.Transcript, StringComparison.Ordinal);
            // Never used again inside the block: aborted when the cancel came between lines, else the connection is
            // closed at once (FortiOS drops a block its session did not end).
            if (driver.IsUsable)
            {
                Assert.Contains("abort", driver.Transcript[driver.Transcript.IndexOf(lines[2], StringComparison.Ordinal)..], StringComparison.Ordinal);
                Assert.Equal(Time, await driver.SendCommandAsync("execute time", None));
            }
            else
            {
                Assert.Contains("[eNMS: connection closed: cancelled mid-command]", driver.Transcript, StringComparison.Ordinal);
                await Assert.ThrowsAsync<DeviceConnectionException>(() => driver.SendCommandAsync("execute time", None));
            }
        }

        await lab.SetFaultAsync(target, "");
        await using var check = await lab.Factory.ConnectAsync(target, None);
        // What a closed session could not put back: the pager it turned off (README says so).
        Assert.Equal(before, (await check.GetRunningConfigAsync(None)).Replace("config system console\n    set output standard\nend\n", "", StringComparison.Ordinal));
        Assert.Equal(Time, await check.SendCommandAsync("execute time", None));
    }

    [LabFact]
    public async Task An_error_reply_is_typed_then_output_is_exact_with_paging_off_and_on()
    {
        var (target, _) = await FreshDeviceAsync();
        await using var driver = await lab.Factory.ConnectAsync(target, None);

        var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendCommandAsync("show bogus", None));
        Assert.Contains("command parse error before 'bogus'", error.Message, StringComparison.Ordinal);
        Assert.Equal(Time, await driver.SendCommandAsync("execute time", None));
        var unpaged = await driver.SendCommandAsync("execute log display", None);

        await driver.SendConfigAsync(["config system console", "set output more", "end"], None);
        var paged = (await driver.SendCommandAsync("execute log display", None)).Split('\n');

        Assert.Equal(60, paged.Count(l => l.Contains(": date=2026-11-25 time=11:", StringComparison.Ordinal)));
        Assert.Equal(unpaged, string.Join('\n', paged));
        Assert.DoesNotContain(paged, l => l.Contains("More", StringComparison.Ordinal));
        Assert.Contains("set output standard", driver.Transcript, StringComparison.Ordinal);
        Assert.DoesNotContain(LabFixture.Password, driver.Transcript, StringComparison.Ordinal);
    }

    [LabFact]
    public async Task The_pager_is_back_on_after_the_session_and_backups_show_the_devices_own_setting()
    {
        var (target, before) = await FreshDeviceAsync();
        Assert.DoesNotContain("config system console", before, StringComparison.Ordinal);
        Assert.DoesNotContain("#conf_file_ver", before, StringComparison.Ordinal);

        await using var driver = await lab.Factory.ConnectAsync(target, None);
        // This session found the pager on (as the first did, so the first put it back) and turned it off.
        Assert.Contains("output              : more", driver.Transcript, StringComparison.Ordinal);
        Assert.Contains("set output standard", driver.Transcript, StringComparison.Ordinal);
        Assert.Equal(before, await driver.GetRunningConfigAsync(None));
        // A setting of the admin's own in the same block is kept.
        await driver.SendConfigAsync(["config system console", "set login disable", "end"], None);
        Assert.Contains("config system console\n    set login disable\nend", await driver.GetRunningConfigAsync(None), StringComparison.Ordinal);
    }

    [LabFact]
    public async Task A_rename_moves_the_prompt_and_the_backup_has_fortios_shape_with_nothing_to_save()
    {
        var (target, _) = await FreshDeviceAsync();
        await using var driver = await lab.Factory.ConnectAsync(target, None);

        await driver.SendConfigAsync(["config system global", "set hostname fgt-renamed", "end", "config router static", "edit 0",
            "set dst 203.0.113.0 255.255.255.0", "set blackhole enable", "next", "end"], None);

        Assert.Contains("fgt-renamed # ", driver.Transcript, StringComparison.Ordinal);
        Assert.Equal(Time, await driver.SendCommandAsync("execute time", None));
        var running = await driver.GetRunningConfigAsync(None);
        Assert.StartsWith("config system global\n    set hostname \"fgt-renamed\"\n", running, StringComparison.Ordinal);
        Assert.Contains("    edit 2\n        set dst 203.0.113.0 255.255.255.0\n        set blackhole enable\n    next\n", running, StringComparison.Ordinal);
        Assert.Null(driver.RunningConfigShape.Problem(running));
        Assert.NotNull(driver.RunningConfigShape.Problem(running[..running.LastIndexOf("end", StringComparison.Ordinal)]));
        Assert.Equal(CliDriver.NothingToSave("fortinet"), await driver.SaveConfigAsync(None));
    }

    [LabFact]
    public async Task With_virtual_domains_the_pager_is_set_under_config_global_and_a_refusal_in_a_vdom_leaves_it_as_before()
    {
        string[] route = ["config vdom", "edit root", "config router static", "edit 0", "set dst 203.0.113.0/24", "set device port2", "next", "end", "end"];
        await AssertRefusedAndUntouchedAsync([.. route[..5], "set device port99", .. route[5..]], "set device port99", "entry not found in datasource", "vdoms");

        var (target, _) = await FreshDeviceAsync("vdoms");
        await using var driver = await lab.Factory.ConnectAsync(target, None);
        Assert.Contains("config global", driver.Transcript, StringComparison.Ordinal);
        await driver.SendConfigAsync(route, None);
        Assert.Contains("set device \"port2\"", await driver.GetRunningConfigAsync(None), StringComparison.Ordinal);
        Assert.Equal(Time, await driver.SendCommandAsync("execute time", None));
    }

    [LabFact]
    public async Task Transactions_are_declared_unsupported_not_faked()
    {
        lab.RequireLab();
        await using var driver = await lab.Factory.ConnectAsync(lab.Emulated("fortinet"), None);

        Assert.False(driver.Capabilities.HasFlag(DriverCapabilities.ConfigMerge));
        await Assert.ThrowsAsync<NotSupportedException>(() => driver.LoadCandidateAsync("config system global", ConfigLoadMode.Merge, None));
        await Assert.ThrowsAsync<NotSupportedException>(() => driver.CommitAsync(None));
        await Assert.ThrowsAsync<NotSupportedException>(() => driver.RollbackAsync(None));
    }
}
