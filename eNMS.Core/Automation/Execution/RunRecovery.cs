using eNMS.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace eNMS.Core.Automation.Execution;

/// <summary>At startup: runs that were executing when the app stopped become Interrupted, naming the devices not
/// done (they can be resumed); runs still pending are queued again.</summary>
public sealed class RunRecovery(IDbContextFactory<EnmsDbContext> dbFactory, RunDispatcher dispatcher, TimeProvider time, ILogger<RunRecovery> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        foreach (var run in await db.Runs.Where(r => r.Status == RunStatus.Running).ToListAsync(cancellationToken))
        {
            var done = await RunLauncher.DevicesDoneAsync(db, run.Id, cancellationToken);
            var notDone = run.DeviceIds.Where(id => !done.Contains(id)).ToList();
            var names = await db.Devices.Where(d => notDone.Contains(d.Id)).OrderBy(d => d.Name).Select(d => d.Name).Take(20).ToListAsync(cancellationToken);
            (run.Status, run.EndedAt, run.DevicesDone) = (RunStatus.Interrupted, time.GetUtcNow(), done.Count);
            run.Error = notDone.Count == 0 ? "The app stopped during this run."
                : $"The app stopped during this run; {notDone.Count} device(s) not done: {string.Join(", ", names)}{(notDone.Count > names.Count ? ", …" : "")}. Resume it to finish them.";
            logger.LogWarning("Run {RunId} was interrupted by a restart: {NotDone} device(s) not done", run.Id, notDone.Count);
        }
        await db.SaveChangesAsync(cancellationToken);
        foreach (var id in await db.Runs.Where(r => r.Status == RunStatus.Pending).OrderBy(r => r.Id).Select(r => r.Id).ToListAsync(cancellationToken))
        {
            dispatcher.Enqueue(id);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
