using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Integration;

/// <summary>Change freezes through the API on the demo network (its simulated devices answer in process): a freeze
/// refuses or defers config-changing runs on its pools only, lets read-only work and dry runs through, holds nodes
/// that reach a device after it began mid-run, and yields only to an admin's audited override.</summary>
public sealed class ChangeFreezeTests : IAsyncLifetime
{
    private readonly EnmsAppFactory _app = new(seedDemo: true);
    private AutomationClient _admin = null!;
    private HttpClient _operator = null!;
    private Dictionary<string, int> _devices = null!;

    public async Task InitializeAsync()
    {
        _admin = new AutomationClient(await _app.CreateClientAsync(Roles.Admin));
        _operator = await _app.CreateClientAsync(Roles.Operator);
        await using var db = await Db().CreateDbContextAsync();
        _devices = await db.Devices.ToDictionaryAsync(d => d.Name, d => d.Id);
    }

    public async Task DisposeAsync()
    {
        _operator.Dispose();
        await _app.DisposeAsync();
    }

    private IDbContextFactory<EnmsDbContext> Db() => _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>();

    private static DateTime UtcWallClock(TimeSpan offset) => TimeProvider.System.GetUtcNow().Add(offset).UtcDateTime;

    private async Task<int> FreezeAsync(string name, string action, int[]? poolIds = null, TimeSpan? endsIn = null, string reason = "Stadium event")
    {
        var response = await _admin.Http.PostAsJsonAsync("/api/freezes", new
        {
            name,
            reason,
            action,
            poolIds = poolIds ?? [],
            timeZone = "UTC",
            startAt = UtcWallClock(TimeSpan.FromHours(-1)),
            endAt = UtcWallClock(endsIn ?? TimeSpan.FromHours(1)),
        });
        return (int)(await AutomationClient.Read(response, HttpStatusCode.Created))["id"]!;
    }

    private async Task<int> PoolAsync(string name, params string[] devices) =>
        (int)(await AutomationClient.Read(await _admin.Http.PostAsJsonAsync("/api/pools",
            new { name, mode = "Manual", deviceIds = devices.Select(d => _devices[d]).ToArray() }), HttpStatusCode.Created))["id"]!;

