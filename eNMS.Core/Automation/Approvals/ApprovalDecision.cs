namespace eNMS.Core.Automation.Approvals;

public enum ApprovalVerdict
{
    Pending,
    Approved,
    Rejected,
}

/// <summary>One device waiting at (or past) an approval gate of a run: what the approver is shown, who may decide
/// (a snapshot of the node's rules when the device arrived), and the decision once taken.</summary>
public sealed class ApprovalDecision
{
    public int Id { get; set; }
    public int RunId { get; set; }
    /// <summary>The workflow node path of the gate (<see cref="RunResult.Node"/>).</summary>
    public string Node { get; set; } = "";
    public int ServiceId { get; set; }
    public int DeviceId { get; set; }
    public string DeviceName { get; set; } = "";
    /// <summary>The preceding node's diff (or output) for this device, secrets masked, capped.</summary>
    public string Preview { get; set; } = "";
    /// <summary>The node the preview comes from.</summary>
    public string PreviewNode { get; set; } = "";
    /// <summary>Users allowed to decide besides editors and admins, comma-separated.</summary>
    public string Approvers { get; set; } = "";
    public bool AllowSelfApproval { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    /// <summary>A concurrency token: a decision and the timeout racing for one row, the later one is refused.</summary>
    public ApprovalVerdict Decision { get; set; }
    public string DecidedBy { get; set; } = "";
    public DateTimeOffset? DecidedAt { get; set; }
    public string Comment { get; set; } = "";
}
