using System.Globalization;
using eNMS.Core.Automation.Handlers;
using eNMS.Core.Automation.Workflows;
using eNMS.Core.Data;
using eNMS.Core.Inventory;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;
using SchedulingOptions = eNMS.Core.Scheduling.SchedulingOptions;

namespace eNMS.Core.Automation.Execution;

/// <summary>
/// One run across the nodes of a cluster (<c>Scheduling:DistributeRuns</c>, PostgreSQL and clustered Quartz only): the
/// run's devices are split into batches of <see cref="SchedulingOptions.RunBatchSize"/>, each a Quartz job
/// (<see cref="RunBatchJob"/>, persisted in the clustered job store, requesting recovery) that any node may fire. The
/// batch of a workflow runs the whole workflow for its devices, each device on its own path. The
/// node that executes the run's own job is its coordinator: it queues a window of batches at a time, counts the
/// results they store, and ends the run when every batch is through. Single-node SQLite never gets here.
/// </summary>
/// <remarks>
/// Exactly once: a batch checks, before each device, that the run is still Running (a cancel reaches batches on
/// every node within a device) and that the device has no run-level result yet; a batch whose node dies is fired again
/// by Quartz on another node (RequestsRecovery) and so skips what the dead node stored. A result the dead node had not
/// yet written (the recorder writes in batches) is run again: it is stored once all the same. A workflow's device whose
/// path the dead node had begun goes on where <see cref="WorkflowResume"/> retraces it (at the first node without a stored
/// result, else from the start), said in the run's log. Batches of a workflow also watch the run's state every
/// <see cref="PollInterval"/>, so that a cancel stops paths under way too.
/// </remarks>
public sealed class ClusterBatches(ISchedulerFactory schedulers, IDbContextFactory<EnmsDbContext> dbFactory, IOptions<SchedulingOptions> options, TimeProvider time)
{
    public const string Group = "run-batches";
    public const string RunIdKey = "runId";
    public const string DeviceIdsKey = "deviceIds";
    public const string ParallelismKey = "parallelism";

    /// <summary>The most devices in one batch (its device ids are kept in the job's data).</summary>
    public const int MaxBatchSize = 500;

    /// <summary>How often the coordinator looks at its batches and counts the results.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>This node's name, kept on the results it stores.</summary>
    public string Node => options.Value.Node;

    public int BatchSize => Math.Clamp(options.Value.RunBatchSize, 1, MaxBatchSize);

    private int Window => Math.Clamp(options.Value.RunBatchesInFlight, 1, 1000);

    public static JobKey KeyFor(int runId, int batch) => new($"run-{runId}-batch-{batch.ToString(CultureInfo.InvariantCulture)}", Group);

    /// <summary>Whether a run has more devices than one batch holds (fewer run on one node as before).</summary>
    public static bool Splits(int devices, int batchSize) => devices > batchSize;

