namespace eNMS.Core.Scheduling;

/// <summary>What a freeze does to a run that would change a frozen device.</summary>
public enum FreezeAction
{
    /// <summary>The run is refused, saying which freeze holds until when.</summary>
    Refuse,
    /// <summary>The run is accepted and waits until the freeze ends.</summary>
    Defer,
}

/// <summary>
/// A change-freeze window: while it is in force, services that change devices (config pushes, rollbacks, saves,
/// transfers, Ansible without check mode) are refused or deferred on the devices of its pools; read-only work runs.
/// One-off (<see cref="StartAt"/> to <see cref="EndAt"/>) or recurring (a Quartz cron expression for each start,
/// lasting <see cref="DurationMinutes"/>, optionally bounded by StartAt/EndAt). Dates are wall-clock times in
/// <see cref="TimeZone"/>, as a schedule's are.
/// </summary>
public sealed class ChangeFreeze
{
    public int Id { get; set; }
    public required string Name { get; set; }
    /// <summary>Why (shown to whoever is refused or deferred): "Year-end freeze", "Stadium event".</summary>
    public string Reason { get; set; } = "";
    public bool Enabled { get; set; } = true;
    public DateTime? StartAt { get; set; }
    public DateTime? EndAt { get; set; }
    /// <summary>Empty: one-off. Otherwise each start of a recurring window (Quartz cron, with seconds).</summary>
    public string Cron { get; set; } = "";
    public int DurationMinutes { get; set; }
    public string TimeZone { get; set; } = "UTC";
    /// <summary>The pools whose devices it freezes; empty: every device.</summary>
    public List<int> PoolIds { get; set; } = [];
    public FreezeAction Action { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }

    public bool Recurring => Cron.Length > 0;
}
