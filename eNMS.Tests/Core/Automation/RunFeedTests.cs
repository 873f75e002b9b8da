using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace eNMS.Tests.Core.Automation;

/// <summary>Live delivery to views: bounded, merged, one batch per frame, and never in the engine's way.</summary>
public sealed class RunFeedTests
{
    private readonly FakeTimeProvider _time = new();

    private (RunNotifier Notifier, List<RunEventBatch> Batches, RunFeed Feed) Open(RunFeedOptions? options = null)
    {
        var notifier = new RunNotifier(NullLogger<RunNotifier>.Instance, _time);
        var batches = new List<RunEventBatch>();
        var feed = notifier.Feed(1, RunEventScope.Everything, b =>
        {
            batches.Add(b);
            return Task.CompletedTask;
        }, options);
        return (notifier, batches, feed);
    }

    private static ResultRecorded Result(int device, string node, bool success = true) =>
        new(1, new RunResult { RunId = 1, DeviceId = device, DeviceName = $"d{device}", Node = node, Success = success });

    [Fact]
    public void A_view_that_overflows_gets_a_reload_marker_then_only_what_came_after()
    {
        var (notifier, batches, feed) = Open(RunFeedOptions.Frame with { Capacity = 10 });
        var lines = Enumerable.Range(1, 25).Select(i => new RunLogged(1, new RunLogEntry { RunId = 1, Message = $"line {i}" })).ToList();
        lines.ForEach(notifier.Publish);

        _time.Advance(RunFeed.FrameInterval);

        var batch = Assert.Single(batches);
        Assert.True(batch.Reload);
        // Overflowed at the 11th and the 21st: what the view applies after reading again is the lines from the 21st on.
        Assert.Equal(lines[20..], batch.Events);
        Assert.Equal([1], batch.ReloadRuns!);
        _time.Advance(RunFeed.FrameInterval);
        Assert.Single(batches);
        feed.Dispose();
    }

    [Fact]
    public void A_reload_marker_from_another_node_makes_a_view_read_the_run_again_whatever_events_it_wants()
    {
        var (notifier, batches, feed) = Open(RunFeedOptions.Frame with { Wants = e => e is RunProgressed });
        notifier.Publish(new RunProgressed(1, RunStatus.Running, 1, 0, 10));
        notifier.Deliver(new RunEventsLost(1));
        var after = new RunProgressed(1, RunStatus.Running, 2, 0, 10);
        notifier.Publish(after);

        _time.Advance(RunFeed.FrameInterval);

        var batch = Assert.Single(batches);
        Assert.True(batch.Reload);
        Assert.Equal([1], batch.ReloadRuns!);
        Assert.Equal(after, Assert.Single(batch.Events));
        _time.Advance(RunFeed.FrameInterval);
        notifier.Publish(new RunProgressed(1, RunStatus.Running, 3, 0, 10));
        _time.Advance(RunFeed.FrameInterval);
        Assert.False(batches[^1].Reload);
        Assert.Empty(batches[^1].ReloadRuns!);
        feed.Dispose();
    }

    [Fact]
    public void Nothing_is_delivered_before_a_frame_and_nothing_after_disposal()
    {
        var (notifier, batches, feed) = Open();
        notifier.Publish(Result(1, "n1"));
        _time.Advance(RunFeed.FrameInterval - TimeSpan.FromMilliseconds(1));
        Assert.Empty(batches);
        feed.Dispose();
        _time.Advance(RunFeed.FrameInterval);
        notifier.Publish(Result(2, "n1"));
        _time.Advance(RunFeed.FrameInterval);
        Assert.Empty(batches);
        Assert.Equal(0, notifier.SubscriberCount);
    }

    [Fact]
    public void Many_results_in_a_frame_are_one_batch_where_the_latest_of_each_device_and_node_wins()
    {
        var (notifier, batches, feed) = Open();
        for (var round = 0; round < 10; round++)
        {
            for (var device = 0; device < 100; device++)
            {
                foreach (var node in new[] { "n1", "n2" })
                {
                    notifier.Publish(Result(device, node, success: round == 9 && device % 2 == 0));
                }
                notifier.Publish(new RunProgressed(1, RunStatus.Running, round * 100 + device + 1, 0, 1000));
            }
        }
        _time.Advance(RunFeed.FrameInterval);

        var batch = Assert.Single(batches);
        Assert.False(batch.Reload);
        var results = batch.Events.OfType<ResultRecorded>().ToList();
        Assert.Equal(200, results.Count);
        Assert.Equal(100, results.Count(r => r.Recorded.Success));
        Assert.Equal(1000, Assert.Single(batch.Events.OfType<RunProgressed>()).DevicesDone);
        feed.Dispose();
    }

