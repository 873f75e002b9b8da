using eNMS.Drivers;
using eNMS.Tests.TestSupport.Lab;

namespace eNMS.Tests.Drivers.Conformance;

/// <summary>Cisco ASA over real SSH and Telnet to the emulated device: enable, paging on and off, lines that apply as
/// typed (a refused one quoted), a backup that is recognisably whole, a save; no candidate, so transactions are
/// declared unsupported rather than faked.</summary>
[Collection(LabGroup.Name)]
public sealed class AsaConformanceTests(LabFixture lab)
{
    private static readonly CancellationToken None = CancellationToken.None;

    private async Task<IDeviceDriver> ConnectAsync(CliTransport transport = CliTransport.Ssh, DeviceTarget? target = null)
    {
        lab.RequireLab();
        target ??= lab.Emulated("cisco_asa");
        return await lab.Factory.ConnectAsync(transport is CliTransport.Telnet ? target with { Transport = transport, Port = 23 } : target, None);
    }

    [LabTheory]
    [InlineData(CliTransport.Ssh)]
    [InlineData(CliTransport.Telnet)]
    public async Task Enable_then_exact_output_with_paging_off_and_on_and_a_typed_error(CliTransport transport)
    {
        await using var driver = await ConnectAsync(transport);

        Assert.Equal("11:00:00.000 UTC Wed Nov 25 2026", await driver.SendCommandAsync("show clock", None));
        var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendCommandAsync("show bogus", None));
        Assert.Contains("ERROR: % Invalid input detected at '^' marker.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(LabFixture.EnableSecret, driver.Transcript, StringComparison.Ordinal);

        await driver.SendCommandAsync("terminal pager 24", None);
        var log = (await driver.SendCommandAsync("show logging", None)).Split('\n');
        Assert.Equal(60, log.Length);
        Assert.All(log, l => Assert.StartsWith("Nov 25 2026 11:", l, StringComparison.Ordinal));
    }

    [LabFact]
    public async Task Lines_apply_as_typed_a_refused_one_is_quoted_and_the_backup_is_whole()
    {
        await using var driver = await ConnectAsync();

        await driver.SendConfigAsync(["interface GigabitEthernet0/9", " description enms-asa", "route management 203.0.113.0 255.255.255.0 192.0.2.254 1"], None);
        var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendConfigAsync(["bogus line"], None));

        Assert.Equal("bogus line", error.Command);
        Assert.Contains("ERROR: % Invalid input detected at '^' marker.", error.Message, StringComparison.Ordinal);
        var running = await driver.GetRunningConfigAsync(None);
        Assert.StartsWith("ASA Version 9.16(4)\n", running, StringComparison.Ordinal);
        Assert.Contains("interface GigabitEthernet0/9\n description enms-asa", running, StringComparison.Ordinal);
        Assert.Contains("route management 203.0.113.0 255.255.255.0 192.0.2.254 1", running, StringComparison.Ordinal);
        Assert.Null(driver.RunningConfigShape.Problem(running));
        Assert.NotNull(driver.RunningConfigShape.Problem(running[..running.LastIndexOf(": end", StringComparison.Ordinal)]));
        Assert.True(driver.IsUsable);
    }

    [LabFact]
    public async Task Ten_refused_pushes_in_a_row_leave_the_device_as_before_and_the_session_usable()
    {
        await using var driver = await ConnectAsync();
        var before = await driver.GetRunningConfigAsync(None);

        for (var attempt = 0; attempt < 10; attempt++)
        {
            var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendConfigAsync(["bogus line", "logging host management 192.0.2.97"], None));
            Assert.Equal("bogus line", error.Command);
            Assert.Contains("ERROR: % Invalid input detected at '^' marker.", error.Message, StringComparison.Ordinal);
        }

        Assert.True(driver.IsUsable);
        Assert.DoesNotContain("192.0.2.97", driver.Transcript, StringComparison.Ordinal);
        Assert.Equal("11:00:00.000 UTC Wed Nov 25 2026", await driver.SendCommandAsync("show clock", None));
        Assert.Equal(before, await driver.GetRunningConfigAsync(None));
    }

    [LabFact]
    public async Task Transactions_are_declared_unsupported_not_faked()
    {
        await using var driver = await ConnectAsync();

        Assert.False(driver.Capabilities.HasFlag(DriverCapabilities.ConfigMerge));
        await Assert.ThrowsAsync<NotSupportedException>(() => driver.LoadCandidateAsync("hostname x", ConfigLoadMode.Merge, None));
        await Assert.ThrowsAsync<NotSupportedException>(() => driver.RollbackAsync(None));
    }

    [LabFact]
    public async Task Write_memory_saves_and_a_save_the_device_cannot_write_fails_quoting_it()
    {
        lab.RequireLab();
        var target = lab.Emulated("cisco_asa");
        await using (var driver = await ConnectAsync(target: target))
        {
            await driver.SendConfigAsync(["logging host management 192.0.2.99"], None);
            Assert.DoesNotContain("192.0.2.99", await driver.SendCommandAsync("show startup-config", None), StringComparison.Ordinal);
            Assert.Contains("[OK]", await driver.SaveConfigAsync(None), StringComparison.Ordinal);
            Assert.Contains("logging host management 192.0.2.99", await driver.SendCommandAsync("show startup-config", None), StringComparison.Ordinal);
        }

        await lab.SetFaultAsync(target, "nvram-full");
        await using (var driver = await ConnectAsync(target: target))
        {
            await driver.SendConfigAsync(["logging host management 192.0.2.98"], None);
            var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SaveConfigAsync(None));
            Assert.Equal("write memory", error.Command);
            Assert.Contains("(No space left on device)", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("192.0.2.98", await driver.SendCommandAsync("show startup-config", None), StringComparison.Ordinal);
        }
    }
}
