using System.Globalization;
using eNMS.Core.Automation.Execution;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace eNMS.Core.Scheduling;

/// <summary>Executes one run on whichever node Quartz gives it to. It requests recovery: when its node dies, another
/// node runs it again with <c>Recovering</c> set, and the executor then finishes only the devices not done.</summary>
public sealed class ExecuteRunJob(RunExecutor executor, RunDispatcher dispatcher, IHostApplicationLifetime lifetime,
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
            await executor.ExecuteAsync(runId, cancel.Token, lifetime.ApplicationStopping, context.Recovering);
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
}
