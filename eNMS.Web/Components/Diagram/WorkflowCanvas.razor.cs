using Blazor.Diagrams;
using Blazor.Diagrams.Core.Anchors;
using Blazor.Diagrams.Core.Geometry;
using Blazor.Diagrams.Core.Models;
using Blazor.Diagrams.Core.Models.Base;
using Blazor.Diagrams.Core.PathGenerators;
using Blazor.Diagrams.Core.Routers;
using Blazor.Diagrams.Options;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Automation.Workflows;
using eNMS.Core.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.JSInterop;

namespace eNMS.Web.Components.Diagram;

/// <summary>
/// Holds the diagram of one workflow graph and converts it back (<see cref="ToGraph"/>); a watched run's live state
/// is put on it by a <see cref="LiveRunTracker"/>.
/// </summary>
public sealed partial class WorkflowCanvas
{
    private List<string> _problems = [];
    private LiveRunTracker? _tracker;
    // Loading a saved graph adds nodes and links too: that is not a change to report.
    private bool _loading;
    private string _start = "";
    private WorkflowGraph? _shown;
    private ElementReference _host;
    private IJSObjectReference? _shortcutGuard;
    private bool _framed;

    [Parameter, EditorRequired] public WorkflowGraph Graph { get; set; } = default!;
    /// <summary>Every service a node may run, by id.</summary>
    [Parameter, EditorRequired] public IReadOnlyDictionary<int, Service> Services { get; set; } = default!;
    [Parameter] public int WorkflowId { get; set; }
    [Parameter] public bool ReadOnly { get; set; }
    /// <summary>The selected service node, or null.</summary>
    [Parameter] public EventCallback<ServiceNodeModel?> NodeSelected { get; set; }
    /// <summary>The selected note, or null.</summary>
    [Parameter] public EventCallback<NoteNodeModel?> NoteSelected { get; set; }
    /// <summary>Something was dropped on the canvas at this diagram point.</summary>
    [Parameter] public EventCallback<Point> Dropped { get; set; }
    /// <summary>Nodes or edges were added or removed.</summary>
    [Parameter] public EventCallback Changed { get; set; }

