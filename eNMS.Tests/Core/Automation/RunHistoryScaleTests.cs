using System.Text.RegularExpressions;
using eNMS.Bench;
using eNMS.Core.Automation;
using eNMS.Core.Data;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace eNMS.Tests.Core.Automation;

/// <summary>
/// A year of runs (365 days × 200 runs, each on two of 500 devices, with their results) and one workflow run with
/// 104,250 results (5,000 devices × 20 nodes), seeded once as the engine writes them (issue 23).
/// </summary>
public sealed class SeededHistory : IAsyncLifetime
{
    public const int Days = 365;
    public const int RunsPerDay = 200;
    public const int Devices = 500;
    public const int BigDevices = 5_000;
    public const int BigNodes = 20;
    public static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    public QueryRecorder Recorder { get; } = new();
    public TestDatabase Database { get; }
    public List<int> DeviceIds { get; private set; } = [];
    public int BigRunId { get; private set; }

    public SeededHistory() => Database = new TestDatabase(Recorder);

    public async Task InitializeAsync()
    {
        await using var db = Database.CreateDbContext();
        DeviceIds = await HistorySeed.YearAsync(db, Now, Days, RunsPerDay, Devices, default);
        BigRunId = await HistorySeed.BigRunAsync(db, Now, BigDevices, BigNodes, default);
        db.RunLogs.AddRange(Enumerable.Range(0, 3_000).Select(i => new RunLogEntry { RunId = BigRunId, Time = Now, Message = $"line {i}" }));
        // No ANALYZE: the plans are the ones SQLite makes without statistics, as the app's database has them.
        await db.SaveChangesAsync();
    }

