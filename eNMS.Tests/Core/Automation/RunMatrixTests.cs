using eNMS.Core.Automation;
using eNMS.Core.Automation.Workflows;
using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Tests.Core.Automation;

/// <summary>
/// A workflow run on 10,000 devices through 20 nodes (210,000 results, written as the engine writes them): three
/// devices fail at "config_push" (n10) and go no further, ten skip n3, one ran n2 twice (failed, then succeeded).
/// Shared by the tests (building it takes seconds); two devices are in a pool of their own for the scope test.
/// </summary>
public sealed class LargeRun : IAsyncLifetime
{
    public const int Devices = 10_000;
    public const int Nodes = 20;
    public static readonly string[] Failing = ["dev-00042", "dev-05000", "dev-09999"];

    public TestDatabase Database { get; } = new();
    public int RunId { get; private set; }
    public int PoolId { get; private set; }
    public static string[] InPool => ["dev-00001", "dev-05000"];

    public async Task InitializeAsync()
    {
        await using var db = Database.CreateDbContext();
        var devices = Enumerable.Range(0, Devices).Select(i => new Device { Name = $"dev-{i:D5}", Platform = "linux" }).ToList();
        await BulkInsert.InsertAsync(db, devices, default);
        var nodes = Enumerable.Range(1, Nodes).Select(i => new WorkflowNode { Id = $"n{i}", ServiceId = i, X = 100 * i }).ToList();
        // Graph order is the edges' order, not the node list's: the list is shuffled, n20 placed first.
        nodes.Reverse();
        var workflow = new Service
        {
            Name = "big workflow",
            Kind = "workflow",
            Graph = new WorkflowGraph
            {
                Start = "n1",
                Nodes = nodes,
                Edges = [.. Enumerable.Range(1, Nodes - 1).Select(i => new WorkflowEdge { From = $"n{i}", To = $"n{i + 1}", Kind = EdgeKind.Success })],
            },
        };
        db.Services.AddRange(Enumerable.Range(1, Nodes).Select(i => new Service { Name = i == 10 ? "config_push" : $"step {i}", Kind = "wait" }));
        await db.SaveChangesAsync();
        db.Services.Add(workflow);
        var run = new Run { ServiceId = 0, ServiceName = workflow.Name, Status = RunStatus.Completed, DeviceIds = [.. devices.Select(d => d.Id)] };
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        run.ServiceId = workflow.Id;
        var pool = new Pool { Name = "two" };
        db.Pools.Add(pool);
        db.AttachRange(devices.Where(d => InPool.Contains(d.Name)));
        pool.Devices.AddRange(devices.Where(d => InPool.Contains(d.Name)));
        await db.SaveChangesAsync();
        (RunId, PoolId) = (run.Id, pool.Id);

        var results = new List<RunResult>(Devices * (Nodes + 1) + 1);
        RunResult Result(Device device, string node, bool success, bool skipped = false) => new()
        {
            RunId = run.Id,
            Node = node,
            DeviceId = device.Id,
            DeviceName = device.Name,
            Success = success,
            Skipped = skipped,
            Output = $"{node} on {device.Name}",
        };
        results.Add(Result(devices[0], "n2", success: false));
        foreach (var (device, index) in devices.Select((d, i) => (d, i)))
        {
            var failing = Failing.Contains(device.Name);
            for (var node = 1; node <= (failing ? 10 : Nodes); node++)
            {
                results.Add(Result(device, $"n{node}", success: !(failing && node == 10) && !(node == 3 && index % 1000 == 7), skipped: node == 3 && index % 1000 == 7));
            }
            results.Add(Result(device, RunResult.RunLevel, success: !failing));
        }
        await BulkInsert.AppendAsync(db, results, default);
    }

