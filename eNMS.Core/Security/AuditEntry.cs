namespace eNMS.Core.Security;

/// <summary>One line of the audit log: who did what to which object, and from where. Before/after are JSON with
/// every secret masked.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public string User { get; set; } = "";
    public string Action { get; set; } = "";
    public string TargetKind { get; set; } = "";
    public string? TargetId { get; set; }
    public string? TargetName { get; set; }
    public string? Before { get; set; }
    public string? After { get; set; }
    public string? Ip { get; set; }
}
