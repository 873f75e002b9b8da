using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace eNMS.Core.Settings;

/// <summary>Re-reads the stored settings every <see cref="Interval"/>, so that a change made on another node of a
/// cluster (same database) is applied here within seconds. A failed read (database away) is logged and retried.</summary>
public sealed class RuntimeSettingsRefresher(RuntimeSettings settings, TimeProvider time, ILogger<RuntimeSettingsRefresher> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await settings.ReloadAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "The stored settings could not be read; retrying in {Interval}", Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
