using System.Text.Json;
using Blazor.Diagrams;
using Blazor.Diagrams.Core.Anchors;
using Blazor.Diagrams.Core.Behaviors;
using Blazor.Diagrams.Core.Geometry;
using Blazor.Diagrams.Core.Models;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Workflows;

namespace eNMS.Web.Components.Diagram;

/// <summary>
/// The designer's editing commands and their keyboard shortcuts (on the focused canvas): undo (Ctrl+Z), redo (Ctrl+Y,
/// Ctrl+Shift+Z), copy (Ctrl+C), paste (Ctrl+V), select all (Ctrl+A), delete (Delete, Backspace). Undo keeps snapshots
/// of the graph as drawn (<see cref="ToGraph"/>): one per user action, however many diagram events the action fired.
/// </summary>
public sealed partial class WorkflowCanvas
{
    /// <summary>How many steps undo can go back.</summary>
    public const int HistoryLength = 100;

    private static readonly JsonSerializerOptions SnapshotJson = new(JsonSerializerDefaults.Web);

    private readonly List<string> _history = [];
    private int _historyPosition = -1;
    private bool _snapshotScheduled;
    private bool _restoring;
    private CopiedNodes? _clipboard;
    private int _pastes;
    private Point _copyOrigin = new(40, 40);

    /// <summary>What was copied: nodes and notes relative to the copy's top-left corner, and the edges between those nodes.</summary>
    private sealed record CopiedNodes(List<(WorkflowNode Node, Service Service)> Nodes, List<WorkflowEdge> Edges, List<WorkflowNote> Notes);

    public bool CanUndo => _historyPosition > 0;

    public bool CanRedo => _historyPosition >= 0 && _historyPosition < _history.Count - 1;

    private void RegisterShortcuts(BlazorDiagram diagram)
    {
        var shortcuts = diagram.GetBehavior<KeyboardShortcutsBehavior>();
        if (shortcuts is null || ReadOnly)
        {
            return;
        }
        // The library groups nodes on Ctrl+Alt+G: a workflow has no groups, so the graph could not keep one.
        shortcuts.RemoveShortcut("g", ctrl: true, shift: false, alt: true);
        shortcuts.SetShortcut("Delete", false, false, false, _ => Command(DeleteSelected));
        shortcuts.SetShortcut("Backspace", false, false, false, _ => Command(DeleteSelected));
        shortcuts.SetShortcut("z", true, false, false, _ => Command(Undo));
        shortcuts.SetShortcut("Z", true, true, false, _ => Command(Redo));
        shortcuts.SetShortcut("y", true, false, false, _ => Command(Redo));
        shortcuts.SetShortcut("c", true, false, false, _ => Command(Copy));
        shortcuts.SetShortcut("v", true, false, false, _ => Command(Paste));
        shortcuts.SetShortcut("a", true, false, false, _ => Command(SelectAll));
    }

    private static ValueTask Command(Action action)
    {
        action();
        return ValueTask.CompletedTask;
    }

    /// <summary>Starts the history at the graph just loaded.</summary>
    private void ResetHistory()
    {
        _history.Clear();
        _history.Add(Snapshot());
        _historyPosition = 0;
    }

    private string Snapshot() => JsonSerializer.Serialize(ToGraph(), SnapshotJson);

    /// <summary>Records the graph once the current action is over: a delete fires an event per link and node, and
    /// they make one step.</summary>
    private void ScheduleSnapshot()
    {
        if (_restoring || _snapshotScheduled || ReadOnly)
        {
            return;
        }
        _snapshotScheduled = true;
        _ = InvokeAsync(async () =>
        {
            // Yields to the renderer's queue, so that every event of the same action has fired first.
            await Task.Yield();
            _snapshotScheduled = false;
            RecordSnapshot();
            StateHasChanged();
        });
    }

    /// <summary>Adds the graph as drawn now to the history, unless nothing changed; a change after an undo drops the redo steps.</summary>
    public void RecordSnapshot()
    {
        if (_historyPosition < 0 || ReadOnly)
        {
            return;
        }
        var snapshot = Snapshot();
        if (snapshot == _history[_historyPosition])
        {
            return;
        }
        _history.RemoveRange(_historyPosition + 1, _history.Count - _historyPosition - 1);
        _history.Add(snapshot);
        if (_history.Count > HistoryLength + 1)
        {
            _history.RemoveAt(0);
        }
        _historyPosition = _history.Count - 1;
    }