    /// <summary>Why a run stays on one node although the cluster splits runs, or null when its devices are split into
    /// batches: a service on each device, or a workflow device by device (each batch runs the whole workflow for its
    /// devices, each device on its own path). What needs the whole run in one process stays there.</summary>
    public static string? KeptOnOneNode(Run run, Service service, IReadOnlyDictionary<int, Service> services)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(services);
        if (run.Rollout is not null)
        {
            return "a staged rollout runs its batches one after the other, judging each (failure threshold, approval) before the next";
        }
        if (run.RestartOfRunId is not null)
        {
            return "a restart from a node reuses the results of the run it restarts, loaded by the node that runs it";
        }
        if (service.Kind != ServiceHandlers.WorkflowKind)
        {
            return null;
        }
        if (service.Graph?.Mode == WorkflowMode.ServiceByService)
        {
            return "the workflow runs service by service: every device finishes a node before any moves on, a wait across all devices";
        }
        // The run's services: its own and those of the workflows it nests (ServiceGraph).
        foreach (var node in services.Values.Where(s => s.Kind != ServiceHandlers.WorkflowKind).OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            if (node.Kind == ApprovalHandler.KindName)
            {
                return $"its service '{node.Name}' is an approval gate: devices wait there for people (hours), their turns given back to the run's other devices on the same node";
            }
            if (node.TargetMode == TargetMode.Once)
            {
                return $"its service '{node.Name}' runs once for the whole run and every device shares its outcome: each node would run it again";
            }
            if (node.IterateDevices.Length > 0)
            {
                return $"its service '{node.Name}' iterates over derived devices, which devices of several batches may reach at once from different nodes";
            }
        }
        return null;
    }

    /// <summary>Runs <paramref name="devices"/> (those without an outcome yet) in batches across the cluster and waits
    /// for them, the run's execution slot given back meanwhile (its batches take slots of the nodes they run on).
    /// Cancelling <paramref name="ct"/> removes the batches not started; those started stop before their next device
    /// once the run's end is stored.</summary>
    /// <exception cref="InvalidOperationException">Batches ended with devices that have no outcome.</exception>
    public async Task RunAsync(RunScope scope, IReadOnlyCollection<Device> devices, int parallelism, Action progressed, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(progressed);
        var run = scope.Run;
        var left = devices.Select(d => d.Id).ToHashSet();
        // Batches are cut from the whole run in id order: a coordinator recovered on another node finds the same batch
        // keys, leaves those Quartz still holds (waiting, executing or to recover) and queues the others again.
        var batches = new Queue<(JobKey Key, int[] Ids)>(run.DeviceIds.Order().Chunk(BatchSize)
            .Select((ids, index) => (KeyFor(run.Id, index), ids.Where(left.Contains).ToArray()))
            .Where(b => b.Item2.Length > 0));
        scope.Log($"Run split into {batches.Count} batch(es) of up to {BatchSize} device(s) across the cluster, {Window} at a time (coordinator: {Node})");
        var scheduler = await schedulers.GetScheduler(ct);
        var inFlight = new List<JobKey>();
        try
        {
            await scope.WaitAsync("its batches on the cluster's nodes", null, inNode: false, async () =>
            {
                while (true)
                {
                    inFlight = await StillHeldAsync(scheduler, inFlight, ct);
                    while (inFlight.Count < Window && batches.TryDequeue(out var batch))
                    {
                        await QueueAsync(scheduler, run.Id, batch.Key, batch.Ids, parallelism, ct);
                        inFlight.Add(batch.Key);
                    }
                    var (done, failed, recovered) = await CountAsync(run.Id, ct);
                    scope.Continue(done, failed, recovered);
                    progressed();
                    if (inFlight.Count == 0)
                    {
                        return true;
                    }
                    await Task.Delay(PollInterval, time, ct);
                }
            }, ct);
        }
        catch (Exception e) when (ct.IsCancellationRequested)
        {
            // Cancelled (or the node stopping): Quartz and Npgsql may wrap the cancellation in their own exceptions.
            // The batches not started are removed; those started stop at their next device once the run's end is stored.
            try
            {
                foreach (var key in inFlight)
                {
                    await scheduler.DeleteJob(key, CancellationToken.None);
                }
            }
            catch (Exception cleanup) when (cleanup is not OperationCanceledException)
            {
                scope.Log($"Batches of the cancelled run could not all be removed from the queue (they stop on their own): {cleanup.Message}", "warning");
            }
            if (e is OperationCanceledException)
            {
                throw;
            }
            throw new OperationCanceledException(e.Message, e, ct);
        }
        var (total, _, _) = await CountAsync(run.Id, CancellationToken.None);
        if (total < run.DevicesTotal)
        {
            throw new InvalidOperationException($"{run.DevicesTotal - total} device(s) have no outcome although their batches ended (see the nodes' logs).");
        }
    }

    private static async Task<List<JobKey>> StillHeldAsync(IScheduler scheduler, List<JobKey> keys, CancellationToken ct)
    {
        var held = new List<JobKey>(keys.Count);
        foreach (var key in keys)
        {
            if (await scheduler.GetJobDetail(key, ct) is not null)
            {
                held.Add(key);
            }
        }
        return held;
    }

    /// <summary>Queues one batch, unless Quartz still holds its job (a recovered coordinator finding its batch in flight).</summary>
    private static async Task QueueAsync(IScheduler scheduler, int runId, JobKey key, int[] deviceIds, int parallelism, CancellationToken ct)
    {
        if (await scheduler.GetJobDetail(key, ct) is not null)
        {
            return;
        }
        var job = JobBuilder.Create<RunBatchJob>().WithIdentity(key)
            .UsingJobData(RunIdKey, runId.ToString(CultureInfo.InvariantCulture))
            .UsingJobData(DeviceIdsKey, string.Join(',', deviceIds.Select(id => id.ToString(CultureInfo.InvariantCulture))))
            .UsingJobData(ParallelismKey, parallelism.ToString(CultureInfo.InvariantCulture))
            .RequestRecovery().Build();
        var trigger = TriggerBuilder.Create().WithIdentity(key.Name, Group).ForJob(key).StartNow()
            .WithSimpleSchedule(x => x.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow)).Build();
        try
        {
            await scheduler.ScheduleJob(job, trigger, cancellationToken: ct);
        }
        catch (ObjectAlreadyExistsException)
        {
            // Queued meanwhile by another coordinator of the same run (one recovered while this one still ran).
        }
    }

    /// <summary>Queues a batch again whose node could not take it now or is stopping, a little later so that another
    /// node of the cluster may take it.</summary>
    internal static async Task RequeueAsync(IScheduler scheduler, JobKey key, TimeProvider time, CancellationToken ct)
    {
        var trigger = TriggerBuilder.Create().WithIdentity($"{key.Name}-again-{Guid.NewGuid():N}", Group).ForJob(key)
            .StartAt(time.GetUtcNow() + TimeSpan.FromSeconds(1))
            .WithSimpleSchedule(x => x.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow)).Build();
        await scheduler.ScheduleJob(trigger, cancellationToken: ct);
    }

    /// <summary>The run's devices with an outcome stored, how many of them failed, and how many workflow paths succeeded
    /// after a failed node (<see cref="RunExecutor.RecoveredOutcome"/>).</summary>
    private async Task<(int Done, int Failed, int Recovered)> CountAsync(int runId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var outcomes = await db.RunResults.Where(r => r.RunId == runId && r.Node == RunResult.RunLevel && r.DeviceId != null)
            .GroupBy(r => r.DeviceId)
            .Select(g => new { Failures = g.Count(r => !r.Success), Recovered = g.Any(r => r.Success && r.Output == RunExecutor.RecoveredOutcome) })
            .ToListAsync(ct);
        return (outcomes.Count, outcomes.Count(o => o.Failures > 0), outcomes.Count(o => o.Failures == 0 && o.Recovered));
    }

    public enum DeviceState
    {
        ToRun,
        Done,
        RunEnded,
    }

    /// <summary>What a batch does next with a device: the run's state and the device's outcome, in one query.</summary>
    internal static async Task<DeviceState> DeviceStateAsync(IDbContextFactory<EnmsDbContext> dbFactory, int runId, int deviceId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var state = await db.Runs.Where(r => r.Id == runId).Select(r => new
        {
            r.Status,
            Done = db.RunResults.Any(x => x.RunId == runId && x.Node == RunResult.RunLevel && x.DeviceId == deviceId),
        }).SingleOrDefaultAsync(ct);
        return state is null || state.Status != RunStatus.Running ? DeviceState.RunEnded
            : state.Done ? DeviceState.Done : DeviceState.ToRun;
    }
}
