using System.Collections.Concurrent;
using eNMS.Drivers;

namespace eNMS.Core.Automation.Execution;

/// <summary>How often and how patiently one device's connection is tried again after its platform refused or reset it.</summary>
/// <param name="Attempts">Connection attempts per device, the first included (1: never retried).</param>
/// <param name="FirstDelay">The wait before the second attempt; each later one waits twice the one before.</param>
/// <param name="MaxTotalDelay">The most one device waits in all: a retry whose wait would pass it is not made.</param>
public sealed record ConnectRetryPolicy(int Attempts, TimeSpan FirstDelay, TimeSpan MaxTotalDelay)
{
    /// <summary>Tries once: what a caller without a run (discovery) gets.</summary>
    public static readonly ConnectRetryPolicy Once = new(1, TimeSpan.Zero, TimeSpan.Zero);

    /// <summary>The wait after failed attempt <paramref name="attempt"/> (1-based): exponential backoff.</summary>
    public TimeSpan DelayAfter(int attempt) => FirstDelay * Math.Pow(2, Math.Clamp(attempt - 1, 0, 20));
}

/// <summary>
/// One run's session caps per platform, adaptive (AIMD, as TCP's congestion window): a platform whose devices refuse or
/// reset connections has its cap halved (floor 1) and those devices are tried again with exponential backoff; each cap
/// is raised by one after as many successful connections as it allows, up to where it started (the platform's
/// configured limit, else the run's parallelism). What happened is kept for the run's report (<see cref="Report"/>).
/// </summary>
/// <remarks>Only refusals that say "not now" are retried (see <see cref="ConnectRefusals"/>): a refused login, a changed
/// host key or a command error is the device's answer, given again on every attempt.</remarks>
public sealed class AdaptiveLimits(int defaultCap, IReadOnlyDictionary<string, int> configured, ConnectRetryPolicy policy, TimeProvider time)
{
    /// <summary>Retries listed in the report; more are counted, not listed (a 10,000-device run's report stays small).</summary>
    public const int MaxListedRetries = 200;

    private readonly ConcurrentDictionary<string, PlatformWindow> _windows = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<ConnectRetry> _retries = new();
    private int _retryCount;

    /// <summary>Caps that never lower and connections tried once: for connections outside a run.</summary>
    public static AdaptiveLimits Fixed() => new(int.MaxValue, new Dictionary<string, int>(), ConnectRetryPolicy.Once, TimeProvider.System);

    /// <summary>Runs distributed across a cluster: the cap of a platform (given where it starts) shared by every node of
    /// the cluster (<see cref="ClusterLeases"/>): a connection takes a place of it too, and a refusal lowers it for all
    /// nodes. Null: this process's caps only (a single node).</summary>
    public Func<string, int, ClusterCap>? Shared { get; init; }

    /// <summary>Where retries are told as they happen (the run's log); set once the run's log exists.</summary>
    public Action<string, string> Log { get; set; } = (_, _) => { };

    /// <summary>Told after each refused connection (a cap lowered, a retry or a give-up noted): <see cref="Report"/> has changed.</summary>
    public Action Changed { get; set; } = () => { };

    /// <summary>The platform's cap now (for tests and the report).</summary>
    public int CapOf(string platform) => Window(platform).Cap;

    /// <summary>
    /// Opens a connection to <paramref name="device"/> within its platform's cap: <paramref name="open"/> gets the slot
    /// it keeps on success (the connection frees it when done) and must dispose it when it fails. A refusal lowers the
    /// cap and, within the policy, is retried after a backoff (no slot held while waiting); the last refusal is thrown
    /// as a <see cref="ConnectGaveUpException"/>, which a node does not retry again. Without <paramref name="retry"/> a
    /// refusal still lowers the cap but is thrown as it came (the caller retries it).
    /// </summary>
    public async Task<T> ConnectAsync<T>(string device, string platform, bool retry, Func<IDisposable, Task<T>> open, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(open);
        var window = Window(platform);
        var waited = TimeSpan.Zero;
        for (var attempt = 1; ; attempt++)
        {
            var slot = await window.EnterAsync(ct);
            try
            {
                var connected = await open(slot);
                window.Succeeded();
                if (slot.Place is { } succeeded)
                {
                    await window.Shared!.SucceededAsync(succeeded);
                }
                return connected;
            }
            catch (DeviceException e) when (ConnectRefusals.Reason(e) is { } reason)
            {
                slot.Dispose();
                window.Refused(slot, reason);
                if (slot.Place is { } refused)
                {
                    // Every node of the cluster honours the lowered cap (stored with its reason).
                    await window.Shared!.LowerAsync(refused, reason);
                }
                if (!retry)
                {
                    Changed();
                    throw;
                }
                var delay = policy.DelayAfter(attempt);
                if (attempt >= policy.Attempts || waited + delay > policy.MaxTotalDelay)
                {
                    Note(new ConnectRetry(device, platform, reason, attempt, policy.Attempts, 0, GaveUp: true));
                    throw new ConnectGaveUpException(e, reason, attempt);
                }
                Note(new ConnectRetry(device, platform, reason, attempt, policy.Attempts, delay.TotalSeconds, GaveUp: false));
                waited += delay;
            }
            catch
            {
                slot.Dispose();
                throw;
            }
            await Task.Delay(policy.DelayAfter(attempt), time, ct);
        }
    }

