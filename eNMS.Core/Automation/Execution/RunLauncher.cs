using System.Globalization;
using eNMS.Core.Automation.Handlers;
using eNMS.Core.Data;
using eNMS.Core.Scheduling;
using eNMS.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Automation.Execution;

/// <summary>What to run, on what, and why. Without devices or pools, the service's own targets are used.</summary>
public sealed record RunRequest(int ServiceId, IReadOnlyList<int>? DeviceIds = null, IReadOnlyList<int>? PoolIds = null,
    string Variables = "{}", string Trigger = "manual", string User = "", int? ScheduleId = null)
{
    /// <summary>Set by <see cref="RunLauncher.RestartAsync"/>: the run whose results are reused, and the start node.</summary>
    public int? RestartOfRunId { get; init; }

    public string RestartFromNode { get; init; } = "";

    /// <summary>Set by <see cref="RunLauncher.ResumeAsync"/>: the run resumed.</summary>
    public int? ResumeOfRunId { get; init; }

    /// <summary>Run-time inputs as the user gave them, checked against the service's declarations.</summary>
    public System.Text.Json.Nodes.JsonObject? Inputs { get; init; }

    /// <summary>Inputs already checked and stored (secrets encrypted): a schedule's, or those of the run resumed or
    /// restarted. Used as they are instead of <see cref="Inputs"/>.</summary>
    public string? StoredInputs { get; init; }

    /// <summary>The run's title when it is not the service's name: an ad-hoc action says what it does to which
    /// device ("Roll back paris-core to version 3"); resumes and restarts keep the earlier run's title.</summary>
    public string? Title { get; init; }

    /// <summary>The pools the requesting user is limited to (null: no limit). Targets outside them refuse the run.</summary>
    public IReadOnlyList<int>? ScopePoolIds { get; init; }

    /// <summary>Who starts the run, for the audit log (null: <see cref="User"/>, or "system" when that is empty).</summary>
    public AuditActor? Actor { get; init; }

    /// <summary>An admin's reason to run through a change freeze (empty: freezes apply).</summary>
    public string FreezeOverride { get; init; } = "";

    /// <summary>Whether the requesting user may override a freeze (an admin): set by the caller that authenticated them.</summary>
    public bool MayOverrideFreeze { get; init; }

    /// <summary>A staged rollout (null: every device at once).</summary>
    public RolloutPlan? Rollout { get; init; }

    internal AuditActor? AuditedActor => Actor ?? (User.Length > 0 ? new AuditActor(User, null) : null);
}

/// <summary>The new run's id, or why nothing was started.</summary>
public sealed record LaunchResult(int RunId, IReadOnlyList<string> Problems)
{
    /// <summary>Refused by the service's run list (<see cref="ObjectAccess"/>), not for a problem of the run itself.</summary>
    public bool Forbidden { get; init; }

    public bool Started => Problems.Count == 0;
}

