using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace eNMS.Core.Automation.Execution;

/// <summary>Runs waiting to execute on this node, and the cancellation of those executing.</summary>
public sealed class RunDispatcher
{
    private readonly Channel<int> _queued = Channel.CreateUnbounded<int>();
    private readonly ConcurrentDictionary<int, CancellationTokenSource> _active = new();

    public void Enqueue(int runId) => _queued.Writer.TryWrite(runId);

    internal ChannelReader<int> Reader => _queued.Reader;

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

/// <summary>Executes queued runs in the background, a bounded number at a time. Runs keep going when the browser
/// that started them closes; when the app stops they end as Interrupted and can be resumed.</summary>
public sealed class RunWorker(RunDispatcher queue, IServiceProvider services, IOptions<AutomationOptions> options, ILogger<RunWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var slots = new SemaphoreSlim(Math.Max(1, options.Value.MaxConcurrentRuns));
        var running = new List<Task>();
        try
        {
            await foreach (var runId in queue.Reader.ReadAllAsync(stoppingToken))
            {
                await slots.WaitAsync(stoppingToken);
                running.RemoveAll(t => t.IsCompleted);
                running.Add(Task.Run(async () =>
                {
                    var cancel = queue.Track(runId);
                    try
                    {
                        await services.GetRequiredService<RunExecutor>().ExecuteAsync(runId, cancel.Token, stoppingToken);
                    }
                    catch (Exception e)
                    {
                        logger.LogError(e, "Run {RunId} could not be executed", runId);
                    }
                    finally
                    {
                        queue.Untrack(runId);
                        slots.Release();
                    }
                }, CancellationToken.None));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: let executing runs record that they were interrupted.
        }
        await Task.WhenAll(running);
    }
}
