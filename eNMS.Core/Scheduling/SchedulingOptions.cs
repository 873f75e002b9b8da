namespace eNMS.Core.Scheduling;

/// <summary>Bound from the "Scheduling" section.</summary>
public sealed class SchedulingOptions
{
    /// <summary>This node's name in logs and in the Quartz cluster (unique per node; default: host name and process id).</summary>
    public string Node { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>Take part in a Quartz cluster. Only with PostgreSQL (SQLite refuses clustering); on by default there.</summary>
    public bool? Clustered { get; set; }

    /// <summary>How often a clustered node records that it is alive.</summary>
    public double CheckinIntervalSeconds { get; set; } = 7.5;

    /// <summary>How long past a missed check-in the other nodes wait before recovering a node's runs and schedules.</summary>
    public double CheckinMisfireThresholdSeconds { get; set; } = 15;
}
