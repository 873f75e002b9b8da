using eNMS.Drivers;
using eNMS.Tests.TestSupport.Lab;

namespace eNMS.Tests.Drivers.Conformance;

/// <summary>What is particular to Cisco IOS XR's two-stage model, over real SSH to the emulated device: a commit the
/// device refuses, a target left behind, the commit history rollback reads.</summary>
[Collection(LabGroup.Name)]
public sealed class XrConformanceTests(LabFixture lab)
{
    private static readonly CancellationToken None = CancellationToken.None;

    private async Task<(DeviceTarget Target, string Before)> FreshDeviceAsync()
    {
        lab.RequireLab();
        var target = lab.Emulated("cisco_xr");
        await using var driver = await lab.Factory.ConnectAsync(target, None);
        return (target, await driver.GetRunningConfigAsync(None));
    }

    private async Task AssertUntouchedAsync(DeviceTarget target, string before)
    {
        await using var check = await lab.Factory.ConnectAsync(target, None);
        Assert.Equal(before, await check.GetRunningConfigAsync(None));
        Assert.DoesNotContain("enmslab", await check.SendCommandAsync("show configuration sessions", None), StringComparison.Ordinal);
    }

    [LabFact]
    public async Task A_commit_the_device_refuses_quotes_show_configuration_failed_and_leaves_nothing()
    {
        var (target, before) = await FreshDeviceAsync();
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            // Every line passes the parser; the address is already on the management interface, which only the
            // commit's verification sees.
            string[] lines = ["interface GigabitEthernet0/0/0/1", " description enms-xr", " ipv4 address 192.0.2.1 255.255.255.0"];

            var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendConfigAsync(lines, None));

            Assert.Equal("commit", error.Command);
            Assert.Contains("% Failed to commit one or more configuration items", error.Message, StringComparison.Ordinal);
            Assert.Contains("show configuration failed: interface GigabitEthernet0/0/0/1 | ipv4 address 192.0.2.1 255.255.255.0 | " +
                "!!% 'IP-ADDR' detected the 'warning' condition 'The address 192.0.2.1 is already configured on MgmtEth0/RP0/CPU0/0'",
                error.Message, StringComparison.Ordinal);
            Assert.True(driver.IsUsable);
            Assert.Contains("abort", driver.Transcript, StringComparison.Ordinal);
            Assert.Equal(before, await driver.GetRunningConfigAsync(None));
        }

        await AssertUntouchedAsync(target, before);
    }

    [LabFact]
    public async Task A_candidate_neither_committed_nor_discarded_is_aborted_when_the_driver_closes()
    {
        var (target, before) = await FreshDeviceAsync();
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            await driver.LoadCandidateAsync("hostname left-behind\nntp server 203.0.113.1\n", ConfigLoadMode.Merge, None);
            Assert.Contains("+ hostname left-behind", await driver.CompareAsync(None), StringComparison.Ordinal);
        }

        await AssertUntouchedAsync(target, before);
    }

    [LabFact]
    public async Task Rollback_is_unavailable_before_the_first_commit_and_undoes_the_last_one_after()
    {
        var (target, before) = await FreshDeviceAsync();
        await using var driver = await lab.Factory.ConnectAsync(target, None);

        Assert.Contains("no commit to roll back", await driver.RollbackUnavailableAsync(None), StringComparison.Ordinal);
        await Assert.ThrowsAsync<DeviceCommandException>(() => driver.RollbackAsync(None));

        await driver.SendConfigAsync(["hostname xr-renamed"], None);
        Assert.Contains("hostname xr-renamed", await driver.GetRunningConfigAsync(None), StringComparison.Ordinal);
        Assert.Null(await driver.RollbackUnavailableAsync(None));
        await driver.RollbackAsync(None);

        Assert.Equal(before, await driver.GetRunningConfigAsync(None));
        Assert.Equal(PlatformCase.Xr.ExpectedOutput, await driver.SendCommandAsync("show clock", None));
    }

    [LabFact]
    public async Task A_timer_under_thirty_seconds_is_sent_in_minutes_which_xr_takes()
    {
        var (target, before) = await FreshDeviceAsync();
        await using (var driver = await lab.Factory.ConnectAsync(target, None))
        {
            await driver.LoadCandidateAsync("ntp server 203.0.113.1", ConfigLoadMode.Merge, None);
            await driver.CommitAsync(None, TimeSpan.FromSeconds(2));

            Assert.Contains("commit confirmed minutes 1", driver.Transcript, StringComparison.Ordinal);
            Assert.Contains("ntp server 203.0.113.1", await driver.GetRunningConfigAsync(None), StringComparison.Ordinal);
        }
        await Task.Delay(TimeSpan.FromSeconds(3)); // the lab's minute is 2 s

        await AssertUntouchedAsync(target, before);
    }
}
