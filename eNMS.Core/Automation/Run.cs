using System.ComponentModel.DataAnnotations.Schema;
using System.Text.Json.Serialization;

namespace eNMS.Core.Automation;

public enum RunStatus
{
    Pending,
    Running,
    Completed,
    Failed,
    Cancelled,
    /// <summary>The app stopped while the run was in flight; it can be resumed for the devices not done.</summary>
    Interrupted,
}

/// <summary>One execution of a service or workflow: who, when, why, on what, and how it went.</summary>
public sealed class Run
{
    public int Id { get; set; }
    /// <summary>Not a foreign key: the history outlives a deleted service and keeps the name it ran under.</summary>
    public int ServiceId { get; set; }
    public string ServiceName { get; set; } = "";
    public string Trigger { get; set; } = "manual";
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public RunStatus Status { get; set; }
    public List<int> DeviceIds { get; set; } = [];
    /// <summary>Run variables as a JSON object, visible to templates as <c>run.variables</c>.</summary>
    public string Variables { get; set; } = "{}";
    /// <summary>Run-time inputs as stored: secret ones encrypted (<see cref="RunInputs"/>). Never in a reply.</summary>
    [JsonIgnore]
    public string Inputs { get; set; } = "{}";
    /// <summary>The inputs as the API shows them: secrets masked.</summary>
    [NotMapped, JsonPropertyName("inputs")]
    public System.Text.Json.Nodes.JsonObject MaskedInputs => RunInputs.Masked(Inputs);
    public int DevicesTotal { get; set; }
    public int DevicesDone { get; set; }
    public int DevicesFailed { get; set; }
    /// <summary>Devices whose outcome is success by the path rule (the last node they ran succeeded) although a node
    /// failed on their way: counted among the succeeded (done − failed), told apart so that no failure is hidden.</summary>
    public int DevicesRecovered { get; set; }
    public string Error { get; set; } = "";
    /// <summary>When restarted from a node, the run whose earlier results are reused.</summary>
    public int? RestartOfRunId { get; set; }
    public string RestartFromNode { get; set; } = "";
    /// <summary>When a resume, the run it resumes: decisions taken at its approval gates still hold.</summary>
    public int? ResumeOfRunId { get; set; }
    /// <summary>The schedule that fired this run, if any.</summary>
    public int? ScheduleId { get; set; }
    /// <summary>Deferred by a change freeze: the run waits until then.</summary>
    public DateTimeOffset? NotBefore { get; set; }
    /// <summary>What a change freeze did to this run (deferred it, or an admin's override), for the run page.</summary>
    public string FreezeNote { get; set; } = "";
    /// <summary>The reason an admin gave to run through a change freeze; empty: freezes apply, also mid-run.</summary>
    public string FreezeOverride { get; set; } = "";
    /// <summary>A staged rollout (null: every device at once).</summary>
    public RolloutPlan? Rollout { get; set; }
    /// <summary>The rollout's batches as they went, and why it stopped (null before its first batch).</summary>
    public RolloutProgress? RolloutProgress { get; set; }
    /// <summary>The fan-out report as stored (JSON; empty when no platform refused a connection).</summary>
    [JsonIgnore]
    public string FanOutJson { get; set; } = "";
    /// <summary>Which devices were retried because their platform refused connections, and the cap that held per
    /// platform (<see cref="Execution.AdaptiveLimits"/>); null when nothing was refused.</summary>
    [NotMapped, JsonPropertyName("fanOut")]
    public Execution.FanOutReport? FanOut => Execution.FanOutReport.Parse(FanOutJson);
}

/// <summary>Runs as lists and the dashboard hold them, once per viewer for as long as the page is open.</summary>
public static class RunListing
{
    /// <summary>Each run without its targets (a 10,000-device run's <see cref="Run.DeviceIds"/> are 40 KB), inputs,
    /// variables, rollout and fan-out report: a list of 200 runs stays a few tens of KB per browser tab.</summary>
    public static IQueryable<Run> Listed(this IQueryable<Run> runs) => runs.Select(r => new Run
    {
        Id = r.Id,
        ServiceId = r.ServiceId,
        ServiceName = r.ServiceName,
        Trigger = r.Trigger,
        CreatedBy = r.CreatedBy,
        CreatedAt = r.CreatedAt,
        StartedAt = r.StartedAt,
        EndedAt = r.EndedAt,
        Status = r.Status,
        DevicesTotal = r.DevicesTotal,
        DevicesDone = r.DevicesDone,
        DevicesFailed = r.DevicesFailed,
        DevicesRecovered = r.DevicesRecovered,
        Error = r.Error,
        RestartOfRunId = r.RestartOfRunId,
        ResumeOfRunId = r.ResumeOfRunId,
        ScheduleId = r.ScheduleId,
        NotBefore = r.NotBefore,
    });
}

/// <summary>What one node did on one device (or once, with no device) in one run.</summary>
public sealed class RunResult
{
    public long Id { get; set; }
    public int RunId { get; set; }
    /// <summary>The workflow node, or <see cref="RunLevel"/>.</summary>
    public string Node { get; set; } = RunLevel;
    public int ServiceId { get; set; }
    public string ServiceName { get; set; } = "";
    public int? DeviceId { get; set; }
    public string DeviceName { get; set; } = "";
    public bool Success { get; set; }
    public bool Changed { get; set; }
    public bool Skipped { get; set; }
    public string Output { get; set; } = "";
    /// <summary>Structured data extracted for later nodes, as JSON.</summary>
    public string Data { get; set; } = "";
    public string Diff { get; set; } = "";
    public string Error { get; set; } = "";
    public int Attempts { get; set; } = 1;
    public DateTimeOffset StartedAt { get; set; }
    public double DurationMs { get; set; }
    /// <summary>The cluster node (<c>Scheduling:Node</c>) that executed it when runs are distributed across the cluster
    /// (<c>Scheduling:DistributeRuns</c>: a run split into batches tells here which node did what); empty otherwise.</summary>
    public string ExecutedOn { get; set; } = "";

    /// <summary>The <see cref="Node"/> of a run-level result: a service run on its own, or a workflow's outcome on
    /// one device (what a run finished is known from these). Queries compare <c>Node == RunResult.RunLevel</c>.</summary>
    public const string RunLevel = "";

    /// <summary>Whether this is a run-level result rather than one node's inside a workflow (not stored; not in
    /// the API's JSON).</summary>
    [NotMapped, JsonIgnore]
    public bool IsRunLevel => Node.Length == 0;
}

public sealed class RunLogEntry
{
    public long Id { get; set; }
    public int RunId { get; set; }
    public DateTimeOffset Time { get; set; }
    public string Level { get; set; } = "info";
    public string Message { get; set; } = "";
}
