using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Automation.Execution;

/// <summary>One batch of a run on a cluster node (<see cref="ClusterBatches"/>): the run's devices cut so that every
/// node executes some.</summary>
public sealed partial class RunExecutor
{
    /// <summary>Executes one batch of a run split across a cluster (<see cref="ClusterBatches"/>) on this node: the run's
    /// service on the batch's devices, each device only while the run is still Running and only when it has no recorded
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
        var through = false;
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
                    await nodes.RunAsync(service, RunResult.RunLevel, device, token);
                    await scope.DeviceDoneAsync(device);
                }, ended.Token);
            through = true;
        }
        catch (OperationCanceledException) when (ended.IsCancellationRequested)
        {
            through = !stopping.IsCancellationRequested;
        }
        finally
        {
            Report(started.Run, scope);
            await scope.Connections.DisposeAsync();
            // Awaited before the batch's job ends: the coordinator counts the results once the job is gone.
            await recorder.DisposeAsync();
            await hostKeys.SaveAsync(CancellationToken.None);
        }
        return through;
    }
}
