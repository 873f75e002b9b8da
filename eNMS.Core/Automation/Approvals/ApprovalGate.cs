using System.Collections.Concurrent;
using eNMS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Automation.Approvals;

/// <summary>What an approver asks: these devices (none: every pending one the approver sees), approve or reject, why.</summary>
public sealed record ApprovalRequest(IReadOnlyList<int>? DeviceIds, ApprovalVerdict Decision, string? Comment);

/// <summary>Who decides: their name, whether their role approves at any gate (editors and admins), their pools.</summary>
public sealed record Approver(string User, bool ByRole, IReadOnlyList<int>? ScopePoolIds);

public enum ApprovalRefusal
{
    None,
    NoSuchRun,
    Invalid,
    Forbidden,
    Conflict,
}

/// <summary>The decisions taken, or why none was (a request is taken whole or not at all).</summary>
public sealed record ApprovalOutcome(ApprovalRefusal Refusal, string Problem, IReadOnlyList<ApprovalDecision> Decided)
{
    public static ApprovalOutcome Refused(ApprovalRefusal refusal, string problem) => new(refusal, problem, []);
}

/// <summary>A device's place at a gate: its decision row, whether this visit created it (then the approvers are asked),
/// whether it is the gate's first in this run (then they are notified), and the earlier run whose decision it keeps.</summary>
public sealed record ApprovalOpening(ApprovalDecision Decision, bool Created, bool First, int? KeptFromRunId);

/// <summary>
/// Approval gates' decisions: the engine opens one pending decision per device at a gate and waits for it; approvers
/// (API, run page) take them. The wait polls the database (a decision taken on any cluster node lands within
/// <see cref="PollInterval"/>) and is woken at once by a decision taken on this node. The decisions are rows, so a run
/// resumed after a restart finds those already taken (<see cref="Run.ResumeOfRunId"/>) and does not ask again.
/// </summary>
public sealed class ApprovalGate(IDbContextFactory<EnmsDbContext> dbFactory, TimeProvider time, Execution.RunNotifier notifier)
{
    /// <summary>The policy whose roles may decide at any gate (editors and admins); a gate's approvers list adds users.</summary>
    public const string ApproverPolicy = Security.Policies.AutomationWrite;
    public const int MaxCommentLength = 1000;
    public const int MaxDevicesPerRequest = 10_000;
    public const int MaxPreviewChars = 20_000;
    /// <summary>Who decided when nobody did in time.</summary>
    public const string TimeoutDecider = "eNMS (timeout)";
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    /// <summary>Resumes of resumes followed back at most this far.</summary>
    private const int MaxResumeChain = 20;

    private readonly ConcurrentDictionary<int, TaskCompletionSource> _signals = new();

    /// <summary>The decisions of a run the approver may see (their devices'), oldest first; null: no such run for them.</summary>
    public async Task<List<ApprovalDecision>?> ListAsync(int runId, IReadOnlyList<int>? scopePoolIds, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateScopedAsync(scopePoolIds, ct);
        if (!await db.Runs.AnyAsync(r => r.Id == runId, ct))
        {
            return null;
        }
        return await db.ApprovalDecisions.AsNoTracking().Where(a => a.RunId == runId).OrderBy(a => a.Id).ToListAsync(ct);
    }

