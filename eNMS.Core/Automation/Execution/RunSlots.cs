using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;

namespace eNMS.Core.Automation.Execution;

/// <summary>
/// This node's execution slots (<see cref="AutomationOptions.MaxConcurrentRuns"/>): a run works only while it holds
/// one. A run whose work all waits for people (devices at an approval gate, the wait or approval between rollout
/// batches) gives its slot back and takes one again before it goes on, so runs waiting for days never keep other runs
/// queued. Quartz's pool is larger by <see cref="WaitingRuns"/>: waiting runs are idle tasks, not threads.
/// </summary>
[SuppressMessage("Reliability", "CA1001", Justification = "The semaphore holds no wait handle; it outlives the container on purpose (see below).")]
public sealed class RunSlots(IOptions<AutomationOptions> options)
{
    /// <summary>Runs that may wait for people on one node beyond those working (each an idle task).</summary>
    public const int WaitingRuns = 100;

    /// <summary>How long a run handed to this node waits here for a slot before it goes back to the queue, where
    /// another node of a cluster may take it.</summary>
    public static readonly TimeSpan LocalWait = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _free = new(Math.Max(1, options.Value.MaxConcurrentRuns));

    /// <summary>A slot for a run, or null when none was free within <see cref="LocalWait"/>.</summary>
    public Task<RunSlot?> TakeAsync(CancellationToken ct) => TakeAsync(LocalWait, ct);

    /// <summary>A slot for a run (or one batch of a run split across a cluster), or null when none was free within <paramref name="wait"/>.</summary>
    public async Task<RunSlot?> TakeAsync(TimeSpan wait, CancellationToken ct) =>
        await _free.WaitAsync(wait, ct) ? new RunSlot(_free) : null;

    // Not disposed with the container (nothing here holds a wait handle): a run ending while the app stops still gives
    // its slot back or fails to take one with a cancellation, never an ObjectDisposedException that would fail it.
}

/// <summary>One run's execution slot: counts the run's nodes working and its waits for people; while some wait and
/// none works, the slot is given back, and the next node to work takes one again (waiting for it when the node is full).</summary>
public sealed class RunSlot : IDisposable
{
    private readonly SemaphoreSlim? _node;
    private readonly SemaphoreSlim _turn = new(1, 1);
    private int _working;
    private int _waiting;
    private bool _held;

    internal RunSlot(SemaphoreSlim? node) => (_node, _held) = (node, node is not null);

    /// <summary>No bound (a run executed outside a node's slots).</summary>
    public static RunSlot Unbounded() => new(null);

    /// <summary>A node works for the run until the returned handle is disposed.</summary>
    public async Task<IAsyncDisposable> WorkAsync(CancellationToken ct)
    {
        await ShiftAsync(1, 0, ct);
        return new WorkDone(this);
    }

    /// <summary>Runs <paramref name="wait"/> (a wait for people) with the slot given back while nothing else of the run
    /// works. <paramref name="inNode"/>: the wait is a node's (its work pauses meanwhile), else the run's own (between batches).</summary>
    public async Task<T> WaitingAsync<T>(Func<Task<T>> wait, bool inNode, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(wait);
        var work = inNode ? 1 : 0;
        await ShiftAsync(-work, 1, CancellationToken.None);
        try
        {
            return await wait();
        }
        finally
        {
            await ShiftAsync(work, -1, ct);
        }
    }

    /// <summary>Changes the counts, then gives the slot back (only waits left) or takes it again (a node goes to work).</summary>
    private async Task ShiftAsync(int work, int waits, CancellationToken ct)
    {
        if (_node is null)
        {
            return;
        }
        await _turn.WaitAsync(CancellationToken.None);
        try
        {
            (_working, _waiting) = (_working + work, _waiting + waits);
            if (_held && _working == 0 && _waiting > 0)
            {
                _node.Release();
                _held = false;
            }
            else if (!_held && work > 0)
            {
                await _node.WaitAsync(ct);
                _held = true;
            }
        }
        finally
        {
            _turn.Release();
        }
    }

    public void Dispose()
    {
        if (_held)
        {
            _node!.Release();
            _held = false;
        }
        _turn.Dispose();
    }

    private sealed class WorkDone(RunSlot slot) : IAsyncDisposable
    {
        // Never cancelled: giving back does not wait for a slot (only taking one does).
        public ValueTask DisposeAsync() => new(slot.ShiftAsync(-1, 0, CancellationToken.None));
    }
}
