using eNMS.Core.Automation.Approvals;
using eNMS.Core.Data;
using eNMS.Core.Inventory;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Automation.Execution;

/// <summary>
/// A run's devices batch by batch (<see cref="RolloutPlan"/>): after each batch, the failures so far against the limit;
/// between batches, the optional wait and the optional approval ("continue with the next batch?", a decision of the
/// run's <see cref="ApprovalGate"/> like an approval node's). The progress is stored on the run after every step for
/// the run page. When it stops, the devices never started are not failed: they are listed, and a resume runs them.
/// </summary>
public sealed class StagedRollout(RolloutPlan plan, RunScope scope, IDbContextFactory<EnmsDbContext> dbFactory, ApprovalGate gate)
{
    /// <summary>A batch approval nobody gives within this time is a rejection (the run stops; it can be resumed).</summary>
    public static readonly TimeSpan ApprovalTimeout = TimeSpan.FromHours(24);

    /// <summary>The node name batch approvals are listed under: "rollout/batch 2".</summary>
    public const string ApprovalNode = "rollout/batch";

    /// <summary>Where the outcomes of log lines about the rollout start: the run page reads the progress again on them.</summary>
    public const string LogPrefix = "Rollout";

    private const string NotStarted = "not started (rollout stopped)";
    private readonly RolloutProgress _progress = new();

    /// <summary>Runs the batches in order with <paramref name="runBatch"/>.</summary>
    /// <returns>Why the rollout stopped before its last batch, or null when every batch ran.</returns>
    public async Task<string?> RunAsync(IReadOnlyList<Device> devices, Func<IReadOnlyList<Device>, CancellationToken, Task> runBatch, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(runBatch);
        var batches = plan.Split(devices);
        _progress.Batches.AddRange(batches.Select(b => new RolloutBatch { Stage = b.Stage, Devices = [.. b.Devices.Select(d => d.Name)], Outcome = "waiting" }));
        await SaveAsync($"{LogPrefix}: {batches.Count} batch(es) of {string.Join(", ", batches.Select(b => b.Devices.Count))} device(s); {plan.Describe()}");
        try
        {
            for (var i = 0; i < batches.Count; i++)
            {
                var (stage, batch) = batches[i];
                if (i > 0 && await BetweenAsync(_progress.Batches[i], batch, ct) is { } refused)
                {
                    return await StopAsync(i, refused);
                }
                if (await RunBatchAsync(_progress.Batches[i], batch, runBatch, ct) is { } reached && i < batches.Count - 1)
                {
                    return await StopAsync(i + 1, reached);
                }
            }
            return null;
        }
        catch (OperationCanceledException)
        {
            foreach (var batch in _progress.Batches.Where(b => b.Outcome is not ("succeeded" or "failed")))
            {
                batch.Outcome = "not finished (run cancelled or interrupted)";
            }
            await SaveAsync($"{LogPrefix} ended before its last batch");
            throw;
        }
    }

    /// <summary>One batch; the threshold reached after it (why to stop), or null.</summary>
    private async Task<string?> RunBatchAsync(RolloutBatch shown, List<Device> batch, Func<IReadOnlyList<Device>, CancellationToken, Task> runBatch,
        CancellationToken ct)
    {
        var (done, failed) = (scope.DevicesDone, scope.DevicesFailed);
        shown.Outcome = "running";
        await SaveAsync($"{LogPrefix} batch {shown.Stage}: {batch.Count} device(s) started");
        await runBatch(batch, ct);
        (shown.Done, shown.Failed) = (scope.DevicesDone - done, scope.DevicesFailed - failed);
        shown.Outcome = shown.Failed == 0 ? "succeeded" : "failed";
        var reached = plan.Exceeded(scope.DevicesFailed, scope.DevicesDone)
            ? $"threshold reached: {scope.DevicesFailed} of {scope.DevicesDone} failed in batch {shown.Stage} (limit {plan.FailureLimit})"
            : null;
        await SaveAsync($"{LogPrefix} batch {shown.Stage}: {shown.Done} device(s) done, {shown.Failed} failed", shown.Failed == 0 ? "info" : "warning");
        return reached;
    }

