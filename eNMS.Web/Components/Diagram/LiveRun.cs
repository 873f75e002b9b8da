using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Automation.Workflows;

namespace eNMS.Web.Components.Diagram;

/// <summary>
/// What a run did so far, per top-level workflow node: which devices are there now, how each came out, the path
/// each device took and so the edges taken. Fed by the run's events (and its stored results when a page opens
/// mid-run); thread-safe, since events arrive on the engine's threads.
/// </summary>
public sealed class LiveRun
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Dictionary<string, string>> _states = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<RunResult>> _results = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _paths = new(StringComparer.Ordinal);

    /// <summary>The device's name, or "(run)" for what runs once per run.</summary>
    public static string DeviceKey(string deviceName) => deviceName.Length > 0 ? deviceName : "(run)";

    /// <summary>Applies an event; returns the top-level node it concerns, or null.</summary>
    public string? Apply(RunEvent runEvent) => runEvent switch
    {
        NodeStarted s => Set(s.Node, s.DeviceName, "running", null),
        ResultRecorded r when !r.Recorded.IsRunLevel =>
            Set(r.Recorded.Node, r.Recorded.DeviceName, r.Recorded.Skipped ? "skipped" : r.Recorded.Success ? "success" : "failure", r.Recorded),
        _ => null,
    };

    /// <summary>Forgets everything (before the stored results are read again).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _states.Clear();
            _results.Clear();
            _paths.Clear();
        }
    }

    public NodeTally Tally(string node)
    {
        lock (_lock)
        {
            if (!_states.TryGetValue(node, out var devices))
            {
                return NodeTally.Idle;
            }
            int Count(string state) => devices.Values.Count(s => s == state);
            return new NodeTally(Count("running"), Count("success"), Count("failure"), Count("skipped"));
        }
    }

    public IReadOnlyList<RunResult> ResultsAt(string node)
    {
        lock (_lock)
        {
            return _results.TryGetValue(node, out var list) ? [.. list] : [];
        }
    }

    /// <summary>The nodes a device went through, in order.</summary>
    public IReadOnlyList<string> PathOf(string deviceKey)
    {
        lock (_lock)
        {
            return _paths.TryGetValue(deviceKey, out var path) ? [.. path] : [];
        }
    }

    /// <summary>Edges some device took so far: it left the first node with that outcome and reached the second.</summary>
    public HashSet<(string From, string To, EdgeKind Kind)> TakenEdges(string? deviceKey = null)
    {
        lock (_lock)
        {
            var taken = new HashSet<(string, string, EdgeKind)>();
            foreach (var (device, path) in _paths.Where(p => deviceKey is null || p.Key == deviceKey))
            {
                for (var i = 0; i + 1 < path.Count; i++)
                {
                    var state = _states[path[i]].GetValueOrDefault(device);
                    taken.Add((path[i], path[i + 1], state == "failure" ? EdgeKind.Failure : EdgeKind.Success));
                }
            }
            return taken;
        }
    }

    private string Set(string nodePath, string deviceName, string state, RunResult? result)
    {
        // A nested workflow's nodes ("outer/inner") count for the outer node that runs it.
        var node = nodePath.Split('/')[0];
        var device = DeviceKey(deviceName);
        lock (_lock)
        {
            (_states.TryGetValue(node, out var devices) ? devices : _states[node] = new(StringComparer.Ordinal))[device] = state;
            var path = _paths.TryGetValue(device, out var p) ? p : _paths[device] = [];
            if (path.Count == 0 || path[^1] != node)
            {
                path.Add(node);
            }
            if (result is not null)
            {
                (_results.TryGetValue(node, out var list) ? list : _results[node] = []).Add(result);
            }
        }
        return node;
    }
}
