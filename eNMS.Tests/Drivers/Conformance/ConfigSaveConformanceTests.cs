using eNMS.Drivers;
using eNMS.Drivers.Cli;
using eNMS.Tests.TestSupport.Lab;

namespace eNMS.Tests.Drivers.Conformance;

/// <summary>Saving the configuration for the next start, over real SSH: the emulated devices keep a startup
/// configuration that only a save changes (and a fault that makes the save fail); FRR's vtysh writes its integrated
/// configuration; where a commit is persistent nothing is sent.</summary>
[Collection(LabGroup.Name)]
public sealed class ConfigSaveConformanceTests(LabFixture lab)
{
    private static readonly CancellationToken None = CancellationToken.None;

    public static TheoryData<string> Saving => ["cisco_ios", "cisco_nxos", "arista_eos"];

    public static TheoryData<string> Persistent => ["juniper_junos", "cisco_xr"];

    [LabTheory]
    [MemberData(nameof(Saving))]
    public async Task A_save_makes_the_running_configuration_the_startup_one(string platform)
    {
        lab.RequireLab();
        var c = PlatformCase.For(platform);
        await using var driver = await lab.Factory.ConnectAsync(lab.Emulated(platform), None);
        await driver.SendConfigAsync(c.ConfigLines, None);
        Assert.DoesNotContain(c.ConfigInRunning, await driver.SendCommandAsync("show startup-config", None), StringComparison.Ordinal);

        var reply = await driver.SaveConfigAsync(None);

        Assert.NotEqual("", reply);
        Assert.Contains(c.ConfigInRunning, await driver.SendCommandAsync("show startup-config", None), StringComparison.Ordinal);
    }

    [LabTheory]
    [MemberData(nameof(Saving))]
    public async Task A_save_the_device_cannot_write_fails_quoting_it_and_the_startup_stays(string platform)
    {
        lab.RequireLab();
        var c = PlatformCase.For(platform);
        var target = lab.Emulated(platform);
        await lab.SetFaultAsync(target, "nvram-full");
        await using var driver = await lab.Factory.ConnectAsync(target, None);
        var startup = await driver.SendCommandAsync("show startup-config", None);
        await driver.SendConfigAsync(c.ConfigLines, None);

        var error = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SaveConfigAsync(None));

        Assert.Equal(((CliDriver)driver).Platform.Save!.Command, error.Command);
        Assert.Matches("No space left|aborted", error.Message);
        Assert.True(driver.IsUsable);
        Assert.Equal(startup, await driver.SendCommandAsync("show startup-config", None));
    }

    [LabTheory]
    [MemberData(nameof(Persistent))]
    public async Task Where_a_commit_is_persistent_a_save_sends_nothing_and_says_so(string platform)
    {
        lab.RequireLab();
        await using var driver = await lab.Factory.ConnectAsync(lab.Emulated(platform), None);
        var before = driver.Transcript;

        Assert.Equal(CliDriver.NothingToSave(platform), await driver.SaveConfigAsync(None));

        Assert.Equal(before, driver.Transcript);
    }

    [LabFact]
    public async Task Frr_write_memory_saves_the_integrated_configuration()
    {
        lab.RequireLab();
        await using var driver = await lab.Factory.ConnectAsync(LabFixture.Router(1), None);
        var file = Path.Combine(lab.LabDir, "frr", "r1", "etc", "frr.conf");
        await driver.SendConfigAsync(["ip route 203.0.113.77/32 Null0"], None);
        Assert.DoesNotContain("203.0.113.77", await File.ReadAllTextAsync(file), StringComparison.Ordinal);

        Assert.Contains($"Integrated configuration saved to {file}", await driver.SaveConfigAsync(None), StringComparison.Ordinal);

        Assert.Contains("ip route 203.0.113.77/32 Null0", await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        await driver.SendConfigAsync(["no ip route 203.0.113.77/32 Null0"], None);
        await driver.SaveConfigAsync(None);
        Assert.DoesNotContain("203.0.113.77", await File.ReadAllTextAsync(file), StringComparison.Ordinal);
    }

    [LabFact]
    public async Task A_linux_host_has_no_configuration_to_save()
    {
        lab.RequireLab();
        await using var driver = await lab.Factory.ConnectAsync(LabFixture.LinuxHost(1), None);

        await Assert.ThrowsAsync<NotSupportedException>(() => driver.SaveConfigAsync(None));
    }
}
