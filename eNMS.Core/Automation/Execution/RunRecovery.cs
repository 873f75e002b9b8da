using eNMS.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace eNMS.Core.Automation.Execution;

/// <summary>At startup, runs that Quartz no longer holds a job for: a pending one is queued again; a running one
/// (its job ended without recording the end, or it predates Quartz) becomes Interrupted, naming the devices not done,
/// so it can be resumed. Runs whose job Quartz still holds are left to Quartz: it recovers those of a dead node itself.</summary>
public sealed class RunRecovery(IDbContextFactory<EnmsDbContext> dbFactory, RunDispatcher dispatcher, TimeProvider time, ILogger<RunRecovery> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
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
            if (run.Status == RunStatus.Pending)
            {
                await dispatcher.EnqueueAsync(run.Id, cancellationToken);
                continue;
            }
            var done = await RunLauncher.DevicesDoneAsync(db, run.Id, cancellationToken);
            var notDone = run.DeviceIds.Where(id => !done.Contains(id)).ToList();
            var names = await db.Devices.Where(d => notDone.Contains(d.Id)).OrderBy(d => d.Name).Select(d => d.Name).Take(20).ToListAsync(cancellationToken);
            (run.Status, run.EndedAt, run.DevicesDone) = (RunStatus.Interrupted, time.GetUtcNow(), done.Count);
            run.Error = notDone.Count == 0 ? "The app stopped during this run."
                : $"The app stopped during this run; {notDone.Count} device(s) not done: {string.Join(", ", names)}{(notDone.Count > names.Count ? ", …" : "")}. Resume it to finish them.";
            logger.LogWarning("Run {RunId} was interrupted by a restart: {NotDone} device(s) not done", run.Id, notDone.Count);
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
