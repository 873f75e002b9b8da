using eNMS.Core.Automation;
using eNMS.Core.Automation.Workflows;
using eNMS.Core.Data;
using eNMS.Core.Inventory;

namespace eNMS.Bench;

/// <summary>
/// A database after a year of use, written as the engine writes it (<see cref="BulkInsert"/>) and deterministic: the same
/// sizes give the same history. Shared by the bench's history part and the tests that check the plans of the queries
/// on it (linked into eNMS.Tests). Every run targets two devices and records a run-level result on each it reached:
/// every tenth run failed on its first device, every fiftieth was cancelled before its second one.
/// </summary>
public static class HistorySeed
{
    public const int Services = 20;
    public const int Users = 5;
    public const string BigRunName = "big run";
    /// <summary>Rows written per bulk insert: a year is never one list in memory.</summary>
    private const int Chunk = 20_000;

    public static string UserName(int i) => $"user-{i % Users}";

    public static string DeviceName(int i) => $"hist-{i:D5}";

    /// <summary>The status of the <paramref name="index"/>-th run of the year.</summary>
    public static RunStatus StatusOf(int index) => index % 50 == 49 ? RunStatus.Cancelled : index % 10 == 9 ? RunStatus.Failed : RunStatus.Completed;

    /// <summary>The year's devices, then <paramref name="days"/> × <paramref name="runsPerDay"/> runs ending at
    /// <paramref name="now"/> (oldest first, evenly spread over each day), each by one of <see cref="Users"/> users, of
    /// one of <see cref="Services"/> services, on two of <paramref name="deviceCount"/> devices. Returns the devices' ids.</summary>
    public static async Task<List<int>> YearAsync(EnmsDbContext db, DateTimeOffset now, int days, int runsPerDay, int deviceCount, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var devices = Enumerable.Range(0, deviceCount).Select(i => new Device { Name = DeviceName(i), Platform = "linux" }).ToList();
        await BulkInsert.InsertAsync(db, devices, ct);
        var services = Enumerable.Range(0, Services).Select(i => new Service { Name = $"history service {i}", Kind = "wait" }).ToList();
        db.Services.AddRange(services);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        var names = devices.ToDictionary(d => d.Id, d => d.Name);
        var total = days * runsPerDay;
        var spacing = TimeSpan.FromDays(1) / runsPerDay;
        var start = now - TimeSpan.FromDays(days);
        for (var first = 0; first < total; first += Chunk / 2)
        {
            var runs = new List<Run>();
            for (var index = first; index < Math.Min(total, first + Chunk / 2); index++)
            {
                var created = start + spacing * index;
                var service = services[index % Services];
                var (a, b) = (devices[index % deviceCount], devices[(index * 7 + 1) % deviceCount]);
                runs.Add(new Run
                {
                    ServiceId = service.Id,
                    ServiceName = service.Name,
                    Trigger = index % 3 == 0 ? "schedule" : "manual",
                    CreatedBy = UserName(index / Services),
                    CreatedAt = created,
                    StartedAt = created,
                    EndedAt = created.AddSeconds(30),
                    Status = StatusOf(index),
                    DeviceIds = [a.Id, b.Id],
                    DevicesTotal = 2,
                    DevicesDone = StatusOf(index) == RunStatus.Cancelled ? 1 : 2,
                    DevicesFailed = StatusOf(index) == RunStatus.Failed ? 1 : 0,
                });
            }
            await BulkInsert.InsertAsync(db, runs, ct);
            var results = new List<RunResult>(runs.Count * 2);
            foreach (var run in runs)
            {
                var reached = run.Status == RunStatus.Cancelled ? 1 : 2;
                foreach (var (deviceId, n) in run.DeviceIds.Take(reached).Select((d, n) => (d, n)))
                {
                    results.Add(new RunResult
                    {
                        RunId = run.Id,
                        ServiceId = run.ServiceId,
                        ServiceName = run.ServiceName,
                        DeviceId = deviceId,
                        DeviceName = names[deviceId],
                        Success = !(run.Status == RunStatus.Failed && n == 0),
                        Output = "ok",
                        StartedAt = run.CreatedAt,
                        DurationMs = 12,
                    });
                }
            }
            await BulkInsert.AppendAsync(db, results, ct);
        }
        return [.. devices.Select(d => d.Id)];
    }

    /// <summary>A completed workflow run of <paramref name="nodeCount"/> nodes on <paramref name="deviceCount"/> new devices
    /// ("big-00000"…): a result per node and device, then the device's run-level result. Device i fails at node 5 when
    /// i % 100 == 7 (and goes no further), skips node 3 when i % 1000 == 3. Returns the run's id.</summary>
    public static async Task<int> BigRunAsync(EnmsDbContext db, DateTimeOffset now, int deviceCount, int nodeCount, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var devices = Enumerable.Range(0, deviceCount).Select(i => new Device { Name = $"big-{i:D5}", Platform = "linux" }).ToList();
        await BulkInsert.InsertAsync(db, devices, ct);
        var steps = Enumerable.Range(1, nodeCount).Select(i => new Service { Name = $"big step {i}", Kind = "wait" }).ToList();
        db.Services.AddRange(steps);
        await db.SaveChangesAsync(ct);
        var workflow = new Service
        {
            Name = BigRunName,
            Kind = "workflow",
            Graph = new WorkflowGraph
            {
                Start = "n1",
                Nodes = [.. steps.Select((s, i) => new WorkflowNode { Id = $"n{i + 1}", ServiceId = s.Id, X = 100 * i })],
                Edges = [.. Enumerable.Range(1, nodeCount - 1).Select(i => new WorkflowEdge { From = $"n{i}", To = $"n{i + 1}", Kind = EdgeKind.Success })],
            },
        };
        db.Services.Add(workflow);
        await db.SaveChangesAsync(ct);
        var failed = devices.Where((_, i) => i % 100 == 7).Count();
        var run = new Run
        {
            ServiceId = workflow.Id,
            ServiceName = BigRunName,
            CreatedBy = UserName(0),
            CreatedAt = now,
            StartedAt = now,
            EndedAt = now.AddMinutes(20),
            Status = RunStatus.Completed,
            DeviceIds = [.. devices.Select(d => d.Id)],
            DevicesTotal = deviceCount,
            DevicesDone = deviceCount,
            DevicesFailed = failed,
        };
        await BulkInsert.InsertAsync(db, new[] { run }, ct);
        var results = new List<RunResult>(Chunk + nodeCount + 1);
        foreach (var (device, index) in devices.Select((d, i) => (d, i)))
        {
            var fails = index % 100 == 7;
            for (var node = 1; node <= (fails ? 5 : nodeCount); node++)
            {
                var skipped = node == 3 && index % 1000 == 3;
                results.Add(Result(run, steps[node - 1], $"n{node}", device, success: !(fails && node == 5) && !skipped, skipped));
            }
            results.Add(Result(run, workflow, RunResult.RunLevel, device, success: !fails, skipped: false));
            if (results.Count >= Chunk)
            {
                await BulkInsert.AppendAsync(db, results, ct);
                results.Clear();
            }
        }
        await BulkInsert.AppendAsync(db, results, ct);
        return run.Id;
    }

    private static RunResult Result(Run run, Service service, string node, Device device, bool success, bool skipped) => new()
    {
        RunId = run.Id,
        Node = node,
        ServiceId = service.Id,
        ServiceName = service.Name,
        DeviceId = device.Id,
        DeviceName = device.Name,
        Success = success,
        Skipped = skipped,
        Output = $"{node} on {device.Name}",
        StartedAt = run.CreatedAt,
        DurationMs = 5,
    };
}
