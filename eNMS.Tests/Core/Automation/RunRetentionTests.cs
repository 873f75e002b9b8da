using eNMS.Core.Automation;
using eNMS.Core.Configurations;
using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace eNMS.Tests.Core.Automation;

/// <summary>What the retention purge removes and keeps, on both providers (issue 21: "retention (purge runs, results
/// and logs older than N days or beyond N runs per service, on a schedule, audited)").</summary>
public abstract class RunRetentionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 3, 15, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);

    protected abstract IDbContextFactory<EnmsDbContext> Database();

    [Fact]
    public async Task Finished_runs_past_the_age_go_with_their_results_and_logs_and_nothing_else_does()
    {
        var db = Database();
        var oldCompleted = await AddRunAsync(db, 1, RunStatus.Completed, endedDaysAgo: 40);
        var oldFailed = await AddRunAsync(db, 1, RunStatus.Failed, endedDaysAgo: 31);
        var oldRunning = await AddRunAsync(db, 1, RunStatus.Running, endedDaysAgo: null, createdDaysAgo: 45);
        var recent = await AddRunAsync(db, 1, RunStatus.Completed, endedDaysAgo: 29);
        await using (var context = await db.CreateDbContextAsync())
        {
            context.ConfigVersions.Add(new ConfigVersion { DeviceId = await AddDeviceAsync(context), RunId = oldCompleted, Config = "hostname r1", CreatedAt = Now.AddDays(-40) });
            await context.SaveChangesAsync();
        }
        var retention = Retention(db, new RetentionOptions { RunDays = 30 });

        var preview = await retention.PreviewAsync(CancellationToken.None);
        var report = await retention.PurgeAsync(new AuditActor("admin", "127.0.0.1"), CancellationToken.None);

        Assert.Equal(preview with { }, report);
        Assert.Equal((2, 4, 2), (report.Runs, report.Results, report.Logs));
        Assert.Equal(Now.AddDays(-30), report.EndedBefore);
        await using var after = await db.CreateDbContextAsync();
        Assert.Equal([oldRunning, recent], await after.Runs.Select(r => r.Id).OrderBy(id => id).ToListAsync());
        Assert.Empty(await after.RunResults.Where(r => r.RunId == oldCompleted || r.RunId == oldFailed).ToListAsync());
        Assert.Empty(await after.RunLogs.Where(l => l.RunId == oldCompleted || l.RunId == oldFailed).ToListAsync());
        Assert.Equal(4, await after.RunResults.CountAsync());
        // The configuration it fetched belongs to the device: kept.
        Assert.Equal(1, await after.ConfigVersions.CountAsync());
        var entry = Assert.Single(await after.AuditEntries.ToListAsync());
        Assert.Equal(("admin", "retention purge", "2 runs"), (entry.User, entry.Action, entry.TargetName));
        Assert.Contains("\"Results\":4", entry.After);
    }

    [Fact]
    public async Task Only_the_newest_finished_runs_of_each_service_are_kept_and_a_run_under_restart_stays()
    {
        var db = Database();
        var a = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            a.Add(await AddRunAsync(db, 1, RunStatus.Completed, endedDaysAgo: 1));
        }
        var restarted = a[0];
        var restart = await AddRunAsync(db, 1, RunStatus.Running, endedDaysAgo: null, restartOf: restarted);
        var b = await AddRunAsync(db, 2, RunStatus.Failed, endedDaysAgo: 400);

        var report = await Retention(db, new RetentionOptions { RunsPerService = 2 }).PurgeAsync(null, CancellationToken.None);

        Assert.Equal(2, report.Runs);
        Assert.Null(report.EndedBefore);
        await using var after = await db.CreateDbContextAsync();
        // Newest two of service 1 (a[4], a[3]), the running restart, the run it restarts, and service 2's only run.
        Assert.Equal(new[] { restarted, a[3], a[4], restart, b }.Order(), await after.Runs.Select(r => r.Id).OrderBy(id => id).ToListAsync());
        Assert.Equal("system", Assert.Single(await after.AuditEntries.ToListAsync()).User);
    }

    [Fact]
    public async Task More_runs_than_one_batch_are_all_purged_and_a_purge_with_nothing_to_do_writes_no_entry()
    {
        var db = Database();
        await using (var context = await db.CreateDbContextAsync())
        {
            context.Runs.AddRange(Enumerable.Range(0, 1_203).Select(_ => new Run
            {
                ServiceId = 7,
                ServiceName = "nightly",
                Status = RunStatus.Completed,
                CreatedAt = Now.AddDays(-100),
                EndedAt = Now.AddDays(-100),
            }));
            await context.SaveChangesAsync();
        }
        var retention = Retention(db, new RetentionOptions { RunDays = 90, RunsPerService = 1_000 });

        Assert.Equal(1_203, (await retention.PurgeAsync(null, CancellationToken.None)).Runs);
        Assert.Equal(0, (await retention.PurgeAsync(null, CancellationToken.None)).Runs);
        await using var after = await db.CreateDbContextAsync();
        Assert.Equal(0, await after.Runs.CountAsync());
        Assert.Single(await after.AuditEntries.ToListAsync());
    }

    [Fact]
    public async Task The_default_policy_keeps_everything()
    {
        var db = Database();
        await AddRunAsync(db, 1, RunStatus.Completed, endedDaysAgo: 3_000);
        var retention = Retention(db, new RetentionOptions());

        Assert.False(retention.Policy.Enabled);
        Assert.Equal(0, (await retention.PurgeAsync(null, CancellationToken.None)).Runs);
        await using var after = await db.CreateDbContextAsync();
        Assert.Equal(1, await after.Runs.CountAsync());
    }

    private RunRetention Retention(IDbContextFactory<EnmsDbContext> db, RetentionOptions policy) =>
        new(db, new FixedOptions(policy), new AuditLog(db, _time), _time, NullLogger<RunRetention>.Instance);

    private static async Task<int> AddRunAsync(IDbContextFactory<EnmsDbContext> dbFactory, int serviceId, RunStatus status, int? endedDaysAgo,
        int? createdDaysAgo = null, int? restartOf = null)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var created = Now.AddDays(-(createdDaysAgo ?? endedDaysAgo ?? 0) - 0.01);
        var run = new Run
        {
            ServiceId = serviceId,
            ServiceName = $"service {serviceId}",
            Status = status,
            CreatedAt = created,
            StartedAt = created,
            EndedAt = endedDaysAgo is { } days ? Now.AddDays(-days) : null,
            RestartOfRunId = restartOf,
        };
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        db.RunResults.AddRange(
            new RunResult { RunId = run.Id, ServiceId = serviceId, Success = true, StartedAt = created },
            new RunResult { RunId = run.Id, ServiceId = serviceId, DeviceName = "r1", Success = true, StartedAt = created });
        db.RunLogs.Add(new RunLogEntry { RunId = run.Id, Time = created, Message = "started" });
        await db.SaveChangesAsync();
        return run.Id;
    }

    private static async Task<int> AddDeviceAsync(EnmsDbContext db)
    {
        var device = new eNMS.Core.Inventory.Device { Name = "r1", Address = "192.0.2.1", Platform = "cisco_ios" };
        db.Devices.Add(device);
        await db.SaveChangesAsync();
        return device.Id;
    }

    private sealed class FixedOptions(RetentionOptions value) : IOptionsMonitor<RetentionOptions>
    {
        public RetentionOptions CurrentValue => value;

        public RetentionOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<RetentionOptions, string?> listener) => null;
    }
}

public sealed class RunRetentionOnSqliteTests : RunRetentionTests, IDisposable
{
    private readonly TestDatabase _database = new();

    protected override IDbContextFactory<EnmsDbContext> Database() => _database;

    public void Dispose() => _database.Dispose();
}

[Collection(PostgresTests.Name)]
public sealed class RunRetentionOnPostgresTests(PostgresServer postgres) : RunRetentionTests
{
    protected override IDbContextFactory<EnmsDbContext> Database() => postgres.NewMigratedDatabase();
}

public sealed class RetentionOptionsTests
{
    [Theory]
    [InlineData(-1, 0, "0 15 3 * * ?", "Retention:RunDays")]
    [InlineData(0, -5, "0 15 3 * * ?", "Retention:RunsPerService")]
    [InlineData(30, 0, "every night", "Retention:Cron")]
    public void An_invalid_policy_is_refused_naming_the_setting(int days, int perService, string cron, string setting) =>
        Assert.StartsWith(setting, new RetentionOptions { RunDays = days, RunsPerService = perService, Cron = cron }.Validate());

    [Fact]
    public void The_default_policy_is_valid_and_off() =>
        Assert.Equal((null, false), (new RetentionOptions().Validate(), new RetentionOptions().Enabled));
}