    /// <summary>Approves or rejects pending devices of a running run. Refused whole when any device is not pending (or
    /// not the approver's to see), when the approver may not decide at a gate, or decides a run they started without
    /// the gate allowing it. Audited (kind "approval") under <see cref="Security.AuditActor.Current"/>.</summary>
    public async Task<ApprovalOutcome> DecideAsync(int runId, ApprovalRequest request, Approver approver, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(approver);
        var comment = (request.Comment ?? "").Trim();
        if (request.Decision is not (ApprovalVerdict.Approved or ApprovalVerdict.Rejected))
        {
            return ApprovalOutcome.Refused(ApprovalRefusal.Invalid, "The decision is Approved or Rejected.");
        }
        if (comment.Length > MaxCommentLength || request.DeviceIds?.Count > MaxDevicesPerRequest)
        {
            return ApprovalOutcome.Refused(ApprovalRefusal.Invalid,
                $"A comment has at most {MaxCommentLength} characters, a decision at most {MaxDevicesPerRequest} devices.");
        }
        await using var db = await dbFactory.CreateScopedAsync(approver.ScopePoolIds, ct);
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, ct);
        if (run is null)
        {
            return ApprovalOutcome.Refused(ApprovalRefusal.NoSuchRun, "No such run.");
        }
        if (run.Status != RunStatus.Running)
        {
            return ApprovalOutcome.Refused(ApprovalRefusal.Conflict, $"Run #{runId} is {run.Status}: it waits for no decision.");
        }
        var pending = await db.ApprovalDecisions.Where(a => a.RunId == runId && a.Decision == ApprovalVerdict.Pending).ToListAsync(ct);
        var wanted = request.DeviceIds is { Count: > 0 } ids ? ids.Distinct().ToList() : null;
        var chosen = wanted is null ? pending : pending.Where(a => wanted.Contains(a.DeviceId)).ToList();
        var missing = wanted?.Except(chosen.Select(a => a.DeviceId)).Order().ToList() ?? [];
        if (missing.Count > 0 || chosen.Count == 0)
        {
            return ApprovalOutcome.Refused(ApprovalRefusal.Conflict, missing.Count == 0 ? $"No device waits for a decision in run #{runId}."
                : $"Not waiting for a decision in run #{runId} (decided already, not at an approval gate, or not yours to see): "
                + $"{string.Join(", ", missing.Take(10).Select(id => $"device #{id}"))}{(missing.Count > 10 ? ", ..." : "")}. Nothing was decided.");
        }
        foreach (var decision in chosen)
        {
            if (Refusal(decision, run, approver) is { } refusal)
            {
                return ApprovalOutcome.Refused(ApprovalRefusal.Forbidden, refusal);
            }
            (decision.Decision, decision.DecidedBy, decision.DecidedAt, decision.Comment) = (request.Decision, approver.User, time.GetUtcNow(), comment);
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ApprovalOutcome.Refused(ApprovalRefusal.Conflict, "A decision was taken meanwhile (or a gate timed out): read the approvals again. Nothing was decided.");
        }
        Signal(runId);
        chosen.ForEach(Changed);
        return new ApprovalOutcome(ApprovalRefusal.None, "", chosen);
    }

    /// <summary>Why this approver may not decide for this device, or null.</summary>
    private static string? Refusal(ApprovalDecision decision, Run run, Approver approver)
    {
        var listed = decision.Approvers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (!approver.ByRole && !listed.Contains(approver.User, StringComparer.OrdinalIgnoreCase))
        {
            return $"You may not decide at the approval gate {decision.Node}: editors, admins{(listed.Length > 0 ? $" and {string.Join(", ", listed)}" : "")} may.";
        }
        return !decision.AllowSelfApproval && run.CreatedBy.Equals(approver.User, StringComparison.OrdinalIgnoreCase)
            ? $"You started run #{run.Id}: someone else must approve its changes (four eyes; the gate's allowSelfApproval lifts this)."
            : null;
    }

    private void Changed(ApprovalDecision decision) => notifier.Publish(new Execution.ApprovalsChanged(decision.RunId, decision.DeviceId));

    /// <summary>Wakes this node's waits for the run's decisions (those on other nodes find them at their next poll).</summary>
    public void Signal(int runId)
    {
        if (_signals.TryRemove(runId, out var signal))
        {
            signal.TrySetResult();
        }
    }

