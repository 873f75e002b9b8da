using System.Globalization;

namespace eNMS.Core.Automation;

/// <summary>
/// A staged rollout, a run option: the run's devices go in batches — the first stage's size, then the next stage's,
/// the last stage repeating until every device is done, as Ansible's <c>serial: [1, "25%", "100%"]</c> — and the run
/// stops (the devices not started left for a resume) once more devices failed than <see cref="FailureLimit"/> allows,
/// or when an approver answers "no" to "continue with the next batch?".
/// </summary>
public sealed record RolloutPlan
{
    public const int MaxStages = 20;
    public const int MaxStagesLength = 200;
    public const int MaxBatchCount = 100_000;
    public const int MaxWaitSeconds = 24 * 60 * 60;

    /// <summary>Batch sizes, comma-separated: a device count ("1") or a share of the run's devices ("25%", rounded down,
    /// at least 1).</summary>
    public string Stages { get; init; } = "";

    /// <summary>How many failed devices the rollout tolerates, as a count ("1") or a share of the devices done so far
    /// ("10%"): one more stops it after the batch. "0" (the default): any failure stops it.</summary>
    public string FailureLimit { get; init; } = "0";

    /// <summary>Seconds to wait between batches (0: none). Cancelling the run ends the wait.</summary>
    public int WaitSeconds { get; init; }

    /// <summary>An approver must answer "continue with the next batch?" on the run page (or the approvals API).</summary>
    public bool Approval { get; init; }

    /// <summary>The stage (1-based) this run starts at: a resume continues the staging where the run it resumes stopped.</summary>
    public int FirstStage { get; init; } = 1;

    /// <summary>The device count percentages are taken of (0: this run's): a resume keeps the first run's.</summary>
    public int BaseTotal { get; init; }

