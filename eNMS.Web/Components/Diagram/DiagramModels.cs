using Blazor.Diagrams.Core.Anchors;
using Blazor.Diagrams.Core.Geometry;
using Blazor.Diagrams.Core.Models;
using Blazor.Diagrams.Core.Models.Base;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Workflows;

namespace eNMS.Web.Components.Diagram;

/// <summary>A workflow node on the canvas: one service, an input port (left), a success port (right) and a failure
/// port (bottom). Live run counts are set by the canvas, which then refreshes only this node.</summary>
public sealed class ServiceNodeModel : NodeModel
{
    public ServiceNodeModel(string id, Point position, Service service) : base(id, position)
    {
        ArgumentNullException.ThrowIfNull(service);
        (ServiceId, ServiceName, Kind) = (service.Id, service.Name, service.Kind);
        Input = AddPort(new WorkflowPort(this, PortAlignment.Left));
        Success = AddPort(new WorkflowPort(this, PortAlignment.Right));
        Failure = AddPort(new WorkflowPort(this, PortAlignment.Bottom));
    }

    public int ServiceId { get; }
    public string ServiceName { get; set; }
    public string Kind { get; }
    public string Label { get; set; } = "";
    public bool IsStart { get; set; }
    /// <summary>What the validator says about this node ("" when nothing).</summary>
    public string Problem { get; set; } = "";

    public PortModel Input { get; }
    public PortModel Success { get; }
    public PortModel Failure { get; }

    public NodeTally Live { get; set; } = NodeTally.Idle;
    /// <summary>On the path of the device picked in the results.</summary>
    public bool OnPath { get; set; }

    public string DisplayName => Label.Length > 0 ? Label : ServiceName;
}

/// <summary>How many devices are at a node now, and how they came out of it.</summary>
public sealed record NodeTally(int Running, int Succeeded, int Failed, int Skipped)
{
    public static readonly NodeTally Idle = new(0, 0, 0, 0);

    /// <summary>idle, running, success, failure or skipped: the stable hook the browser tests read.</summary>
    public string State => Running > 0 ? "running"
        : Failed > 0 ? "failure"
        : Succeeded > 0 ? "success"
        : Skipped > 0 ? "skipped"
        : "idle";
}

/// <summary>Links start from a success or failure port and end on another node (its input port).</summary>
public sealed class WorkflowPort(NodeModel parent, PortAlignment alignment) : PortModel(parent, alignment, null, null)
{
    public override bool CanAttachTo(ILinkable other) =>
        Alignment != PortAlignment.Left && other switch
        {
            ServiceNodeModel node => node != Parent,
            // Only an input port: snapping tries every port near the pointer while a link is drawn, and a success or
            // failure port accepted here would show the new edge attached to the wrong port until it is dropped.
            PortModel port => port.Alignment == PortAlignment.Left && port.Parent is ServiceNodeModel && port.Parent != Parent,
            _ => false,
        };
}

/// <summary>A success (green) or failure (red) edge.</summary>
public sealed class WorkflowLinkModel : LinkModel
{
    public const string SuccessColor = "#2e7d32";
    public const string FailureColor = "#c62828";

    public WorkflowLinkModel(EdgeKind kind, Anchor source, Anchor target) : base(source, target)
    {
        Kind = kind;
        Color = kind == EdgeKind.Success ? SuccessColor : FailureColor;
        SelectedColor = "#1565c0";
        TargetMarker = LinkMarker.Arrow;
        Width = 2;
    }

    public EdgeKind Kind { get; }

    /// <summary>Some device went along this edge in the watched run.</summary>
    public bool Taken { get; private set; }

    public void SetTaken(bool taken, bool onPath)
    {
        Taken = taken;
        Width = onPath ? 6 : taken ? 4 : 2;
        Color = (Kind, taken || onPath) switch
        {
            (EdgeKind.Success, true) => "#00c853",
            (EdgeKind.Failure, true) => "#ff1744",
            (EdgeKind.Success, false) => SuccessColor,
            _ => FailureColor,
        };
    }
}

/// <summary>Free text on the canvas.</summary>
public sealed class NoteNodeModel(Point position, string text) : NodeModel(position)
{
    public string Text { get; set; } = text;
}
