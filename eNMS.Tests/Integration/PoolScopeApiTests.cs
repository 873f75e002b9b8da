using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using eNMS.Core.Data;
using eNMS.Core.Scheduling;
using eNMS.Core.Security;
using eNMS.Core.Terminal;
using eNMS.Tests.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace eNMS.Tests.Integration;

/// <summary>An operator limited to one pool, through the runs, configuration, compliance and schedule API and the
/// web terminal: what concerns a device outside the pool is missing (404) or filtered out, never named.</summary>
public sealed class PoolScopeApiTests : IAsyncLifetime
{
    private readonly EnmsAppFactory _app = new();
    private ScopedWorld _world = default!;
    private EnmsUser _user = default!;
    private HttpClient _scoped = default!;
    private HttpClient _admin = default!;

    public async Task InitializeAsync()
    {
        _world = await ScopedWorld.SeedAsync(_app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>());
        _user = await _app.CreateUserAsync("pool-operator", Roles.Operator, _world.Scope);
        _scoped = _app.CreateClient(await _app.CreateTokenAsync(_user));
        _admin = await _app.CreateClientAsync(Roles.Admin);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Runs_list_only_the_scoped_users_devices_results_and_whole_run_logs()
    {
        var runs = (await ReadAsync("/api/runs")).AsArray();
        Assert.Equal([_world.UntargetedRun, _world.MixedRun, _world.InsideRun], runs.Select(r => (int)r!["id"]!));
        Assert.Equal([_world.Inside], runs.Single(r => (int)r!["id"]! == _world.MixedRun)!["deviceIds"]!.AsArray().Select(id => (int)id!));
        Assert.Equal(new[] { _world.Outside, _world.Inside }.Order(), (await ReadAsync($"/api/runs/{_world.MixedRun}", _admin))["deviceIds"]!.AsArray().Select(id => (int)id!).Order());

        foreach (var path in new[] { "", "/results", "/logs" })
        {
            await AssertMissingAsync(_scoped.GetAsync($"/api/runs/{_world.OutsideRun}{path}"));
        }
        await AssertMissingAsync(_scoped.PostAsync($"/api/runs/{_world.OutsideRun}/cancel", null));
        await AssertMissingAsync(_scoped.PostAsync($"/api/runs/{_world.OutsideRun}/resume", null));
        await AssertMissingAsync(_scoped.PostAsJsonAsync($"/api/runs/{_world.OutsideRun}/restart", new { node = "summary" }));

        var mixed = (await ReadAsync($"/api/runs/{_world.MixedRun}/results")).AsArray();
        Assert.Equal([(int?)_world.Inside], mixed.Select(r => (int?)r!["deviceId"]));
        Assert.Empty((await ReadAsync($"/api/runs/{_world.MixedRun}/logs")).AsArray());
        Assert.Single((await ReadAsync($"/api/runs/{_world.InsideRun}/logs")).AsArray());
        Assert.Equal(2, (await ReadAsync($"/api/runs/{_world.InsideRun}/results")).AsArray().Count);

        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        var outsideResults = await db.RunResults.Where(r => r.DeviceId == _world.Outside).OrderBy(r => r.Id).Select(r => r.Id).ToListAsync();
        await AssertMissingAsync(_scoped.GetAsync($"/api/results/compare?a={outsideResults[0]}&b={outsideResults[1]}"));
        Assert.Equal(HttpStatusCode.OK, (await _admin.GetAsync($"/api/results/compare?a={outsideResults[0]}&b={outsideResults[1]}")).StatusCode);
    }

    [Fact]
    public async Task Configurations_search_and_compliance_cover_only_the_scoped_users_devices()
    {
        await AssertMissingAsync(_scoped.GetAsync($"/api/devices/{_world.Outside}/configurations"));
        await AssertMissingAsync(_scoped.GetAsync($"/api/configurations/{_world.OutsideVersion}"));
        await AssertMissingAsync(_scoped.GetAsync($"/api/configurations/diff?a={_world.InsideVersion}&b={_world.OutsideVersion}"));
        Assert.Single((await ReadAsync($"/api/devices/{_world.Inside}/configurations")).AsArray());

        var hits = (await ReadAsync("/api/configurations/search?q=hostname")).AsArray();
        Assert.Equal(["inside-router"], hits.Select(h => (string)h!["deviceName"]!));
        Assert.Equal(2, (await ReadAsync("/api/configurations/search?q=hostname", _admin)).AsArray().Count);

        await AutomationClient.Read(await _admin.PostAsJsonAsync("/api/compliance/rules",
            new { name = "no public community", platform = "cisco_ios", mode = "Regex", template = "snmp-server community public" }), HttpStatusCode.Created);
        Assert.Equal(["inside-router"], (await ReadAsync("/api/compliance")).AsArray().Select(r => (string)r!["deviceName"]!));
        Assert.Empty((await ReadAsync($"/api/compliance?deviceId={_world.Outside}")).AsArray());

        var rollback = await _scoped.PostAsJsonAsync($"/api/devices/{_world.Outside}/configurations/{_world.OutsideVersion}/rollback", new { preview = true });
        Assert.Equal(HttpStatusCode.BadRequest, rollback.StatusCode);
        Assert.Contains("does not exist", await rollback.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compliance_of_a_device_is_the_same_whoever_looks_even_by_a_rule_bound_to_a_pool_the_viewer_does_not_see()
    {
        // The inside device also belongs to the outside pool; a rule bound to that pool applies to it, for everyone.
        await using (var db = await _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync())
        {
            var device = await db.Devices.Include(d => d.Pools).SingleAsync(d => d.Id == _world.Inside);
            device.Pools.Add(await db.Pools.SingleAsync(p => p.Id == _world.OutsidePool));
            await db.SaveChangesAsync();
        }
        await AutomationClient.Read(await _admin.PostAsJsonAsync("/api/compliance/rules",
            new { name = "their pool: no public community", poolId = _world.OutsidePool, mode = "Regex", template = "snmp-server community public" }), HttpStatusCode.Created);

        static string[] Rules(JsonNode reports, int deviceId) =>
            [.. reports.AsArray().Where(r => (int)r!["deviceId"]! == deviceId).Select(r => $"{r!["ruleName"]}: {r["compliant"]}")];
        var seenByAdmin = Rules(await ReadAsync("/api/compliance", _admin), _world.Inside);
        Assert.StartsWith("their pool: no public community: ", Assert.Single(seenByAdmin), StringComparison.Ordinal);
        Assert.Equal(seenByAdmin, Rules(await ReadAsync("/api/compliance"), _world.Inside));
        Assert.Equal(seenByAdmin, Rules(await ReadAsync($"/api/compliance?deviceId={_world.Inside}"), _world.Inside));
    }

    [Fact]
    public async Task Schedules_outside_the_pool_are_hidden_refused_at_save_and_refused_at_fire_time_once_the_scope_shrinks()
    {
        Assert.Equal(["inside nightly"], (await ReadAsync("/api/schedules")).AsArray().Select(s => (string)s!["name"]!));
        await AssertMissingAsync(_scoped.GetAsync($"/api/schedules/{_world.OutsideSchedule}"));
        await AssertMissingAsync(_scoped.GetAsync($"/api/schedules/{_world.OutsidePoolSchedule}/runs"));
        await AssertMissingAsync(_scoped.PostAsync($"/api/schedules/{_world.OutsideSchedule}/pause", null));
        await AssertMissingAsync(_scoped.DeleteAsync($"/api/schedules/{_world.OutsideSchedule}"));
        await AssertMissingAsync(_scoped.PutAsJsonAsync($"/api/schedules/{_world.OutsideSchedule}", new { name = "mine now", serviceId = 1, kind = "Cron", cron = "0 0 3 * * ?", timeZone = "UTC" }));

        var service = await new AutomationClient(_admin).CreateServiceAsync("echo", "test_step", new { echo = "hi" });
        var refused = await _scoped.PostAsJsonAsync("/api/schedules",
            new { name = "sneaky", serviceId = service, kind = "Cron", cron = "0 0 3 * * ?", timeZone = "UTC", deviceIds = new[] { _world.Outside }, poolIds = new[] { _world.OutsidePool } });
        var problem = await AutomationClient.Read(refused, HttpStatusCode.BadRequest);
        Assert.Contains($"device #{_world.Outside}", (string)problem["errors"]!["deviceIds"]![0]!, StringComparison.Ordinal);
        Assert.DoesNotContain(ScopedWorld.OutsideName, problem.ToJsonString(), StringComparison.Ordinal);

        var id = (int)(await AutomationClient.Read(await _scoped.PostAsJsonAsync("/api/schedules",
            new { name = "mine nightly", serviceId = service, kind = "Cron", cron = "0 0 3 * * ?", timeZone = "UTC", deviceIds = new[] { _world.Inside } }), HttpStatusCode.Created))["id"]!;
        await AutomationClient.Read(await _scoped.PostAsync($"/api/schedules/{id}/pause", null), HttpStatusCode.OK);
        await AutomationClient.Read(await _scoped.PostAsync($"/api/schedules/{id}/resume", null), HttpStatusCode.OK);
        var audit = (await ReadAsync("/api/audit?kind=schedule", _admin)).AsArray();
        Assert.Contains(audit, e => (string)e!["action"]! == "schedule pause" && (string)e["targetId"]! == $"{id}" && (string)e["user"]! == "pool-operator");
        Assert.Contains(audit, e => (string)e!["action"]! == "schedule resume" && (string)e["targetId"]! == $"{id}");

        // Fired by hand (its cron time is hours away): first within the creator's pools, then after they shrank.
        var scheduler = await _app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.TriggerJob(RunServiceJob.KeyFor(id));
        var run = await WaitForAsync(async () => (await ReadAsync($"/api/schedules/{id}/runs", _admin)).AsArray().FirstOrDefault(), "the schedule's first run");
        Assert.Equal([_world.Inside], run!["deviceIds"]!.AsArray().Select(d => (int)d!));

        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<EnmsUser>>();
            var user = (await users.FindByNameAsync("pool-operator"))!;
            user.ScopePoolIds = [_world.OutsidePool];
            Assert.True((await users.UpdateAsync(user)).Succeeded);
        }
        await scheduler.TriggerJob(RunServiceJob.KeyFor(id));
        await WaitForAsync(() => Task.FromResult(_app.Logs.Lines.FirstOrDefault(l => l.Contains("mine nightly could not start a run", StringComparison.Ordinal)
            && l.Contains($"#{_world.Inside}", StringComparison.Ordinal))), "the refusal at fire time");
        Assert.Single((await ReadAsync($"/api/schedules/{id}/runs", _admin)).AsArray());
    }

    [Fact]
    public async Task The_web_terminal_does_not_open_to_a_device_outside_the_pool()
    {
        var terminals = _app.Services.GetRequiredService<WebTerminals>();
        var refused = await Assert.ThrowsAsync<ArgumentException>(() =>
            terminals.OpenAsync(_world.Outside, new AuditActor("pool-operator", null), _world.Scope, 80, 24, _ => Task.CompletedTask, CancellationToken.None));
        Assert.Contains($"#{_world.Outside} does not exist", refused.Message, StringComparison.Ordinal);
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        Assert.Empty(await db.TerminalSessions.ToListAsync());
    }

    private async Task<JsonNode> ReadAsync(string path, HttpClient? client = null)
    {
        var response = await (client ?? _scoped).GetAsync(path);
        var node = await AutomationClient.Read(response, HttpStatusCode.OK);
        if (client is null)
        {
            Assert.DoesNotContain(ScopedWorld.OutsideName, node.ToJsonString(), StringComparison.Ordinal);
        }
        return node;
    }

    private static async Task AssertMissingAsync(Task<HttpResponseMessage> request)
    {
        var response = await request;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri}: {(int)response.StatusCode} {body}");
        Assert.DoesNotContain(ScopedWorld.OutsideName, body, StringComparison.Ordinal);
    }

    /// <summary>Polls until <paramref name="probe"/> finds something; fails naming what never came (bounded, generous).</summary>
    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, string what)
    {
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(60);
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"{what} never came");
            await Task.Delay(100);
        }
    }
}
