using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using eNMS.Core.Automation;
using eNMS.Tests.TestSupport;

namespace eNMS.Tests.Integration;

/// <summary>One node on SQLite: schedules fire runs through Quartz's persistent store in the app's database.</summary>
public sealed class SchedulingTests : IAsyncLifetime
{
    private readonly EnmsAppFactory _app = new();
    private AutomationClient _api = default!;

    public async Task InitializeAsync() => _api = new AutomationClient(await _app.CreateClientAsync("admin"));

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task An_interval_schedule_fires_runs_that_record_the_schedule_on_sqlite()
    {
        var devices = await _api.CreateDevicesAsync("sched-a", "sched-b");
        var service = await _api.CreateServiceAsync("pause", "wait", new { seconds = 0 });
        var created = await AutomationClient.Read(await _api.Http.PostAsJsonAsync("/api/schedules", new
        {
            name = "every-second",
            serviceId = service,
            kind = "Interval",
            every = 1,
            unit = "Seconds",
            timeZone = "Europe/Paris",
            deviceIds = devices,
            variables = new { origin = "schedule" },
        }), HttpStatusCode.Created);
        var id = (int)created["id"]!;
        Assert.Equal("active", (string)created["state"]!);
        Assert.Equal(5, created["nextFires"]!.AsArray().Count);
        Assert.StartsWith("Every second, from ", (string)created["timing"]!, StringComparison.Ordinal);

        var runs = await WaitForRunsAsync(id, 2);
        var first = await _api.WaitAsync(runs[^1]!["id"]!.GetValue<int>());
        Assert.Equal(RunStatus.Completed, first.Status);
        Assert.Equal(id, first.ScheduleId);
        Assert.Equal(2, first.DevicesDone);
        Assert.Contains("schedule 'every-second'", first.Trigger, StringComparison.Ordinal);
        Assert.Equal("{\"origin\":\"schedule\"}", first.Variables);
        Assert.Equal(runs.Count, runs.Select(r => (string)r!["trigger"]!).Distinct().Count());

        await AutomationClient.Read(await _api.Http.PostAsync($"/api/schedules/{id}/pause", null), HttpStatusCode.OK);
        var paused = await AutomationClient.Read(await _api.Http.GetAsync($"/api/schedules/{id}"), HttpStatusCode.OK);
        Assert.Equal("paused", (string)paused["state"]!);
        Assert.Empty(paused["nextFires"]!.AsArray());
    }

    [Fact]
    public async Task Invalid_timing_is_refused_with_a_clear_message_and_nothing_is_saved()
    {
        var service = await _api.CreateServiceAsync("pause-2", "wait", new { seconds = 0 });
        var badCron = await _api.Http.PostAsJsonAsync("/api/schedules", new { name = "bad", serviceId = service, kind = "Cron", cron = "0 0 25 * * ?", timeZone = "UTC" });
        var problem = await AutomationClient.Read(badCron, HttpStatusCode.BadRequest);
        Assert.Contains("'0 0 25 * * ?' is not a valid cron expression", (string)problem["errors"]!["cron"]![0]!, StringComparison.Ordinal);

        var past = await _api.Http.PostAsJsonAsync("/api/schedules", new { name = "late", serviceId = service, kind = "Once", startAt = "2020-01-01T10:00:00", timeZone = "UTC" });
        Assert.Contains("is in the past", (string)(await AutomationClient.Read(past, HttpStatusCode.BadRequest))["errors"]!["startAt"]![0]!, StringComparison.Ordinal);

        var noService = await _api.Http.PostAsJsonAsync("/api/schedules", new { name = "orphan", serviceId = 9999, kind = "Cron", cron = "0 0 2 * * ?", timeZone = "UTC" });
        Assert.Contains("does not exist", (string)(await AutomationClient.Read(noService, HttpStatusCode.BadRequest))["errors"]!["serviceId"]![0]!, StringComparison.Ordinal);

        Assert.Empty((await AutomationClient.Read(await _api.Http.GetAsync("/api/schedules"), HttpStatusCode.OK)).AsArray());
    }

    [Fact]
    public async Task A_schedule_whose_service_is_deleted_is_disabled_with_the_reason_and_the_scheduler_keeps_working()
    {
        var doomed = await _api.CreateServiceAsync("doomed", "wait", new { seconds = 0 });
        var kept = await _api.CreateServiceAsync("kept", "wait", new { seconds = 0 });
        var orphan = await AutomationClient.Read(await _api.Http.PostAsJsonAsync("/api/schedules",
            new { name = "orphaned", serviceId = doomed, kind = "Interval", every = 1, unit = "Seconds", timeZone = "UTC" }), HttpStatusCode.Created);
        var live = await AutomationClient.Read(await _api.Http.PostAsJsonAsync("/api/schedules",
            new { name = "alive", serviceId = kept, kind = "Interval", every = 1, unit = "Seconds", timeZone = "UTC" }), HttpStatusCode.Created);
        await AutomationClient.Read(await _api.Http.DeleteAsync($"/api/services/{doomed}"), HttpStatusCode.NoContent);

        var disabled = await AutomationClient.Read(await _api.Http.GetAsync($"/api/schedules/{orphan["id"]}"), HttpStatusCode.OK);
        Assert.Equal("disabled", (string)disabled["state"]!);
        // Disabled by the deletion, or by the trigger that fired first and found the service gone.
        Assert.StartsWith("Its service 'doomed'", (string)disabled["disabledReason"]!, StringComparison.Ordinal);
        Assert.Contains("was deleted", (string)disabled["disabledReason"]!, StringComparison.Ordinal);
        var resume = await _api.Http.PostAsync($"/api/schedules/{orphan["id"]}/resume", null);
        Assert.Contains("was deleted", (string)(await AutomationClient.Read(resume, HttpStatusCode.BadRequest))["errors"]!["serviceId"]![0]!, StringComparison.Ordinal);

        // The other schedule keeps firing after the orphan's trigger met its deleted service.
        var before = (await WaitForRunsAsync((int)live["id"]!, 1)).Count;
        var after = await WaitForRunsAsync((int)live["id"]!, before + 2);
        Assert.True(after.Count >= before + 2);
    }

    private async Task<JsonArray> WaitForRunsAsync(int scheduleId, int count)
    {
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(60);
        while (true)
        {
            var runs = (await AutomationClient.Read(await _api.Http.GetAsync($"/api/schedules/{scheduleId}/runs"), HttpStatusCode.OK)).AsArray();
            if (runs.Count >= count)
            {
                return runs;
            }
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"schedule {scheduleId} fired {runs.Count} run(s) in 60 s, expected {count}");
            await Task.Delay(200);
        }
    }
}