    /// <summary>The wait and the approval before a batch; why not to go on (rejected), or null.</summary>
    private async Task<string?> BetweenAsync(RolloutBatch next, List<Device> batch, CancellationToken ct)
    {
        if (plan.WaitSeconds > 0)
        {
            next.Outcome = $"waiting {plan.WaitSeconds} s";
            await SaveAsync($"{LogPrefix}: waiting {plan.WaitSeconds} s before batch {next.Stage}");
            await scope.WaitAsync($"the {plan.WaitSeconds} s wait before rollout batch {next.Stage}", null, inNode: false, async () =>
            {
                await Task.Delay(TimeSpan.FromSeconds(plan.WaitSeconds), scope.Time, ct);
                return true;
            }, ct);
        }
        if (!plan.Approval)
        {
            return null;
        }
        var names = string.Join(", ", next.Devices);
        var opening = await gate.OpenAsync(scope.Run, new ApprovalDecision
        {
            Node = $"{ApprovalNode} {next.Stage}",
            ServiceId = scope.Run.ServiceId,
            // The gate keys decisions by device: the batch's first one stands for it (and decides who may see it).
            DeviceId = batch[0].Id,
            DeviceName = Cut($"batch {next.Stage} ({batch.Count}): {names}", 255),
            Preview = Cut("Continue with the next batch?\n" + string.Join("\n", _progress.Batches.Select(Describe)), ApprovalGate.MaxPreviewChars),
            PreviewNode = "rollout",
            // "Continue?" reviews how the batches went, not one's own change: whoever started the run may answer.
            AllowSelfApproval = true,
            ExpiresAt = scope.Time.GetUtcNow().Add(ApprovalTimeout),
        }, ct);
        next.Outcome = "waiting for approval";
        await SaveAsync($"{LogPrefix}: waiting for approval before batch {next.Stage}");
        var decision = await scope.WaitAsync($"approval of rollout batch {next.Stage}", null, inNode: false,
            () => gate.AwaitAsync(opening.Decision.Id, ApprovalVerdict.Rejected, $"Nobody decided within {ApprovalTimeout.TotalHours:0} hours.", ct), ct);
        var said = $"{decision.DecidedBy}{(decision.Comment.Length > 0 ? $": {decision.Comment}" : "")}";
        if (decision.Decision == ApprovalVerdict.Approved)
        {
            scope.Log($"{LogPrefix}: batch {next.Stage} approved by {said}");
            return null;
        }
        return $"batch {next.Stage} rejected by {said}";
    }

    /// <summary>Marks the batches from <paramref name="from"/> not started, says why, and returns the reason.</summary>
    private async Task<string> StopAsync(int from, string reason)
    {
        var left = _progress.Batches.Skip(from).ToList();
        left.ForEach(b => b.Outcome = NotStarted);
        (_progress.Stopped, _progress.NotStarted) = (reason, [.. left.SelectMany(b => b.Devices)]);
        await SaveAsync($"{LogPrefix} stopped, {reason}: {_progress.NotStarted.Count} device(s) {NotStarted}; resume the run to continue from batch {left[0].Stage}",
            "warning");
        return reason;
    }

    private static string Describe(RolloutBatch b) =>
        $"batch {b.Stage}: {b.Devices.Count} device(s), {b.Outcome}" + (b.Done > 0 ? $" ({b.Failed} of {b.Done} failed)" : "");

    private static string Cut(string text, int max) => text.Length > max ? text[..(max - 1)] + "…" : text;

    /// <summary>Stores the progress on the run, then logs (the log line tells the run page to read it again).</summary>
    private async Task SaveAsync(string message, string level = "info")
    {
        await using (var db = await dbFactory.CreateDbContextAsync(CancellationToken.None))
        {
            var run = await db.Runs.SingleAsync(r => r.Id == scope.Run.Id, CancellationToken.None);
            run.RolloutProgress = _progress;
            await db.SaveChangesAsync(CancellationToken.None);
        }
        scope.Run.RolloutProgress = _progress;
        scope.Log(message, level);
    }
}
