using eNMS.Core.Automation;
using eNMS.Core.Automation.Handlers;
using eNMS.Core.Data;
using eNMS.Core.Demo;
using eNMS.Core.Scheduling;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace eNMS.Tests.Integration;

/// <summary>The services, workflows and schedule a demo install starts with: described, and each runnable as it is on
/// the demo devices of every platform.</summary>
public sealed class StarterContentTests : IAsyncLifetime
{
    /// <summary>One demo device per simulated platform (IOS, Junos, EOS, NX-OS, FRR).</summary>
    private static readonly string[] EveryPlatform = ["paris-core", "london-core", "berlin-core", "rome-core", "amsterdam-core"];

    private readonly EnmsAppFactory _app = new(seedDemo: true);
    private AutomationClient _api = null!;
    private Dictionary<string, int> _devices = null!;
    private Dictionary<string, Service> _services = null!;

    public async Task InitializeAsync()
    {
        _api = new AutomationClient(await _app.CreateClientAsync("admin"));
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        _devices = await db.Devices.ToDictionaryAsync(d => d.Name, d => d.Id);
        _services = await db.Services.AsNoTracking().ToDictionaryAsync(s => s.Name);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<(Run Run, List<RunResult> Results)> RunAsync(string service, params string[] devices)
    {
        var run = await _api.WaitAsync(await _api.RunAsync(_services[service].Id, devices.Select(d => _devices[d])), seconds: 120);
        return (run, await _api.ResultsAsync(run.Id));
    }

    private static string Failures(List<RunResult> results) =>
        string.Join("\n", results.Where(r => !r.Success).Select(r => $"{r.DeviceName} {r.Node}: {r.Error}"));

    [Fact]
    public async Task The_demo_starts_with_described_services_workflows_and_a_nightly_backup_that_Quartz_will_fire()
    {
        Assert.True(_services.Values.Count(s => s.Kind == ServiceHandlers.WorkflowKind) >= 3);
        Assert.True(_services.Values.Count(s => s.Kind != ServiceHandlers.WorkflowKind) >= 5);
        Assert.All(_services.Values, s => Assert.False(string.IsNullOrWhiteSpace(s.Description), $"{s.Name} has no description"));
        Assert.Equal(_devices.Count, _services["Show version"].DeviceIds.Count);

        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        var nightly = await db.Schedules.SingleAsync();
        Assert.Equal(_services["Back up configuration"].Id, nightly.ServiceId);
        var scheduler = await _app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var triggers = await scheduler.GetTriggersOfJob(RunServiceJob.KeyFor(nightly.Id));
        var next = Assert.Single(triggers).NextFireTimeUtc;
        Assert.Equal(2, next?.UtcDateTime.Hour);
    }

    [Fact]
    public async Task Show_version_and_the_backup_run_on_every_platform()
    {
        foreach (var service in new[] { "Show version", "Back up configuration" })
        {
            var (run, results) = await RunAsync(service, EveryPlatform);
            Assert.True(run.Status == RunStatus.Completed && run.DevicesFailed == 0, $"{service}: {run.Status}\n{Failures(results)}");
        }
    }

    [Fact]
    public async Task The_compliance_workflow_fixes_the_devices_that_fail_its_check_and_only_those()
    {
        var (run, results) = await RunAsync(StarterContent.ComplianceWorkflow, EveryPlatform);

        Assert.True(run.DevicesFailed == 0, Failures(results.Where(r => r.Node.EndsWith("fix", StringComparison.Ordinal)).ToList()));
        var fixedDevices = results.Where(r => r.Node.EndsWith("fix", StringComparison.Ordinal) && r.Success).Select(r => r.DeviceName).Order().ToList();
        // The seeded IOS, EOS and Junos configurations name the NTP server; NX-OS and FRR do not.
        Assert.Equal(["amsterdam-core", "rome-core"], fixedDevices);
        // The log reads as the run's progress: a line per node and device, failures with their reason, and the outcome.
        var log = await _api.LogsAsync(run.Id);
        var lines = log.Select(l => l.Message).ToList();
        Assert.Contains("Read NTP servers [read] · paris-core: succeeded", string.Join('\n', lines), StringComparison.Ordinal);
        Assert.Contains(log, l => l.Level == "error" && l.Message.StartsWith("Check NTP server [check] · rome-core: failed: 1 of 1 checks failed", StringComparison.Ordinal));
        Assert.Contains("Configure NTP server [fix] · rome-core: succeeded, changed", string.Join('\n', lines), StringComparison.Ordinal);
        Assert.StartsWith("Run completed: 5 device(s) done, 5 succeeded, 0 failed", lines[^1], StringComparison.Ordinal);
        var (again, recheck) = await RunAsync(StarterContent.ComplianceWorkflow, EveryPlatform);
        Assert.Equal(0, again.DevicesFailed);
        Assert.DoesNotContain(recheck, r => r.Node.EndsWith("fix", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_change_and_the_upgrade_workflows_complete_on_every_platform_and_the_change_is_in_the_configuration()
    {
        foreach (var workflow in _services.Values.Where(s => s.Kind == ServiceHandlers.WorkflowKind && s.Name != StarterContent.ComplianceWorkflow))
        {
            var (run, results) = await RunAsync(workflow.Name, EveryPlatform);
            Assert.True(run.Status == RunStatus.Completed && run.DevicesFailed == 0, $"{workflow.Name}: {run.Status}\n{Failures(results)}");
            Assert.DoesNotContain(results, r => r.Node.EndsWith("rollback", StringComparison.Ordinal));
        }

        var (_, readBack) = await RunAsync("Read SNMP location", "paris-core", "london-core");
        Assert.Contains("snmp-server location Paris", readBack.Single(r => r.DeviceName == "paris-core").Output, StringComparison.Ordinal);
        Assert.Contains("location London", readBack.Single(r => r.DeviceName == "london-core").Output, StringComparison.Ordinal);
    }
}
