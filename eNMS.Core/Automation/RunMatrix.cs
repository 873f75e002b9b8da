using eNMS.Core.Automation.Workflows;
using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Core.Text;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Automation;

/// <summary>What one node did on one device, as the matrix shows it. <see cref="Running"/> is never stored: the run
/// page knows it from live events.</summary>
public enum MatrixOutcome
{
    NotReached,
    Succeeded,
    Failed,
    Skipped,
    Running,
}

/// <summary>A column: a node of the workflow's top level, in graph order.</summary>
public sealed record MatrixColumn(string Node, string Label);

/// <summary>A device's latest result at a node (a cycle may run a node more than once on a device).</summary>
public sealed record MatrixCell(long ResultId, MatrixOutcome Outcome, bool Changed);

/// <summary>A row: a device, its outcome in the run (its run-level result) and its cells by node.</summary>
public sealed record MatrixRow(int DeviceId, string DeviceName, MatrixOutcome Outcome, IReadOnlyDictionary<string, MatrixCell> Cells);

/// <summary>Which rows: devices whose name contains <paramref name="Device"/>, whose outcome at <paramref name="Node"/>
/// (or in the whole run when no node) is <paramref name="Outcome"/>; <paramref name="Take"/> is capped at
/// <see cref="RunMatrix.MaxTake"/>. <see cref="MatrixOutcome.Running"/> reads as not reached (it is not stored).</summary>
public sealed record MatrixQuery(string? Node = null, MatrixOutcome? Outcome = null, string? Device = null, int Skip = 0, int Take = RunMatrix.DefaultTake);

public sealed record MatrixPage(IReadOnlyList<MatrixColumn> Columns, int Total, int Skip, IReadOnlyList<MatrixRow> Rows);

/// <summary>How many devices ended each way, with the first failed ones by name.</summary>
public sealed record OutcomeCounts(int Succeeded, int Failed, int Skipped, int NotReached, IReadOnlyList<string> FailedDevices)
{
    /// <summary>"9,997 succeeded, 3 failed (london-core, paris-core, rome-edge)", naming only what happened.</summary>
    public string Text
    {
        get
        {
            var parts = new List<string> { $"{Succeeded:N0} succeeded" };
            parts.AddRange(new[] { (Failed, "failed"), (Skipped, "skipped"), (NotReached, "not reached") }.Where(p => p.Item1 > 0).Select(p => $"{p.Item1:N0} {p.Item2}"));
            if (FailedDevices.Count > 0)
            {
                parts[parts.FindIndex(p => p.EndsWith(" failed", StringComparison.Ordinal))] += $" ({string.Join(", ", FailedDevices)}{(Failed > FailedDevices.Count ? ", …" : "")})";
            }
            return string.Join(", ", parts);
        }
    }
}

public sealed record NodeSummary(MatrixColumn Column, OutcomeCounts Counts);

/// <summary>Identical outcomes grouped: the run as a whole ("succeeded on all but 3") and per node.</summary>
public sealed record MatrixSummary(int Devices, OutcomeCounts Run, IReadOnlyList<NodeSummary> Nodes)
{
    public string Headline =>
        Devices == 0 ? "No device."
        : Run.Succeeded == Devices ? $"Succeeded on all {Devices:N0} device(s)."
        : Run.Failed > 0 && Run.Succeeded + Run.Failed == Devices && Run.Failed <= Math.Max(10, Devices / 10)
            ? $"Succeeded on all but {Run.Failed:N0}: {string.Join(", ", Run.FailedDevices)}{(Run.Failed > Run.FailedDevices.Count ? ", …" : "")}."
        : $"{Run.Text}.";
}

/// <summary>
/// A workflow run as a device × node matrix, read from the database a page at a time: a run on 10,000 devices through
/// 20 nodes has 200,000 results, which no page or reply holds at once. Rows are the run's target devices still in the
/// inventory, by name; through a scoped context (<see cref="ScopedContexts"/>) a user limited to pools gets only their
/// devices, the query filters doing it. A cell is the device's latest result at the node; the grouping counts come from
/// one aggregate per level, not from rows.
/// </summary>
public static class RunMatrix
{
    public const int DefaultTake = 50;
    public const int MaxTake = 200;
    /// <summary>How many failed devices a count names.</summary>
    public const int NamedFailures = 5;
    public const int MaxDeviceFilterLength = 200;

