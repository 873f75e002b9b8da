using Blazor.Diagrams;
using Blazor.Diagrams.Core.Models;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Security;

namespace eNMS.Web.Components.Diagram;

/// <summary>
/// Follows one run on a workflow diagram: folds each batch of its <see cref="RunFeed"/> (a frame at most) into a
/// <see cref="LiveRun"/> and shows it, refreshing only the nodes and links that changed: a run over 200 nodes and
/// many devices never re-renders the whole canvas. Batches arrive on the feed's thread; the diagram is only touched
/// through <c>invoke</c> (the component's renderer dispatcher).
/// </summary>
public sealed class LiveRunTracker : IDisposable
{
    private readonly BlazorDiagram _diagram;
    private readonly Func<Action, Task> _invoke;
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly Lock _dirtyLock = new();
    private readonly RunFeed _feed;
    private readonly Func<Task<IReadOnlyList<RunResult>>> _loadRecorded;
    private string? _pathDevice;

    /// <summary>Follows the events <paramref name="scope"/> lets the user see, then loads what the run recorded so far.</summary>
    /// <remarks><paramref name="loadRecorded"/> reads the run's stored results, only once the subscription is in place:
    /// a result recorded before the watch began is stored by then, one recorded after comes as an event (and one that
    /// does both is counted once per device and node). A list handed over by the caller instead would miss the results
    /// recorded between the caller's read and this subscription, and leave their nodes idle for good.</remarks>
    public LiveRunTracker(BlazorDiagram diagram, RunNotifier notifier, int runId, RunEventScope scope, Func<Task<IReadOnlyList<RunResult>>> loadRecorded,
        Func<Action, Task> invoke)
    {
        ArgumentNullException.ThrowIfNull(notifier);
        ArgumentNullException.ThrowIfNull(loadRecorded);
        (_diagram, _invoke, _loadRecorded, RunId) = (diagram, invoke, loadRecorded, runId);
        _feed = notifier.Feed(runId, scope, ApplyAsync, RunFeedOptions.Frame with { Wants = e => e is NodeStarted or ResultRecorded });
        Loaded = LoadAsync();
    }

    /// <summary>Completes when the stored results are on the diagram.</summary>
    public Task Loaded { get; }

    private async Task LoadAsync()
    {
        foreach (var result in await _loadRecorded())
        {
            Live.Apply(new ResultRecorded(RunId, result));
        }
        MarkAllDirty();
        await _invoke(Flush);
    }

    public int RunId { get; }
    public LiveRun Live { get; } = new();

    /// <summary>Highlights one device's path (null: none). Call on the renderer's dispatcher.</summary>
    public void ShowPath(string? deviceKey)
    {
        _pathDevice = deviceKey;
        MarkAllDirty();
        Flush();
    }

    private void MarkAllDirty()
    {
        lock (_dirtyLock)
        {
            _dirty.UnionWith(_diagram.Nodes.Select(n => n.Id));
        }
    }

    /// <summary>A batch that overflowed starts again from the stored results, then applies what came after.</summary>
    private async Task ApplyAsync(RunEventBatch batch)
    {
        if (batch.Reload)
        {
            Live.Clear();
            await LoadAsync();
        }
        foreach (var runEvent in batch.Events)
        {
            if (Live.Apply(runEvent) is { } node)
            {
                lock (_dirtyLock)
                {
                    _dirty.Add(node);
                }
            }
        }
        await _invoke(Flush);
    }

    /// <summary>Puts the live state on the nodes that changed since the last flush, and on the links.</summary>
    private void Flush()
    {
        List<string> dirty;
        lock (_dirtyLock)
        {
            dirty = [.. _dirty];
            _dirty.Clear();
        }
        var path = _pathDevice is null ? [] : Live.PathOf(_pathDevice).ToHashSet(StringComparer.Ordinal);
        var onPathEdges = _pathDevice is null ? [] : Live.TakenEdges(_pathDevice);
        var taken = Live.TakenEdges();
        foreach (var node in _diagram.Nodes.OfType<ServiceNodeModel>().Where(n => dirty.Contains(n.Id)))
        {
            var tally = Live.Tally(node.Id);
            var onPath = path.Contains(node.Id);
            if (tally != node.Live || onPath != node.OnPath)
            {
                (node.Live, node.OnPath) = (tally, onPath);
                node.Refresh();
            }
        }
        foreach (var link in _diagram.Links.OfType<WorkflowLinkModel>())
        {
            var from = (link.Source.Model as PortModel)?.Parent as ServiceNodeModel;
            var to = WorkflowCanvas.TargetOf(link);
            if (from is null || to is null)
            {
                continue;
            }
            var key = (from.Id, to.Id, link.Kind);
            var (isTaken, isOnPath) = (taken.Contains(key), onPathEdges.Contains(key));
            if (isTaken != link.Taken || isOnPath || link.Width == 6)
            {
                link.SetTaken(isTaken, isOnPath);
                link.Refresh();
            }
        }
    }

    public void Dispose() => _feed.Dispose();
}