    public Task DisposeAsync()
    {
        Database.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>
/// The queries of the runs list, a device's history, the dashboard and the run page on a year of runs and a run with
/// 100,000 results: the rows each returns, and the plan SQLite makes of every statement they send — through an index,
/// no whole-table scan of the runs or results, no sort of a whole run.
/// </summary>
public sealed class RunHistoryScaleTests(SeededHistory history, ITestOutputHelper output) : IClassFixture<SeededHistory>
{
    /// <summary>A plan line reading a whole table: "SCAN r" (an index is named after "USING").</summary>
    private static readonly Regex TableScan = new(@"^SCAN (\w+)$", RegexOptions.Multiline);

    /// <summary>Runs <paramref name="work"/> while recording; returns its result and each statement's plan.</summary>
    private async Task<(T Result, List<(string Sql, string Plan)> Plans)> PlannedAsync<T>(Func<EnmsDbContext, Task<T>> work)
    {
        await using var db = history.Database.CreateDbContext();
        history.Recorder.Take();
        history.Recorder.Recording = true;
        T result;
        try
        {
            result = await work(db);
        }
        finally
        {
            history.Recorder.Recording = false;
        }
        var plans = new List<(string, string)>();
        foreach (var command in history.Recorder.Take())
        {
            var plan = await command.PlanAsync(db.Database.GetDbConnection());
            output.WriteLine($"{command.Sql}\n--> {plan.Replace("\n", " | ", StringComparison.Ordinal)}\n");
            plans.Add((command.Sql, plan));
        }
        Assert.NotEmpty(plans);
        return (result, plans);
    }

    /// <summary>Every statement reads through an index (each named one is used by some statement), none scans a table.</summary>
    private static void AssertIndexed(List<(string Sql, string Plan)> plans, params string[] indexes)
    {
        foreach (var (sql, plan) in plans)
        {
            Assert.False(TableScan.IsMatch(plan), $"A table scan:\n{plan}\nfor\n{sql}");
            Assert.Contains("USING", plan, StringComparison.Ordinal);
        }
        var all = string.Join('\n', plans.Select(p => p.Plan));
        foreach (var index in indexes)
        {
            Assert.Contains(index, all, StringComparison.Ordinal);
        }
    }

    private async Task<List<(int Id, int ServiceId, RunStatus Status, string CreatedBy, DateTimeOffset CreatedAt, List<int> DeviceIds)>> AllRunsAsync()
    {
        await using var db = history.Database.CreateDbContext();
        return (await db.Runs.AsNoTracking().Select(r => new { r.Id, r.ServiceId, r.Status, r.CreatedBy, r.CreatedAt, r.DeviceIds }).ToListAsync())
            .Select(r => (r.Id, r.ServiceId, r.Status, r.CreatedBy, r.CreatedAt, r.DeviceIds)).ToList();
    }

    [Fact]
    public async Task The_runs_list_filters_a_year_of_runs_through_an_index_and_lists_the_right_runs()
    {
        var all = await AllRunsAsync();
        Assert.True(all.Count > SeededHistory.Days * SeededHistory.RunsPerDay);
        var service = all[123].ServiceId;
        var user = HistorySeed.UserName(3);
        var (from, to) = (SeededHistory.Now.AddDays(-200), SeededHistory.Now.AddDays(-199));
        var cases = new (RunFilter Filter, Func<(int Id, int ServiceId, RunStatus Status, string CreatedBy, DateTimeOffset CreatedAt, List<int> DeviceIds), bool> Expected, string Index)[]
        {
            (new RunFilter(ServiceId: service), r => r.ServiceId == service, "IX_Runs_ServiceId_Id"),
            (new RunFilter(Status: RunStatus.Cancelled), r => r.Status == RunStatus.Cancelled, "IX_Runs_Status_Id"),
            (new RunFilter(User: user), r => r.CreatedBy == user, "IX_Runs_CreatedBy_Id"),
            (new RunFilter(From: from, To: to), r => r.CreatedAt >= from && r.CreatedAt < to, "IX_Runs_CreatedAtUnixMs"),
            (new RunFilter(ServiceId: service, Status: RunStatus.Failed), r => r.ServiceId == service && r.Status == RunStatus.Failed, "IX_Runs_"),
        };
        foreach (var (filter, expected, index) in cases)
        {
            var (runs, plans) = await PlannedAsync(db => filter.Page(db, 100).Select(r => r.Id).ToListAsync());

            Assert.Equal(all.Where(expected).Select(r => r.Id).OrderDescending().Take(100), runs);
            AssertIndexed(plans, index);
        }
    }

    [Fact]
    public async Task A_devices_run_history_is_read_from_its_results_and_keeps_the_runs_that_stopped_before_it()
    {
        var all = await AllRunsAsync();
        // The second device of a cancelled run: that run recorded no result on it.
        var device = all.First(r => r.Status == RunStatus.Cancelled).DeviceIds[1];

        var (runs, plans) = await PlannedAsync(db => new RunFilter(DeviceId: device).Page(db, RunFilter.MaxTake).Select(r => r.Id).ToListAsync());

        var expected = all.Where(r => r.DeviceIds.Contains(device)).Select(r => r.Id).OrderDescending().Take(RunFilter.MaxTake).ToList();
        Assert.Equal(expected, runs);
        // Cancelled runs record no result on their second device: found by their targets.
        Assert.Contains(all.Where(r => r.Status == RunStatus.Cancelled && r.DeviceIds[1] == device), r => runs.Contains(r.Id));
        AssertIndexed(plans, "IX_RunResults_DeviceId_RunId", "IX_Runs_Status_Id");
    }

    [Fact]
    public async Task The_dashboard_reads_a_year_through_indexes_and_bounded_pages()
    {
        var all = await AllRunsAsync();

        var (active, activePlans) = await PlannedAsync(db => RunHistory.ActiveAsync(db, default));
        var (recent, recentPlans) = await PlannedAsync(db => RunHistory.RecentAsync(db, 10, default));
        var (window, windowPlans) = await PlannedAsync(db => RunHistory.WindowAsync(db, default));
        var (failing, failingPlans) = await PlannedAsync(db => RunHistory.FailingDevicesAsync(db, window[^1].Id, 8, default));

        Assert.Empty(active);
        AssertIndexed(activePlans, "IX_Runs_Status_Id");
        Assert.Equal(all.Select(r => r.Id).OrderDescending().Take(10), recent.Select(r => r.Id));
        Assert.Equal(all.Select(r => r.Id).OrderDescending().Take(RunHistory.RecentRunWindow), window.Select(r => r.Id));
        // Newest first by the primary key, stopping after the page: the only "scan" is of the page's rows.
        foreach (var plan in recentPlans.Concat(windowPlans).Select(p => p.Plan))
        {
            Assert.Equal("SCAN r", plan.Split('\n')[0]);
            Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal);
        }
        Assert.Equal(8, failing.Count);
        Assert.True(failing[0].Failures >= failing[^1].Failures);
        AssertIndexed(failingPlans, "IX_RunResults_RunId_Id (RunId>?)");
    }

    [Fact]
    public async Task The_run_page_lists_filters_and_pages_100000_results_through_the_runs_index()
    {
        var run = history.BigRunId;
        await using (var db = history.Database.CreateDbContext())
        {
            Assert.True(await db.RunResults.CountAsync(r => r.RunId == run) >= 100_000);
        }
        var cases = new (ResultFilter Filter, int Total)[]
        {
            (new ResultFilter(), 104_250),
            (new ResultFilter(Outcome: ResultOutcome.Failed), 100),
            (new ResultFilter(Outcome: ResultOutcome.Skipped), 5),
            (new ResultFilter(Node: "n5", Outcome: ResultOutcome.Failed), 50),
            (new ResultFilter(Device: "big-0400"), 9 * 21 + 6),
            (new ResultFilter(Device: "BIG-04007", Node: "big step 5"), 1),
        };
        foreach (var (filter, total) in cases)
        {
            var skip = Math.Max(0, total - 30);
            var ((rows, count), plans) = await PlannedAsync(db => RunResultList.PageAsync(db, run, filter, skip, 50, default));

            Assert.Equal(total, count);
            Assert.Equal(total - skip, rows.Count);
            Assert.All(rows, r => Assert.True(filter.Matches(r), $"{r.DeviceName} {r.Node} does not match"));
            Assert.Equal(rows.Select(r => r.Id).Order(), rows.Select(r => r.Id));
            AssertIndexed(plans, "IX_RunResults_RunId_Id");
            Assert.DoesNotContain(plans, p => p.Plan.Contains("TEMP B-TREE", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task The_run_pages_matrix_summary_and_log_read_the_big_run_through_indexes()
    {
        var run = history.BigRunId;

        var (summary, summaryPlans) = await PlannedAsync(db => RunMatrix.SummaryAsync(db, run, default));
        var (page, pagePlans) = await PlannedAsync(db => RunMatrix.PageAsync(db, run, new MatrixQuery("n5", MatrixOutcome.Failed, Take: 20), default));
        var (log, logPlans) = await PlannedAsync(db => db.RunLogs.AsNoTracking().Where(l => l.RunId == run).OrderByDescending(l => l.Id).Take(2_000).ToListAsync());

        Assert.Equal(SeededHistory.BigDevices, summary!.Devices);
        Assert.Equal((4_950, 50), (summary.Run.Succeeded, summary.Run.Failed));
        Assert.Equal(50, page!.Total);
        Assert.Equal(20, page.Rows.Count);
        Assert.All(page.Rows, r => Assert.Equal(MatrixOutcome.Failed, r.Cells["n5"].Outcome));
        Assert.Equal(2_000, log.Count);
        AssertIndexed(summaryPlans.Where(p => p.Sql.Contains("RunResults", StringComparison.Ordinal)).ToList(), "IX_RunResults_RunId_Node_DeviceId_Id");
        AssertIndexed(pagePlans.Where(p => p.Sql.Contains("RunResults", StringComparison.Ordinal)).ToList(), "IX_RunResults_RunId_Node_DeviceId_Id");
        AssertIndexed(logPlans, "IX_RunLogs_RunId_Id");
        Assert.DoesNotContain(logPlans, p => p.Plan.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_apis_results_pages_through_a_100000_result_run_by_key_each_page_through_the_index()
    {
        var run = history.BigRunId;
        var ids = new List<long>();
        var plans = new List<(string Sql, string Plan)>();
        for (var pages = 0; pages < 100; pages++)
        {
            var after = ids.Count == 0 ? 0 : ids[^1];
            var (page, planned) = await PlannedAsync(db => RunResultList.After(db, run, after, null, null, 5_000).Select(r => r.Id).ToListAsync());
            ids.AddRange(page);
            plans.AddRange(planned);
            if (page.Count < 5_000)
            {
                break;
            }
        }
        var (oneDevice, devicePlans) = await PlannedAsync(db => RunResultList.After(db, run, 0, "n5", null, 100).ToListAsync());

        Assert.Equal(104_250, ids.Count);
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        AssertIndexed(plans, "IX_RunResults_RunId_Id (RunId=? AND Id>?)");
        Assert.DoesNotContain(plans, p => p.Plan.Contains("TEMP B-TREE", StringComparison.Ordinal));
        Assert.Equal(100, oneDevice.Count);
        Assert.All(oneDevice, r => Assert.Equal("n5", r.Node));
        AssertIndexed(devicePlans, "IX_RunResults_");
    }
}

/// <summary>
/// The retention purge on a year of runs (and a 100,000-result run from before it) down to 30 days: only the
/// expired runs go, with their results and logs, in statements of bounded size, and the purge is audited.
/// </summary>
public sealed class RunRetentionOnAYearTests : IDisposable
{
    private readonly QueryRecorder _recorder = new();
    private readonly TestDatabase _database;

    public RunRetentionOnAYearTests() => _database = new TestDatabase(_recorder);

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task A_year_is_purged_down_to_30_days_in_bounded_statements_and_audited()
    {
        var now = SeededHistory.Now;
        int bigRun;
        await using (var db = _database.CreateDbContext())
        {
            // Ids grow with creation time, as the app creates runs: the big run first, before the year.
            bigRun = await HistorySeed.BigRunAsync(db, now.AddDays(-400), SeededHistory.BigDevices, SeededHistory.BigNodes, default);
            await HistorySeed.YearAsync(db, now, SeededHistory.Days, SeededHistory.RunsPerDay, SeededHistory.Devices, default);
            db.RunLogs.AddRange(Enumerable.Range(0, 500).Select(i => new RunLogEntry { RunId = bigRun, Time = now, Message = $"line {i}" }));
            await db.SaveChangesAsync();
        }
        int keptRuns, keptResults, expiredResults;
        await using (var db = _database.CreateDbContext())
        {
            var runs = await db.Runs.Select(r => new { r.Id, r.EndedAt }).ToListAsync();
            var kept = runs.Where(r => r.EndedAt >= now.AddDays(-30)).Select(r => r.Id).ToHashSet();
            keptRuns = kept.Count;
            var resultRuns = await db.RunResults.Select(r => r.RunId).ToListAsync();
            keptResults = resultRuns.Count(kept.Contains);
            expiredResults = resultRuns.Count - keptResults;
        }
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(now);
        var retention = new RunRetention(_database, new StaticOptionsMonitor<RetentionOptions>(new RetentionOptions { RunDays = 30 }),
            new eNMS.Core.Security.AuditLog(_database, time), time, Microsoft.Extensions.Logging.Abstractions.NullLogger<RunRetention>.Instance);

        _recorder.Recording = true;
        var report = await retention.PurgeAsync(new eNMS.Core.Security.AuditActor("admin", "127.0.0.1"), default);
        _recorder.Recording = false;

        Assert.Equal(expiredResults, report.Results);
        Assert.Equal(500, report.Logs);
        await using (var db = _database.CreateDbContext())
        {
            Assert.Equal(keptRuns, await db.Runs.CountAsync());
            Assert.Equal(keptResults, await db.RunResults.CountAsync());
            Assert.False(await db.Runs.AnyAsync(r => r.Id == bigRun));
            Assert.Equal(0, await db.RunLogs.CountAsync());
            var entry = Assert.Single(await db.AuditEntries.ToListAsync());
            Assert.Equal(("admin", "retention purge", $"{report.Runs} runs"), (entry.User, entry.Action, entry.TargetName));
        }
        // Never one giant DELETE: each statement removes at most a chunk of results or a batch of runs; and no statement
        // of the purge reads a whole table (the runs are read by their primary key, the results by run).
        var recorded = _recorder.Take();
        await using (var db = _database.CreateDbContext())
        {
            await db.Database.OpenConnectionAsync();
            foreach (var command in recorded.DistinctBy(c => c.Sql))
            {
                var plan = await command.PlanAsync(db.Database.GetDbConnection());
                Assert.False(Regex.IsMatch(plan, @"^SCAN \w+$", RegexOptions.Multiline), $"A table scan:\n{plan}\nfor\n{command.Sql}");
            }
        }
        var deletes = recorded.Where(c => c.Sql.TrimStart().StartsWith("DELETE", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(deletes.Count > report.Runs / 500, $"{deletes.Count} DELETE statements for {report.Runs} runs");
        Assert.All(deletes, d => Assert.InRange(d.RowsAffected, 0, RunRetention.RowChunk));
        Assert.Equal(report.Runs + report.Results + report.Logs, deletes.Where(d => !d.Sql.Contains("ApprovalDecisions", StringComparison.Ordinal)).Sum(d => d.RowsAffected));
    }
}