    /// <summary>The columns of a run's workflow (empty for a service run on its own), in graph order: breadth first
    /// from the start, success edges before failure edges, then nodes no edge reaches by their place on the canvas.</summary>
    public static async Task<IReadOnlyList<MatrixColumn>> ColumnsAsync(EnmsDbContext db, Run run, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(run);
        var graph = await db.Services.AsNoTracking().Where(s => s.Id == run.ServiceId).Select(s => s.Graph).FirstOrDefaultAsync(ct);
        if (graph is null)
        {
            return [];
        }
        var serviceIds = graph.Nodes.Select(n => n.ServiceId).Distinct().ToList();
        var names = await db.Services.AsNoTracking().Where(s => serviceIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        return InGraphOrder(graph).Select(n => new MatrixColumn(n.Id, n.Label.Length > 0 ? n.Label : names.GetValueOrDefault(n.ServiceId, n.Id))).ToList();
    }

    internal static IEnumerable<WorkflowNode> InGraphOrder(WorkflowGraph graph)
    {
        var byId = graph.Nodes.GroupBy(n => n.Id).ToDictionary(g => g.Key, g => g.First());
        var seen = new HashSet<string>();
        var queue = new Queue<string>();
        if (byId.ContainsKey(graph.Start))
        {
            queue.Enqueue(graph.Start);
            seen.Add(graph.Start);
        }
        while (queue.TryDequeue(out var id))
        {
            yield return byId[id];
            foreach (var next in graph.Edges.Where(e => e.From == id).OrderBy(e => e.Kind).Select(e => e.To).Where(byId.ContainsKey))
            {
                if (seen.Add(next))
                {
                    queue.Enqueue(next);
                }
            }
        }
        foreach (var node in graph.Nodes.Where(n => !seen.Contains(n.Id)).OrderBy(n => n.X).ThenBy(n => n.Y))
        {
            yield return node;
        }
    }

    /// <summary>One page of rows, with the total the filter matches. Null when the run is not there (or not the caller's).</summary>
    public static async Task<MatrixPage?> PageAsync(EnmsDbContext db, int runId, MatrixQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(query);
        if (await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, ct) is not { } run)
        {
            return null;
        }
        var columns = await ColumnsAsync(db, run, ct);
        var rows = Filtered(db, run, query);
        var total = await rows.CountAsync(ct);
        var skip = Math.Max(0, query.Skip);
        var devices = await rows.OrderBy(d => d.Name).ThenBy(d => d.Id).Skip(skip).Take(Math.Clamp(query.Take, 1, MaxTake))
            .Select(d => new { d.Id, d.Name }).ToListAsync(ct);
        var ids = devices.Select(d => d.Id).ToList();
        // The page's results without their output (which can be megabytes): one cell per device and node, the latest.
        var results = await db.RunResults.AsNoTracking().Where(r => r.RunId == runId && r.DeviceId != null && ids.Contains(r.DeviceId.Value))
            .Select(r => new { r.Id, DeviceId = r.DeviceId!.Value, r.Node, r.Success, r.Skipped, r.Changed }).ToListAsync(ct);
        var cells = results.GroupBy(r => (r.DeviceId, r.Node)).Select(g => g.MaxBy(r => r.Id)!)
            .ToLookup(r => r.DeviceId, r => (r.Node, Cell: new MatrixCell(r.Id, OutcomeOf(r.Success, r.Skipped), r.Changed)));
        return new MatrixPage(columns, total, skip, devices.Select(d =>
        {
            var byNode = cells[d.Id].ToDictionary(c => c.Node, c => c.Cell);
            var outcome = byNode.Remove(RunResult.RunLevel, out var runLevel) ? runLevel.Outcome : MatrixOutcome.NotReached;
            return new MatrixRow(d.Id, d.Name, outcome, byNode);
        }).ToList());
    }

