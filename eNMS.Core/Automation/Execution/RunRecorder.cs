using System.Threading.Channels;
using eNMS.Core.Data;
using eNMS.Core.Inventory;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Automation.Execution;

/// <summary>
/// Persists a run's results and log lines in batches from one background writer, so a thousand devices finishing
/// at once cost a few inserts rather than a thousand transactions; and publishes each to the notifier at once.
/// </summary>
public sealed class RunRecorder : IAsyncDisposable
{
    private readonly Channel<object> _pending = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IDbContextFactory<EnmsDbContext> _dbFactory;
    private readonly RunNotifier _notifier;
    private readonly RunMetrics _metrics;
    private readonly Task _writer;

    public RunRecorder(IDbContextFactory<EnmsDbContext> dbFactory, RunNotifier notifier, RunMetrics metrics)
    {
        _dbFactory = dbFactory;
        _notifier = notifier;
        _metrics = metrics;
        _writer = Task.Run(WriteAsync);
    }

    public void Add(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _pending.Writer.TryWrite(result);
        _notifier.Publish(new ResultRecorded(result.RunId, result));
    }

    /// <summary>Not persisted: the result recorded when the node ends is what lasts; watchers see the start.</summary>
    public void Started(int runId, string node, Device? device) =>
        _notifier.Publish(new NodeStarted(runId, node, device?.Id, device?.Name ?? ""));

    /// <summary>Not persisted either: the transfer's result says how it ended.</summary>
    public void Publish(TransferProgressed progress) => _notifier.Publish(progress);

    public void Add(RunLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        _pending.Writer.TryWrite(entry);
        _notifier.Publish(new RunLogged(entry.RunId, entry));
    }

    /// <summary>Waits until everything added so far is written.</summary>
    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _writer;
    }

    private async Task WriteAsync()
    {
        var batch = new List<object>();
        while (await _pending.Reader.WaitToReadAsync())
        {
            while (batch.Count < 2000 && _pending.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }
            // Not cancellable: what a run did must be recorded even while the app stops.
            await using var db = await _dbFactory.CreateDbContextAsync();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var results = batch.OfType<RunResult>().ToList();
            await BulkInsert.AppendAsync(db, results, CancellationToken.None);
            await BulkInsert.AppendAsync(db, batch.OfType<RunLogEntry>().ToList(), CancellationToken.None);
            await transaction.CommitAsync();
            _metrics.ResultsWritten(results.Count);
            batch.Clear();
        }
    }
}
