using System.Text.Json;
using eNMS.Drivers;
using eNMS.Drivers.Cli;
using eNMS.Tests.TestSupport.Lab;

namespace eNMS.Tests.Drivers.Conformance;

/// <summary>MikroTik RouterOS over real SSH to its emulated device: lines apply as typed, so a push runs in safe mode —
/// a refused line is quoted, the lines after it never sent, and Ctrl+D undoes the lines before it; a connection that
/// dies or a cancelled push is undone by the router; the terminal options on the user name (no colours, no terminal
/// detection, a height that never pages) and paging when they lack a height; a backup by <c>/export</c>.</summary>
[Collection(LabGroup.Name)]
public sealed class MikrotikRouterOsConformanceTests(LabFixture lab)
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static readonly string[] Good =
        ["/ip address add address=203.0.113.1/24 interface=ether2", "/ip route add dst-address=198.51.100.0/24 gateway=203.0.113.254"];

    private const string Bad = "/ip address add address=203.0.113.9/24 interface=ether99";

    private const string Clock = "                  time: 11:00:00\n                  date: 2026-11-25\n  time-zone-autodetect: yes\n        time-zone-name: UTC\n            gmt-offset: +00:00";

    private async Task<(DeviceTarget Target, string Before)> FreshDeviceAsync()
    {
        lab.RequireLab();
        var target = lab.Emulated("mikrotik_routeros");
        await using var driver = await lab.Factory.ConnectAsync(target, None);
        return (target, await driver.GetRunningConfigAsync(None));
    }

    /// <summary>The configuration is as before, read on a new connection; the router undoes a dead session's safe
    /// mode when it notices the session is gone, which may take it a moment.</summary>
    private async Task AssertUntouchedAsync(DeviceTarget target, string before)
    {
        await lab.SetFaultAsync(target, "");
        string running = "";
        for (var attempt = 0; attempt < 50 && running != before; attempt++)
        {
            await using var check = await lab.Factory.ConnectAsync(target, None);
            running = await check.GetRunningConfigAsync(None);
            if (running != before)
            {
                await Task.Delay(100);
            }
        }
        Assert.Equal(before, running);
    }

    [LabFact]
    public async Task The_user_name_carries_the_terminal_options_and_output_is_exact_with_paging_off_and_on()
    {
        lab.RequireLab();
        var target = lab.Emulated("mikrotik_routeros");
        await using var driver = await lab.Factory.ConnectAsync(target, None);

        var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendCommandAsync("/bogus print", None));
        Assert.Contains("bad command name bogus (line 1 column 1)", error.Message, StringComparison.Ordinal);
        Assert.Equal(Clock, await driver.SendCommandAsync("/system clock print", None));
        var unpaged = await driver.SendCommandAsync("/log print", None);
        Assert.DoesNotContain("\x1b", driver.Transcript, StringComparison.Ordinal); // no colours, no terminal query

        // Options of the operator's own (no height): the router pages, and the pager is answered.
        await using var paging = await lab.Factory.ConnectAsync(target with { Credential = target.Credential with { Username = "enmslab+ct" } }, None);
        var paged = (await paging.SendCommandAsync("/log print", None)).Split('\n');

        Assert.Equal(60, paged.Count(l => l.StartsWith("2026-11-25 11:", StringComparison.Ordinal)));
        Assert.Equal(unpaged, string.Join('\n', paged));
        Assert.Contains("-- [Q quit|D dump|down]", paging.Transcript, StringComparison.Ordinal);
        using var state = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(lab.LabDir, "emulator", "state", target.Host, "device.json")));
        Assert.Equal(["enmslab+ct511w4098h", "enmslab+ct"], state.RootElement.GetProperty("logins").EnumerateArray().Select(e => e.GetString()));
    }

    [LabFact]
    public async Task A_refused_line_is_quoted_the_lines_after_it_never_sent_and_safe_mode_undoes_the_lines_before_it()
    {
        var (target, before) = await FreshDeviceAsync();
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendConfigAsync([Good[0], Bad, Good[1]], None));

            Assert.Equal(Bad, error.Command);
            Assert.Contains("input does not match any value of interface", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Good[1], driver.Transcript, StringComparison.Ordinal);
            Assert.Contains("[Safe Mode taken]", driver.Transcript, StringComparison.Ordinal);
            Assert.True(driver.IsUsable);
            Assert.Equal(Clock, await driver.SendCommandAsync("/system clock print", None));
            Assert.Equal(before, await driver.GetRunningConfigAsync(None));
        }

        await AssertUntouchedAsync(target, before);
    }

    [LabFact]
    public async Task Ten_refused_pushes_in_a_row_leave_the_device_as_before_and_the_session_usable()
    {
        var (target, before) = await FreshDeviceAsync();
        await using var driver = await lab.Factory.ConnectAsync(target, None);

        for (var attempt = 0; attempt < 10; attempt++)
        {
            var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendConfigAsync([Good[0], "/ip address add address=203.0.113.1/24 interface=ether2"], None));
            Assert.Contains("failure: already have such address", error.Message, StringComparison.Ordinal);
        }

        Assert.True(driver.IsUsable);
        Assert.Equal(Clock, await driver.SendCommandAsync("/system clock print", None));
        Assert.Equal(before, await driver.GetRunningConfigAsync(None));
    }

    [LabFact]
    public async Task A_push_cut_by_a_dropped_connection_is_undone_by_the_router()
    {
        var (target, before) = await FreshDeviceAsync();
        await lab.SetFaultAsync(target, "drop-mid-config");
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            await Assert.ThrowsAsync<DeviceConnectionException>(() => driver.SendConfigAsync([.. Good, "/ip dns set servers=203.0.113.53"], None));
        }

        await AssertUntouchedAsync(target, before);
    }

    [LabFact]
    public async Task A_push_cancelled_midway_is_undone_by_the_router_when_the_connection_closes()
    {
        var (target, before) = await FreshDeviceAsync();
        await lab.SetFaultAsync(target, "slow");
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            using var cancel = new CancellationTokenSource();
            var push = driver.SendConfigAsync([.. Good, "/ip dns set servers=203.0.113.53"], cancel.Token);
            while (!driver.Transcript.Contains(Good[1], StringComparison.Ordinal) && !push.IsCompleted)
            {
                await Task.Delay(10);
            }
            await cancel.CancelAsync();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => push);
        }

        await AssertUntouchedAsync(target, before);
    }

    [LabFact]
    public async Task Pushed_lines_are_in_the_export_a_rename_moves_the_prompt_and_there_is_nothing_to_save()
    {
        var (target, before) = await FreshDeviceAsync();
        await using var driver = await lab.Factory.ConnectAsync(target, None);

        await driver.SendConfigAsync([.. Good, "/system identity set name=ros-renamed"], None);

        Assert.Contains("[enmslab@ros-renamed] > ", driver.Transcript, StringComparison.Ordinal);
        Assert.Contains("[Safe Mode released]", driver.Transcript, StringComparison.Ordinal);
        var running = await driver.GetRunningConfigAsync(None);
        Assert.StartsWith("/ip address\nadd address=192.0.2.1/24 interface=ether1 network=192.0.2.0\nadd address=203.0.113.1/24 interface=ether2 network=203.0.113.0\n", running, StringComparison.Ordinal);
        Assert.Contains("add dst-address=198.51.100.0/24 gateway=203.0.113.254", running, StringComparison.Ordinal);
        Assert.EndsWith("/system identity\nset name=ros-renamed", running, StringComparison.Ordinal);
        Assert.DoesNotContain("#", running, StringComparison.Ordinal);
        Assert.NotEqual(before, running);
        Assert.Equal(Clock, await driver.SendCommandAsync("/system clock print", None));
        Assert.Equal(CliDriver.NothingToSave("mikrotik_routeros"), await driver.SaveConfigAsync(None));
    }

    [LabFact]
    public async Task Transactions_are_declared_unsupported_not_faked()
    {
        lab.RequireLab();
        await using var driver = await lab.Factory.ConnectAsync(lab.Emulated("mikrotik_routeros"), None);

        Assert.False(driver.Capabilities.HasFlag(DriverCapabilities.ConfigMerge));
        await Assert.ThrowsAsync<NotSupportedException>(() => driver.LoadCandidateAsync(Good[0], ConfigLoadMode.Merge, None));
        await Assert.ThrowsAsync<NotSupportedException>(() => driver.CommitAsync(None));
        await Assert.ThrowsAsync<NotSupportedException>(() => driver.RollbackAsync(None));
    }
}