    private static async Task<string> RefusedAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        return body;
    }

    [Fact]
    public async Task A_refusing_freeze_holds_config_changes_on_its_pools_only_and_yields_to_an_admins_audited_override()
    {
        var pool = await PoolAsync("frozen-sites", "paris-core");
        await FreezeAsync("stadium", "Refuse", [pool]);
        var change = await _admin.CreateServiceAsync("ntp change", "cli_config", new { config = "ntp server 10.1.1.1" });
        var dryRun = await _admin.CreateServiceAsync("ntp dry run", "cli_config", new { config = "ntp server 10.1.1.1", dryRun = true });
        var version = await _admin.CreateServiceAsync("version", "cli_commands", new { commands = "show version" });

        var refused = await RefusedAsync(await _admin.StartAsync(change, [_devices["paris-core"]]));
        Assert.Contains("change freeze 'stadium' (Stadium event) holds 1 target device(s)", refused, StringComparison.Ordinal);
        // Read-only work, a dry run, and devices outside the freeze's pools still run.
        foreach (var (service, device) in new[] { (version, "paris-core"), (dryRun, "paris-core"), (change, "london-core") })
        {
            var run = await _admin.WaitAsync(await _admin.RunAsync(service, [_devices[device]]), seconds: 60);
            Assert.True(run.Status == RunStatus.Completed, $"{device}: {run.Status} {run.Error}");
        }
        // The freeze is what the caller would meet, before starting (the run dialog asks the launcher; the API has /holding).
        var launcher = _app.Services.GetRequiredService<RunLauncher>();
        Assert.Equal("stadium", Assert.Single(await launcher.FreezesFacingAsync(new RunRequest(change, [_devices["paris-core"]]), default)).Name);
        Assert.Empty(await launcher.FreezesFacingAsync(new RunRequest(dryRun, [_devices["paris-core"]]), default));
        Assert.Empty(await launcher.FreezesFacingAsync(new RunRequest(change, [_devices["london-core"]]), default));
        var holding = JsonNode.Parse(await _admin.Http.GetStringAsync($"/api/freezes/holding?deviceIds={_devices["paris-core"]},{_devices["london-core"]}"))!.AsArray();
        Assert.Equal([_devices["paris-core"]], Assert.Single(holding)!["deviceIds"]!.AsArray().Select(n => (int)n!));
        // A user limited to other pools learns nothing of the devices outside them.
        using var elsewhere = await _app.CreateClientAsync(Roles.Operator, [await PoolAsync("london-only", "london-core")]);
        Assert.Equal("[]", await elsewhere.GetStringAsync($"/api/freezes/holding?deviceIds={_devices["paris-core"]}"));

        // An operator may not override; an admin may, with a reason that the run and the audit log keep.
        var notAdmin = await RefusedAsync(await _operator.PostAsJsonAsync($"/api/services/{change}/run",
            new { deviceIds = new[] { _devices["paris-core"] }, freezeOverride = "urgent" }));
        Assert.Contains("Only an admin may override a change freeze.", notAdmin, StringComparison.Ordinal);
        var overridden = (int)(await AutomationClient.Read(await _admin.Http.PostAsJsonAsync($"/api/services/{change}/run",
            new { deviceIds = new[] { _devices["paris-core"] }, freezeOverride = "P1: restore NTP" }), HttpStatusCode.Accepted))["runId"]!;
        var done = await _admin.WaitAsync(overridden, seconds: 60);
        Assert.True(done.Status == RunStatus.Completed, done.Error);
        Assert.Equal("P1: restore NTP", done.FreezeOverride);
        Assert.Contains("by override: P1: restore NTP", done.FreezeNote, StringComparison.Ordinal);
        await using var db = await Db().CreateDbContextAsync();
        var audit = await db.AuditEntries.AsNoTracking().Where(e => e.Action == "freeze override" || e.Action == "run start refused").OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(["run start refused", "run start refused", "freeze override"], audit.Select(e => e.Action));
        Assert.Equal(overridden.ToString(System.Globalization.CultureInfo.InvariantCulture), audit[^1].TargetId);
        Assert.Contains("P1: restore NTP", audit[^1].After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deferring_freeze_accepts_the_run_and_starts_it_when_the_freeze_ends()
    {
        await FreezeAsync("short maintenance", "Defer", endsIn: TimeSpan.FromSeconds(4));
        var change = await _admin.CreateServiceAsync("banner change", "cli_config", new { config = "banner motd deferred" });

        var runId = await _admin.RunAsync(change, [_devices["rome-core"]]);
        await using (var db = await Db().CreateDbContextAsync())
        {
            var pending = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == runId);
            Assert.Equal(RunStatus.Pending, pending.Status);
            Assert.NotNull(pending.NotBefore);
            Assert.Contains("Deferred: change freeze 'short maintenance'", pending.FreezeNote, StringComparison.Ordinal);
        }
        var run = await _admin.WaitAsync(runId, seconds: 60);

        Assert.True(run.Status == RunStatus.Completed, run.Error);
        Assert.True(run.StartedAt >= run.NotBefore, $"started {run.StartedAt:O}, not before {run.NotBefore:O}");
        Assert.True((await _admin.ResultsAsync(runId)).Single().Changed);
    }

    [Fact]
    public async Task Deleting_a_freeze_releases_the_runs_it_deferred_at_once()
    {
        var freeze = await FreezeAsync("long maintenance", "Defer", endsIn: TimeSpan.FromHours(2));
        var change = await _admin.CreateServiceAsync("syslog change", "cli_config", new { config = "logging host 10.3.3.3" });
        var runId = await _admin.RunAsync(change, [_devices["amsterdam-core"]]);
        await using (var db = await Db().CreateDbContextAsync())
        {
            Assert.Equal(RunStatus.Pending, (await db.Runs.AsNoTracking().SingleAsync(r => r.Id == runId)).Status);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await _admin.Http.DeleteAsync($"/api/freezes/{freeze}")).StatusCode);
        var run = await _admin.WaitAsync(runId, seconds: 60);

        Assert.True(run.Status == RunStatus.Completed, run.Error);
        Assert.Contains("Released early: the freeze changed", run.FreezeNote, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_freeze_that_begins_mid_run_refuses_the_changes_not_yet_made_and_read_only_nodes_still_run()
    {
        var wait = await _admin.CreateServiceAsync("settle", "wait", new { seconds = 4 });
        var change = await _admin.CreateServiceAsync("late change", "cli_config", new { config = "logging host 10.2.2.2" });
        var version = await _admin.CreateServiceAsync("check", "cli_commands", new { commands = "show version" });
        var workflow = await _admin.CreateWorkflowAsync("settle then change", [("settle", wait), ("change", change), ("check", version)], ["settle>change", "change!check"]);

        var runId = await _admin.RunAsync(workflow, [_devices["berlin-core"]]);
        await FreezeAsync("sudden freeze", "Refuse", reason: "Incident in progress");
        var run = await _admin.WaitAsync(runId, seconds: 60);

        var results = await _admin.ResultsAsync(runId);
        var refused = results.Single(r => r.Node == "change");
        Assert.False(refused.Success);
        Assert.Contains("Refused: a change freeze began during this run — change freeze 'sudden freeze' (Incident in progress)", refused.Error, StringComparison.Ordinal);
        Assert.True(results.Single(r => r.Node == "settle").Success);
        Assert.True(results.Single(r => r.Node == "check").Success, "the read-only node on the failure path still ran");
        Assert.NotEqual(RunStatus.Cancelled, run.Status);
    }

    [Fact]
    public async Task Freezes_are_validated_set_by_admins_only_visible_to_every_reader_and_audited_by_name()
    {
        var invalid = await _admin.Http.PostAsJsonAsync("/api/freezes", new { name = "bad", cron = "every friday", timeZone = "Mars/Olympus", poolIds = new[] { 9999 } });
        var errors = (await AutomationClient.Read(invalid, HttpStatusCode.BadRequest))["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("timeZone") && errors.ContainsKey("poolIds"), errors.ToJsonString());
        var weekly = new { name = "weekends", reason = "No changes at weekends", cron = "0 0 18 ? * FRI", durationMinutes = 62 * 60, timeZone = "Europe/Paris", action = "Defer" };
        Assert.Equal(HttpStatusCode.Forbidden, (await _operator.PostAsJsonAsync("/api/freezes", weekly)).StatusCode);

        var created = await AutomationClient.Read(await _admin.Http.PostAsJsonAsync("/api/freezes", weekly), HttpStatusCode.Created);
        var id = (int)created["id"]!;
        Assert.StartsWith("At 18:00", (string)created["timing"]!, StringComparison.Ordinal);
        Assert.Equal(5, created["nextPeriods"]!.AsArray().Count);
        var seen = JsonNode.Parse(await _operator.GetStringAsync("/api/freezes"))!.AsArray();
        Assert.Equal("weekends", (string)Assert.Single(seen)!["name"]!);
        Assert.Equal(HttpStatusCode.OK, (await _admin.Http.PutAsJsonAsync($"/api/freezes/{id}", weekly with { })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _admin.Http.PutAsJsonAsync($"/api/freezes/{id}", new { weekly.name, weekly.cron, durationMinutes = 48 * 60, weekly.timeZone })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _admin.Http.DeleteAsync($"/api/freezes/{id}")).StatusCode);

        await using var db = await Db().CreateDbContextAsync();
        var audit = await db.AuditEntries.AsNoTracking().Where(e => e.TargetKind == "change freeze").OrderBy(e => e.Id).ToListAsync();
        // The unchanged PUT wrote nothing.
        Assert.Equal(["create", "update", "delete"], audit.Select(e => e.Action));
        Assert.All(audit, e => Assert.Equal("weekends", e.TargetName));
    }
}