    /// <summary>The whole run's counts and each column's. Null when the run is not there (or not the caller's).</summary>
    public static async Task<MatrixSummary?> SummaryAsync(EnmsDbContext db, int runId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, ct) is not { } run)
        {
            return null;
        }
        var columns = await ColumnsAsync(db, run, ct);
        var devices = await Targets(db, run).CountAsync(ct);
        var latest = Latest(db, run);
        var nodes = columns.Select(c => c.Node).Append(RunResult.RunLevel).ToList();
        var counts = await latest.Where(r => nodes.Contains(r.Node))
            .GroupBy(r => new { r.Node, r.Success, r.Skipped }).Select(g => new { g.Key.Node, g.Key.Success, g.Key.Skipped, Count = g.Count() }).ToListAsync(ct);
        async Task<OutcomeCounts> CountsAsync(string node)
        {
            int Of(MatrixOutcome outcome) => counts.Where(c => c.Node == node && OutcomeOf(c.Success, c.Skipped) == outcome).Sum(c => c.Count);
            var (succeeded, failed, skipped) = (Of(MatrixOutcome.Succeeded), Of(MatrixOutcome.Failed), Of(MatrixOutcome.Skipped));
            List<string> named = failed == 0 ? [] : await latest.Where(r => r.Node == node && !r.Success && !r.Skipped)
                .OrderBy(r => r.DeviceName).Select(r => r.DeviceName).Take(NamedFailures).ToListAsync(ct);
            return new OutcomeCounts(succeeded, failed, skipped, Math.Max(0, devices - succeeded - failed - skipped), named);
        }
        var perNode = new List<NodeSummary>();
        foreach (var column in columns)
        {
            perNode.Add(new NodeSummary(column, await CountsAsync(column.Node)));
        }
        return new MatrixSummary(devices, await CountsAsync(RunResult.RunLevel), perNode);
    }

    /// <summary>The run's target devices still in the inventory (and, scoped, in the caller's pools). The ids go as one
    /// parameter (a JSON array on SQLite, an array on PostgreSQL): 10,000 separate parameters with every page would cost
    /// more than the page.</summary>
    private static IQueryable<Device> Targets(EnmsDbContext db, Run run)
    {
        var targets = run.DeviceIds;
        return db.Devices.AsNoTracking().Where(d => EF.Parameter(targets).Contains(d.Id));
    }

    /// <summary>Each device's latest result per node, of devices still in the inventory (and in scope).</summary>
    private static IQueryable<RunResult> Latest(EnmsDbContext db, Run run) =>
        db.RunResults.AsNoTracking().Where(r => r.RunId == run.Id && r.DeviceId != null
            && db.Devices.Any(d => d.Id == r.DeviceId)
            && !db.RunResults.Any(later => later.RunId == r.RunId && later.Node == r.Node && later.DeviceId == r.DeviceId && later.Id > r.Id));

    private static IQueryable<Device> Filtered(EnmsDbContext db, Run run, MatrixQuery query)
    {
        var rows = Targets(db, run);
        var text = (query.Device ?? "").Trim();
        if (text.Length > 0)
        {
            var like = $"%{LikePattern.Escape(text[..Math.Min(text.Length, MaxDeviceFilterLength)].ToLowerInvariant())}%";
            // Lowered by the database (lower() in SQL, as the grids filter), so SQLite and PostgreSQL answer alike.
#pragma warning disable CA1304, CA1311 // translated to SQL, never run here
            rows = rows.Where(d => EF.Functions.Like(d.Name.ToLower(), like, LikePattern.EscapeCharacter));
#pragma warning restore CA1304, CA1311
        }
        if (query.Outcome is not { } wanted)
        {
            return rows;
        }
        var node = query.Node ?? RunResult.RunLevel;
        // The latest result's outcome as a number (0: none), the same in SQLite and PostgreSQL.
        var code = wanted switch
        {
            MatrixOutcome.Succeeded => 1,
            MatrixOutcome.Failed => 2,
            MatrixOutcome.Skipped => 3,
            _ => 0,
        };
        var runId = run.Id;
        return rows.Where(d => db.RunResults.Where(r => r.RunId == runId && r.Node == node && r.DeviceId == d.Id)
            .OrderByDescending(r => r.Id).Select(r => r.Skipped ? 3 : r.Success ? 1 : 2).FirstOrDefault() == code);
    }

    public static MatrixOutcome OutcomeOf(bool success, bool skipped) =>
        skipped ? MatrixOutcome.Skipped : success ? MatrixOutcome.Succeeded : MatrixOutcome.Failed;
}
