namespace eNMS.Core.Automation.Workflows;

public enum EdgeKind
{
    Success,
    Failure,
}

/// <summary>
/// A workflow's graph. Every device enters at <see cref="Start"/> (a node id), and after each node follows the
/// success or the failure edges of that node; a device that reaches a node with no edge for its outcome is done,
/// successful only if its last node succeeded.
/// </summary>
public sealed class WorkflowGraph
{
    public string Start { get; set; } = "";
    public List<WorkflowNode> Nodes { get; set; } = [];
    public List<WorkflowEdge> Edges { get; set; } = [];
    /// <summary>Free text placed on the designer's canvas; never run.</summary>
    public List<WorkflowNote> Notes { get; set; } = [];
    /// <summary>How the devices move through the graph.</summary>
    public WorkflowMode Mode { get; set; }
    /// <summary>With cycles, how many times one device may run one node; 0 rejects cycles.</summary>
    public int MaxIterations { get; set; }
}

public enum WorkflowMode
{
    /// <summary>Each device follows its own path as soon as its node is done.</summary>
    DeviceByDevice,
    /// <summary>All devices finish a node before any of them moves on.</summary>
    ServiceByService,
}

/// <summary>A placement of a service in a graph; the same service may appear in several nodes.</summary>
public sealed class WorkflowNode
{
    public required string Id { get; set; }
    public int ServiceId { get; set; }
    public string Label { get; set; } = "";
    public double X { get; set; }
    public double Y { get; set; }
}

public sealed class WorkflowEdge
{
    public required string From { get; set; }
    public required string To { get; set; }
    public EdgeKind Kind { get; set; }
}

public sealed class WorkflowNote
{
    public string Text { get; set; } = "";
    public double X { get; set; }
    public double Y { get; set; }
}
