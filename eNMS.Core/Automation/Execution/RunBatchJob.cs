using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using SchedulingOptions = eNMS.Core.Scheduling.SchedulingOptions;

namespace eNMS.Core.Automation.Execution;

/// <summary>Executes one batch of a run split across the cluster (<see cref="ClusterBatches"/>) on whichever node Quartz
/// gives it to. It requests recovery: when its node dies, another node fires it again and it skips the devices done.</summary>
public sealed class RunBatchJob(RunExecutor executor, RunSlots slots, IHostApplicationLifetime lifetime, TimeProvider time,
    IOptions<SchedulingOptions> options, ILogger<RunBatchJob> logger) : IJob
{
    /// <summary>How long a batch waits for a slot of this node before it goes back to the queue for any node.</summary>
    public static readonly TimeSpan LocalWait = TimeSpan.FromMilliseconds(500);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var data = context.MergedJobDataMap;
        var runId = int.Parse(data.GetString(ClusterBatches.RunIdKey)!, CultureInfo.InvariantCulture);
        var deviceIds = data.GetString(ClusterBatches.DeviceIdsKey)!.Split(',').Select(id => int.Parse(id, CultureInfo.InvariantCulture)).ToList();
        var parallelism = int.Parse(data.GetString(ClusterBatches.ParallelismKey)!, CultureInfo.InvariantCulture);
        var key = context.JobDetail.Key;
        try
        {
            using var slot = await slots.TakeAsync(LocalWait, lifetime.ApplicationStopping);
            if (slot is null)
            {
                await ClusterBatches.RequeueAsync(context.Scheduler, key, time, cancellationToken);
                return;
            }
            logger.LogInformation("Run {RunId} {Batch} of {Count} device(s) executing on node {Node}{Recovery}", runId, key.Name, deviceIds.Count,
                options.Value.Node, context.Recovering ? " (recovered from a node that stopped answering)" : "");
            var through = false;
            try
            {
                through = await executor.ExecuteBatchAsync(runId, deviceIds, parallelism, slot, lifetime.ApplicationStopping);
            }
            finally
            {
                logger.LogInformation("Run {RunId} {Batch} ended on node {Node}{Left}", runId, key.Name, options.Value.Node, through ? "" : " with devices left");
            }
            if (!through)
            {
                // This node is stopping with devices of the batch left: another node takes it (it skips those done).
                await ClusterBatches.RequeueAsync(context.Scheduler, key, time, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            await ClusterBatches.RequeueAsync(context.Scheduler, key, time, CancellationToken.None);
        }
        catch (Exception e)
        {
            // Not rethrown: Quartz would only log it again; the coordinator fails the run for the devices left without an outcome.
            logger.LogError(e, "Run {RunId} {Batch} could not be executed", runId, key.Name);
        }
    }
}
