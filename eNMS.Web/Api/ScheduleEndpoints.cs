using eNMS.Core.Automation;
using eNMS.Core.Data;
using eNMS.Core.Inventory.Editing;
using eNMS.Core.Scheduling;
using eNMS.Core.Security;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Web.Api;

/// <summary>Schedules: what will run when (with their next fire times), created, changed, paused, resumed and deleted
/// with the editor's rules. Changing a schedule needs automation.run: a schedule is a run started later.</summary>
internal static class ScheduleEndpoints
{
    public static RouteGroupBuilder MapScheduleEndpoints(this RouteGroupBuilder api)
    {
        var schedules = api.MapGroup("/schedules").WithTags("Schedules").WritesRequire(Policies.AutomationRun);
        schedules.MapGet("/", GetSchedulesAsync)
            .WithSummary("Every schedule (of a user limited to pools: those targeting only their pools) with its state, its timing in words and its next five fire times");
        schedules.MapGet("/{id:int}", GetScheduleAsync);
        schedules.MapGet("/{id:int}/runs", GetScheduleRunsAsync).WithSummary("The runs this schedule fired (newest first)");
        schedules.MapPost("/", CreateScheduleAsync).ProducesValidationProblem();
        schedules.MapPut("/{id:int}", UpdateScheduleAsync).ProducesValidationProblem();
        schedules.MapPost("/{id:int}/pause", PauseScheduleAsync).WithSummary("Stop firing until resumed");
        schedules.MapPost("/{id:int}/resume", ResumeScheduleAsync).WithSummary("Fire again (fire times missed while paused are skipped)");
        schedules.MapDelete("/{id:int}", DeleteScheduleAsync);
        schedules.MapPost("/preview", PreviewSchedule)
            .WithSummary("Check a schedule's timing and see it in words with its next five fire times, without saving it");
        return api;
    }

    private static async Task<Ok<List<ScheduleSummary>>> GetSchedulesAsync(HttpContext http, IDbContextFactory<EnmsDbContext> dbFactory, TimeProvider time,
        CancellationToken ct)
    {
        await using var db = await dbFactory.CreateScopedAsync(http.User, ct);
        var now = time.GetUtcNow();
        return TypedResults.Ok((await db.Schedules.AsNoTracking().OrderBy(s => s.Name).ToListAsync(ct)).Readable(AuditActor.Current).Select(s => Summary(s, now)).ToList());
    }

    private static async Task<Results<Ok<ScheduleSummary>, ProblemHttpResult>> GetScheduleAsync(int id, HttpContext http,
        IDbContextFactory<EnmsDbContext> dbFactory, TimeProvider time, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateScopedAsync(http.User, ct);
        return (await db.Schedules.AsNoTracking().Where(s => s.Id == id).ToListAsync(ct)).Readable(AuditActor.Current).FirstOrDefault() is { } s
            ? TypedResults.Ok(Summary(s, time.GetUtcNow())) : NoSuchSchedule;
    }

    private static async Task<Results<Ok<List<Core.Automation.Run>>, ProblemHttpResult>> GetScheduleRunsAsync(int id, HttpContext http,
        IDbContextFactory<EnmsDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateScopedAsync(http.User, ct);
        return (await db.Schedules.AsNoTracking().Where(s => s.Id == id).ToListAsync(ct)).Readable(AuditActor.Current).Count > 0
            ? TypedResults.Ok(await db.Runs.AsNoTracking().Where(r => r.ScheduleId == id).OrderByDescending(r => r.Id).Take(500).ToListAsync(ct))
            : NoSuchSchedule;
    }

    private static async Task<Results<Created<ScheduleSummary>, ValidationProblem, ProblemHttpResult>> CreateScheduleAsync(ScheduleInput input,
        HttpContext http, ScheduleEditor editor, IDbContextFactory<EnmsDbContext> dbFactory, TimeProvider time, CancellationToken ct)
    {
        input.Id = 0;
        ScheduleSummary? summary = null;
        return await ApiResults.SavedAsync(async () =>
        {
            var result = await editor.SaveAsync(input, http.User.AuditName(), http.User.ScopePoolIds(), ct);
            summary = await SummaryAsync(result, dbFactory, time, ct);
            return result;
        }, saved => TypedResults.Created($"/api/schedules/{saved.Id}", summary!));
    }

    private static async Task<Results<Ok<ScheduleSummary>, ValidationProblem, ProblemHttpResult>> UpdateScheduleAsync(int id, ScheduleInput input,
        HttpContext http, ScheduleEditor editor, IDbContextFactory<EnmsDbContext> dbFactory, TimeProvider time, CancellationToken ct)
    {
        input.Id = id;
        return await SavedAsync(() => editor.SaveAsync(input, http.User.AuditName(), http.User.ScopePoolIds(), ct), dbFactory, time, ct);
    }

