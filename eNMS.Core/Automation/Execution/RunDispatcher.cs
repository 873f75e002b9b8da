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
    public Task EnqueueAsync(int runId, CancellationToken ct) => EnqueueAsync(runId, null, ct);

    /// <summary>Queues a pending run to start at <paramref name="notBefore"/> (a run deferred by a change freeze), or now.</summary>
    public async Task EnqueueAsync(int runId, DateTimeOffset? notBefore, CancellationToken ct)
    {
        var scheduler = await (schedulers ?? throw new InvalidOperationException("Runs execute through Quartz: call AddScheduling.")).GetScheduler(ct);
        var job = JobBuilder.Create<ExecuteRunJob>().WithIdentity(ExecuteRunJob.KeyFor(runId))
            .UsingJobData(ExecuteRunJob.RunIdKey, runId.ToString(CultureInfo.InvariantCulture)).RequestRecovery().Build();
        var trigger = Trigger(runId, notBefore);
        await scheduler.ScheduleJob(job, trigger, cancellationToken: ct);
    }

    /// <summary>Queues a run again that a busy node could not start (its job keeps its data and recovery): any node may take it.</summary>
    public async Task RequeueAsync(int runId, CancellationToken ct)
    {
        var scheduler = await (schedulers ?? throw new InvalidOperationException("Runs execute through Quartz: call AddScheduling.")).GetScheduler(ct);
        var trigger = TriggerBuilder.Create().WithIdentity($"run-{runId}-again-{Guid.NewGuid():N}", ExecuteRunJob.Group).ForJob(ExecuteRunJob.KeyFor(runId))
            .StartNow().WithSimpleSchedule(x => x.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow)).Build();
        await scheduler.ScheduleJob(trigger, cancellationToken: ct);
    }

    /// <summary>Moves a queued run's start (a deferred run released early because its freeze ended sooner); false when
    /// Quartz no longer holds its trigger (it already fired).</summary>
    public async Task<bool> RescheduleAsync(int runId, DateTimeOffset at, CancellationToken ct)
    {
        var scheduler = await (schedulers ?? throw new InvalidOperationException("Runs execute through Quartz: call AddScheduling.")).GetScheduler(ct);
        return await scheduler.RescheduleJob(new TriggerKey($"run-{runId}", ExecuteRunJob.Group), Trigger(runId, at), ct) is not null;
    }

    private static ITrigger Trigger(int runId, DateTimeOffset? notBefore)
    {
        var builder = TriggerBuilder.Create().WithIdentity($"run-{runId}", ExecuteRunJob.Group).ForJob(ExecuteRunJob.KeyFor(runId));
        return (notBefore is { } at ? builder.StartAt(at) : builder.StartNow())
            .WithSimpleSchedule(x => x.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow)).Build();
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

    /// <summary>Set by the cluster relay: asks the other nodes to cancel a run.</summary>
    internal Action<int>? CancelElsewhere { get; set; }

    /// <summary>Cancels a run executing on this node, or asks the other nodes of a cluster to; false when it is not
    /// running here and there is no cluster to ask.</summary>
    public bool Cancel(int runId)
    {
        if (CancelHere(runId))
        {
            return true;
        }
        CancelElsewhere?.Invoke(runId);
        return CancelElsewhere is not null;
    }

    internal bool CancelHere(int runId)
    {
        if (!_active.TryGetValue(runId, out var cts))
        {
            return false;
        }
        cts.Cancel();
        return true;
    }
}