    public void Undo()
    {
        RecordSnapshot();
        if (CanUndo)
        {
            Restore(_history[--_historyPosition]);
        }
    }

    public void Redo()
    {
        if (CanRedo)
        {
            Restore(_history[++_historyPosition]);
        }
    }

    private void Restore(string snapshot)
    {
        var graph = JsonSerializer.Deserialize<WorkflowGraph>(snapshot, SnapshotJson)!;
        _restoring = true;
        try
        {
            Diagram.UnselectAll();
            Diagram.Batch(() =>
            {
                Diagram.Links.Remove(Diagram.Links.ToList());
                Diagram.Nodes.Remove(Diagram.Nodes.ToList());
            });
            Load(graph);
        }
        finally
        {
            _restoring = false;
        }
        _ = InvokeAsync(async () =>
        {
            StateHasChanged();
            await Changed.InvokeAsync();
        });
    }

    public void SelectAll()
    {
        foreach (var node in Diagram.Nodes)
        {
            Diagram.SelectModel(node, unselectOthers: false);
        }
        foreach (var link in Diagram.Links)
        {
            Diagram.SelectModel(link, unselectOthers: false);
        }
    }

    /// <summary>Copies the selected nodes and notes, with the edges between the selected nodes.</summary>
    public void Copy()
    {
        var selected = Diagram.GetSelectedModels().ToList();
        var nodes = selected.OfType<ServiceNodeModel>().ToList();
        var notes = selected.OfType<NoteNodeModel>().ToList();
        if (nodes.Count == 0 && notes.Count == 0)
        {
            return;
        }
        var positions = nodes.Select(n => n.Position).Concat(notes.Select(n => n.Position)).ToList();
        var (left, top) = (positions.Min(p => p.X), positions.Min(p => p.Y));
        var ids = nodes.Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
        var graph = ToGraph();
        _clipboard = new CopiedNodes(
            [.. nodes.Select(n => (new WorkflowNode { Id = n.Id, ServiceId = n.ServiceId, Label = n.Label, X = n.Position.X - left, Y = n.Position.Y - top },
                Services.GetValueOrDefault(n.ServiceId) ?? new Service { Id = n.ServiceId, Name = n.ServiceName, Kind = n.Kind }))],
            [.. graph.Edges.Where(e => ids.Contains(e.From) && ids.Contains(e.To))],
            [.. notes.Select(n => new WorkflowNote { Text = n.Text, X = n.Position.X - left, Y = n.Position.Y - top })]);
        (_copyOrigin, _pastes) = (new Point(left, top), 0);
    }

    /// <summary>Adds a copy of what was copied, shifted so that it never lies exactly over the original, and selects it.</summary>
    public void Paste()
    {
        if (_clipboard is not { } copied || ReadOnly)
        {
            return;
        }
        _pastes++;
        var anchor = new Point(_copyOrigin.X + 40 * _pastes, _copyOrigin.Y + 40 * _pastes);
        var existing = Diagram.Nodes.Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
        var next = 1;
        string NewId()
        {
            while (existing.Contains($"n{next}"))
            {
                next++;
            }
            existing.Add($"n{next}");
            return $"n{next}";
        }
        var added = new List<NodeModel>();
        var newIds = new Dictionary<string, ServiceNodeModel>(StringComparer.Ordinal);
        Diagram.Batch(() =>
        {
            foreach (var (node, service) in copied.Nodes)
            {
                var model = new ServiceNodeModel(NewId(), new Point(anchor.X + node.X, anchor.Y + node.Y), service) { Label = node.Label };
                newIds[node.Id] = Diagram.Nodes.Add(model);
                added.Add(model);
            }
            foreach (var edge in copied.Edges)
            {
                var from = newIds[edge.From];
                Diagram.Links.Add(new WorkflowLinkModel(edge.Kind, new SinglePortAnchor(edge.Kind == EdgeKind.Success ? from.Success : from.Failure),
                    new SinglePortAnchor(newIds[edge.To].Input)));
            }
            foreach (var note in copied.Notes)
            {
                added.Add(Diagram.Nodes.Add(new NoteNodeModel(new Point(anchor.X + note.X, anchor.Y + note.Y), note.Text)));
            }
        });
        Diagram.UnselectAll();
        foreach (var model in added)
        {
            Diagram.SelectModel(model, unselectOthers: false);
        }
    }
}
