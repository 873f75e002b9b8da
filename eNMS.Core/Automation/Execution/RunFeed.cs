using Microsoft.Extensions.Logging;

namespace eNMS.Core.Automation.Execution;

/// <summary>What a view gets at most once per frame: the events since the last batch, merged (see
/// <see cref="RunFeed.MergeKey"/>), and <paramref name="Reload"/> when more came than the feed holds (or another node's
/// relay lost some, <see cref="RunEventsLost"/>) — the view then reads its state again from the database before applying
/// <paramref name="Events"/> (those that came after the overflow). <paramref name="ReloadRuns"/>: the runs whose events
/// were dropped (the cluster relay tells the other nodes which runs to read again).</summary>
public sealed record RunEventBatch(IReadOnlyList<RunEvent> Events, bool Reload, IReadOnlyCollection<int>? ReloadRuns = null);

/// <summary>How a view is fed: every <see cref="Interval"/> at most, holding <see cref="Capacity"/> events at most,
/// only those <see cref="Wants"/> (null: all), an event replacing the held one of the same <see cref="Merge"/> key
/// (null: <see cref="RunFeed.MergeKey"/>).</summary>
public sealed record RunFeedOptions(TimeSpan Interval, int Capacity = RunFeed.DefaultCapacity, Func<RunEvent, bool>? Wants = null,
    Func<RunEvent, object?>? Merge = null)
{
    public static RunFeedOptions Frame { get; } = new(RunFeed.FrameInterval);
}

/// <summary>
/// The one way run events reach a view (a Blazor circuit): the engine only puts an event into this bounded buffer (a
/// lock and a dictionary write, never the view's code); a timer hands the buffer to the view as one batch, at most once
/// per interval and never while the view still works on the previous one. A slow or stuck browser thus gets bigger
/// batches, then a reload marker, and never slows the run; a view that throws is logged and fed on. Results of the same
/// device and node, progress of the same run, transfers of the same file replace the older ones in the buffer.
/// </summary>
public sealed class RunFeed : IDisposable
{
    /// <summary>The frame a view renders at: 5 batches a second at most, well under the 1 s a result may take to show.</summary>
    public static readonly TimeSpan FrameInterval = TimeSpan.FromMilliseconds(200);
    public const int DefaultCapacity = 2_000;

    private readonly Lock _lock = new();
    private readonly List<RunEvent?> _pending = [];
    private readonly Dictionary<object, int> _slots = [];
    private readonly HashSet<int> _reloadRuns = [];
    private readonly Func<RunEventBatch, Task> _deliver;
    private readonly RunFeedOptions _options;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private IDisposable? _subscription;
    private int _held;
    private bool _overflowed;
    private bool _busy;
    private bool _disposed;

    internal RunFeed(Func<RunEventBatch, Task> deliver, RunFeedOptions options, TimeProvider time, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Capacity, 1);
        (_deliver, _options, _logger) = (deliver, options, logger);
        _timer = time.CreateTimer(_ => _ = DrainAsync(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    internal void Attach(IDisposable subscription) => _subscription = subscription;

    /// <summary>Batches handed over so far (tests and the bench count renders with it).</summary>
    public int Batches { get; private set; }

    private object? KeyOf(RunEvent runEvent) => _options.Merge is { } merge ? merge(runEvent) : MergeKey(runEvent);

    /// <summary>Which older event a new one replaces: null for those that all count (log lines).</summary>
    public static object? MergeKey(RunEvent runEvent) => runEvent switch
    {
        RunProgressed p => (1, p.RunId),
        ResultRecorded { Recorded: var r } => (2, r.RunId, r.Node, r.DeviceId, r.DeviceName),
        NodeStarted s => (3, s.RunId, s.DeviceId, s.DeviceName),
        TransferProgressed t => (4, t.RunId, t.Node, t.DeviceName, t.Path),
        ApprovalsChanged a => (5, a.RunId),
        FanOutChanged f => (6, f.RunId),
        RunWaitsChanged w => (7, w.RunId),
        RunEventsLost l => (8, l.RunId),
        _ => null,
    };

    /// <summary>Called on the engine's thread: buffers, never waits on the view.</summary>
    internal void Offer(RunEvent runEvent)
    {
        if (runEvent is RunEventsLost lost)
        {
            // Whatever the view wants, it reads the run again: what another node sent of it is incomplete.
            lock (_lock)
            {
                if (!_disposed)
                {
                    DropHeldLocked();
                    _reloadRuns.Add(lost.RunId);
                    ScheduleLocked();
                }
            }
            return;
        }
        if (_options.Wants is { } wants && !wants(runEvent))
        {
            return;
        }
        var key = KeyOf(runEvent);
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            if (key is not null && _slots.Remove(key, out var older))
            {
                _pending[older] = null;
                _held--;
            }
            if (_held >= _options.Capacity)
            {
                DropHeldLocked();
            }
            else if (_pending.Count >= 2 * _options.Capacity)
            {
                Compact();
            }
            if (key is not null)
            {
                _slots[key] = _pending.Count;
            }
            _pending.Add(runEvent);
            _held++;
            ScheduleLocked();
        }
    }

    /// <summary>The view reads everything again: what was held is dropped (its runs noted), what comes next is kept.</summary>
    private void DropHeldLocked()
    {
        foreach (var held in _pending)
        {
            if (held is not null)
            {
                _reloadRuns.Add(held.RunId);
            }
        }
        (_overflowed, _held) = (true, 0);
        _pending.Clear();
        _slots.Clear();
    }

    private void Compact()
    {
        var kept = _pending.Where(e => e is not null).ToList();
        _pending.Clear();
        _pending.AddRange(kept);
        _slots.Clear();
        for (var i = 0; i < _pending.Count; i++)
        {
            if (KeyOf(_pending[i]!) is { } key)
            {
                _slots[key] = i;
            }
        }
    }

    private void ScheduleLocked()
    {
        if (!_busy)
        {
            _busy = true;
            _timer.Change(_options.Interval, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task DrainAsync()
    {
        RunEventBatch batch;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            batch = new RunEventBatch([.. _pending.OfType<RunEvent>()], _overflowed, _reloadRuns.Count == 0 ? [] : [.. _reloadRuns]);
            (_overflowed, _held) = (false, 0);
            _pending.Clear();
            _slots.Clear();
            _reloadRuns.Clear();
            Batches++;
        }
        try
        {
            await _deliver(batch);
        }
        catch (Exception e)
        {
            // A closed tab or a broken view must never break a run, nor stop its own later batches.
            _logger.LogDebug(e, "A run view failed on a batch of {Count} events", batch.Events.Count);
        }
        lock (_lock)
        {
            _busy = false;
            if (_held > 0 || _overflowed)
            {
                ScheduleLocked();
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _pending.Clear();
            _slots.Clear();
            _reloadRuns.Clear();
        }
        _subscription?.Dispose();
        _timer.Dispose();
    }
}
