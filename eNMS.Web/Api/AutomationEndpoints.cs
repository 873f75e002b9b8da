using System.Text.Json;
using System.Text.Json.Nodes;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Automation.Handlers;
using eNMS.Core.Automation.Workflows;
using eNMS.Core.Configurations;
using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Core.Text;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Web.Api;

/// <summary>Services and workflows as JSON, runs started at once (the id comes back immediately), their status,
/// results and logs; the SSH host keys runs learn.</summary>
internal static class AutomationEndpoints
{
    /// <summary>Results per reply of <c>/api/runs/{id}/results</c> unless asked (a result can carry megabytes of output).</summary>
    public const int ApiResultPage = 1_000;
    public const int MaxApiResultPage = 5_000;
    public const int MaxApiLogPage = 5_000;

    public static RouteGroupBuilder MapAutomationEndpoints(this RouteGroupBuilder api)
    {
        var services = api.MapGroup("/services").WithTags("Services and workflows").WritesRequire(Policies.AutomationWrite);
        services.MapGet("/", GetServicesAsync);
        services.MapGet("/kinds", GetServiceKinds).WithSummary("Every service kind this server runs");
        services.MapGet("/{id:int}/problems", GetServiceProblemsAsync).WithSummary("Why the service or workflow cannot run as saved (empty when it can)");
        services.MapGet("/{id:int}/inputs-schema", GetInputsSchemaAsync)
            .WithSummary("The run-time inputs the service or workflow asks for, as a JSON Schema (send the values as \"inputs\" when running it)");
        services.MapGet("/{id:int}/export", ExportWorkflowAsync)
            .WithSummary("A workflow with every service it uses, as JSON to import elsewhere (secret parameters are emptied)");
        services.MapPost("/import", ImportWorkflowAsync)
            .WithSummary("Create a workflow and its services from an export; taken names get a \" (2)\" suffix, nothing is overwritten");
        services.MapPost("/{id:int}/duplicate", DuplicateWorkflowAsync).WithSummary("A copy of a workflow (same services, same graph) named \"NAME (copy)\"");
        services.MapCrud(new CrudKind<ServiceInput, ServiceEditor>("service",
            // A service whose access list leaves the caller out reads as missing, as a device outside their pools does;
            // a caller limited to pools reads it without its targets outside them.
            async (db, id, ct) =>
            {
                if (await db.Services.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct) is not { } s || !ObjectAccess.Allows(AuditActor.Current, s, AccessRight.Read))
                {
                    return null;
                }
                var input = ServiceInput.From(s);
                await ServiceInput.HideOutsideTargetsAsync(db, [input], ct);
                return input;
            },
            (editor, input, scope, ct) => editor.SaveAsync(input, scope, ct),
            (editor, ids, scope, ct) => editor.DeleteAsync(ids, scope, ct),
            (input, id) => input.Id = id));

        // Starting a run is not a change to the service: it needs automation.run, not automation.write.
        api.MapPost("/services/{id:int}/run", StartRunAsync).WithTags("Services and workflows").RequireAuthorization(Policies.AutomationRun)
            .WithSummary("Start a run now; returns its id at once (202). Targets outside the caller's pools are refused");

