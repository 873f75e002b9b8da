using System.Diagnostics;
using eNMS.Core.Automation;
using eNMS.Core.Data;
using eNMS.Core.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace eNMS.Bench;

/// <summary>
/// A year of runs: the dashboard's, the runs list's, the run page's, the API's and the search's queries (the very
/// methods the pages call) on a database holding a year of runs (365 days × 200 runs with their results) and a run with
/// 100,000 results, against the same queries on an empty database. Per query: the first execution on each (the empty
/// one first, so it also pays JIT and EF's query compilation: the year's first is what cold data adds) and the median of
/// <c>--repeat</c> after 5 warm-up rounds, with the ratio year ÷ empty.
/// </summary>
public static class HistoryBench
{
    private const int Warmup = 5;

    /// <summary>What a query needs to know of the database it runs on.</summary>
    private sealed record Target(IDbContextFactory<EnmsDbContext> Db, GlobalSearch Search, int BigRun, int Device, DateTimeOffset Now);

    private static readonly (string Name, Func<Target, CancellationToken, Task<int>> Query)[] Cases =
    [
        ("dashboard: active, recent, 2,000-run window, failing devices", async (t, ct) =>
        {
            await using var db = await t.Db.CreateDbContextAsync(ct);
            var window = await RunHistory.WindowAsync(db, ct);
            return (await RunHistory.ActiveAsync(db, ct)).Count + (await RunHistory.RecentAsync(db, 10, ct)).Count + window.Count
                + (await RunHistory.FailingDevicesAsync(db, window.Count == 0 ? 0 : window[^1].Id, 8, ct)).Count;
        }),
        ("runs list: newest 200", (t, ct) => RunsAsync(t, new RunFilter(), ct)),
        ("runs list: one service", (t, ct) => RunsAsync(t, new RunFilter(ServiceId: 5), ct)),
        ("runs list: cancelled", (t, ct) => RunsAsync(t, new RunFilter(Status: RunStatus.Cancelled), ct)),
        ("runs list: one user", (t, ct) => RunsAsync(t, new RunFilter(User: HistorySeed.UserName(3)), ct)),
        ("runs list: one day, 200 days ago", (t, ct) => RunsAsync(t, new RunFilter(From: t.Now.AddDays(-200), To: t.Now.AddDays(-199)), ct)),
        ("device history: runs on one device", (t, ct) => RunsAsync(t, new RunFilter(DeviceId: t.Device), ct)),
        ("run page: results, first 50", (t, ct) => ResultsAsync(t, new ResultFilter(), 0, ct)),
        ("run page: results, 50 at row 100,000", (t, ct) => ResultsAsync(t, new ResultFilter(), 100_000, ct)),
        ("run page: results of devices 'big-0400'", (t, ct) => ResultsAsync(t, new ResultFilter(Device: "big-0400"), 0, ct)),
        ("run page: failed results", (t, ct) => ResultsAsync(t, new ResultFilter(Outcome: ResultOutcome.Failed), 0, ct)),
        ("run page: matrix summary", async (t, ct) =>
        {
            await using var db = await t.Db.CreateDbContextAsync(ct);
            return (await RunMatrix.SummaryAsync(db, t.BigRun, ct))?.Devices ?? 0;
        }),
        ("run page: matrix, 50 devices failed at n5", async (t, ct) =>
        {
            await using var db = await t.Db.CreateDbContextAsync(ct);
            return (await RunMatrix.PageAsync(db, t.BigRun, new MatrixQuery("n5", MatrixOutcome.Failed), ct))?.Rows.Count ?? 0;
        }),
        ("run page: latest 2,000 log lines", async (t, ct) =>
        {
            await using var db = await t.Db.CreateDbContextAsync(ct);
            return await db.RunLogs.AsNoTracking().Where(l => l.RunId == t.BigRun).OrderByDescending(l => l.Id).Take(2_000).CountAsync(ct);
        }),
        ("API: results, last page of 1,000 by key", async (t, ct) =>
        {
            await using var db = await t.Db.CreateDbContextAsync(ct);
            var last = await db.RunResults.Where(r => r.RunId == t.BigRun).OrderByDescending(r => r.Id).Select(r => r.Id).FirstOrDefaultAsync(ct);
            return (await RunResultList.After(db, t.BigRun, Math.Max(0, last - 1_000), null, null, 1_000).ToListAsync(ct)).Count;
        }),
        ("search: 'history service 7'", async (t, ct) => (await t.Search.SearchAsync("history service 7", null, false, ct)).Hits.Count),
    ];

