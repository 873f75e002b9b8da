namespace eNMS.Core.Scheduling;

public enum ScheduleKind
{
    /// <summary>One run at a date and time.</summary>
    Once,
    /// <summary>Every N seconds/minutes/hours/days, optionally between a start and an end.</summary>
    Interval,
    /// <summary>A Quartz cron expression (with seconds), optionally between a start and an end.</summary>
    Cron,
}

public enum IntervalUnit
{
    Seconds,
    Minutes,
    Hours,
    Days,
}

/// <summary>What happens to a fire time missed while no node was up.</summary>
public enum MisfirePolicy
{
    /// <summary>Run once as soon as a node is up again (however many fire times were missed), then keep to the schedule.</summary>
    RunOnceNow,
    /// <summary>Forget missed fire times; wait for the next one.</summary>
    Skip,
}

/// <summary>
/// When a service or workflow runs by itself: once, at an interval or on a cron expression, in a time zone, on its
/// targets with run variables. Dates are wall-clock times in <see cref="TimeZone"/> (so "02:00 in Paris" stays 02:00
/// across daylight saving changes). Quartz holds the trigger; this row is what users see and edit.
/// </summary>
public sealed class Schedule : Security.IAccessControlled
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    /// <summary>Not a foreign key: a deleted service disables its schedules (with a reason) instead of deleting them.</summary>
    public int ServiceId { get; set; }
    public string ServiceName { get; set; } = "";
    public ScheduleKind Kind { get; set; }
    /// <summary>Once: when it runs. Interval and cron: not before (null: from now).</summary>
    public DateTime? StartAt { get; set; }
    /// <summary>Interval and cron: not after (null: forever).</summary>
    public DateTime? EndAt { get; set; }
    public int Every { get; set; } = 1;
    public IntervalUnit Unit { get; set; } = IntervalUnit.Hours;
    public string Cron { get; set; } = "";
    /// <summary>A time zone id (IANA, e.g. Europe/Paris, or UTC).</summary>
    public string TimeZone { get; set; } = "UTC";
    /// <summary>Targets; both empty means the service's own targets.</summary>
    public List<int> DeviceIds { get; set; } = [];
    public List<int> PoolIds { get; set; } = [];
    /// <summary>Run variables as a JSON object.</summary>
    public string Variables { get; set; } = "{}";
    /// <summary>Run-time inputs for the runs it starts, as stored (secrets encrypted, see <see cref="Automation.RunInputs"/>).</summary>
    public string Inputs { get; set; } = "{}";
    /// <summary>A staged rollout for the runs it starts (null: none).</summary>
    public Automation.RolloutPlan? Rollout { get; set; }
    public MisfirePolicy Misfire { get; set; }
    public bool Paused { get; set; }
    /// <summary>Why eNMS stopped this schedule by itself (its service was deleted); empty while it may fire.</summary>
    public string DisabledReason { get; set; } = "";
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Who may change its lists (its creator at first); with the read and edit lists, see
    /// <see cref="Security.ObjectAccess"/>. Its runs still start as <see cref="CreatedBy"/>, against the service's run list.</summary>
    public string? Owner { get; set; }
    public List<string> ReadAccess { get; set; } = [];
    public List<string> EditAccess { get; set; } = [];
    /// <summary>A schedule is not run by hand: who may run what it starts is the service's run list.</summary>
    public List<string> RunAccess => [];

    public bool Active => !Paused && DisabledReason.Length == 0;
}
