using eNMS.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Quartz;

namespace eNMS.Core.Automation.Execution;

/// <summary>Once the scheduler has started, runs that Quartz no longer holds a job for: a pending one is queued again; a
/// running one (its process died, or it predates Quartz) becomes Interrupted, naming the devices not done, so it can be
/// resumed. Runs whose job Quartz still holds are left to Quartz: it recovers those of a dead node itself.</summary>
/// <remarks>It must look only after Quartz's own start-up recovery. A single node (SQLite, not clustered) recovers
/// in-flight jobs only for its own instance id, which is new at each start by default (host name and process id): the
/// job of a run killed with its process is then deleted at start-up, not re-fired. Looking earlier — when the hosted
/// services start, before Quartz, which waits for the application to have started — still saw that job and left the run
/// "Running" forever. In a cluster the job of a dead node's run stays until a live node recovers it, so a run whose job
/// is gone has no owner anywhere.</remarks>
public sealed class RunRecovery(IDbContextFactory<EnmsDbContext> dbFactory, RunDispatcher dispatcher, TimeProvider time, ILogger<RunRecovery> logger)
    : ISchedulerListener
{
    /// <summary>Called by Quartz after its job store has started (recovery of in-flight jobs and cluster check-in done).</summary>
    public async ValueTask SchedulerStarted(IScheduler scheduler, CancellationToken cancellationToken = default)
    {
        try
        {
            await RecoverAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Not thrown to Quartz, which would only log it; the next start tries again.
            logger.LogError(e, "Runs left by a stopped process could not be recovered");
        }
    }

    /// <summary>Ends or re-queues the runs no process will finish.</summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // A run created this very moment on another node may not have its job yet: leave recent ones alone.
        var settled = time.GetUtcNow().AddMinutes(-1);
        foreach (var run in await db.Runs.Where(r => r.Status == RunStatus.Running || r.Status == RunStatus.Pending).OrderBy(r => r.Id).ToListAsync(cancellationToken))
        {
            if (await dispatcher.IsQueuedAsync(run.Id, cancellationToken) || run.Status == RunStatus.Pending && run.CreatedAt > settled)
            {
                continue;
            }
            // Its job may have just ended (and deleted itself) with the run: read the run again before judging it.
            await db.Entry(run).ReloadAsync(cancellationToken);
            if (run.Status is not (RunStatus.Running or RunStatus.Pending))
            {
                continue;
            }
            if (run.Status == RunStatus.Pending)
            {
                await dispatcher.EnqueueAsync(run.Id, run.NotBefore, cancellationToken);
                continue;
            }
            var done = await RunLauncher.DevicesDoneAsync(db, run.Id, cancellationToken);
            var notDone = run.DeviceIds.Where(id => !done.Contains(id)).ToList();
            var names = await db.Devices.Where(d => notDone.Contains(d.Id)).OrderBy(d => d.Name).Select(d => d.Name).Take(20).ToListAsync(cancellationToken);
            (run.Status, run.EndedAt, run.DevicesDone) = (RunStatus.Interrupted, time.GetUtcNow(), done.Count);
            run.Error = notDone.Count == 0 ? "The app stopped during this run."
                : $"The app stopped during this run; {notDone.Count} device(s) not done: {string.Join(", ", names)}{(notDone.Count > names.Count ? ", …" : "")}. Resume it to finish them.";
            logger.LogWarning("Run {RunId} was interrupted by a restart: {NotDone} device(s) not done", run.Id, notDone.Count);
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
