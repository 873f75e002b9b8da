using System.Net;
using System.Net.Http.Json;
using eNMS.Core.Automation;
using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Integration;

/// <summary>"Revert this run" on the demo network: a changing run keeps each device's configuration before its first
/// change, and a revert (previewed first) puts exactly that back, as a run of its own, audited.</summary>
public sealed class RevertRunTests : IAsyncLifetime
{
    private readonly EnmsAppFactory _app = new(seedDemo: true);
    private AutomationClient _api = null!;
    private Dictionary<string, int> _devices = null!;
    private int _backup;

    public async Task InitializeAsync()
    {
        _api = new AutomationClient(await _app.CreateClientAsync("admin"));
        await using var db = await Db().CreateDbContextAsync();
        _devices = await db.Devices.ToDictionaryAsync(d => d.Name, d => d.Id);
        _backup = await _api.CreateServiceAsync("backup", "config_backup", new { });
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private IDbContextFactory<EnmsDbContext> Db() => _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>();

    private async Task<(Run Run, List<RunResult> Results)> RunAsync(int serviceId, params string[] devices)
    {
        var run = await _api.WaitAsync(await _api.RunAsync(serviceId, devices.Select(d => _devices[d])), seconds: 60);
        return (run, await _api.ResultsAsync(run.Id));
    }

    private async Task<string> RunningConfigAsync(string device) =>
        Assert.Single((await RunAsync(_backup, device)).Results).Output;

    private async Task<HttpResponseMessage> RevertAsync(int runId, bool preview, bool force = false) =>
        await _api.Http.PostAsJsonAsync($"/api/runs/{runId}/revert", new { preview, force });

    private async Task<(Run Run, List<RunResult> Results)> RevertedAsync(int runId, bool preview, bool force = false)
    {
        var started = (int)(await AutomationClient.Read(await RevertAsync(runId, preview, force), HttpStatusCode.Accepted))["runId"]!;
        var run = await _api.WaitAsync(started, seconds: 60);
        return (run, await _api.ResultsAsync(run.Id));
    }

    [Fact]
    public async Task A_dry_run_or_a_read_only_run_keeps_no_snapshot_and_has_nothing_to_revert()
    {
        var dryRun = await _api.CreateServiceAsync("dry", "cli_config", new { config = "snmp-server contact noc", dryRun = true });
        var (run, _) = await RunAsync(dryRun, "madrid-core");

        var response = await RevertAsync(run.Id, preview: true);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("nothing to revert", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var db = await Db().CreateDbContextAsync();
        Assert.False(await db.ChangeSnapshots.AnyAsync());
        var runId = run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == "revert preview refused" && e.TargetId == runId));
    }

    [Fact]
    public async Task A_preview_shows_each_devices_diff_and_changes_nothing_then_the_revert_puts_the_configuration_back()
    {
        var before = await RunningConfigAsync("madrid-core");
        var change = await _api.CreateServiceAsync("change", "cli_config", new { config = "snmp-server contact noc@example.net\nsnmp-server location {{ device.name }}" });
        var (changed, results) = await RunAsync(change, "madrid-core", "paris-core");
        Assert.All(results.Where(r => r.DeviceId is not null), r => Assert.True(r.Success, $"{r.DeviceName}: {r.Error}"));
        Assert.Contains("snmp-server contact noc@example.net", await RunningConfigAsync("madrid-core"), StringComparison.Ordinal);

        var (preview, previewResults) = await RevertedAsync(changed.Id, preview: true);
        Assert.Equal(RunStatus.Completed, preview.Status);
        var madrid = Assert.Single(previewResults, r => r.DeviceName == "madrid-core");
        Assert.Contains("- snmp-server contact noc@example.net", madrid.Diff, StringComparison.Ordinal);
        Assert.False(madrid.Changed);
        Assert.Contains("snmp-server contact noc@example.net", await RunningConfigAsync("madrid-core"), StringComparison.Ordinal);

        var (revert, revertResults) = await RevertedAsync(changed.Id, preview: false);
        Assert.Equal(RunStatus.Completed, revert.Status);
        Assert.Equal(2, revertResults.Count(r => r.Changed));
        Assert.Equal(ConfigLines(before), ConfigLines(await RunningConfigAsync("madrid-core")));
        Assert.DoesNotContain("noc@example.net", await RunningConfigAsync("paris-core"), StringComparison.Ordinal);

        await using var db = await Db().CreateDbContextAsync();
        var changedId = changed.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var audited = await db.AuditEntries.Where(e => e.TargetKind == "run" && e.TargetId == changedId && e.Action.StartsWith("revert")).Select(e => e.Action).ToListAsync();
        Assert.Equal(["revert preview", "revert"], audited);
        // The revert is itself a change: it kept its own snapshots, so it can be reverted in turn.
        Assert.Equal(2, await db.ChangeSnapshots.CountAsync(s => s.RunId == revert.Id));
    }