    private static async Task<Results<Ok<ScheduleSummary>, ValidationProblem, ProblemHttpResult>> PauseScheduleAsync(int id, HttpContext http,
        ScheduleEditor editor, IDbContextFactory<EnmsDbContext> dbFactory, TimeProvider time, CancellationToken ct) =>
        await SavedAsync(() => editor.SetPausedAsync(id, true, http.User.ScopePoolIds(), ct), dbFactory, time, ct);

    private static async Task<Results<Ok<ScheduleSummary>, ValidationProblem, ProblemHttpResult>> ResumeScheduleAsync(int id, HttpContext http,
        ScheduleEditor editor, IDbContextFactory<EnmsDbContext> dbFactory, TimeProvider time, CancellationToken ct) =>
        await SavedAsync(() => editor.SetPausedAsync(id, false, http.User.ScopePoolIds(), ct), dbFactory, time, ct);

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteScheduleAsync(int id, HttpContext http, ScheduleEditor editor,
        CancellationToken ct)
    {
        try
        {
            return await editor.DeleteAsync([id], http.User.ScopePoolIds(), ct) > 0 ? TypedResults.NoContent() : NoSuchSchedule;
        }
        catch (AccessDeniedException e)
        {
            return ApiResults.OutOfScope(e);
        }
    }

    private static Results<Ok<SchedulePreview>, ValidationProblem> PreviewSchedule(ScheduleInput input, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var schedule = ScheduleEditor.Draft(input, now);
        var problems = ScheduleTiming.Problems(schedule, now);
        return problems.Count > 0 ? TypedResults.ValidationProblem(problems.ToDictionary(p => p.Key, p => new[] { p.Value }))
            : TypedResults.Ok(new SchedulePreview(ScheduleTiming.Describe(schedule), ScheduleTiming.NextFires(schedule, now, 5)));
    }

    private static ProblemHttpResult NoSuchSchedule => ApiResults.NotFound("No such schedule.");

    /// <summary>A changed schedule as it is stored now (200), or why it was not changed (403 when its edit list refused it).</summary>
    private static async Task<Results<Ok<ScheduleSummary>, ValidationProblem, ProblemHttpResult>> SavedAsync(Func<Task<EditResult>> save,
        IDbContextFactory<EnmsDbContext> dbFactory, TimeProvider time, CancellationToken ct)
    {
        ScheduleSummary? summary = null;
        return await ApiResults.SavedAsync(async () =>
        {
            var result = await save();
            summary = await SummaryAsync(result, dbFactory, time, ct);
            return result;
        }, _ => TypedResults.Ok(summary!));
    }

    /// <summary>The saved schedule's summary; null when the save failed.</summary>
    private static async Task<ScheduleSummary?> SummaryAsync(EditResult result, IDbContextFactory<EnmsDbContext> dbFactory, TimeProvider time,
        CancellationToken ct)
    {
        if (!result.Succeeded)
        {
            return null;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return Summary(await db.Schedules.AsNoTracking().SingleAsync(s => s.Id == result.Id, ct), time.GetUtcNow());
    }

    private static ScheduleSummary Summary(Schedule s, DateTimeOffset now)
    {
        var view = ScheduleView.Of(s, now);
        return new ScheduleSummary(s.Id, s.Name, s.Description, s.ServiceId, s.ServiceName, s.Kind, s.StartAt, s.EndAt, s.Every, s.Unit, s.Cron,
            s.TimeZone, s.DeviceIds, s.PoolIds, System.Text.Json.Nodes.JsonNode.Parse(s.Variables) as System.Text.Json.Nodes.JsonObject, RunInputs.Masked(s.Inputs), s.Misfire,
            s.Paused, s.DisabledReason, view.State, view.Description, view.NextFires, s.CreatedBy, s.CreatedAt, s.Owner, s.ReadAccess, s.EditAccess);
    }
}

internal sealed record ScheduleSummary(int Id, string Name, string Description, int ServiceId, string ServiceName, ScheduleKind Kind,
    DateTime? StartAt, DateTime? EndAt, int Every, IntervalUnit Unit, string Cron, string TimeZone, List<int> DeviceIds, List<int> PoolIds,
    System.Text.Json.Nodes.JsonObject? Variables, System.Text.Json.Nodes.JsonObject Inputs, MisfirePolicy Misfire, bool Paused, string DisabledReason, string State, string Timing,
    IReadOnlyList<DateTimeOffset> NextFires, string CreatedBy, DateTimeOffset CreatedAt, string? Owner, List<string> ReadAccess, List<string> EditAccess);

internal sealed record SchedulePreview(string Description, IReadOnlyList<DateTimeOffset> NextFires);
