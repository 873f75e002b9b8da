using System.Net.Sockets;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Drivers;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SchedulingOptions = eNMS.Core.Scheduling.SchedulingOptions;

namespace eNMS.Tests.Core.Automation;

/// <summary>The places of cluster-wide caps (<see cref="ClusterLeases"/>) on a real PostgreSQL, each "node" a
/// <see cref="ClusterLeases"/> of its own on the same database: the cap holds across them, a dead holder's places expire,
/// a lowered cap is honoured by all and lowered once per generation, and the run's turns and platform caps use them.</summary>
[Collection(PostgresTests.Name)]
public sealed class ClusterLeasesTests(PostgresServer postgres)
{
    private static ClusterLeases Node(IDbContextFactory<EnmsDbContext> db, string name, TimeProvider? time = null, double leaseSeconds = 30) =>
        new(db, Options.Create(new SchedulingOptions { Node = name, LeaseSeconds = leaseSeconds }), time ?? TimeProvider.System, NullLogger<ClusterLeases>.Instance);

    /// <summary>Counts who is inside at once (what a device or a session does while it holds its place).</summary>
    private sealed class Inside
    {
        private int _now;
        private int _peak;

        public int Peak => Volatile.Read(ref _peak);

        public async Task WorkAsync()
        {
            var now = Interlocked.Increment(ref _now);
            int peak;
            while (now > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, peak) != peak)
            {
            }
            await Task.Delay(15);
            Interlocked.Decrement(ref _now);
        }
    }

    private static async Task<int> RowsAsync(IDbContextFactory<EnmsDbContext> dbFactory, string scope)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        return await db.SessionLeases.CountAsync(l => l.Scope == scope);
    }

    private static async Task EventuallyNoRowsAsync(IDbContextFactory<EnmsDbContext> dbFactory, string scope)
    {
        for (var i = 0; i < 600 && await RowsAsync(dbFactory, scope) > 0; i++)
        {
            await Task.Delay(50);
        }
        Assert.Equal(0, await RowsAsync(dbFactory, scope));
    }

    [RequiresFact("postgres")]
    public async Task Three_nodes_never_hold_more_places_than_the_cap_and_released_places_are_deleted()
    {
        var dbFactory = postgres.NewMigratedDatabase();
        var nodes = new[] { Node(dbFactory, "a"), Node(dbFactory, "b"), Node(dbFactory, "c") };
        var inside = new Inside();

        await Task.WhenAll(nodes.SelectMany(node => Enumerable.Range(0, 12).Select(_ => Task.Run(async () =>
        {
            using var place = await node.TakeAsync("run:1", 4, CancellationToken.None);
            Assert.InRange(place.Slot, 0, 3);
            await inside.WorkAsync();
        }))));

        Assert.InRange(inside.Peak, 1, 4);
        Assert.All(nodes, n => Assert.Equal(0, n.Held));
        await EventuallyNoRowsAsync(dbFactory, "run:1");
    }

    [RequiresFact("postgres")]
    public async Task A_dead_holders_places_expire_unless_renewed_and_are_then_taken_over()
    {
        var dbFactory = postgres.NewMigratedDatabase();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
        var (a, b) = (Node(dbFactory, "a", time, leaseSeconds: 10), Node(dbFactory, "b", time, leaseSeconds: 10));
        var old = await a.TryTakeAsync("platform:cisco_ios", 2, CancellationToken.None);
        Assert.NotNull(old);
        Assert.NotNull(await a.TryTakeAsync("platform:cisco_ios", 2, CancellationToken.None));
        Assert.Null(await b.TryTakeAsync("platform:cisco_ios", 2, CancellationToken.None));

        // Renewed while its node lives: still held past the first expiry.
        time.Advance(TimeSpan.FromSeconds(8));
        await a.RenewAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(8));
        Assert.Null(await b.TryTakeAsync("platform:cisco_ios", 2, CancellationToken.None));

        // The node dies (no more renewals): once the expiry passes, another node takes its places.
        time.Advance(TimeSpan.FromSeconds(3));
        var taken = await b.TryTakeAsync("platform:cisco_ios", 2, CancellationToken.None);
        Assert.NotNull(taken);
        Assert.NotNull(await b.TryTakeAsync("platform:cisco_ios", 2, CancellationToken.None));
        Assert.Null(await b.TryTakeAsync("platform:cisco_ios", 2, CancellationToken.None));
        await using var db = await dbFactory.CreateDbContextAsync();
        Assert.All(await db.SessionLeases.ToListAsync(), l => Assert.Equal(b.Holder, l.Holder));

        // A late release by the old holder deletes nothing of what b holds now (its token is gone).
        await a.Release(old);
        Assert.Equal(2, await RowsAsync(dbFactory, "platform:cisco_ios"));
    }

    [RequiresFact("postgres")]
    public async Task A_cap_lowered_on_one_node_binds_every_node_once_per_generation_and_rises_after_a_caps_worth_of_successes()
    {
        var dbFactory = postgres.NewMigratedDatabase();
        var (a, b) = (Node(dbFactory, "node-a"), Node(dbFactory, "node-b"));
        var (capA, capB) = (a.Cap("run:5:platform:cisco_ios", 8, 5), b.Cap("run:5:platform:cisco_ios", 8, 5));
        var first = await capA.TakeAsync(CancellationToken.None);
        var second = await capB.TakeAsync(CancellationToken.None);
        Assert.Equal(0, first.Generation);

        // Both were refused: taken before the lowering, the second refusal does not lower the cap again.
        await capA.LowerAsync(first, "too many sessions");
        await capB.LowerAsync(second, "connection reset");
        var shared = await a.SharedAsync(capA.Scope, CancellationToken.None);
        Assert.NotNull(shared);
        Assert.Equal((4, 8, 4, 1, "too many sessions", "node-a", (int?)5), (shared.Cap, shared.Ceiling, shared.Lowest, shared.Generation, shared.Reason, shared.LoweredBy, shared.RunId));
        first.Dispose();
        second.Dispose();
        await EventuallyNoRowsAsync(dbFactory, capA.Scope);

        // Node b honours node a's lowering: 4 places, not 8.
        var held = new List<ClusterLease>();
        for (var i = 0; i < 4; i++)
        {
            held.Add((await b.TryTakeAsync(capB.Scope, 8, CancellationToken.None))!);
        }
        Assert.All(held, l => Assert.Equal(1, l.Generation));
        Assert.Null(await b.TryTakeAsync(capB.Scope, 8, CancellationToken.None));
        Assert.Null(await a.TryTakeAsync(capA.Scope, 8, CancellationToken.None));

        // A refusal within the new generation lowers it again, on whichever node.
        await capA.LowerAsync(held[0], "connection refused");
        Assert.Equal((2, 2, "node-a"), await CapAsync(a, capA.Scope));

        // Additive increase: one more place after a cap's worth (2) of successful connections.
        await capB.SucceededAsync(held[1]);
        Assert.Equal(2, (await CapAsync(a, capA.Scope)).Cap);
        await capB.SucceededAsync(held[2]);
        Assert.Equal(3, (await CapAsync(a, capA.Scope)).Cap);
    }

    private static async Task<(int Cap, int Generation, string LoweredBy)> CapAsync(ClusterLeases node, string scope)
    {
        var shared = await node.SharedAsync(scope, CancellationToken.None);
        Assert.NotNull(shared);
        return (shared.Cap, shared.Generation, shared.LoweredBy);
    }

    [RequiresFact("postgres")]
    public async Task A_runs_turns_on_three_nodes_hold_its_parallelism_across_them()
    {
        var dbFactory = postgres.NewMigratedDatabase();
        var inside = new Inside();
        var batches = new[] { "a", "b", "c" }.Select((name, batch) =>
        {
            var node = Node(dbFactory, name);
            // Each batch allows the run's parallelism (3) locally, as each node's batch does.
            var turns = new DeviceTurns(3) { Shared = node.Cap(ClusterLeases.RunScope(9), 3, 9) };
            var devices = Enumerable.Range(0, 10).Select(i => new Device { Id = batch * 100 + i, Name = $"{name}-{i}" }).ToList();
            return Task.Run(async () =>
            {
                using (turns)
                {
                    await turns.ForEachAsync(devices, async (_, _) => await inside.WorkAsync(), CancellationToken.None);
                }
            });
        });

        await Task.WhenAll(batches);

        Assert.InRange(inside.Peak, 1, 3);
        await EventuallyNoRowsAsync(dbFactory, ClusterLeases.RunScope(9));
    }

    [RequiresFact("postgres")]
    public async Task A_platform_refusing_a_connection_on_one_node_lowers_the_cap_the_other_nodes_connect_within()
    {
        var dbFactory = postgres.NewMigratedDatabase();
        var (a, b) = (Node(dbFactory, "node-a"), Node(dbFactory, "node-b"));
        AdaptiveLimits Limits(ClusterLeases node) => new(6, new Dictionary<string, int>(), ConnectRetryPolicy.Once, TimeProvider.System)
        {
            Shared = (platform, start) => node.Cap(ClusterLeases.RunPlatformScope(3, platform), start, 3),
        };
        var (onA, onB) = (Limits(a), Limits(b));

        await Assert.ThrowsAsync<DeviceConnectionException>(() => onA.ConnectAsync<int>("r1", "cisco_ios", retry: false, slot =>
        {
            slot.Dispose();
            throw new DeviceConnectionException("r1", "cannot connect to 127.0.0.1:22: Connection reset by peer", new SocketException((int)SocketError.ConnectionReset));
        }, CancellationToken.None));

        var shared = await b.SharedAsync(ClusterLeases.RunPlatformScope(3, "cisco_ios"), CancellationToken.None);
        Assert.NotNull(shared);
        Assert.Equal((3, "node-a"), (shared.Cap, shared.LoweredBy));
        Assert.False(string.IsNullOrEmpty(shared.Reason));
        // Node b's own cap never lowered (6), yet its 3 open sessions fill the shared cap: no place is left for a 4th.
        var release = new TaskCompletionSource();
        var entered = 0;
        var sessions = Enumerable.Range(0, 3).Select(i => Task.Run(() => onB.ConnectAsync($"d{i}", "cisco_ios", retry: false, async slot =>
        {
            Interlocked.Increment(ref entered);
            await release.Task;
            slot.Dispose();
            return i;
        }, CancellationToken.None))).ToList();
        for (var i = 0; i < 600 && Volatile.Read(ref entered) < 3; i++)
        {
            await Task.Delay(50);
        }
        Assert.Equal(3, Volatile.Read(ref entered));
        Assert.Equal(6, onB.CapOf("cisco_ios"));
        Assert.Null(await a.TryTakeAsync(ClusterLeases.RunPlatformScope(3, "cisco_ios"), 6, CancellationToken.None));
        release.SetResult();
        await Task.WhenAll(sessions);
    }

    [RequiresFact("postgres")]
    public async Task The_platform_limit_across_runs_holds_across_nodes()
    {
        var dbFactory = postgres.NewMigratedDatabase();
        var limits = new[] { "a", "b" }.Select(name => new PlatformLimits(new Dictionary<string, int> { ["juniper_junos"] = 2 }, Node(dbFactory, name))).ToList();
        var inside = new Inside();

        await Task.WhenAll(limits.SelectMany(l => Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            using var place = await l.EnterAsync("juniper_junos", CancellationToken.None);
            await inside.WorkAsync();
        }))));

        Assert.InRange(inside.Peak, 1, 2);
        await EventuallyNoRowsAsync(dbFactory, ClusterLeases.PlatformScope("juniper_junos"));
    }

    [RequiresFact("postgres")]
    public async Task The_sweep_deletes_long_expired_places_and_the_caps_of_runs_no_longer_running()
    {
        var dbFactory = postgres.NewMigratedDatabase();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
        var node = Node(dbFactory, "a", time, leaseSeconds: 10);
        int running, ended;
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var runs = new[] { new eNMS.Core.Automation.Run { ServiceName = "on", Status = eNMS.Core.Automation.RunStatus.Running },
                new eNMS.Core.Automation.Run { ServiceName = "off", Status = eNMS.Core.Automation.RunStatus.Completed } };
            db.Runs.AddRange(runs);
            await db.SaveChangesAsync();
            (running, ended) = (runs[0].Id, runs[1].Id);
        }
        var place = await node.TryTakeAsync("platform:x", 1, CancellationToken.None);
        await node.LowerAsync(ClusterLeases.RunPlatformScope(running, "x"), 4, 0, "connection refused", running, CancellationToken.None);
        await node.LowerAsync(ClusterLeases.RunPlatformScope(ended, "x"), 4, 0, "connection refused", ended, CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(25));
        await node.SweepAsync(CancellationToken.None);

        await using var after = await dbFactory.CreateDbContextAsync();
        Assert.Empty(await after.SessionLeases.ToListAsync());
        Assert.Equal([running], await after.SharedCaps.Select(c => c.RunId!.Value).ToListAsync());
        Assert.NotNull(place);
    }
}
