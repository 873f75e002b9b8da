using eNMS.Core.Data;
using eNMS.Core.Inventory.Editing;
using eNMS.Core.Scheduling;
using eNMS.Core.Security;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Web.Api;

/// <summary>Change freezes: everyone who reads sees them (and when they hold), admins create, change and delete them.</summary>
internal static class FreezeEndpoints
{
    public static RouteGroupBuilder MapFreezeEndpoints(this RouteGroupBuilder api)
    {
        var freezes = api.MapGroup("/freezes").WithTags("Change freezes").WritesRequire(Policies.Admin);
        freezes.MapGet("/", GetFreezesAsync).WithSummary("Every change freeze with its timing in words, its state now and its next five periods (UTC)");
        freezes.MapGet("/{id:int}", GetFreezeAsync);
        freezes.MapGet("/holding", GetHoldingAsync)
            .WithSummary("The freezes in force now that hold any of these devices (deviceIds=1,2,3): what a config-changing run on them would meet");
        freezes.MapPost("/", CreateFreezeAsync).ProducesValidationProblem();
        freezes.MapPut("/{id:int}", UpdateFreezeAsync).ProducesValidationProblem();
        freezes.MapDelete("/{id:int}", DeleteFreezeAsync);
        return api;
    }

    /// <summary>Device ids accepted by the holding check (a larger query is refused, not truncated).</summary>
    private const int MaxHoldingDevices = 10_000;

    private static async Task<Ok<List<FreezeSummary>>> GetFreezesAsync(ChangeFreezes freezes, CancellationToken ct) =>
        TypedResults.Ok((await freezes.ListAsync(ct)).Select(Summary).ToList());

    private static async Task<Results<Ok<FreezeSummary>, ProblemHttpResult>> GetFreezeAsync(int id, ChangeFreezes freezes, CancellationToken ct) =>
        (await freezes.ListAsync(ct)).FirstOrDefault(v => v.Freeze.Id == id) is { } view ? TypedResults.Ok(Summary(view)) : NoSuchFreeze;

    private static async Task<Results<Ok<List<FreezeHit>>, ProblemHttpResult>> GetHoldingAsync(string? deviceIds, HttpContext http,
        IDbContextFactory<EnmsDbContext> dbFactory, ChangeFreezes freezes, TimeProvider time, CancellationToken ct)
    {
        var ids = new List<int>();
        foreach (var part in (deviceIds ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, System.Globalization.CultureInfo.InvariantCulture, out var id) || ids.Count >= MaxHoldingDevices)
            {
                return TypedResults.Problem($"deviceIds is a comma-separated list of at most {MaxHoldingDevices} device ids ('{part}' is not one).",
                    statusCode: StatusCodes.Status400BadRequest);
            }
            ids.Add(id);
        }
        // Through the user's scope: whether a device outside their pools is frozen is not theirs to learn.
        await using var db = await dbFactory.CreateScopedAsync(http.User, ct);
        var visible = await db.Devices.Where(d => ids.Contains(d.Id)).Select(d => d.Id).ToListAsync(ct);
        return TypedResults.Ok(await freezes.HoldingAsync(visible, time.GetUtcNow(), ct));
    }

    private static async Task<Results<Created<FreezeSummary>, ValidationProblem, ProblemHttpResult>> CreateFreezeAsync(FreezeInput input, HttpContext http,
        ChangeFreezes freezes, CancellationToken ct)
    {
        input.Id = 0;
        var result = await freezes.SaveAsync(input, http.User.AuditName(), ct);
        var summary = await SummaryAsync(result, freezes, ct);
        return ApiResults.Saved(result, saved => TypedResults.Created($"/api/freezes/{saved.Id}", summary!));
    }

    private static async Task<Results<Ok<FreezeSummary>, ValidationProblem, ProblemHttpResult>> UpdateFreezeAsync(int id, FreezeInput input, HttpContext http,
        ChangeFreezes freezes, CancellationToken ct)
    {
        input.Id = id;
        var result = await freezes.SaveAsync(input, http.User.AuditName(), ct);
        var summary = await SummaryAsync(result, freezes, ct);
        return ApiResults.Saved(result, _ => TypedResults.Ok(summary!));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteFreezeAsync(int id, ChangeFreezes freezes, CancellationToken ct) =>
        await freezes.DeleteAsync(id, ct) ? TypedResults.NoContent() : NoSuchFreeze;

    private static ProblemHttpResult NoSuchFreeze => ApiResults.NotFound("No such change freeze.");

    private static async Task<FreezeSummary?> SummaryAsync(EditResult result, ChangeFreezes freezes, CancellationToken ct) =>
        result.Succeeded ? (await freezes.ListAsync(ct)).Where(v => v.Freeze.Id == result.Id).Select(Summary).FirstOrDefault() : null;

    private static FreezeSummary Summary(FreezeView view)
    {
        var f = view.Freeze;
        return new FreezeSummary(f.Id, f.Name, f.Reason, f.Enabled, f.StartAt, f.EndAt, f.Cron, f.DurationMinutes, f.TimeZone, f.PoolIds, f.Action,
            view.Description, view.State, view.InForce?.End, view.Next, f.CreatedBy, f.CreatedAt);
    }
}

internal sealed record FreezeSummary(int Id, string Name, string Reason, bool Enabled, DateTime? StartAt, DateTime? EndAt, string Cron, int DurationMinutes,
    string TimeZone, List<int> PoolIds, FreezeAction Action, string Timing, string State, DateTimeOffset? InForceUntil, IReadOnlyList<FreezePeriod> NextPeriods,
    string CreatedBy, DateTimeOffset CreatedAt);