    [Fact]
    public async Task A_device_changed_again_by_a_later_run_is_refused_clearly_unless_forced()
    {
        var first = await _api.CreateServiceAsync("first", "cli_config", new { config = "snmp-server contact first" });
        var second = await _api.CreateServiceAsync("second", "cli_config", new { config = "snmp-server location second" });
        var (firstRun, _) = await RunAsync(first, "madrid-core", "paris-core");
        var (secondRun, _) = await RunAsync(second, "madrid-core");

        var (refused, refusedResults) = await RevertedAsync(firstRun.Id, preview: false);
        Assert.Equal(RunStatus.Failed, refused.Status);
        var madrid = Assert.Single(refusedResults, r => r.DeviceName == "madrid-core");
        Assert.False(madrid.Success);
        Assert.Contains($"changed again by run #{secondRun.Id}", madrid.Error, StringComparison.Ordinal);
        Assert.Contains("snmp-server location second", await RunningConfigAsync("madrid-core"), StringComparison.Ordinal);
        // The other device, not changed since, was reverted.
        Assert.True(Assert.Single(refusedResults, r => r.DeviceName == "paris-core").Changed);
        Assert.DoesNotContain("snmp-server contact first", await RunningConfigAsync("paris-core"), StringComparison.Ordinal);

        var (forced, _) = await RevertedAsync(firstRun.Id, preview: false, force: true);
        Assert.Equal(RunStatus.Completed, forced.Status);
        var config = await RunningConfigAsync("madrid-core");
        Assert.DoesNotContain("snmp-server contact first", config, StringComparison.Ordinal);
        Assert.DoesNotContain("snmp-server location second", config, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_device_whose_configuration_cannot_be_read_first_is_not_changed_and_says_why()
    {
        var change = await _api.CreateServiceAsync("change", "cli_config", new { config = "snmp-server contact noc" });
        var unreachable = (await _api.CreateDevicesAsync("unreachable")).Single();
        await using (var db = await Db().CreateDbContextAsync())
        {
            // A loopback port nothing listens on.
            await db.Devices.Where(d => d.Id == unreachable).ExecuteUpdateAsync(s => s.SetProperty(d => d.Address, "127.0.0.1").SetProperty(d => d.Port, 9));
        }

        var run = await _api.WaitAsync(await _api.RunAsync(change, [unreachable]), seconds: 60);

        var result = Assert.Single(await _api.ResultsAsync(run.Id));
        Assert.False(result.Success);
        Assert.Contains("its configuration could not be kept first", result.Error, StringComparison.Ordinal);
        await using var check = await Db().CreateDbContextAsync();
        Assert.False(await check.ChangeSnapshots.AnyAsync(s => s.RunId == run.Id));
    }

    [Fact]
    public async Task A_user_limited_to_other_pools_cannot_revert_a_run_on_devices_outside_them()
    {
        var change = await _api.CreateServiceAsync("change", "cli_config", new { config = "snmp-server contact noc" });
        var (run, _) = await RunAsync(change, "madrid-core");
        int pool;
        await using (var db = await Db().CreateDbContextAsync())
        {
            var other = new eNMS.Core.Inventory.Pool { Name = "other pool", Mode = eNMS.Core.Inventory.PoolMode.Manual, Devices = [await db.Devices.SingleAsync(d => d.Name == "paris-core")] };
            db.Pools.Add(other);
            await db.SaveChangesAsync();
            pool = other.Id;
        }
        var limited = new AutomationClient(await _app.CreateClientAsync(Roles.Editor, [pool]));

        var response = await limited.Http.PostAsJsonAsync($"/api/runs/{run.Id}/revert", new { preview = true });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static string[] ConfigLines(string config) =>
        [.. config.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0 && !l.StartsWith('!'))];
}
