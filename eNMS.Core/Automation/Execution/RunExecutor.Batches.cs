using eNMS.Core.Automation.Handlers;
using eNMS.Core.Inventory;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Automation.Execution;

/// <summary>One batch of a run on a cluster node (<see cref="ClusterBatches"/>): the run's devices cut so that every
/// node executes some.</summary>
public sealed partial class RunExecutor
{
    /// <summary>Executes one batch of a run split across a cluster (<see cref="ClusterBatches"/>) on this node: the run's
    /// service on the batch's devices (a workflow: the whole workflow, each device on its own path), each device only while the run is still Running and only when it has no recorded
    /// outcome yet (a batch recovered from a dead node does not run again what that node finished). Its results land in
    /// the database with this node's name; the run's coordinator counts them and ends the run.</summary>
    /// <returns>False when this node stopped before the batch was through (it should be queued again).</returns>
    internal async Task<bool> ExecuteBatchAsync(int runId, IReadOnlyCollection<int> deviceIds, int parallelism, RunSlot slot, CancellationToken stopping)
    {
        StartedRun started;
        await using (var db = await dbFactory.CreateDbContextAsync(CancellationToken.None))
        {
            var run = await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId, CancellationToken.None);
            if (run is not { Status: RunStatus.Running })
            {
                return true;
            }
            var (services, revealed) = await RevealAsync(db, run.ServiceId, CancellationToken.None);
            var devices = await db.Devices.AsNoTracking().Where(d => deviceIds.Contains(d.Id)).OrderBy(d => d.Name).ToListAsync(CancellationToken.None);
            started = new StartedRun(run, services, devices, revealed, false, default)
            {
                User = await Security.EffectiveAccess.RunActorAsync(db, run.CreatedBy, CancellationToken.None),
            };
        }
        var service = started.Services.GetValueOrDefault(started.Run.ServiceId)
            ?? throw new InvalidOperationException($"Service #{started.Run.ServiceId} no longer exists.");
        using var guard = started.Run.FreezeOverride.Length == 0 ? new FreezeGuard(freezes, time, started.Run.DeviceIds) : null;
        var (scope, recorder) = await OpenAsync(started, slot, guard);
        using var turns = scope.Turns;
        // Cancelled when the run is no longer Running (cancelled, failed, interrupted on its coordinator's node).
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var nodes = new NodeRunner(handlers, scope);
        // A workflow: the whole workflow for each device of the batch, each on its own path (WorkflowRunner, as on one node).
        var workflow = service.Kind == ServiceHandlers.WorkflowKind ? new WorkflowRunner(started.Services, nodes, scope) : null;
        var paths = workflow is null ? new Dictionary<int, List<RunResult>>() : await StoredPathsAsync(runId, deviceIds);
        var through = false;
        // A device's path may take long: the run's end (a cancel on any node) also stops the paths under way.
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(ended.Token);
        var watcher = workflow is null ? Task.CompletedTask : WatchRunAsync(scope, ended, watching.Token);
        try
        {
            // The run's turns (DeviceTurns): the service's parallelism across every node's batches of the run.
            await scope.Turns.ForEachAsync(started.Devices,
                async (device, token) =>
                {
                    switch (await ClusterBatches.DeviceStateAsync(dbFactory, runId, device.Id, token))
                    {
                        case ClusterBatches.DeviceState.RunEnded:
                            await ended.CancelAsync();
                            return;
                        case ClusterBatches.DeviceState.Done:
                            return;
                    }
                    if (workflow is null)
                    {
                        await nodes.RunAsync(service, RunResult.RunLevel, device, token);
                        await scope.DeviceDoneAsync(device);
                    }
                    else
                    {
                        await RunPathAsync(scope, workflow, started.Services, service, device, paths.GetValueOrDefault(device.Id) ?? [], token);
                    }
                }, ended.Token);
            through = true;
        }
        catch (OperationCanceledException) when (ended.IsCancellationRequested)
        {
            through = !stopping.IsCancellationRequested;
        }
        finally
        {
            await watching.CancelAsync();
            await watcher;
            Report(started.Run, scope);
            await scope.Connections.DisposeAsync();
            // Awaited before the batch's job ends: the coordinator counts the results once the job is gone.
            await recorder.DisposeAsync();
            await hostKeys.SaveAsync(CancellationToken.None);
        }
        return through;
    }

    /// <summary>One device's path through the workflow in a batch, its outcome recorded at run level. A device with
    /// results of this run already (its batch was running on a node that died or stopped) goes on where
    /// <see cref="WorkflowResume"/> says, told in the run's log.</summary>
    private async Task RunPathAsync(RunScope scope, WorkflowRunner workflow, Dictionary<int, Service> services, Service service, Device device, List<RunResult> stored, CancellationToken ct)
    {
        string? startAt = null;
        if (stored.Count > 0)
        {
            var resume = WorkflowResume.Find(service, services, stored);
            var on = string.Join(", ", stored.Select(r => r.ExecutedOn).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
            var cut = $"{device.Name}: its path was cut short on node {(on.Length > 0 ? on : "(unnamed)")} after {stored.Count} result(s)";
            switch (resume.From)
            {
                case ResumeFrom.Ended:
                    scope.Log($"{cut}, its last node '{resume.Node}' done: its outcome is taken from them", "warning");
                    scope.Preload(stored, sameRun: true);
                    await RecordOutcomeAsync(scope, service, device, resume.Outcome);
                    return;
                case ResumeFrom.Node:
                    scope.Log($"{cut}: resumed at node '{resume.Node}' on node {scope.ExecutedOn}", "warning");
                    scope.Preload(stored, sameRun: true);
                    startAt = resume.Node;
                    break;
                default:
                    // Removed first, so that each node of the path run again is stored once.
                    await using (var db = await dbFactory.CreateDbContextAsync(ct))
                    {
                        var ids = stored.Select(r => r.Id).ToList();
                        await db.RunResults.Where(r => ids.Contains(r.Id)).ExecuteDeleteAsync(ct);
                    }
                    scope.Log($"{cut}: run again from the start on node {scope.ExecutedOn} because {resume.Why}; those results were removed", "warning");
                    break;
            }
        }
        await RecordOutcomeAsync(scope, service, device, await workflow.RunDeviceAsync(service, device, "", startAt, ct));
    }

    /// <summary>The node results this run already stored for the batch's devices that have no outcome yet, by device
    /// (a batch fired again after its node died), oldest first.</summary>
    private async Task<Dictionary<int, List<RunResult>>> StoredPathsAsync(int runId, IReadOnlyCollection<int> deviceIds)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var results = await db.RunResults.AsNoTracking()
            .Where(r => r.RunId == runId && r.DeviceId != null && deviceIds.Contains(r.DeviceId.Value))
            .OrderBy(r => r.Id).ToListAsync(CancellationToken.None);
        var finished = results.Where(r => r.IsRunLevel).Select(r => r.DeviceId!.Value).ToHashSet();
        return results.Where(r => !r.IsRunLevel && !finished.Contains(r.DeviceId!.Value))
            .GroupBy(r => r.DeviceId!.Value).ToDictionary(g => g.Key, g => g.ToList());
    }

    /// <summary>Cancels <paramref name="ended"/> once the run is no longer Running (cancelled or failed on any node),
    /// looking every <see cref="ClusterBatches.PollInterval"/> until <paramref name="ct"/> ends the watch.</summary>
    private async Task WatchRunAsync(RunScope scope, CancellationTokenSource ended, CancellationToken ct)
    {
        var runId = scope.Run.Id;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(ClusterBatches.PollInterval, time, ct);
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                if (!await db.Runs.AnyAsync(r => r.Id == runId && r.Status == RunStatus.Running, ct))
                {
                    await ended.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The batch is through.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The check before each device still stops the batch; only paths under way run on to their end.
            scope.Log($"Batch on node {scope.ExecutedOn} stopped watching the run's state: {e.Message}", "warning");
        }
    }
}