        var runs = api.MapGroup("/runs").WithTags("Runs").WritesRequire(Policies.AutomationRun);
        runs.MapGet("/", GetRunsAsync).WithSummary("Runs, newest first (take ≤ 1000), filtered by serviceId, status, user (who started it), deviceId (a target) and from/to (creation time, ISO 8601 with an offset; from included, to excluded); a user limited to pools sees the runs that targeted one of their devices (or no device)");
        runs.MapGet("/{id:int}", GetRunAsync).WithSummary("A run; for a user limited to pools, only the targets in those pools are listed");
        runs.MapGet("/{id:int}/results", GetRunResultsAsync)
            .WithSummary("Per-device and per-node results (of the caller's devices) in recorded order, a page at a time: after (the last id read; exclusive), take (default 1000, ≤ 5000); read on while a page comes back full. Password/secret/key lines are masked unless the caller has secrets.read");
        runs.MapGet("/{id:int}/matrix", GetRunMatrixAsync)
            .WithSummary("A workflow run as devices × nodes, one page of rows in device-name order (take ≤ 200): each device's outcome and latest result per node (id, outcome, changed; output via /results). Filters: node + outcome (Succeeded, Failed, Skipped, NotReached at that node; without node, the device's outcome in the run), device (name contains). A user limited to pools gets their devices' rows");
        runs.MapGet("/{id:int}/matrix/summary", GetRunMatrixSummaryAsync)
            .WithSummary("A workflow run's identical outcomes grouped: the run's (\"succeeded on all but 3\") and each node's counts, naming the first failed devices");
        runs.MapGet("/{id:int}/logs", GetRunLogsAsync).WithSummary("The run's log lines after the id given (after; exclusive), at most take (default and max 5000): read on while a page comes back full; empty for a user limited to pools when the run also targeted devices outside them");
        runs.MapPost("/{id:int}/cancel", CancelRunAsync);
        runs.MapPost("/{id:int}/resume", ResumeRunAsync).WithSummary("A new run for the devices an interrupted run did not finish");
        runs.MapPost("/{id:int}/restart", RestartRunAsync).WithSummary("Run a workflow again from a node, reusing earlier results");
        runs.MapPost("/{id:int}/revert", RevertRunAsync)
            .WithSummary("Put the devices the run changed back as they were before it (preview=true: the dry run with each device's diff; force=true: also over later changes). Returns the new run's id");