    private static async Task<int> RunsAsync(Target t, RunFilter filter, CancellationToken ct)
    {
        await using var db = await t.Db.CreateDbContextAsync(ct);
        return await filter.Page(db, 200).CountAsync(ct);
    }

    private static async Task<int> ResultsAsync(Target t, ResultFilter filter, int skip, CancellationToken ct)
    {
        await using var db = await t.Db.CreateDbContextAsync(ct);
        return (await RunResultList.PageAsync(db, t.BigRun, filter, skip, 50, ct)).Rows.Count;
    }

    public static async Task RunAsync(Options options, CancellationToken ct)
    {
        var (days, perDay, bigDevices, nodes, repeat) = (options.Number("days", 365), options.Number("runs-per-day", 200),
            options.Number("big-devices", 5_000), options.Number("nodes", 20), options.Number("repeat", 20));
        var data = options.Required("data");
        var now = TimeProvider.System.GetUtcNow();
        using var emptyHost = await OpenAsync(options, Path.Combine(data, "empty"), ct);
        using var yearHost = await OpenAsync(options, Path.Combine(data, "year"), ct);
        var yearDb = yearHost.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>();
        var seeded = Stopwatch.GetTimestamp();
        int bigRun, device;
        await using (var db = await yearDb.CreateDbContextAsync(ct))
        {
            device = (await HistorySeed.YearAsync(db, now, days, perDay, 500, ct))[1];
            bigRun = await HistorySeed.BigRunAsync(db, now, bigDevices, nodes, ct);
            db.RunLogs.AddRange(Enumerable.Range(0, 3_000).Select(i => new RunLogEntry { RunId = bigRun, Time = now, Message = $"line {i}" }));
            await db.SaveChangesAsync(ct);
        }
        int runs, results;
        await using (var db = await yearDb.CreateDbContextAsync(ct))
        {
            (runs, results) = (await db.Runs.CountAsync(ct), await db.RunResults.CountAsync(ct));
        }
        Console.Error.WriteLine($"history: {runs:N0} runs, {results:N0} results seeded in {Stopwatch.GetElapsedTime(seeded).TotalSeconds:0.0} s");
        var empty = For(emptyHost, 1, 1, now);
        var year = For(yearHost, bigRun, device, now);
        foreach (var (name, query) in Cases)
        {
            var (emptyFirst, _) = await TimeAsync(query, empty, ct);
            var (yearFirst, rows) = await TimeAsync(query, year, ct);
            var (emptySteady, yearSteady) = (new List<double>(), new List<double>());
            for (var i = 0; i < repeat + Warmup; i++)
            {
                var (e, _) = await TimeAsync(query, empty, ct);
                var (y, _) = await TimeAsync(query, year, ct);
                if (i >= Warmup)
                {
                    emptySteady.Add(e);
                    yearSteady.Add(y);
                }
            }
            var (es, ys) = (Measure.Median(emptySteady), Measure.Median(yearSteady));
            Measure.Report("history", ("case", name), ("runs", runs), ("results", results), ("rows", rows), ("empty_first_ms", emptyFirst),
                ("year_first_ms", yearFirst), ("empty_ms", es), ("year_ms", ys), ("ratio", ys / Math.Max(es, 0.001)));
        }
    }

    private static async Task<IHost> OpenAsync(Options options, string directory, CancellationToken ct)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
        var host = BenchHost.Build(Options.Parse(["--data", directory, "--provider", options.Text("provider", "Sqlite"), "--connection", options.Text("connection", "")]));
        await host.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync(ct);
        return host;
    }

    private static Target For(IHost host, int bigRun, int device, DateTimeOffset now) =>
        new(host.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>(), host.Services.GetRequiredService<GlobalSearch>(), bigRun, device, now);

    private static async Task<(double Ms, int Rows)> TimeAsync(Func<Target, CancellationToken, Task<int>> query, Target target, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var rows = await query(target, ct);
        return (Stopwatch.GetElapsedTime(started).TotalMilliseconds, rows);
    }
}
