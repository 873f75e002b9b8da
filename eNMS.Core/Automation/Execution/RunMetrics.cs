using System.Diagnostics.Metrics;
using eNMS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Automation.Execution;

/// <summary>
/// What the automation engine has done since this node started (runs started, runs finished by status, results
/// written) and how many runs wait for a slot. Exported as Prometheus metrics by the web layer.
/// </summary>
public sealed class RunMetrics
{
    public const string MeterName = "eNMS.Automation";

    private readonly IDbContextFactory<EnmsDbContext> _dbFactory;
    private readonly Counter<long> _started;
    private readonly Counter<long> _finished;
    private readonly Counter<long> _results;
    private long _queued;

    public RunMetrics(IMeterFactory meters, IDbContextFactory<EnmsDbContext> dbFactory)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _dbFactory = dbFactory;
        var meter = meters.Create(MeterName);
        _started = meter.CreateCounter<long>("enms.runs.started", "{run}", "Runs this node started executing, by trigger");
        _finished = meter.CreateCounter<long>("enms.runs.finished", "{run}", "Runs this node finished, by status");
        _results = meter.CreateCounter<long>("enms.run.results.written", "{result}", "Per-node results of runs stored in the database");
        meter.CreateObservableGauge("enms.runs.queued", () => Interlocked.Read(ref _queued), "{run}",
            "Runs waiting for an execution slot (pending in the database, for the whole cluster)");
    }

    public void Started(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        _started.Add(1, new KeyValuePair<string, object?>("trigger", run.Trigger));
    }

    public void Finished(RunStatus status) =>
        _finished.Add(1, new KeyValuePair<string, object?>("status", status.ToString().ToLowerInvariant()));

    public void ResultsWritten(int count)
    {
        if (count > 0)
        {
            _results.Add(count);
        }
    }

    /// <summary>Reads the queue length from the database, where the cluster's queue is. Called before each scrape
    /// rather than by the gauge's callback: a callback is synchronous, and a query there would block a thread.</summary>
    public async Task RefreshQueueAsync(CancellationToken ct)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        Interlocked.Exchange(ref _queued, await db.Runs.LongCountAsync(r => r.Status == RunStatus.Pending, ct));
    }
}
