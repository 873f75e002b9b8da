using System.Collections.Concurrent;
using eNMS.Core.Security;
using Microsoft.Extensions.Logging;

namespace eNMS.Core.Automation.Execution;

public abstract record RunEvent(int RunId);

/// <remarks>DevicesRecovered: devices that succeeded by their path although a node failed on the way (they took a
/// failure edge to a node that succeeded); counted in the succeeded, shown apart.</remarks>
public sealed record RunProgressed(int RunId, RunStatus Status, int DevicesDone, int DevicesFailed, int DevicesTotal, int DevicesRecovered = 0) : RunEvent(RunId);

public sealed record RunLogged(int RunId, RunLogEntry Entry) : RunEvent(RunId);

public sealed record ResultRecorded(int RunId, RunResult Recorded) : RunEvent(RunId);

/// <summary>A device (or the run, for a service that runs once) entered a workflow node; its result follows.</summary>
public sealed record NodeStarted(int RunId, string Node, int? DeviceId, string DeviceName) : RunEvent(RunId);

/// <summary>A device reached an approval gate, or its decision was taken: approval panels read the decisions again.
/// Not relayed to other cluster nodes.</summary>
public sealed record ApprovalsChanged(int RunId, int DeviceId) : RunEvent(RunId);

/// <summary>The run's fan-out changed (a platform's cap lowered, a device retried or given up on): the report so far,
/// for the run page while the run goes on (the run keeps the final one when it ends).</summary>
public sealed record FanOutChanged(int RunId, FanOutReport Report) : RunEvent(RunId);

/// <summary>Events of the run were lost on their way from another cluster node (its relay held more than it may, or its
/// connection to the database failed): a view reads the run again from the database, as when its own feed overflows.</summary>
public sealed record RunEventsLost(int RunId) : RunEvent(RunId);

/// <summary>A file transfer moved on: <paramref name="Bytes"/> of <paramref name="Total"/> (null when the protocol does
/// not say the size beforehand, as an SCP download). Published a few times a second at most, and once at the end.</summary>
public sealed record TransferProgressed(int RunId, string Node, int? DeviceId, string DeviceName, string Path, long Bytes, long? Total) : RunEvent(RunId);

/// <summary>
/// Tells whoever watches a run what happens as it happens (UI components subscribe, then marshal onto their
/// circuit with InvokeAsync). In-process; in a cluster <see cref="Scheduling.ClusterRunEvents"/> relays each event to
/// the other nodes (PostgreSQL NOTIFY) and delivers theirs here. Views take a <see cref="RunFeed"/> (<see cref="Feed"/>):
/// batched per frame, bounded, never waited on; <see cref="Subscribe"/> is for code whose handler returns at once.
/// </summary>
public sealed class RunNotifier(ILogger<RunNotifier> logger, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<Guid, (int? RunId, RunEventScope Scope, Func<RunEvent, Task> Handler)> _subscribers = new();

    /// <summary>Events of one run that <paramref name="scope"/> allows (a user limited to pools gets only theirs).</summary>
    public IDisposable Subscribe(int runId, RunEventScope scope, Func<RunEvent, Task> handler) => Add(runId, scope, handler);

    /// <summary>Events of every run (run lists, dashboards) that <paramref name="scope"/> allows.</summary>
    public IDisposable SubscribeAll(RunEventScope scope, Func<RunEvent, Task> handler) => Add(null, scope, handler);

    /// <summary>Events of one run (<paramref name="runId"/>; null: every run) that <paramref name="scope"/> allows, as
    /// batches handed to <paramref name="deliver"/> (a component passes <c>b =&gt; InvokeAsync(() =&gt; Apply(b))</c>).
    /// Disposing the feed ends the subscription.</summary>
    public RunFeed Feed(int? runId, RunEventScope scope, Func<RunEventBatch, Task> deliver, RunFeedOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(deliver);
        var feed = new RunFeed(deliver, options ?? RunFeedOptions.Frame, _time, logger);
        feed.Attach(Add(runId, scope, e =>
        {
            feed.Offer(e);
            return Task.CompletedTask;
        }));
        return feed;
    }

    /// <summary>Subscriptions open now: views that forgot to dispose theirs show up here.</summary>
    public int SubscriberCount => _subscribers.Count;

    /// <summary>Set by the cluster relay: sends this node's events to the other nodes.</summary>
    internal Action<RunEvent>? Relay { get; set; }

    public void Publish(RunEvent runEvent)
    {
        Deliver(runEvent);
        Relay?.Invoke(runEvent);
    }

    /// <summary>An event from another node: delivered here only.</summary>
    internal void Deliver(RunEvent runEvent)
    {
        ArgumentNullException.ThrowIfNull(runEvent);
        // Enumerating the dictionary itself takes no lock; its Values property locks every bucket and copies, which
        // 50 devices publishing twice per node contended on (engine bench).
        foreach (var (_, (runId, scope, handler)) in _subscribers)
        {
            if ((runId is null || runId == runEvent.RunId) && scope.Allows(runEvent))
            {
                _ = DeliverTo(handler, runEvent);
            }
        }
    }

    private async Task DeliverTo(Func<RunEvent, Task> handler, RunEvent runEvent)
    {
        try
        {
            await handler(runEvent);
        }
        catch (Exception e)
        {
            // A closed browser tab must never break a run.
            logger.LogDebug(e, "A run subscriber failed");
        }
    }

    private Subscription Add(int? runId, RunEventScope scope, Func<RunEvent, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var id = Guid.NewGuid();
        _subscribers[id] = (runId, scope, handler);
        return new Subscription(() => _subscribers.TryRemove(id, out _));
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
