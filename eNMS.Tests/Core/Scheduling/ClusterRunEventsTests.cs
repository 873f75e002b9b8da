using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Scheduling;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace eNMS.Tests.Core.Scheduling;

/// <summary>
/// The relay of live run events between two nodes (two <see cref="ClusterRunEvents"/> in this process, on one throwaway
/// PostgreSQL database): what node A publishes reaches node B's subscribers; A's outgoing side is bounded and
/// coalesced, and what it dropped reaches B as a reload marker. Node A's clock is fake: its relay sends only when the
/// test moves it, as a NOTIFY connection slower than the run would.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class ClusterRunEventsTests(PostgresServer postgres)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly FakeTimeProvider _clockA = new();
    private readonly Lock _lock = new();
    private readonly List<RunEvent> _seenByB = [];

    [RequiresFact("postgres")]
    public async Task Events_relayed_to_another_node_are_bounded_coalesced_include_the_fan_out_and_end_in_a_reload_marker_when_dropped()
    {
        var connectionString = await NewDatabaseAsync();
        var (notifierA, notifierB) = (new RunNotifier(NullLogger<RunNotifier>.Instance, _clockA), new RunNotifier(NullLogger<RunNotifier>.Instance));
        using var nodeA = new ClusterRunEvents(connectionString, notifierA, new RunDispatcher(), NullLogger<ClusterRunEvents>.Instance, _clockA);
        using var nodeB = new ClusterRunEvents(connectionString, notifierB, new RunDispatcher(), NullLogger<ClusterRunEvents>.Instance);
        using var subscription = notifierB.SubscribeAll(RunEventScope.Everything, e =>
        {
            lock (_lock)
            {
                _seenByB.Add(e);
            }
            return Task.CompletedTask;
        });
        await nodeA.StartAsync(CancellationToken.None);
        await nodeB.StartAsync(CancellationToken.None);
        try
        {
            // Both sides connected: a progress of run 1 published on A shows on B.
            await EventuallyAsync(() =>
            {
                notifierA.Publish(new RunProgressed(1, RunStatus.Running, 0, 0, 1));
                return Seen().OfType<RunProgressed>().Any(p => p.RunId == 1);
            }, "node B to see node A's first event");

            // The fan-out panel's event crosses over, report and all.
            var report = new FanOutReport([new PlatformCap("cisco_ios", 16, 4, 5, 3, new Dictionary<string, int> { ["connection reset"] = 3 })],
                [new ConnectRetry("london-core", "cisco_ios", "connection reset", 1, 3, 2, false)]);
            notifierA.Publish(new FanOutChanged(2, report));
            await EventuallyAsync(() => Seen().OfType<FanOutChanged>().Any(), "node B to see the fan-out change");
            var fanOut = Seen().OfType<FanOutChanged>().Single();
            Assert.Equal(2, fanOut.RunId);
            Assert.Equal("cisco_ios: cap lowered 16 → 4 after 3 refused connection(s) (connection reset ×3); held at 5", Assert.Single(fanOut.Report.Platforms).Summary);
            Assert.Equal("london-core: connection reset (attempt 1 of 3), retried after 2 s", Assert.Single(fanOut.Report.Retries).Summary);

            // A burst the relay cannot send before its next turn: 6,000 devices' results (each replaced by a later one of
            // the same device) and progress after each. It holds 5,000 events at most: the first 4,999 devices (and the
            // progress) are dropped at the 5,000th, which B learns as a reload marker before the rest.
            const int Devices = 6_000;
            for (var device = 1; device <= Devices; device++)
            {
                notifierA.Publish(Result(3, device, success: true));
                notifierA.Publish(Result(3, device, success: false));
                notifierA.Publish(new RunProgressed(3, RunStatus.Running, device, device, Devices));
            }
            await EventuallyAsync(() => Seen().OfType<RunProgressed>().Any(p => p.RunId == 3), "node B to see the burst's progress");

            var burst = Seen().Where(e => e.RunId == 3).ToList();
            Assert.IsType<RunEventsLost>(burst[0]);
            var results = burst.OfType<ResultRecorded>().Select(r => r.Recorded).ToList();
            Assert.Equal(Enumerable.Range(ClusterRunEvents.RelayCapacity, Devices - ClusterRunEvents.RelayCapacity + 1), results.Select(r => r.DeviceId!.Value));
            Assert.All(results, r => Assert.False(r.Success));
            var progress = Assert.Single(burst.OfType<RunProgressed>());
            Assert.Equal(Devices, progress.DevicesDone);
            Assert.Equal(burst[^1], progress);
        }
        finally
        {
            await nodeA.StopAsync(CancellationToken.None);
            await nodeB.StopAsync(CancellationToken.None);
        }
    }

    private static ResultRecorded Result(int runId, int device, bool success) =>
        new(runId, new RunResult { RunId = runId, DeviceId = device, DeviceName = $"d{device}", Node = "backup", Success = success });

    private List<RunEvent> Seen()
    {
        lock (_lock)
        {
            return [.. _seenByB];
        }
    }

    private async Task<string> NewDatabaseAsync()
    {
        var connectionString = postgres.NewDatabase();
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres" }.ConnectionString);
        await admin.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", admin);
        await create.ExecuteNonQueryAsync();
        return connectionString;
    }

    /// <summary>Moves node A's clock a relay turn at a time until <paramref name="condition"/> holds (a turn that finds
    /// the relay still sending its previous batch is taken again at the next).</summary>
    private async Task EventuallyAsync(Func<bool> condition, string what)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            _clockA.Advance(ClusterRunEvents.RelayInterval);
            if (TimeProvider.System.GetElapsedTime(started) > Patience)
            {
                throw new TimeoutException($"Waited {Patience.TotalSeconds} s for {what}");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }
}
