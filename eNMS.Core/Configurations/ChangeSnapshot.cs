namespace eNMS.Core.Configurations;

/// <summary>
/// A device's configuration as it was just before a run first changed it, so the run can be reverted. One per run and
/// device, taken once (a resumed run keeps the snapshot taken before its interruption: the device may be half-changed
/// since). Kept apart from the backup history (<see cref="ConfigVersion"/>): a snapshot must not make the next backup
/// miss a change it would otherwise have reported.
/// </summary>
public sealed class ChangeSnapshot
{
    public long Id { get; set; }
    public int RunId { get; set; }
    public int DeviceId { get; set; }
    public string DeviceName { get; set; } = "";
    public DateTimeOffset TakenAt { get; set; }

    /// <summary>The running configuration as read; null when there was none to keep (see <see cref="Problem"/>).</summary>
    public string? Config { get; set; }

    /// <summary>Why the snapshot cannot be restored (platform without a configuration, flagged backup); null when it can.</summary>
    public string? Problem { get; set; }
}
