using System.Globalization;
using eNMS.Core.Automation.Execution;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace eNMS.Core.Scheduling;

/// <summary>Executes one run on whichever node Quartz gives it to. It requests recovery: when its node dies, another
/// node runs it again with <c>Recovering</c> set, and the executor then finishes only the devices not done.</summary>
public sealed class ExecuteRunJob(RunExecutor executor, RunDispatcher dispatcher, RunSlots slots, IHostApplicationLifetime lifetime,
    IOptions<SchedulingOptions> options, ILogger<ExecuteRunJob> logger) : IJob
{
    public const string Group = "runs";
    public const string RunIdKey = "runId";

    public static JobKey KeyFor(int runId) => new($"run-{runId}", Group);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var runId = int.Parse(context.MergedJobDataMap.GetString(RunIdKey)!, CultureInfo.InvariantCulture);
        logger.LogInformation("Run {RunId} executing on node {Node}{Recovery}", runId, options.Value.Node,
            context.Recovering ? " (recovered from a node that stopped answering)" : "");
        var cancel = dispatcher.Track(runId);
        try
        {
            using var slot = await TakeSlotAsync(runId, context.Recovering, cancel.Token, cancellationToken);
            if (slot is null)
            {
                return;
            }
            await executor.ExecuteAsync(runId, slot, cancel.Token, lifetime.ApplicationStopping, context.Recovering);
        }
        catch (Exception e)
        {
            // Not rethrown: Quartz would only log it again, and the run already records its own failure.
            logger.LogError(e, "Run {RunId} could not be executed", runId);
        }
        finally
        {
            dispatcher.Untrack(runId);
        }
    }

    /// <summary>A slot of this node for the run; null when the node stays busy (the run goes back to the queue, still
    /// Pending, where another node of a cluster may take it) or is stopping (the run is queued again at the next start).
    /// A run recovered from a dead node was running already: it waits here for its slot.</summary>
    private async Task<RunSlot?> TakeSlotAsync(int runId, bool recovering, CancellationToken cancel, CancellationToken ct)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancel, lifetime.ApplicationStopping);
        try
        {
            while (true)
            {
                if (await slots.TakeAsync(waiting.Token) is { } slot)
                {
                    return slot;
                }
                if (!recovering)
                {
                    await dispatcher.RequeueAsync(runId, ct);
                    return null;
                }
            }
        }
        catch (OperationCanceledException) when (!lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // Cancelled while it waited: executed at once (it works on nothing) so that it ends Cancelled as any run.
            return RunSlot.Unbounded();
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }
}
