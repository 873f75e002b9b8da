namespace eNMS.Core.Security;

/// <summary>One web SSH terminal session: who opened it on which device, when, and what was shown and typed
/// (secrets redacted). Its opening and closing are in the audit log.</summary>
public sealed class TerminalSession
{
    public long Id { get; set; }
    public int DeviceId { get; set; }
    public string DeviceName { get; set; } = "";
    public string User { get; set; } = "";
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public string Transcript { get; set; } = "";
}