    [Inject] private RunNotifier Notifier { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;

    public BlazorDiagram Diagram { get; private set; } = default!;
    public LiveRun? Live => _tracker?.Live;
    public int? WatchedRunId => _tracker?.RunId;
    public IReadOnlyList<string> Problems => _problems;

    protected override void OnParametersSet()
    {
        if (ReferenceEquals(_shown, Graph))
        {
            return;
        }
        _shown = Graph;
        Diagram = CreateDiagram();
        Load(Graph);
    }

    private BlazorDiagram CreateDiagram()
    {
        var options = new BlazorDiagramOptions
        {
            AllowMultiSelection = !ReadOnly,
            GridSize = ReadOnly ? null : 20,
            Zoom = { Enabled = true, Minimum = 0.1, Maximum = 3 },
            Links =
            {
                DefaultRouter = new NormalRouter(),
                DefaultPathGenerator = new SmoothPathGenerator(),
                RequireTarget = true,
                EnableSnapping = true,
                SnappingRadius = 40,
                // The port a link starts from says which edge it is; the input port never starts one.
                Factory = (_, source, target) => source is PortModel { Alignment: PortAlignment.Right or PortAlignment.Bottom } port && !ReadOnly
                    ? new WorkflowLinkModel(port.Alignment == PortAlignment.Right ? EdgeKind.Success : EdgeKind.Failure, new SinglePortAnchor(port), target)
                    : null,
                TargetAnchorFactory = (_, _, model) => model switch
                {
                    ServiceNodeModel node => new SinglePortAnchor(node.Input),
                    PortModel { Parent: ServiceNodeModel node } => new SinglePortAnchor(node.Input),
                    NodeModel node => new ShapeIntersectionAnchor(node),
                    _ => throw new InvalidOperationException("A link ends on a node."),
                },
            },
            Constraints =
            {
                ShouldDeleteNode = _ => ValueTask.FromResult(!ReadOnly),
                ShouldDeleteLink = _ => ValueTask.FromResult(!ReadOnly),
            },
        };
        var diagram = new BlazorDiagram(options);
        diagram.RegisterComponent<ServiceNodeModel, ServiceNodeWidget>();
        diagram.RegisterComponent<NoteNodeModel, NoteNodeWidget>();
        diagram.Nodes.Added += node =>
        {
            node.Moved += _ => GraphChanged(validate: false);
            GraphChanged();
        };
        diagram.Nodes.Removed += _ => GraphChanged();
        diagram.Links.Added += link => link.TargetAttached += _ => GraphChanged();
        diagram.Links.Removed += _ => GraphChanged();
        diagram.SelectionChanged += OnSelectionChanged;
        RegisterShortcuts(diagram);
        return diagram;
    }

    private void Load(WorkflowGraph graph)
    {
        _start = graph.Start;
        _loading = true;
        Diagram.Batch(() =>
        {
            var nodes = new Dictionary<string, ServiceNodeModel>(StringComparer.Ordinal);
            foreach (var node in graph.Nodes)
            {
                var service = Services.GetValueOrDefault(node.ServiceId) ?? new Service { Id = node.ServiceId, Name = $"#{node.ServiceId} (missing)", Kind = "?" };
                nodes[node.Id] = Diagram.Nodes.Add(new ServiceNodeModel(node.Id, new Point(node.X, node.Y), service)
                {
                    Label = node.Label,
                    IsStart = node.Id == graph.Start,
                    Locked = ReadOnly,
                });
            }
            foreach (var edge in graph.Edges.Where(e => nodes.ContainsKey(e.From) && nodes.ContainsKey(e.To)))
            {
                var from = nodes[edge.From];
                var link = new WorkflowLinkModel(edge.Kind, new SinglePortAnchor(edge.Kind == EdgeKind.Success ? from.Success : from.Failure),
                    new SinglePortAnchor(nodes[edge.To].Input))
                { Locked = ReadOnly };
                Diagram.Links.Add(link);
            }
            foreach (var note in graph.Notes)
            {
                Diagram.Nodes.Add(new NoteNodeModel(new Point(note.X, note.Y), note.Text) { Locked = ReadOnly });
            }
        });
        _loading = false;
        Validate();
        if (!_restoring)
        {
            ResetHistory();
        }
        if (ReadOnly)
        {
            // A read-only canvas (a run's page) cannot be arranged by hand: it frames the whole graph once every node
            // and the canvas itself have their size, so a failure branch laid out below or to the right is in view.
            _framed = false;
            Diagram.ContainerChanged += FrameWhenMeasured;
            foreach (var node in Diagram.Nodes)
            {
                node.SizeChanged += FrameWhenMeasured;
            }
        }
    }

    private void FrameWhenMeasured(NodeModel _) => FrameWhenMeasured();

    private void FrameWhenMeasured()
    {
        if (_framed || Diagram.Container is null || Diagram.Nodes.Count == 0 || Diagram.Nodes.Any(n => n.Size is null))
        {
            return;
        }
        _framed = true;
        Diagram.ZoomToFit(40);
        if (Diagram.Zoom > 1)
        {
            // A small graph is shown at its natural size, not blown up to fill the canvas.
            Diagram.SetZoom(1);
        }
    }

    /// <summary>The graph as drawn now: nodes with their positions, attached edges, notes.</summary>
    public WorkflowGraph ToGraph()
    {
        var nodes = Diagram.Nodes.OfType<ServiceNodeModel>().ToList();
        var edges = Diagram.Links.OfType<WorkflowLinkModel>()
            .Select(l => (From: (l.Source.Model as PortModel)?.Parent as ServiceNodeModel, To: TargetOf(l), l.Kind))
            .Where(e => e.From is not null && e.To is not null)
            .Select(e => new WorkflowEdge { From = e.From!.Id, To = e.To!.Id, Kind = e.Kind })
            .DistinctBy(e => (e.From, e.To, e.Kind)).ToList();
        var start = nodes.Any(n => n.Id == _start) ? _start : nodes.FirstOrDefault()?.Id ?? "";
        return new WorkflowGraph
        {
            Start = start,
            Mode = Graph.Mode,
            MaxIterations = Graph.MaxIterations,
            Nodes = [.. nodes.Select(n => new WorkflowNode { Id = n.Id, ServiceId = n.ServiceId, Label = n.Label, X = Math.Round(n.Position.X), Y = Math.Round(n.Position.Y) })],
            Edges = edges,
            Notes = [.. Diagram.Nodes.OfType<NoteNodeModel>().Select(n => new WorkflowNote { Text = n.Text, X = Math.Round(n.Position.X), Y = Math.Round(n.Position.Y) })],
        };
    }

    internal static ServiceNodeModel? TargetOf(BaseLinkModel link) => link.Target.Model switch
    {
        ServiceNodeModel node => node,
        PortModel { Parent: ServiceNodeModel node } => node,
        _ => null,
    };

    public ServiceNodeModel AddService(Service service, Point position)
    {
        ArgumentNullException.ThrowIfNull(service);
        var existing = Diagram.Nodes.Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
        var id = Enumerable.Range(1, int.MaxValue - 1).Select(i => $"n{i}").First(candidate => !existing.Contains(candidate));
        var node = new ServiceNodeModel(id, position, service);
        if (!Diagram.Nodes.OfType<ServiceNodeModel>().Any())
        {
            (_start, node.IsStart) = (id, true);
        }
        Diagram.Nodes.Add(node);
        Diagram.SelectModel(node, unselectOthers: true);
        return node;
    }

    public void AddNote(string text) => Diagram.Nodes.Add(new NoteNodeModel(FreeSpot(), text));

    /// <summary>Below everything already drawn, so a new node never hides another.</summary>
    public Point FreeSpot() =>
        Diagram.Nodes.Count == 0 ? new Point(40, 40) : new Point(40, Diagram.Nodes.Max(n => n.Position.Y + (n.Size?.Height ?? 80)) + 40);

    public void MakeStart(ServiceNodeModel node)
    {
        ArgumentNullException.ThrowIfNull(node);
        _start = node.Id;
        foreach (var other in Diagram.Nodes.OfType<ServiceNodeModel>())
        {
            other.IsStart = other.Id == _start;
            other.Refresh();
        }
        GraphChanged();
    }

    public void Refresh(ServiceNodeModel node)
    {
        ArgumentNullException.ThrowIfNull(node);
        node.Refresh();
        GraphChanged();
    }

    /// <summary>Layered layout, left to right, then fit the view.</summary>
    public void Arrange()
    {
        var graph = ToGraph();
        WorkflowLayout.Arrange(graph);
        var positions = graph.Nodes.ToDictionary(n => n.Id, n => (n.X, n.Y), StringComparer.Ordinal);
        Diagram.Batch(() =>
        {
            foreach (var node in Diagram.Nodes.OfType<ServiceNodeModel>())
            {
                var (x, y) = positions[node.Id];
                node.SetPosition(x, y);
            }
        });
        Fit();
    }

    public void Fit() => Diagram.ZoomToFit(40);

    public void Zoom(double factor) => Diagram.SetZoom(Math.Clamp(Diagram.Zoom * factor, 0.1, 3));

    public void DeleteSelected()
    {
        if (ReadOnly)
        {
            return;
        }
        var selected = Diagram.GetSelectedModels().ToList();
        Diagram.Batch(() =>
        {
            Diagram.Links.Remove(selected.OfType<BaseLinkModel>().ToList());
            var nodes = selected.OfType<NodeModel>().ToList();
            Diagram.Links.Remove(nodes.SelectMany(n => n.PortLinks.Concat(n.Links)).Distinct().ToList());
            Diagram.Nodes.Remove(nodes);
        });
    }

    /// <summary>Runs the validator on the graph as drawn and marks the nodes it names.</summary>
    public void Validate()
    {
        var graph = ToGraph();
        _problems = WorkflowValidator.Problems(graph, Services, WorkflowId);
        foreach (var node in Diagram.Nodes.OfType<ServiceNodeModel>())
        {
            var problem = string.Join(" ", _problems.Where(p => p.Contains($"'{node.DisplayName}'", StringComparison.Ordinal) || p.Contains($"'{node.Id}'", StringComparison.Ordinal)));
            if (problem != node.Problem)
            {
                node.Problem = problem;
                node.Refresh();
            }
        }
    }

    private void GraphChanged(bool validate = true)
    {
        if (ReadOnly || _loading)
        {
            return;
        }
        if (validate)
        {
            Validate();
        }
        ScheduleSnapshot();
        _ = InvokeAsync(async () =>
        {
            StateHasChanged();
            await Changed.InvokeAsync();
        });
    }

    private void OnSelectionChanged(SelectableModel model)
    {
        var selected = Diagram.GetSelectedModels().ToList();
        _ = InvokeAsync(async () =>
        {
            await NodeSelected.InvokeAsync(selected.OfType<ServiceNodeModel>().FirstOrDefault());
            await NoteSelected.InvokeAsync(selected.OfType<NoteNodeModel>().FirstOrDefault());
        });
    }

    private Task OnDropAsync(DragEventArgs e) =>
        ReadOnly ? Task.CompletedTask : Dropped.InvokeAsync(Diagram.GetRelativeMousePoint(e.ClientX, e.ClientY));

    /// <summary>Shows a run live on the nodes: follows the events <paramref name="scope"/> lets the user see, and
    /// what <paramref name="loadRecorded"/> reads of the results stored so far (see <see cref="LiveRunTracker"/>).</summary>
    public Task Watch(int runId, RunEventScope scope, Func<Task<IReadOnlyList<RunResult>>> loadRecorded)
    {
        _tracker?.Dispose();
        _tracker = new LiveRunTracker(Diagram, Notifier, runId, scope, loadRecorded, InvokeAsync);
        return _tracker.Loaded;
    }

    /// <summary>Highlights one device's path (null: none).</summary>
    public void ShowPath(string? deviceKey) => _tracker?.ShowPath(deviceKey);

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && !ReadOnly)
        {
            var module = await JS.InvokeAsync<IJSObjectReference?>("import", "./dist/designer.js");
            if (module is not null)
            {
                _shortcutGuard = await module.InvokeAsync<IJSObjectReference?>("guardShortcuts", _host);
                await module.DisposeAsync();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _tracker?.Dispose();
        if (_shortcutGuard is not null)
        {
            try
            {
                await _shortcutGuard.InvokeVoidAsync("dispose");
                await _shortcutGuard.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The page is gone, and its listener with it.
            }
        }
    }
}