        var hostKeys = api.MapGroup("/hostkeys").WithTags("SSH host keys");
        hostKeys.MapGet("/", GetHostKeysAsync).WithSummary("The SSH host keys eNMS trusts (learned on first use)");
        hostKeys.MapDelete("/{host}", ForgetHostKeyAsync).RequireAuthorization(Policies.Admin)
            .WithSummary("Forget a host's key after a legitimate change; the next connection learns the new one");
        hostKeys.MapPost("/{host}/accept", AcceptHostKeyAsync).RequireAuthorization(Policies.Admin)
            .WithSummary("Trust exactly the key a device offered and was refused for (its offeredFingerprint); any other key stays refused");
        api.MapGet("/results/compare", CompareResultsAsync).WithTags("Runs")
            .WithSummary("The output of two results (same device and node across runs) as a unified diff");
        return api;
    }

    private static async Task<Ok<List<ServiceSummary>>> GetServicesAsync(IDbContextFactory<EnmsDbContext> dbFactory, HttpContext http, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var actor = http.AuditActor();
        var rows = await db.Services.AsNoTracking().Catalogue().OrderBy(s => s.Name)
            .Select(s => new
            {
                Summary = new ServiceSummary(s.Id, s.Name, s.Kind, s.Description, s.Version),
                Access = new Service { Name = s.Name, Kind = s.Kind, Owner = s.Owner, ReadAccess = s.ReadAccess, EditAccess = s.EditAccess, RunAccess = s.RunAccess },
            }).ToListAsync(ct);
        return TypedResults.Ok(rows.Where(r => ObjectAccess.Allows(actor, r.Access, AccessRight.Read)).Select(r => r.Summary).ToList());
    }

    private static Ok<IEnumerable<string>> GetServiceKinds(ServiceHandlers handlers) => TypedResults.Ok(handlers.Kinds);

    private static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> GetInputsSchemaAsync(int id, IDbContextFactory<EnmsDbContext> dbFactory,
        CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Services.AsNoTracking().Where(s => s.Id == id).Select(s => s.Inputs).FirstOrDefaultAsync(ct) is { } inputs
            ? TypedResults.Ok(RunInputs.Schema(inputs)) : ApiResults.NotFound("No such service.");
    }

    private static async Task<Ok<List<string>>> GetServiceProblemsAsync(int id, ServiceEditor editor, CancellationToken ct) =>
        TypedResults.Ok(await editor.ProblemsAsync(id, ct));

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportWorkflowAsync(int id, HttpContext http, WorkflowTransfer transfer,
        CancellationToken ct) =>
        await transfer.ExportAsync(id, http.User.ScopePoolIds(), ct) is { } document
            ? TypedResults.File(JsonSerializer.SerializeToUtf8Bytes(document, ServiceJson.Options), "application/json", $"workflow-{id}.json")
            : ApiResults.NotFound("No such workflow.");

    private static Task<Results<Created<CreatedId>, ValidationProblem, ProblemHttpResult>> ImportWorkflowAsync(WorkflowDocument? document,
        HttpContext http, WorkflowTransfer transfer, CancellationToken ct) =>
        ApiResults.SavedAsync(() => transfer.ImportAsync(document, http.User.ScopePoolIds(), ct),
            result => TypedResults.Created($"/api/services/{result.Id}", new CreatedId(result.Id)));

    private static async Task<Results<Created<CreatedId>, ProblemHttpResult>> DuplicateWorkflowAsync(int id, HttpContext http, WorkflowTransfer transfer,
        CancellationToken ct)
    {
        try
        {
            return await transfer.DuplicateAsync(id, null, http.User.ScopePoolIds(), ct) is { Succeeded: true } result
                ? TypedResults.Created($"/api/services/{result.Id}", new CreatedId(result.Id))
                : ApiResults.NotFound("No such workflow.");
        }
        catch (OutOfScopeException e)
        {
            return ApiResults.OutOfScope(e);
        }
    }

    private static async Task<Results<Accepted<RunStarted>, ProblemHttpResult>> StartRunAsync(int id, RunStartRequest? body, HttpContext http,
        RunLauncher launcher, IAuthorizationService authorization, CancellationToken ct)
    {
        var request = new RunRequest(id, body?.DeviceIds, body?.PoolIds, body?.Variables?.ToJsonString() ?? "{}", "api", http.User.AuditName())
        {
            ScopePoolIds = http.User.ScopePoolIds(),
            Actor = http.AuditActor(),
            FreezeOverride = body?.FreezeOverride ?? "",
            MayOverrideFreeze = (await authorization.AuthorizeAsync(http.User, Policies.Admin)).Succeeded,
            Inputs = body?.Inputs,
            Rollout = body?.Rollout,
        };
        return ApiResults.Launched(await launcher.StartAsync(request, ct));
    }

    private static async Task<Ok<List<Run>>> GetRunsAsync(int? serviceId, RunStatus? status, string? user, int? deviceId, DateTimeOffset? from, DateTimeOffset? to,
        int? take, HttpContext http, IDbContextFactory<EnmsDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateScopedAsync(http.User, ct);
        var runs = new RunFilter(serviceId, status, user, deviceId, from, to).Page(db, take);
        return TypedResults.Ok(await VisibleTargetsAsync(db, await runs.ToListAsync(ct), ct));
    }

    private static async Task<Results<Ok<Run>, ProblemHttpResult>> GetRunAsync(int id, HttpContext http, IDbContextFactory<EnmsDbContext> dbFactory,
        CancellationToken ct)
    {
        await using var db = await dbFactory.CreateScopedAsync(http.User, ct);
        return await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct) is { } run
            ? TypedResults.Ok((await VisibleTargetsAsync(db, [run], ct))[0]) : NoSuchRun;
    }

    private static async Task<Results<Ok<List<RunResult>>, ProblemHttpResult>> GetRunResultsAsync(int id, string? node, int? deviceId, long? after, int? take,
        HttpContext http, IAuthorizationService authorization, IDbContextFactory<EnmsDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateScopedAsync(http.User, ct);
        if (!await db.Runs.AnyAsync(r => r.Id == id, ct))
        {
            return NoSuchRun;
        }
        var page = Math.Clamp(take ?? ApiResultPage, 1, MaxApiResultPage);
        var results = await RunResultList.After(db, id, after ?? 0, node, deviceId, page).ToListAsync(ct);
        return TypedResults.Ok((await authorization.AuthorizeAsync(http.User, Policies.SecretsRead)).Succeeded
            ? results
            : results.Select(ConfigMasking.Masked).ToList());
    }

    private static async Task<Results<Ok<MatrixPage>, ProblemHttpResult>> GetRunMatrixAsync(int id, string? node, MatrixOutcome? outcome, string? device, int? skip,
        int? take, HttpContext http, IDbContextFactory<EnmsDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateScopedAsync(http.User, ct);
        var query = new MatrixQuery(node, outcome, device, skip ?? 0, take ?? RunMatrix.DefaultTake);
        return await RunMatrix.PageAsync(db, id, query, ct) is { } page ? TypedResults.Ok(page) : NoSuchRun;
    }

    private static async Task<Results<Ok<MatrixSummary>, ProblemHttpResult>> GetRunMatrixSummaryAsync(int id, HttpContext http,
        IDbContextFactory<EnmsDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateScopedAsync(http.User, ct);
        return await RunMatrix.SummaryAsync(db, id, ct) is { } summary ? TypedResults.Ok(summary) : NoSuchRun;
    }

    private static async Task<Results<Ok<List<RunLogEntry>>, ProblemHttpResult>> GetRunLogsAsync(int id, long? after, int? take, HttpContext http,
        IDbContextFactory<EnmsDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateScopedAsync(http.User, ct);
        if (!await db.Runs.AnyAsync(r => r.Id == id, ct))
        {
            return NoSuchRun;
        }
        return TypedResults.Ok(await db.RunLogs.AsNoTracking().Where(l => l.RunId == id && l.Id > (after ?? 0)).OrderBy(l => l.Id)
            .Take(Math.Clamp(take ?? MaxApiLogPage, 1, MaxApiLogPage)).ToListAsync(ct));
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> CancelRunAsync(int id, HttpContext http, IDbContextFactory<EnmsDbContext> dbFactory,
        RunLauncher launcher, CancellationToken ct)
    {
        if (!await VisibleRunAsync(id, http, dbFactory, ct))
        {
            return NoSuchRun;
        }
        return await launcher.CancelAsync(id, http.AuditActor(), ct)
            ? TypedResults.Accepted((string?)null)
            : TypedResults.Problem("That run is not executing on this server.", statusCode: StatusCodes.Status409Conflict);
    }

    private static async Task<Results<Accepted<RunStarted>, ProblemHttpResult>> ResumeRunAsync(int id, HttpContext http,
        IDbContextFactory<EnmsDbContext> dbFactory, RunLauncher launcher, CancellationToken ct) =>
        await VisibleRunAsync(id, http, dbFactory, ct)
            ? ApiResults.Launched(await launcher.ResumeAsync(id, http.AuditActor(), http.User.ScopePoolIds(), ct))
            : NoSuchRun;

    private static async Task<Results<Accepted<RunStarted>, ProblemHttpResult>> RestartRunAsync(int id, RestartRequest body, HttpContext http,
        IDbContextFactory<EnmsDbContext> dbFactory, RunLauncher launcher, CancellationToken ct) =>
        await VisibleRunAsync(id, http, dbFactory, ct)
            ? ApiResults.Launched(await launcher.RestartAsync(id, body.Node, body.DeviceIds, http.AuditActor(), http.User.ScopePoolIds(), ct))
            : NoSuchRun;

    private static async Task<Results<Accepted<RunStarted>, ProblemHttpResult>> RevertRunAsync(int id, RevertRequest body, HttpContext http,
        IDbContextFactory<EnmsDbContext> dbFactory, Core.Configurations.ConfigActions actions, CancellationToken ct) =>
        await VisibleRunAsync(id, http, dbFactory, ct)
            ? ApiResults.Launched(await actions.RevertRunAsync(id, body.Preview, body.Force, http.AuditActor(), http.User.ScopePoolIds(), ct), listProblems: false)
            : NoSuchRun;

    private static async Task<Ok<List<KnownHostKey>>> GetHostKeysAsync(IDbContextFactory<EnmsDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return TypedResults.Ok(await db.KnownHostKeys.AsNoTracking().OrderBy(k => k.Host).ToListAsync(ct));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ForgetHostKeyAsync(string host, HttpContext http, HostKeyStore store,
        CancellationToken ct) =>
        await store.ForgetAsync(host, http.AuditActor(), ct) ? TypedResults.NoContent() : NoKeyForHost;

    private static async Task<Results<NoContent, ProblemHttpResult>> AcceptHostKeyAsync(string host, AcceptHostKey body, HttpContext http,
        HostKeyStore store, CancellationToken ct) =>
        await store.AcceptOfferedAsync(host, body.Fingerprint, http.AuditActor(), ct) switch
        {
            HostKeyAcceptance.Accepted => TypedResults.NoContent(),
            HostKeyAcceptance.UnknownHost => NoKeyForHost,
            _ => TypedResults.Problem("That fingerprint is not the key this host was refused for (none was, or another one since): "
                + "read GET /api/hostkeys again.", statusCode: StatusCodes.Status409Conflict),
        };

    private static async Task<Results<Ok<ResultComparison>, ProblemHttpResult>> CompareResultsAsync(long a, long b, HttpContext http,
        IAuthorizationService authorization, IDbContextFactory<EnmsDbContext> dbFactory, CancellationToken ct)
    {
        var reveal = (await authorization.AuthorizeAsync(http.User, Policies.SecretsRead)).Succeeded;
        await using var db = await dbFactory.CreateScopedAsync(http.User, ct);
        var pair = await db.RunResults.AsNoTracking().Where(r => r.Id == a || r.Id == b).ToListAsync(ct);
        var (first, second) = (pair.FirstOrDefault(r => r.Id == a), pair.FirstOrDefault(r => r.Id == b));
        return first is null || second is null ? ApiResults.NotFound("No such result.")
            : TypedResults.Ok(new ResultComparison(first.Id, second.Id, reveal ? LineDiff.Unified(first.Output, second.Output)
                : LineDiff.Unified(ConfigMasking.MaskSecrets(first.Output), ConfigMasking.MaskSecrets(second.Output))));
    }

    private static ProblemHttpResult NoSuchRun => ApiResults.NotFound("No such run.");

    private static ProblemHttpResult NoKeyForHost => ApiResults.NotFound("No key is stored for that host.");

    /// <summary>The runs with only the targets the caller may see (the others' ids are not theirs to read).</summary>
    private static async Task<List<Run>> VisibleTargetsAsync(EnmsDbContext scoped, List<Run> runs, CancellationToken ct)
    {
        if (scoped.ScopePoolIds is not null)
        {
            var targets = runs.SelectMany(r => r.DeviceIds).Distinct().ToList();
            var devices = await scoped.Devices.Where(d => targets.Contains(d.Id)).Select(d => new { d.Id, d.Name }).ToListAsync(ct);
            var (visible, names) = (devices.Select(d => d.Id).ToHashSet(), devices.Select(d => d.Name).ToHashSet(StringComparer.Ordinal));
            foreach (var run in runs.Where(r => r.DeviceIds.Any(id => !visible.Contains(id))))
            {
                run.DeviceIds = [.. run.DeviceIds.Where(visible.Contains)];
                // The fan-out report and the rollout's batches name devices: only the caller's own stay.
                run.FanOutJson = "";
                run.RolloutProgress?.KeepOnly(names);
            }
        }
        return runs;
    }

    /// <summary>Whether the caller sees the run (else it answers as a missing run does).</summary>
    private static async Task<bool> VisibleRunAsync(int id, HttpContext http, IDbContextFactory<EnmsDbContext> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateScopedAsync(http.User, ct);
        return await db.Runs.AnyAsync(r => r.Id == id, ct);
    }
}

internal sealed record ServiceSummary(int Id, string Name, string Kind, string Description, int Version);

/// <summary>Targets (none: the service's own), run variables, run-time inputs, and an admin's reason to run through the
/// change freezes that hold the targets (audited).</summary>
internal sealed record RunStartRequest(List<int>? DeviceIds, List<int>? PoolIds, JsonObject? Variables, JsonObject? Inputs = null, string? FreezeOverride = null,
    RolloutPlan? Rollout = null);

internal sealed record RunStarted(int RunId);

internal sealed record RestartRequest(string Node, List<int>? DeviceIds);

internal sealed record RevertRequest(bool Preview, bool Force = false);

internal sealed record ResultComparison(long A, long B, string Diff);

/// <summary>The fingerprint to trust, as read in the host's <c>offeredFingerprint</c>.</summary>
internal sealed record AcceptHostKey(string Fingerprint);
