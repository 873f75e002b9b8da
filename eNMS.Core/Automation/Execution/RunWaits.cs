namespace eNMS.Core.Automation.Execution;

/// <summary>A run's waits changed: what it waits for now (empty: it works, or ended), for the run page. Not relayed to
/// other cluster nodes (a waiting run's page on another node reads its log).</summary>
public sealed record RunWaitsChanged(int RunId, IReadOnlyList<string> WaitingFor) : RunEvent(RunId);

/// <summary>
/// What this node's runs wait for (approvals, the wait between rollout batches, a deferring change freeze, batches on
/// other cluster nodes), counted per run and reason for the run page, and the bound on waiting runs: at most
/// <see cref="RunSlots.WaitingRuns"/> runs of this node give their execution slot back while they wait (Quartz's pool
/// has room for that many idle runs); a run that begins to wait beyond it keeps its slot until its waits end. The
/// waits themselves go through <see cref="RunScope.WaitAsync{T}"/>, their one owner.
/// </summary>
public sealed class RunWaits(RunNotifier notifier)
{
    /// <summary>Different reasons kept per run (a thousand devices at one gate are one reason).</summary>
    public const int MaxReasonsPerRun = 20;

    private readonly Lock _lock = new();
    private readonly Dictionary<int, Waiting> _runs = [];
    private int _released;

    /// <summary>What the run waits for now on this node ("approval at 'gate' (3 devices)"), empty when nothing.</summary>
    public IReadOnlyList<string> Of(int runId)
    {
        lock (_lock)
        {
            return _runs.TryGetValue(runId, out var waiting) ? waiting.Describe() : [];
        }
    }

    /// <summary>Runs waiting on this node now, and those among them that gave their slot back.</summary>
    public (int Runs, int Released) Counts
    {
        get
        {
            lock (_lock)
            {
                return (_runs.Count, _released);
            }
        }
    }

    /// <summary>Counts a wait of the run until the returned handle is disposed. <see cref="Wait.GivesBack"/>: the run is
    /// among the waiting runs that give their slot back (decided at its first wait, kept until its last one ends).</summary>
    public Wait Begin(int runId, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        IReadOnlyList<string> now;
        bool givesBack;
        lock (_lock)
        {
            if (!_runs.TryGetValue(runId, out var waiting))
            {
                waiting = new Waiting(_released < RunSlots.WaitingRuns);
                _released += waiting.Released ? 1 : 0;
                _runs[runId] = waiting;
            }
            var key = waiting.Reasons.ContainsKey(reason) || waiting.Reasons.Count < MaxReasonsPerRun ? reason : Waiting.Other;
            waiting.Reasons[key] = waiting.Reasons.GetValueOrDefault(key) + 1;
            (now, givesBack) = (waiting.Describe(), waiting.Released);
            reason = key;
        }
        notifier.Publish(new RunWaitsChanged(runId, now));
        return new Wait(this, runId, reason, givesBack);
    }

    private void End(int runId, string reason)
    {
        IReadOnlyList<string> now;
        lock (_lock)
        {
            if (!_runs.TryGetValue(runId, out var waiting))
            {
                return;
            }
            if (--waiting.Reasons[reason] == 0)
            {
                waiting.Reasons.Remove(reason);
            }
            if (waiting.Reasons.Count == 0)
            {
                _runs.Remove(runId);
                _released -= waiting.Released ? 1 : 0;
            }
            now = waiting.Describe();
        }
        notifier.Publish(new RunWaitsChanged(runId, now));
    }

    /// <summary>One wait of a run, counted until disposed.</summary>
    public sealed class Wait(RunWaits owner, int runId, string reason, bool givesBack) : IDisposable
    {
        private int _ended;

        /// <summary>The run gives its execution slot back while it waits (else this node's bound of waiting runs is reached).</summary>
        public bool GivesBack { get; } = givesBack;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0)
            {
                owner.End(runId, reason);
            }
        }
    }

    private sealed class Waiting(bool released)
    {
        public const string Other = "other waits";

        public bool Released { get; } = released;

        public Dictionary<string, int> Reasons { get; } = new(StringComparer.Ordinal);

        public List<string> Describe() =>
            [.. Reasons.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Value == 1 ? r.Key : $"{r.Key} ({r.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)} devices)")];
    }
}