    [Fact]
    public void A_steady_stream_of_results_renders_once_per_frame_and_ends_on_the_last_state()
    {
        var (notifier, batches, feed) = Open();
        var frames = 0;
        for (var i = 1; i <= 5_000; i++)
        {
            notifier.Publish(Result(i % 300, "n1"));
            notifier.Publish(new RunProgressed(1, RunStatus.Running, i, 0, 5_000));
            if (i % 250 == 0)
            {
                _time.Advance(RunFeed.FrameInterval);
                frames++;
            }
        }
        _time.Advance(RunFeed.FrameInterval);

        Assert.InRange(batches.Count, 1, frames + 1);
        Assert.Equal(5_000, batches.SelectMany(b => b.Events).OfType<RunProgressed>().Last().DevicesDone);
        Assert.Equal(300, batches.SelectMany(b => b.Events).OfType<ResultRecorded>().Select(r => r.Recorded.DeviceId).Distinct().Count());
        feed.Dispose();
    }

    [Fact]
    public void A_view_that_throws_is_fed_on()
    {
        var notifier = new RunNotifier(NullLogger<RunNotifier>.Instance, _time);
        var calls = 0;
        using var feed = notifier.Feed(1, RunEventScope.Everything, _ => ++calls == 1 ? throw new InvalidOperationException("circuit gone") : Task.CompletedTask);
        notifier.Publish(Result(1, "n1"));
        _time.Advance(RunFeed.FrameInterval);
        notifier.Publish(Result(2, "n1"));
        _time.Advance(RunFeed.FrameInterval);
        Assert.Equal(2, calls);
    }

    /// <summary>The real engine on 10,000 devices with a view stuck for the whole run, one that throws on every batch and
    /// one that follows: the run ends with every result stored, the stuck one has held no more than its capacity and,
    /// once it moves again, reads everything again and sees the end.</summary>
    [Fact]
    public async Task A_run_on_10000_devices_completes_while_one_view_is_stuck_and_another_throws()
    {
        await using var app = new EnmsAppFactory();
        var api = new AutomationClient(await app.CreateClientAsync(Roles.Editor));
        var notifier = app.Services.GetRequiredService<RunNotifier>();
        var dbFactory = app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>();
        List<int> devices;
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var rows = Enumerable.Range(0, 10_000).Select(i => new Device { Name = $"feed-{i:D5}", Address = $"127.254.{i / 250}.{i % 250 + 1}", Platform = "cisco_ios" }).ToList();
            await BulkInsert.InsertAsync(db, rows, CancellationToken.None);
            devices = [.. rows.Select(d => d.Id)];
        }
        var subscribersBefore = notifier.SubscriberCount;
        var stuck = new TaskCompletionSource();
        var stuckBatches = new List<RunEventBatch>();
        var stuckFeed = notifier.Feed(null, RunEventScope.Everything, async b =>
        {
            lock (stuckBatches)
            {
                stuckBatches.Add(b);
            }
            await stuck.Task;
        });
        var throwingFeed = notifier.Feed(null, RunEventScope.Everything, _ => throw new InvalidOperationException("a broken view"));
        RunProgressed? followed = null;
        var followingFeed = notifier.Feed(null, RunEventScope.Everything, b =>
        {
            followed = b.Events.OfType<RunProgressed>().LastOrDefault() ?? followed;
            return Task.CompletedTask;
        });
        var step = await api.CreateServiceAsync("step", "test_step", new { }, new { maxParallelDevices = 100 });

        var run = await api.WaitAsync(await api.RunAsync(step, devices), seconds: 600);

        Assert.Equal(RunStatus.Completed, run.Status);
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            Assert.Equal(10_000, await db.RunResults.CountAsync(r => r.RunId == run.Id));
        }
        // Stuck in its first batch (or not handed one yet, when the timer's thread came late on a loaded machine).
        lock (stuckBatches)
        {
            Assert.InRange(stuckBatches.Count, 0, 1);
        }
        stuck.SetResult();
        await Until(() => followed is { Status: RunStatus.Completed, DevicesDone: 10_000 } && LastProgress(stuckBatches) is { Status: RunStatus.Completed, DevicesDone: 10_000 });
        lock (stuckBatches)
        {
            Assert.Contains(stuckBatches, b => b.Reload);
            Assert.All(stuckBatches, b => Assert.InRange(b.Events.Count, 0, RunFeed.DefaultCapacity));
        }
        Assert.Equal(subscribersBefore + 3, notifier.SubscriberCount);
        stuckFeed.Dispose();
        throwingFeed.Dispose();
        followingFeed.Dispose();
        Assert.Equal(subscribersBefore, notifier.SubscriberCount);
    }

    private static RunProgressed? LastProgress(List<RunEventBatch> batches)
    {
        lock (batches)
        {
            return batches.SelectMany(b => b.Events).OfType<RunProgressed>().LastOrDefault();
        }
    }

    /// <summary>Waits for what the feed's timer brings (no timing asserted: a loaded machine only makes it slower).</summary>
    private static async Task Until(Func<bool> condition)
    {
        for (var i = 0; i < 600 && !condition(); i++)
        {
            await Task.Delay(100);
        }
        Assert.True(condition());
    }
}
