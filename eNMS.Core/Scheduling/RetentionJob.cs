using eNMS.Core.Automation;
using Microsoft.Extensions.Logging;
using Quartz;

namespace eNMS.Core.Scheduling;

/// <summary>The nightly purge of expired runs (<see cref="RunRetention"/>): one node of a cluster runs it at a time,
/// and a missed fire (the app was down) waits for the next one rather than running at startup.</summary>
[DisallowConcurrentExecution]
public sealed class RetentionJob(RunRetention retention, ILogger<RetentionJob> logger) : IJob
{
    public static readonly JobKey Key = new("retention", "maintenance");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (!retention.Policy.Enabled)
        {
            return;
        }
        try
        {
            await retention.PurgeAsync(actor: null, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Tomorrow's fire tries again; what was purged before the failure stays purged (batches commit one by one).
            logger.LogError(e, "The retention purge failed");
        }
    }
}
