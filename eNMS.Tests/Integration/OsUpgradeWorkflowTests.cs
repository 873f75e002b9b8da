using System.Net;
using System.Security.Cryptography;
using System.Text;
using eNMS.Core.Automation;
using eNMS.Drivers;
using eNMS.Tests.TestSupport;
using eNMS.Tests.TestSupport.Lab;

namespace eNMS.Tests.Integration;

/// <summary>The shipped example <c>examples/ios-os-upgrade.json</c>, imported as a user would, run on emulated IOS
/// devices: the image is copied, verified, booted after a reload the workflow answers, and the new version checked; a
/// damaged copy stops it before the boot image changes.</summary>
[Collection(LabGroup.Name)]
public sealed class OsUpgradeWorkflowTests : IAsyncLifetime
{
    private const string Image = "vios-adventerprisek9-m.spa.159-3.m6.bin";
    private const string NewVersion = "15.9(3)M6";
    private readonly LabFixture lab;
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("enms-upgrade-");
    private readonly EnmsAppFactory _app;
    private AutomationClient _api = null!;

    public OsUpgradeWorkflowTests(LabFixture lab)
    {
        this.lab = lab;
        _app = new EnmsAppFactory
        {
            Settings = new Dictionary<string, string> { ["Automation:FileTransferDirectory"] = _root.FullName },
        };
    }

    public async Task InitializeAsync()
    {
        _api = new AutomationClient(await _app.CreateClientAsync("admin"));
        // A lab image: the emulator boots the version its first line names (a real image's header does the same).
        var image = Encoding.ASCII.GetBytes($"ENMS-LAB-IMAGE {NewVersion}\n").Concat(RandomNumberGenerator.GetBytes(1_500_000)).ToArray();
        await File.WriteAllBytesAsync(Path.Combine(_root.FullName, Image), image);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _root.Delete(recursive: true);
    }

    private async Task<int> ImportExampleAsync()
    {
        var file = Path.Combine(lab.RepoRoot, "examples", "ios-os-upgrade.json");
        var imported = await _api.Http.PostAsync("/api/services/import", new StringContent(await File.ReadAllTextAsync(file), Encoding.UTF8, "application/json"));
        return (int)(await AutomationClient.Read(imported, HttpStatusCode.Created))["id"]!;
    }

    private Task<int> DeviceAsync(DeviceTarget target) => _api.CreateDeviceAsync(DeviceTargetLike.From(target));

    private async Task<string> ShowVersionAsync(DeviceTarget target)
    {
        await using var driver = await lab.Factory.ConnectAsync(target, CancellationToken.None);
        return await driver.SendCommandAsync("show version", CancellationToken.None);
    }

    [LabFact]
    public async Task A_damaged_copy_stops_the_upgrade_before_the_boot_image_changes_or_the_device_reloads()
    {
        lab.RequireLab();
        var target = lab.Emulated("cisco_ios");
        await lab.SetFaultAsync(target, "corrupt-scp");
        var device = await DeviceAsync(target);
        var workflow = await ImportExampleAsync();

        var run = await _api.WaitAsync(await _api.RunAsync(workflow, [device], new { image = Image, version = NewVersion }), seconds: 120);

        var results = await _api.ResultsAsync(run.Id);
        Assert.Equal(1, run.DevicesFailed);
        Assert.True(results.Single(r => r.Node == "copy").Success, results.Single(r => r.Node == "copy").Error);
        var verify = results.Single(r => r.Node == "verify");
        Assert.False(verify.Success);
        Assert.StartsWith($"{target.Name}: checksum mismatch for flash:{Image}: expected md5 ", verify.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(results, r => r.Node is "boot" or "reload" or "wait" or "check");
        await using var driver = await lab.Factory.ConnectAsync(target, CancellationToken.None);
        Assert.DoesNotContain("boot system", await driver.GetRunningConfigAsync(CancellationToken.None), StringComparison.Ordinal);
        Assert.Contains("uptime is 1 day", await driver.SendCommandAsync("show version", CancellationToken.None), StringComparison.Ordinal);
    }

    [LabFact]
    public async Task The_imported_example_upgrades_an_emulated_ios_device_end_to_end()
    {
        lab.RequireLab();
        var target = lab.Emulated("cisco_ios");
        var device = await DeviceAsync(target);
        var workflow = await ImportExampleAsync();
        Assert.Contains("Version 15.9(3)M4", await ShowVersionAsync(target), StringComparison.Ordinal);

        var run = await _api.WaitAsync(await _api.RunAsync(workflow, [device], new { image = Image, version = NewVersion }), seconds: 180);

        var results = await _api.ResultsAsync(run.Id);
        var failures = string.Join("; ", results.Where(r => !r.Success).Select(r => $"{r.Node}: {r.Error}"));
        Assert.True(run.Status == RunStatus.Completed && run.DevicesFailed == 0, $"{run.Status}, {run.DevicesFailed} failed: {failures}");
        foreach (var node in new[] { "copy", "verify", "boot", "reload", "wait", "check" })
        {
            Assert.True(results.Single(r => r.Node == node).Success, $"{node}: {failures}");
        }
        Assert.Contains("Reload requested", results.Single(r => r.Node == "reload").Output, StringComparison.Ordinal);
        // The first login after the reload finds the device still booting: the wait node tried again.
        Assert.True(results.Single(r => r.Node == "wait").Attempts > 1, "the device was back at once");
        var version = await ShowVersionAsync(target);
        Assert.Contains($"Version {NewVersion}", version, StringComparison.Ordinal);
        Assert.Contains($"System image file is \"flash:{Image}\"", version, StringComparison.Ordinal);
        Assert.Contains("System returned to ROM by reload", version, StringComparison.Ordinal);
    }
}
