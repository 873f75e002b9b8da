using System.Collections.Concurrent;
using System.Globalization;
using eNMS.Core.Scheduling;
using Quartz;

namespace eNMS.Core.Automation.Execution;

/// <summary>Hands runs to Quartz, so that any node of a cluster may execute them (and another node recovers a run
/// whose node died); cancels the runs executing on this node.</summary>
public sealed class RunDispatcher(ISchedulerFactory? schedulers = null)
{
    private readonly ConcurrentDictionary<int, CancellationTokenSource> _active = new();

    /// <summary>Queues a pending run as a one-shot Quartz job that requests recovery.</summary>
    public async Task EnqueueAsync(int runId, CancellationToken ct)
    {
        var scheduler = await (schedulers ?? throw new InvalidOperationException("Runs execute through Quartz: call AddScheduling.")).GetScheduler(ct);
        var job = JobBuilder.Create<ExecuteRunJob>().WithIdentity(ExecuteRunJob.KeyFor(runId))
            .UsingJobData(ExecuteRunJob.RunIdKey, runId.ToString(CultureInfo.InvariantCulture)).RequestRecovery().Build();
        var trigger = TriggerBuilder.Create().WithIdentity($"run-{runId}", ExecuteRunJob.Group).StartNow()
            .WithSimpleSchedule(x => x.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow)).Build();
        await scheduler.ScheduleJob(job, trigger, cancellationToken: ct);
    }

    /// <summary>Whether Quartz still holds the run's job (waiting, executing, or to recover from a dead node).</summary>
    public async Task<bool> IsQueuedAsync(int runId, CancellationToken ct)
    {
        var scheduler = await (schedulers ?? throw new InvalidOperationException("Runs execute through Quartz: call AddScheduling.")).GetScheduler(ct);
        return await scheduler.GetJobDetail(ExecuteRunJob.KeyFor(runId), ct) is not null;
    }

    internal CancellationTokenSource Track(int runId) => _active[runId] = new CancellationTokenSource();

    internal void Untrack(int runId)
    {
        if (_active.TryRemove(runId, out var cts))
        {
            cts.Dispose();
        }
    }

    /// <summary>Cancels a run executing on this node; false when it is not running here.</summary>
    public bool Cancel(int runId)
    {
        if (!_active.TryGetValue(runId, out var cts))
        {
            return false;
        }
        cts.Cancel();
        return true;
    }
}
