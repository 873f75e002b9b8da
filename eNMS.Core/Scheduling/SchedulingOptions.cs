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

    /// <summary>Split a run's devices into batches that every node of the cluster executes (Quartz jobs), rather than
    /// running them all on the node that took the run. Only in a cluster (ignored otherwise); off by default
    /// (README, "One run across the cluster").</summary>
    public bool DistributeRuns { get; set; }

    /// <summary>Devices per batch of a distributed run (1–500); a run with no more devices runs on one node.</summary>
    public int RunBatchSize { get; set; } = 50;

    /// <summary>Batches of one distributed run queued at once across the cluster; each runs up to the service's
    /// parallelism on its node.</summary>
    public int RunBatchesInFlight { get; set; } = 8;

    /// <summary>With <see cref="DistributeRuns"/>: how long a place in a cluster-wide cap (a device's turn, a session to a
    /// platform) stays held without its node renewing it (renewed every third of it): a dead node's places come free
    /// after this (2–3600 s).</summary>
    public double LeaseSeconds { get; set; } = 30;
}