    /// <summary>What is wrong with the plan, each problem naming its stage or field; empty when it can run.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        var stages = (Stages ?? "").Split(',', StringSplitOptions.TrimEntries);
        if ((Stages ?? "").Length > MaxStagesLength || stages.Length > MaxStages)
        {
            problems.Add($"stages: at most {MaxStages} stages in {MaxStagesLength} characters ({stages.Length} given).");
            return problems;
        }
        if (string.IsNullOrWhiteSpace(Stages))
        {
            problems.Add("stages: give at least one batch size, e.g. \"1, 25%, 100%\".");
        }
        else
        {
            for (var i = 0; i < stages.Length; i++)
            {
                if (Amount.Parse(stages[i], allowZero: false) is { Problem: { } problem })
                {
                    problems.Add($"stage {i + 1}: '{Cut(stages[i])}' {problem}");
                }
            }
        }
        if (Amount.Parse(FailureLimit ?? "", allowZero: true) is { Problem: { } limitProblem })
        {
            problems.Add($"failureLimit: '{Cut(FailureLimit ?? "")}' {limitProblem}");
        }
        if (WaitSeconds is < 0 or > MaxWaitSeconds)
        {
            problems.Add($"waitSeconds: from 0 to {MaxWaitSeconds} (24 hours).");
        }
        if (FirstStage is < 1 or > 1_000_000 || BaseTotal < 0)
        {
            problems.Add("firstStage and baseTotal are set by a resume, not given.");
        }
        return problems;
    }

    /// <summary>The devices in batches, in their order; batch numbers continue from <see cref="FirstStage"/>.</summary>
    public IReadOnlyList<(int Stage, List<T> Devices)> Split<T>(IReadOnlyList<T> devices)
    {
        ArgumentNullException.ThrowIfNull(devices);
        var sizes = Stages.Split(',', StringSplitOptions.TrimEntries).Select(s => Amount.Parse(s, allowZero: false)).ToList();
        var total = BaseTotal > 0 ? BaseTotal : devices.Count;
        var batches = new List<(int, List<T>)>();
        for (int taken = 0, stage = FirstStage; taken < devices.Count; stage++)
        {
            var size = Math.Max(1, sizes[Math.Min(stage, sizes.Count) - 1].Of(total));
            var batch = devices.Skip(taken).Take(size).ToList();
            batches.Add((stage, batch));
            taken += batch.Count;
        }
        return batches;
    }

    /// <summary>Whether failed of done exceeds the limit.</summary>
    public bool Exceeded(int failed, int done)
    {
        var limit = Amount.Parse(FailureLimit, allowZero: true);
        return limit.Percent ? done > 0 && failed * 100.0 / done > limit.Value : failed > limit.Value;
    }

    /// <summary>The plan for the devices a run left (a resume, or a recovery on another node): from its first batch not
    /// finished, percentages still of the first run's devices.</summary>
    public RolloutPlan Continuing(RolloutProgress? progress, int total) => this with
    {
        FirstStage = progress?.Batches.FirstOrDefault(b => b.Done < b.Devices.Count)?.Stage ?? FirstStage,
        BaseTotal = BaseTotal > 0 ? BaseTotal : total,
    };

    /// <summary>For the audit log and the run page: "stages 1, 25%, 100%; failure limit 1; wait 30 s; approval between batches".</summary>
    public string Describe() =>
        $"stages {Stages}; failure limit {FailureLimit}" + (WaitSeconds > 0 ? $"; wait {WaitSeconds} s" : "")
        + (Approval ? "; approval between batches" : "") + (FirstStage > 1 ? $"; from batch {FirstStage}" : "");

    private static string Cut(string text) => text.Length > 20 ? text[..20] + "…" : text;

    /// <summary>A count or a percentage, or why the text is neither.</summary>
    private readonly record struct Amount(double Value, bool Percent, string? Problem)
    {
        public int Of(int total) => Percent ? (int)Math.Floor(total * Value / 100) : (int)Value;

        public static Amount Parse(string text, bool allowZero)
        {
            var percent = text.EndsWith('%');
            var number = percent ? text[..^1].Trim() : text;
            var least = allowZero ? 0 : 1;
            if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || (!percent && value % 1 != 0))
            {
                return new(0, percent, percent ? "is not a percentage (e.g. 25%)." : "is neither a device count (e.g. 5) nor a percentage (e.g. 25%).");
            }
            return percent && value > 100 ? new(value, true, "is over 100%.")
                : percent && value < least ? new(value, true, "is under 1%: a batch has at least one device.")
                : !percent && value < least ? new(value, false, "is not a device count of at least 1.")
                : !percent && value > MaxBatchCount ? new(value, false, $"is over {MaxBatchCount} devices.")
                : new(value, percent, null);
        }
    }
}

/// <summary>One batch of a staged rollout as the run page shows it: its devices and how they went.</summary>
public sealed record RolloutBatch
{
    public int Stage { get; init; }
    public List<string> Devices { get; init; } = [];
    public int Done { get; set; }
    public int Failed { get; set; }
    /// <summary>"running", "succeeded", "failed: …", "stopped: threshold reached …", "not started (rollout stopped)".</summary>
    public string Outcome { get; set; } = "";
}

/// <summary>A staged rollout's progress, stored on the run: the batches, and why it stopped (empty: it did not).</summary>
public sealed record RolloutProgress
{
    public List<RolloutBatch> Batches { get; init; } = [];
    public string Stopped { get; set; } = "";
    /// <summary>Devices left for a resume (never started, not failed).</summary>
    public List<string> NotStarted { get; set; } = [];

    /// <summary>Drops the device names a pool-limited reader may not see (batch sizes stay as counts).</summary>
    public void KeepOnly(IReadOnlySet<string> visibleNames)
    {
        Batches.ForEach(b => b.Devices.RemoveAll(name => !visibleNames.Contains(name)));
        NotStarted.RemoveAll(name => !visibleNames.Contains(name));
    }
}