    /// <summary>The device's decision row at this gate: the one this run already has (a run recovered on another node),
    /// a copy of one taken in the run this one resumes, or a new pending one.</summary>
    public async Task<ApprovalOpening> OpenAsync(Run run, ApprovalDecision wanted, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(wanted);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var chain = await ResumeChainAsync(db, run, ct);
        var earlier = await db.ApprovalDecisions.Where(a => chain.Contains(a.RunId) && a.Node == wanted.Node && a.DeviceId == wanted.DeviceId)
            .OrderByDescending(a => a.Id).ToListAsync(ct);
        if (earlier.FirstOrDefault(a => a.RunId == run.Id) is { } own)
        {
            return new ApprovalOpening(own, false, false, null);
        }
        (wanted.RunId, wanted.RequestedAt) = (run.Id, time.GetUtcNow());
        var kept = earlier.FirstOrDefault(a => a.Decision != ApprovalVerdict.Pending);
        if (kept is not null)
        {
            (wanted.Decision, wanted.DecidedBy, wanted.DecidedAt, wanted.Comment) = (kept.Decision, kept.DecidedBy, kept.DecidedAt, kept.Comment);
            (wanted.Preview, wanted.PreviewNode, wanted.ExpiresAt) = (kept.Preview, kept.PreviewNode, kept.ExpiresAt);
        }
        else if (wanted.Preview.Length == 0 && earlier.FirstOrDefault() is { } asked)
        {
            (wanted.Preview, wanted.PreviewNode) = (asked.Preview, asked.PreviewNode);
        }
        db.ApprovalDecisions.Add(wanted);
        await db.SaveChangesAsync(ct);
        Changed(wanted);
        var first = kept is null && !await db.ApprovalDecisions.AnyAsync(a => a.RunId == run.Id && a.Node == wanted.Node && a.Id < wanted.Id, ct);
        return new ApprovalOpening(wanted, kept is null, first, kept?.RunId);
    }

    /// <summary>Waits until the decision is taken, or takes the default one when it expires. Cancelled with the run.</summary>
    public async Task<ApprovalDecision> AwaitAsync(int decisionId, ApprovalVerdict onTimeout, string timeoutComment, CancellationToken ct)
    {
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var decision = await db.ApprovalDecisions.SingleAsync(a => a.Id == decisionId, ct);
            if (decision.Decision != ApprovalVerdict.Pending)
            {
                // No signal is kept for a run with nobody waiting; the run's other waits re-read theirs.
                Signal(decision.RunId);
                return decision;
            }
            var left = decision.ExpiresAt - time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                (decision.Decision, decision.DecidedBy, decision.DecidedAt, decision.Comment) = (onTimeout, TimeoutDecider, time.GetUtcNow(), timeoutComment);
                try
                {
                    await db.SaveChangesAsync(ct);
                    Signal(decision.RunId);
                    Changed(decision);
                    return decision;
                }
                catch (DbUpdateConcurrencyException)
                {
                    // An approver was quicker: their decision is read at the next turn.
                    continue;
                }
            }
            await WakeAsync(decision.RunId, left < PollInterval ? left : PollInterval, ct);
        }
    }

    private async Task WakeAsync(int runId, TimeSpan wait, CancellationToken ct)
    {
        var signal = _signals.GetOrAdd(runId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        await Task.WhenAny(signal.Task, Task.Delay(wait, time, stop.Token));
        await stop.CancelAsync();
        ct.ThrowIfCancellationRequested();
    }

    /// <summary>The run, the run it resumes, the run that one resumes, ...</summary>
    private static async Task<List<int>> ResumeChainAsync(EnmsDbContext db, Run run, CancellationToken ct)
    {
        var chain = new List<int> { run.Id };
        for (var earlier = run.ResumeOfRunId; earlier is int id && chain.Count < MaxResumeChain && !chain.Contains(id);)
        {
            chain.Add(id);
            earlier = await db.Runs.Where(r => r.Id == id).Select(r => r.ResumeOfRunId).FirstOrDefaultAsync(ct);
        }
        return chain;
    }
}
