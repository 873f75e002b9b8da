using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace eNMS.Tests.Core.Security;

/// <summary>What a user limited to one pool reads, through a scoped context, of runs, results, logs, configurations and schedules, on both
/// database providers (the rules query list columns, which each provider translates its own way).</summary>
public abstract class ScopedContextTests
{
    protected abstract IDbContextFactory<EnmsDbContext> Database();

    [Fact]
    public async Task A_scoped_user_reads_only_what_concerns_devices_of_their_pools()
    {
        var dbFactory = Database();
        var world = await ScopedWorld.SeedAsync(dbFactory);
        await using var scoped = await dbFactory.CreateScopedAsync(world.Scope, CancellationToken.None);

        Assert.Equal([world.Inside], await scoped.Devices.Select(d => d.Id).ToListAsync());
        Assert.Equal([world.InsideRun, world.MixedRun, world.UntargetedRun], await scoped.Runs.Select(r => r.Id).OrderBy(id => id).ToListAsync());
        var results = await scoped.RunResults.ToListAsync();
        Assert.DoesNotContain(results, r => r.DeviceId == world.Outside || r.RunId == world.OutsideRun);
        Assert.Contains(results, r => r.RunId == world.MixedRun && r.DeviceId == world.Inside);
        // The mixed run's device-less result speaks of both devices: hidden, as is its log.
        Assert.DoesNotContain(results, r => r.RunId == world.MixedRun && r.DeviceId == null);
        Assert.Contains(results, r => r.RunId == world.InsideRun && r.DeviceId == null);
        Assert.Equal([world.InsideRun, world.UntargetedRun], await scoped.RunLogs.Select(l => l.RunId).OrderBy(id => id).ToListAsync());
        Assert.Equal([world.InsideVersion], await scoped.ConfigVersions.Select(v => v.Id).ToListAsync());
        Assert.Equal([world.InsideSchedule], await scoped.Schedules.Select(s => s.Id).ToListAsync());
        // Through navigations too: a run's results as the scoped user reads them.
        Assert.DoesNotContain(await scoped.RunResults.Where(r => r.RunId == world.MixedRun).Select(r => r.DeviceId).ToListAsync(), id => id == world.Outside);

        await using var everything = await dbFactory.CreateDbContextAsync();
        Assert.Equal(4, await everything.Runs.CountAsync());
        Assert.True(await everything.RunResults.CountAsync() > results.Count);
        Assert.Equal(3, await everything.Schedules.CountAsync());
        Assert.Contains(await everything.RunLogs.Select(l => l.RunId).ToListAsync(), id => id == world.MixedRun);
    }

    [Fact]
    public async Task Live_events_of_devices_outside_the_pools_never_reach_a_scoped_subscriber()
    {
        var dbFactory = Database();
        var world = await ScopedWorld.SeedAsync(dbFactory);
        await using var db = await dbFactory.CreateScopedAsync(world.Scope, CancellationToken.None);
        await using var unscopedDb = await dbFactory.CreateDbContextAsync();
        var notifier = new RunNotifier(NullLogger<RunNotifier>.Instance);
        var (onRun, onAll, unscoped) = (new List<RunEvent>(), new List<RunEvent>(), new List<RunEvent>());
        using var runSubscription = notifier.Subscribe(world.MixedRun, await RunEventScope.ForRunAsync(db, world.MixedRun, CancellationToken.None), Collect(onRun));
        using var allSubscription = notifier.SubscribeAll(await RunEventScope.ForAllRunsAsync(db, CancellationToken.None), Collect(onAll));
        using var adminSubscription = notifier.SubscribeAll(await RunEventScope.ForAllRunsAsync(unscopedDb, CancellationToken.None), Collect(unscoped));

        RunEvent[] events =
        [
            new NodeStarted(world.MixedRun, "backup", world.Outside, ScopedWorld.OutsideName),
            new TransferProgressed(world.MixedRun, "backup", world.Outside, ScopedWorld.OutsideName, "flash:image.bin", 1024, 4096),
            new ResultRecorded(world.MixedRun, new RunResult { RunId = world.MixedRun, DeviceId = world.Outside, DeviceName = ScopedWorld.OutsideName }),
            new ResultRecorded(world.MixedRun, new RunResult { RunId = world.MixedRun, Node = "summary" }),
            new RunLogged(world.MixedRun, new RunLogEntry { RunId = world.MixedRun, Message = $"{ScopedWorld.OutsideName}: failed" }),
            new NodeStarted(world.MixedRun, "backup", world.Inside, "inside-router"),
            new TransferProgressed(world.MixedRun, "backup", world.Inside, "inside-router", "flash:image.bin", 1024, 4096),
            new ResultRecorded(world.MixedRun, new RunResult { RunId = world.MixedRun, DeviceId = world.Inside, DeviceName = "inside-router" }),
            new RunProgressed(world.MixedRun, RunStatus.Running, 1, 0, 2),
        ];
        foreach (var runEvent in events)
        {
            notifier.Publish(runEvent);
        }

        Assert.Equal(events[5..], onRun);
        Assert.Equal(events[5..], onAll);
        Assert.Equal(events, unscoped);
        // A run the user does not see at all passes nothing but progress.
        var hidden = await RunEventScope.ForRunAsync(db, world.OutsideRun, CancellationToken.None);
        Assert.False(hidden.Allows(new RunLogged(world.OutsideRun, new RunLogEntry())));
        Assert.False(hidden.Allows(new ResultRecorded(world.OutsideRun, new RunResult { Node = "summary" })));
        // Every target of the inside run is in scope: its log reaches the user.
        var whole = await RunEventScope.ForRunAsync(db, world.InsideRun, CancellationToken.None);
        Assert.True(whole.Allows(new RunLogged(world.InsideRun, new RunLogEntry())));
        Assert.True(whole.ShowsWholeRun);
        Assert.False(hidden.ShowsWholeRun);
    }

    private static Func<RunEvent, Task> Collect(List<RunEvent> into) => e =>
    {
        lock (into)
        {
            into.Add(e);
        }
        return Task.CompletedTask;
    };
}

public sealed class ScopedContextOnSqliteTests : ScopedContextTests, IDisposable
{
    private readonly TestDatabase _database = new();

    protected override IDbContextFactory<EnmsDbContext> Database() => _database;

    public void Dispose() => _database.Dispose();
}

[Collection(PostgresTests.Name)]
public sealed class ScopedContextOnPostgresTests(PostgresServer postgres) : ScopedContextTests
{
    protected override IDbContextFactory<EnmsDbContext> Database() => postgres.NewMigratedDatabase();
}
