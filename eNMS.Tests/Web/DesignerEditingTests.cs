using Blazor.Diagrams.Core.Anchors;
using Blazor.Diagrams.Core.Events;
using Blazor.Diagrams.Core.Geometry;
using Blazor.Diagrams.Core.Models;
using Bunit;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Automation.Workflows;
using eNMS.Web.Components.Diagram;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Web;

/// <summary>The designer canvas's editing commands, their keyboard shortcuts (as the diagram receives them from the
/// focused canvas), and where a new edge attaches while it is drawn.</summary>
public sealed class DesignerEditingTests : WebTestContext
{
    private static readonly Dictionary<int, Service> Catalogue = new()
    {
        [1] = new Service { Id = 1, Name = "backup", Kind = "config_backup" },
        [2] = new Service { Id = 2, Name = "check", Kind = "ping" },
        [3] = new Service { Id = 3, Name = "notify", Kind = "notification" },
    };

    public DesignerEditingTests()
    {
        Services.AddSingleton<RunNotifier>();
        SetRendererInfo(new RendererInfo("Server", true));
        JSInterop.Setup<Rectangle>("ZBlazorDiagrams.getBoundingClientRect", _ => true).SetResult(new Rectangle(0, 0, 1000, 600));
    }

    private static WorkflowGraph ThreeNodes() => new()
    {
        Start = "n1",
        Nodes =
        [
            new WorkflowNode { Id = "n1", ServiceId = 1, X = 0, Y = 0 },
            new WorkflowNode { Id = "n2", ServiceId = 2, X = 300, Y = 0 },
            new WorkflowNode { Id = "n3", ServiceId = 3, X = 300, Y = 200 },
        ],
        Edges =
        [
            new WorkflowEdge { From = "n1", To = "n2", Kind = EdgeKind.Success },
            new WorkflowEdge { From = "n1", To = "n3", Kind = EdgeKind.Failure },
        ],
    };

    private IRenderedComponent<WorkflowCanvas> RenderCanvas(WorkflowGraph graph) =>
        Render<WorkflowCanvas>(p => p.Add(x => x.Graph, graph).Add(x => x.Services, Catalogue));

    private static void Press(WorkflowCanvas canvas, string key, bool ctrl = false, bool shift = false) =>
        canvas.Diagram.TriggerKeyDown(new KeyboardEventArgs(key, "", 0, ctrl, shift, false));

    private static string Shape(WorkflowGraph graph) =>
        string.Join(" ", graph.Nodes.OrderBy(n => n.Id, StringComparer.Ordinal).Select(n => $"{n.Id}:{n.ServiceId}"))
        + " | " + string.Join(" ", graph.Edges.Select(e => $"{e.From}-{e.Kind}-{e.To}").Order(StringComparer.Ordinal));

    [Fact]
    public async Task Deleting_a_node_with_its_edges_is_one_step_to_undo_and_redo()
    {
        var canvas = RenderCanvas(ThreeNodes());
        var diagram = canvas.Instance.Diagram;
        var before = Shape(canvas.Instance.ToGraph());
        Assert.False(canvas.Instance.CanUndo);

        await canvas.InvokeAsync(() =>
        {
            diagram.SelectModel(diagram.Nodes.Single(n => n.Id == "n1"), unselectOthers: true);
            Press(canvas.Instance, "Delete");
        });
        canvas.WaitForAssertion(() => Assert.Equal("true", canvas.Find("[data-testid=workflow-canvas]").GetAttribute("data-can-undo")));
        var deleted = Shape(canvas.Instance.ToGraph());
        Assert.Equal("n2:2 n3:3 | ", deleted);

        await canvas.InvokeAsync(() => Press(canvas.Instance, "z", ctrl: true));
        Assert.Equal(before, Shape(canvas.Instance.ToGraph()));
        Assert.False(canvas.Instance.CanUndo);

        await canvas.InvokeAsync(() => Press(canvas.Instance, "y", ctrl: true));
        Assert.Equal(deleted, Shape(canvas.Instance.ToGraph()));
        await canvas.InvokeAsync(() => Press(canvas.Instance, "z", ctrl: true));
        await canvas.InvokeAsync(() => Press(canvas.Instance, "Z", ctrl: true, shift: true));
        Assert.Equal(deleted, Shape(canvas.Instance.ToGraph()));
    }

    [Fact]
    public async Task A_move_is_undone_to_the_position_it_left()
    {
        var canvas = RenderCanvas(ThreeNodes());
        var node = canvas.Instance.Diagram.Nodes.Single(n => n.Id == "n2");

        await canvas.InvokeAsync(() =>
        {
            node.SetPosition(420, 60);
            node.TriggerMoved();
        });
        canvas.WaitForAssertion(() => Assert.True(canvas.Instance.CanUndo));
        await canvas.InvokeAsync(canvas.Instance.Undo);

        var restored = canvas.Instance.ToGraph().Nodes.Single(n => n.Id == "n2");
        Assert.Equal((300, 0), (restored.X, restored.Y));
    }