    private void Note(ConnectRetry retry)
    {
        Log(retry.Summary, retry.GaveUp ? "error" : "warning");
        if (Interlocked.Increment(ref _retryCount) <= MaxListedRetries)
        {
            _retries.Enqueue(retry);
        }
        Changed();
    }

    /// <summary>What the run's fan-out went through: the caps lowered (per platform) and the devices retried; null when
    /// nothing was refused.</summary>
    public FanOutReport? Report()
    {
        var platforms = _windows.Values.Select(w => w.Summary()).OfType<PlatformCap>().OrderBy(p => p.Platform, StringComparer.Ordinal).ToList();
        var retries = _retries.ToList();
        return platforms.Count == 0 && retries.Count == 0 ? null
            : new FanOutReport(platforms, retries, Math.Max(0, Volatile.Read(ref _retryCount) - retries.Count));
    }

    private PlatformWindow Window(string platform) =>
        _windows.GetOrAdd(platform, p =>
        {
            var start = configured.TryGetValue(p, out var cap) && cap > 0 ? cap : Math.Max(1, defaultCap);
            return new PlatformWindow(p, start, Shared?.Invoke(p, start));
        });

    /// <summary>One platform's cap, the sessions in it and the connections waiting for a place (in this process; with
    /// <paramref name="shared"/> a session also takes a place of the cap shared by the cluster's nodes).</summary>
    private sealed class PlatformWindow(string platform, int start, ClusterCap? shared)
    {
        public ClusterCap? Shared => shared;

        private readonly int _ceiling = start;
        private readonly Lock _lock = new();
        private readonly Queue<TaskCompletionSource> _waiting = new();
        private readonly Dictionary<string, int> _reasons = new(StringComparer.Ordinal);
        private int _cap = start;
        private int _inUse;
        // Bumped on each lowering: refusals of connections that entered before it were caused by the old cap and do
        // not lower the new one again (nine resets at once halve the cap once, not nine times).
        private int _generation;
        private int _successes;
        private int _lowest = start;
        private int _refusals;

        public int Cap
        {
            get
            {
                lock (_lock)
                {
                    return _cap;
                }
            }
        }

        public async Task<Slot> EnterAsync(CancellationToken ct)
        {
            var local = await EnterLocalAsync(ct);
            if (shared is null)
            {
                return new Slot(this, local, null);
            }
            try
            {
                return new Slot(this, local, await shared.TakeAsync(ct));
            }
            catch
            {
                Release();
                throw;
            }
        }

        private async Task<int> EnterLocalAsync(CancellationToken ct)
        {
            TaskCompletionSource granted;
            lock (_lock)
            {
                Grant();
                if (_inUse < _cap)
                {
                    _inUse++;
                    return _generation;
                }
                granted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiting.Enqueue(granted);
            }
            using (ct.Register(() => granted.TrySetCanceled(ct)))
            {
                await granted.Task;
            }
            lock (_lock)
            {
                return _generation;
            }
        }

        public void Succeeded()
        {
            lock (_lock)
            {
                // Additive increase: one more after a cap's worth of connections went through.
                if (++_successes >= _cap && _cap < _ceiling)
                {
                    (_cap, _successes) = (_cap + 1, 0);
                    Grant();
                }
            }
        }

        public void Refused(Slot slot, string reason)
        {
            lock (_lock)
            {
                _refusals++;
                _reasons[reason] = _reasons.GetValueOrDefault(reason) + 1;
                if (slot.Generation == _generation)
                {
                    // Multiplicative decrease.
                    (_cap, _successes, _generation) = (Math.Max(1, _cap / 2), 0, _generation + 1);
                    _lowest = Math.Min(_lowest, _cap);
                }
            }
        }

        private void Release()
        {
            lock (_lock)
            {
                _inUse--;
                Grant();
            }
        }

        /// <summary>Hands free places to the connections waiting, first come first served (a cancelled one is skipped).</summary>
        private void Grant()
        {
            while (_inUse < _cap && _waiting.TryDequeue(out var next))
            {
                if (next.TrySetResult())
                {
                    _inUse++;
                }
            }
        }

        public PlatformCap? Summary()
        {
            lock (_lock)
            {
                return _refusals == 0 ? null
                    : new PlatformCap(platform, _ceiling, _lowest, _cap, _refusals, new Dictionary<string, int>(_reasons, StringComparer.Ordinal));
            }
        }

        public sealed class Slot(PlatformWindow window, int generation, ClusterLease? place) : IDisposable
        {
            private int _released;

            public int Generation { get; } = generation;

            /// <summary>The place taken in the cluster's shared cap, if any.</summary>
            public ClusterLease? Place { get; } = place;

            public void Dispose()
            {
                if (Interlocked.Exchange(ref _released, 1) == 0)
                {
                    Place?.Dispose();
                    window.Release();
                }
            }
        }
    }
}

/// <summary>A device's connection was refused or reset on every attempt the retry policy allowed: the device fails with
/// the last reason, and its node does not retry it again (its own retries are for command failures).</summary>
public sealed class ConnectGaveUpException(DeviceException last, string reason, int attempts)
    : DeviceException(last?.Device ?? "?", $"{reason}, gave up after {attempts} attempt(s): {last?.Detail}", last)
{
    public string Reason { get; } = reason;

    public int Attempts { get; } = attempts;
}