/// <summary>Starts runs: validates the service (and its workflow graphs), resolves the targets, records a pending
/// run and queues it. Returns at once; the run executes in the background. Every start, resume, restart, cancel — and
/// every refusal — is written to the audit log here, whichever page, endpoint or schedule asked.</summary>
public sealed class RunLauncher(IDbContextFactory<EnmsDbContext> dbFactory, ServiceHandlers handlers, RunDispatcher queue, TimeProvider time,
    AuditLog audit, ChangeFreezes freezes, RunInputs inputs)
{
    public Task<LaunchResult> StartAsync(RunRequest request, CancellationToken ct) => AuditedAsync("run start", request, ct);

    /// <summary>Starts a run for a use case whose action the run carries out (a rollback, a remediation): the one audit
    /// entry is that action, on its target, with the run (or why none started) as details.</summary>
    public async Task<LaunchResult> StartAsync(RunRequest request, AuditedAction action, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(action);
        var launch = await LaunchAsync(request, ct);
        await audit.WriteAsync(request.AuditedActor, launch.Started ? action.Action : action.Action + " refused", action.TargetKind, action.TargetId,
            action.TargetName, launch.Started ? $"run #{launch.RunId}" : string.Join(" ", launch.Problems), ct);
        return launch;
    }

    private async Task<LaunchResult> AuditedAsync(string action, RunRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var launch = await LaunchAsync(request, ct);
        await AuditAsync(action, request.AuditedActor, launch, $"service #{request.ServiceId} ({request.Trigger})", ct,
            request.Rollout is { } rollout ? $"rollout: {rollout.Describe()}" : null);
        return launch;
    }

    /// <summary>One audit entry per start, resume or restart, or its refusal: a started run's details say what it was started
    /// with (its rollout); a refusal's are its problems.</summary>
    private Task AuditAsync(string action, AuditActor? actor, LaunchResult launch, string what, CancellationToken ct, string? details = null) =>
        audit.WriteAsync(actor, launch.Started ? action : action + " refused", "run",
            launch.Started ? launch.RunId.ToString(CultureInfo.InvariantCulture) : null, what, launch.Started ? details : string.Join(" ", launch.Problems), ct);

    private async Task<LaunchResult> LaunchAsync(RunRequest request, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var services = await ServiceGraph.LoadAsync(db, request.ServiceId, ct);
        var problems = ServiceGraph.Problems(services, request.ServiceId, handlers);
        if (RunScope.ToModel(request.Variables) is not (Dictionary<string, object?> or null))
        {
            problems.Add("Run variables must be a JSON object.");
        }
        problems.AddRange(request.Rollout?.Problems().Select(p => $"Rollout {p}") ?? []);
        if (problems.Count > 0)
        {
            return new LaunchResult(0, problems);
        }
        var service = services[request.ServiceId];
        // The service started is checked, not the services a workflow nests: running a workflow is what its list grants.
        if (ObjectAccess.Refusal(request.Actor ?? AuditActor.Current, service, $"Service '{service.Name}'", AccessRight.Run) is { } refusal)
        {
            return new LaunchResult(0, [refusal]) { Forbidden = true };
        }
        var storedInputs = request.StoredInputs;
        if (storedInputs is null)
        {
            var (values, errors) = RunInputs.Validate(service.Inputs, request.Inputs);
            foreach (var (field, problem) in errors.Count > 0 ? errors : await RunInputs.PickProblemsAsync(db, service.Inputs, values, request.ScopePoolIds, ct))
            {
                problems.Add($"{field}: {problem}");
            }
            if (problems.Count > 0)
            {
                return new LaunchResult(0, problems);
            }
            storedInputs = inputs.Protect(service.Inputs, values);
        }
        var deviceIds = await TargetsAsync(db, request, service, ct);
        if (request.ScopePoolIds is { } scope)
        {
            var allowed = await db.Devices.Where(d => deviceIds.Contains(d.Id) && d.Pools.Any(p => scope.Contains(p.Id))).Select(d => d.Id).ToListAsync(ct);
            var outside = deviceIds.Except(allowed).ToList();
            if (outside.Count > 0)
            {
                // Ids, not names: the names of devices outside the user's pools are not theirs to read.
                var ids = outside.Order().Take(10).Select(id => $"#{id}");
                return new LaunchResult(0, [$"{outside.Count} target device(s) are outside the pools you may use: {string.Join(", ", ids)}{(outside.Count > 10 ? ", ..." : "")}."]);
            }
        }
        var freeze = await FreezeAsync(services, deviceIds, request, ct);
        if (freeze.Problem is { } frozen)
        {
            return new LaunchResult(0, [frozen]);
        }
        var run = await CreateAsync(db, service, deviceIds, request with { StoredInputs = storedInputs }, freeze, ct);
        if (freeze.Overridden.Count > 0)
        {
            await audit.WriteAsync(request.AuditedActor, "freeze override", "run", run.Id.ToString(CultureInfo.InvariantCulture), run.ServiceName,
                $"{request.FreezeOverride} — {string.Join("; ", freeze.Overridden.Select(h => h.Describe()))}", ct);
        }
        return new LaunchResult(run.Id, []);
    }

    /// <summary>What change freezes do to a run: nothing, refuse it (Problem), defer it (NotBefore), or let an admin
    /// through (Overridden). Only runs whose services change devices are held; read-only work always runs.</summary>
    private sealed record FreezeOutcome(string? Problem, DateTimeOffset? NotBefore, string Note, IReadOnlyList<FreezeHit> Overridden)
    {
        public static readonly FreezeOutcome None = new(null, null, "", []);
    }

    /// <summary>Deferred runs wait at most this long: a freeze holding longer refuses instead.</summary>
    private static readonly TimeSpan MaxDeferral = TimeSpan.FromDays(366);

    private async Task<FreezeOutcome> FreezeAsync(Dictionary<int, Service> services, List<int> deviceIds, RunRequest request, CancellationToken ct)
    {
        if (!ChangesDevices(services))
        {
            return FreezeOutcome.None;
        }
        var now = time.GetUtcNow();
        var hits = await freezes.HoldingAsync(deviceIds, now, ct);
        if (hits.Count == 0)
        {
            return FreezeOutcome.None;
        }
        var reason = request.FreezeOverride.Trim();
        if (reason.Length > ChangeFreezes.MaxReasonLength)
        {
            return new FreezeOutcome($"The override reason is limited to {ChangeFreezes.MaxReasonLength} characters.", null, "", []);
        }
        if (reason.Length > 0)
        {
            return request.MayOverrideFreeze
                ? new FreezeOutcome(null, null, $"Started through {string.Join("; ", hits.Select(h => h.Describe()))}, by override: {reason}", hits)
                : new FreezeOutcome("Only an admin may override a change freeze.", null, "", []);
        }
        var until = hits.Max(h => h.Until);
        if (hits.Any(h => h.Action == FreezeAction.Refuse) || until - now > MaxDeferral)
        {
            return new FreezeOutcome($"Refused: this run changes devices and {string.Join("; ", hits.Select(h => h.Describe()))}. An admin may override it with a reason.", null, "", []);
        }
        return new FreezeOutcome(null, until, $"Deferred: {string.Join("; ", hits.Select(h => h.Describe()))}; the run starts then.", []);
    }

    /// <summary>A new run of an interrupted (or failed) run's service for the devices it did not finish.</summary>
    public async Task<LaunchResult> ResumeAsync(int runId, AuditActor actor, IReadOnlyList<int>? scopePoolIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var earlier = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, ct);
        var done = earlier is null ? [] : await DevicesDoneAsync(db, runId, ct);
        var remaining = earlier?.DeviceIds.Where(id => !done.Contains(id)).ToList() ?? [];
        if (earlier is null || (remaining.Count == 0 && earlier.DeviceIds.Count > 0))
        {
            var refused = new LaunchResult(0, [earlier is null ? $"Run #{runId} does not exist." : $"Run #{runId} has no device left to run."]);
            await AuditAsync("run resume", actor, refused, $"run #{runId}", ct);
            return refused;
        }
        return await AuditedAsync("run resume", new RunRequest(earlier.ServiceId, remaining, null, earlier.Variables, $"resume of run #{runId}", actor.User)
        {
            ScopePoolIds = scopePoolIds,
            Actor = actor,
            Title = earlier.ServiceName,
            StoredInputs = earlier.Inputs,
            ResumeOfRunId = runId,
            // The staging goes on from the batch the run stopped at, not from batch 1 again.
            Rollout = earlier.Rollout?.Continuing(earlier.RolloutProgress, earlier.DeviceIds.Count),
        }, ct);
    }

    /// <summary>A new run that starts at a workflow node and reuses the earlier run's results for templates.</summary>
    public async Task<LaunchResult> RestartAsync(int runId, string fromNode, IReadOnlyList<int>? deviceIds, AuditActor actor,
        IReadOnlyList<int>? scopePoolIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var earlier = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, ct);
        var service = earlier is null ? null : await db.Services.AsNoTracking().FirstOrDefaultAsync(s => s.Id == earlier.ServiceId, ct);
        var problem = earlier is null || service is null ? $"Run #{runId} or its service no longer exists."
            : service.Graph?.Nodes.Any(n => n.Id == fromNode) != true ? $"'{fromNode}' is not a node of {service.Name}."
            : null;
        if (problem is not null || earlier is null)
        {
            var refused = new LaunchResult(0, [problem ?? ""]);
            await AuditAsync("run restart", actor, refused, $"run #{runId} from {fromNode}", ct);
            return refused;
        }
        return await AuditedAsync("run restart", new RunRequest(earlier.ServiceId, deviceIds is { Count: > 0 } ? deviceIds : earlier.DeviceIds, null,
            earlier.Variables, $"restart of run #{runId} from {fromNode}", actor.User)
        {
            RestartOfRunId = runId,
            RestartFromNode = fromNode,
            ScopePoolIds = scopePoolIds,
            Actor = actor,
            Title = earlier.ServiceName,
            StoredInputs = earlier.Inputs,
            Rollout = earlier.Rollout is { } rollout ? rollout with { FirstStage = 1, BaseTotal = 0 } : null,
        }, ct);
    }

    /// <summary>Cancels a run executing on this server (false: it is not), and records who did.</summary>
    public async Task<bool> CancelAsync(int runId, AuditActor actor, CancellationToken ct)
    {
        if (!queue.Cancel(runId))
        {
            return false;
        }
        await audit.WriteAsync(actor, "run cancel", "run", runId.ToString(CultureInfo.InvariantCulture), null, null, ct);
        return true;
    }

    /// <summary>Devices a run finished (its per-device outcome was recorded).</summary>
    public static async Task<HashSet<int>> DevicesDoneAsync(EnmsDbContext db, int runId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var ids = await db.RunResults.Where(r => r.RunId == runId && r.Node == RunResult.RunLevel && r.DeviceId != null)
            .Select(r => r.DeviceId!.Value).Distinct().ToListAsync(ct);
        return [.. ids];
    }

    /// <summary>The change freezes a run of this request would meet now (none when its services change no device):
    /// the run dialog shows them before you start.</summary>
    public async Task<IReadOnlyList<FreezeHit>> FreezesFacingAsync(RunRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var services = await ServiceGraph.LoadAsync(db, request.ServiceId, ct);
        if (!services.TryGetValue(request.ServiceId, out var service) || !ChangesDevices(services))
        {
            return [];
        }
        return await freezes.HoldingAsync(await TargetsAsync(db, request, service, ct), time.GetUtcNow(), ct);
    }

    private bool ChangesDevices(Dictionary<int, Service> services) => services.Values.Any(s => handlers.Find(s.Kind)?.ChangesDevices(s.Parameters) == true);

    /// <summary>The request's devices and pools, or without either the service's own targets.</summary>
    private static Task<List<int>> TargetsAsync(EnmsDbContext db, RunRequest request, Service service, CancellationToken ct)
    {
        var explicitTargets = request.DeviceIds is { Count: > 0 } || request.PoolIds is { Count: > 0 };
        return TargetsAsync(db, explicitTargets ? request.DeviceIds ?? [] : service.DeviceIds, explicitTargets ? request.PoolIds ?? [] : service.PoolIds, ct);
    }

    private static async Task<List<int>> TargetsAsync(EnmsDbContext db, IReadOnlyCollection<int> deviceIds, IReadOnlyCollection<int> poolIds, CancellationToken ct)
    {
        var fromPools = poolIds.Count == 0 ? []
            : await db.Pools.Where(p => poolIds.Contains(p.Id)).SelectMany(p => p.Devices.Select(d => d.Id)).ToListAsync(ct);
        var existing = await db.Devices.Where(d => deviceIds.Contains(d.Id)).Select(d => d.Id).ToListAsync(ct);
        return existing.Concat(fromPools).Distinct().Order().ToList();
    }

    private async Task<Run> CreateAsync(EnmsDbContext db, Service service, List<int> deviceIds, RunRequest request, FreezeOutcome freeze, CancellationToken ct)
    {
        var run = new Run
        {
            ServiceId = service.Id,
            ServiceName = request.Title ?? service.Name,
            Trigger = request.Trigger,
            CreatedBy = request.User,
            CreatedAt = time.GetUtcNow(),
            Status = RunStatus.Pending,
            DeviceIds = deviceIds,
            DevicesTotal = deviceIds.Count,
            Variables = string.IsNullOrWhiteSpace(request.Variables) ? "{}" : request.Variables,
            Inputs = request.StoredInputs ?? "{}",
            ScheduleId = request.ScheduleId,
            RestartOfRunId = request.RestartOfRunId,
            RestartFromNode = request.RestartFromNode,
            ResumeOfRunId = request.ResumeOfRunId,
            NotBefore = freeze.NotBefore,
            FreezeNote = freeze.Note,
            FreezeOverride = freeze.Overridden.Count > 0 ? request.FreezeOverride.Trim() : "",
            Rollout = request.Rollout,
        };
        db.Runs.Add(run);
        await db.SaveChangesAsync(ct);
        // Not cancellable once saved: a run left pending without its job would wait for the next start.
        await queue.EnqueueAsync(run.Id, run.NotBefore, CancellationToken.None);
        return run;
    }
}