    [Fact]
    public async Task Copy_and_paste_duplicate_the_selected_nodes_with_the_edges_between_them()
    {
        var canvas = RenderCanvas(ThreeNodes());
        var diagram = canvas.Instance.Diagram;

        await canvas.InvokeAsync(() =>
        {
            diagram.SelectModel(diagram.Nodes.Single(n => n.Id == "n1"), unselectOthers: true);
            diagram.SelectModel(diagram.Nodes.Single(n => n.Id == "n2"), unselectOthers: false);
            Press(canvas.Instance, "c", ctrl: true);
            Press(canvas.Instance, "v", ctrl: true);
        });

        var graph = canvas.Instance.ToGraph();
        Assert.Equal("n1:1 n2:2 n3:3 n4:1 n5:2 | n1-Failure-n3 n1-Success-n2 n4-Success-n5", Shape(graph));
        var (copy, original) = (graph.Nodes.Single(n => n.Id == "n4"), graph.Nodes.Single(n => n.Id == "n1"));
        Assert.Equal((original.X + 40, original.Y + 40), (copy.X, copy.Y));
        // The pasted nodes are the selection, so the next paste or a delete acts on them.
        Assert.Equal(["n4", "n5"], diagram.GetSelectedModels().OfType<ServiceNodeModel>().Select(n => n.Id).Order(StringComparer.Ordinal));
        Assert.Equal("n1", graph.Start);
    }

    [Fact]
    public async Task Select_all_then_delete_empties_the_canvas_and_undo_brings_it_back()
    {
        var canvas = RenderCanvas(ThreeNodes());
        canvas.Instance.AddNote("remember the change window");
        var before = Shape(canvas.Instance.ToGraph());

        await canvas.InvokeAsync(() =>
        {
            Press(canvas.Instance, "a", ctrl: true);
            Press(canvas.Instance, "Backspace");
        });

        Assert.Empty(canvas.Instance.Diagram.Nodes);
        Assert.Empty(canvas.Instance.Diagram.Links);
        await canvas.InvokeAsync(canvas.Instance.Undo);
        Assert.Equal(before, Shape(canvas.Instance.ToGraph()));
        Assert.Equal("remember the change window", Assert.Single(canvas.Instance.ToGraph().Notes).Text);
    }

    [Fact]
    public async Task A_read_only_canvas_ignores_the_editing_shortcuts()
    {
        var canvas = Render<WorkflowCanvas>(p => p.Add(x => x.Graph, ThreeNodes()).Add(x => x.Services, Catalogue).Add(x => x.ReadOnly, true));

        await canvas.InvokeAsync(() =>
        {
            Press(canvas.Instance, "a", ctrl: true);
            Press(canvas.Instance, "Delete");
        });

        Assert.Equal(3, canvas.Instance.Diagram.Nodes.Count);
    }

    /// <summary>Issue 22: "a designer edge can look attached to the wrong port while drawing". Snapping tried every
    /// port near the pointer, so passing by another node's success or failure port showed the new edge attached
    /// there; only an input port may take it.</summary>
    [Fact]
    public async Task A_new_edge_snaps_only_to_an_input_port_while_it_is_drawn()
    {
        var canvas = RenderCanvas(ThreeNodes());
        var diagram = canvas.Instance.Diagram;
        var nodes = diagram.Nodes.OfType<ServiceNodeModel>().ToDictionary(n => n.Id);
        diagram.SetContainer(new Rectangle(0, 0, 1000, 600));
        void Place(PortModel port, double x, double y)
        {
            port.Position = new Point(x, y);
            port.Initialized = true;
        }
        Place(nodes["n3"].Success, 120, 100);
        Place(nodes["n3"].Failure, 60, 160);
        Place(nodes["n3"].Input, 0, 100);
        Place(nodes["n2"].Success, 500, 500);
        var link = default(WorkflowLinkModel);

        await canvas.InvokeAsync(() =>
        {
            diagram.TriggerPointerDown(nodes["n2"].Success, Pointer(500, 500));
            link = diagram.Links.OfType<WorkflowLinkModel>().Single(l => l.Target is PositionAnchor);
            diagram.TriggerPointerMove(null, Pointer(125, 105));
        });
        Assert.IsType<PositionAnchor>(link!.Target);

        await canvas.InvokeAsync(() => diagram.TriggerPointerMove(null, Pointer(62, 166)));
        Assert.IsType<PositionAnchor>(link.Target);

        await canvas.InvokeAsync(() => diagram.TriggerPointerMove(null, Pointer(4, 104)));
        Assert.Same(nodes["n3"].Input, link.Target.Model);

        await canvas.InvokeAsync(() => diagram.TriggerPointerUp(null, Pointer(4, 104)));
        Assert.Contains(canvas.Instance.ToGraph().Edges, e => (e.From, e.To, e.Kind) == ("n2", "n3", EdgeKind.Success));
    }

    private static PointerEventArgs Pointer(double x, double y) =>
        new(x, y, 0, 1, false, false, false, 1, 1, 1, 0.5f, 0, 0, "mouse", true);
}