    public Task DisposeAsync()
    {
        Database.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary><see cref="RunMatrix"/>: pages of rows read from the database, grouped counts, filters, scope and bounds.</summary>
public sealed class RunMatrixTests(LargeRun large) : IClassFixture<LargeRun>
{
    private async Task<MatrixPage> PageAsync(MatrixQuery query, IReadOnlyList<int>? scope = null)
    {
        await using var db = await large.Database.CreateScopedAsync(scope, default);
        return (await RunMatrix.PageAsync(db, large.RunId, query, default))!;
    }

    [Fact]
    public async Task A_missing_run_has_no_matrix_and_a_page_is_capped()
    {
        await using (var db = large.Database.CreateDbContext())
        {
            Assert.Null(await RunMatrix.PageAsync(db, 999_999, new MatrixQuery(), default));
            Assert.Null(await RunMatrix.SummaryAsync(db, 999_999, default));
        }
        var huge = await PageAsync(new MatrixQuery(Take: 1_000_000));
        Assert.Equal(RunMatrix.MaxTake, huge.Rows.Count);
        Assert.Equal(LargeRun.Devices, huge.Total);
        Assert.Single((await PageAsync(new MatrixQuery(Skip: -5, Take: -1))).Rows);
    }

    [Fact]
    public async Task A_pool_limited_user_gets_only_their_devices_rows_and_counts()
    {
        var page = await PageAsync(new MatrixQuery(Take: RunMatrix.MaxTake), [large.PoolId]);
        Assert.Equal(LargeRun.InPool, page.Rows.Select(r => r.DeviceName));
        Assert.Equal(2, page.Total);
        // The filters cannot reach past the scope either: a foreign failed device is not found.
        Assert.Equal(["dev-05000"], (await PageAsync(new MatrixQuery("n10", MatrixOutcome.Failed), [large.PoolId])).Rows.Select(r => r.DeviceName));
        await using var db = await large.Database.CreateScopedAsync([large.PoolId], default);
        var summary = (await RunMatrix.SummaryAsync(db, large.RunId, default))!;
        Assert.Equal(2, summary.Devices);
        Assert.Equal((1, 1), (summary.Run.Succeeded, summary.Run.Failed));
        Assert.Equal(["dev-05000"], summary.Run.FailedDevices);
        Assert.Equal("Succeeded on all but 1: dev-05000.", summary.Headline);
    }

    [Fact]
    public async Task Pages_come_a_page_at_a_time_in_name_order_with_columns_in_graph_order()
    {
        await PageAsync(new MatrixQuery());
        foreach (var skip in new[] { 0, 5_000, LargeRun.Devices - 50 })
        {
            var page = await PageAsync(new MatrixQuery(Skip: skip, Take: 50));
            Assert.Equal(50, page.Rows.Count);
            Assert.Equal(Enumerable.Range(skip, 50).Select(i => $"dev-{i:D5}"), page.Rows.Select(r => r.DeviceName));
        }
        var first = await PageAsync(new MatrixQuery(Take: 50));
        Assert.Equal(Enumerable.Range(1, LargeRun.Nodes).Select(i => $"n{i}"), first.Columns.Select(c => c.Node));
        Assert.Equal("config_push", first.Columns[9].Label);
        var row = first.Rows[0];
        Assert.Equal(LargeRun.Nodes, row.Cells.Count);
        Assert.Equal(MatrixOutcome.Succeeded, row.Outcome);
        // dev-00000 failed n2 once, then succeeded: its cell is the latest result.
        Assert.Equal(MatrixOutcome.Succeeded, row.Cells["n2"].Outcome);
        Assert.Equal(MatrixOutcome.Skipped, first.Rows[7].Cells["n3"].Outcome);
        var failed = first.Rows[42];
        Assert.Equal((MatrixOutcome.Failed, MatrixOutcome.Failed, false), (failed.Outcome, failed.Cells["n10"].Outcome, failed.Cells.ContainsKey("n11")));
    }

    [Fact]
    public async Task Identical_outcomes_are_grouped_per_run_and_per_node()
    {
        await using var db = large.Database.CreateDbContext();
        var summary = (await RunMatrix.SummaryAsync(db, large.RunId, default))!;
        Assert.Equal(LargeRun.Devices, summary.Devices);
        Assert.Equal("Succeeded on all but 3: dev-00042, dev-05000, dev-09999.", summary.Headline);
        var byNode = summary.Nodes.ToDictionary(n => n.Column.Node, n => n.Counts);
        Assert.Equal("9,997 succeeded, 3 failed (dev-00042, dev-05000, dev-09999)", byNode["n10"].Text);
        Assert.Equal((9_997, 0, 0, 3), (byNode["n11"].Succeeded, byNode["n11"].Failed, byNode["n11"].Skipped, byNode["n11"].NotReached));
        Assert.Equal("9,990 succeeded, 10 skipped", byNode["n3"].Text);
        // n2 counts dev-00000 once, by its latest result.
        Assert.Equal("10,000 succeeded", byNode["n2"].Text);
    }

    [Fact]
    public async Task Filters_by_outcome_at_a_node_by_run_outcome_and_by_device_name()
    {
        var failedAtPush = await PageAsync(new MatrixQuery("n10", MatrixOutcome.Failed));
        Assert.Equal(LargeRun.Failing, failedAtPush.Rows.Select(r => r.DeviceName));
        Assert.Equal(3, failedAtPush.Total);
        Assert.Equal(3, (await PageAsync(new MatrixQuery("n11", MatrixOutcome.NotReached))).Total);
        Assert.Equal(10, (await PageAsync(new MatrixQuery("n3", MatrixOutcome.Skipped))).Total);
        Assert.Equal(0, (await PageAsync(new MatrixQuery("n2", MatrixOutcome.Failed))).Total);
        Assert.Equal(3, (await PageAsync(new MatrixQuery(null, MatrixOutcome.Failed))).Total);
        Assert.Equal(9_997, (await PageAsync(new MatrixQuery(null, MatrixOutcome.Succeeded))).Total);
        var named = await PageAsync(new MatrixQuery(Device: " DEV-0999 "));
        Assert.Equal(Enumerable.Range(9990, 10).Select(i => $"dev-{i:D5}"), named.Rows.Select(r => r.DeviceName));
        Assert.Equal(["dev-09999"], (await PageAsync(new MatrixQuery("n10", MatrixOutcome.Failed, "0999"))).Rows.Select(r => r.DeviceName));
        // LIKE wildcards typed by the user match themselves.
        Assert.Equal(0, (await PageAsync(new MatrixQuery(Device: "dev_%"))).Total);
    }
}
