using Bunit;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Automation.Workflows;
using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Web.Components.Pages.Automation;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Web;

/// <summary>The run page's device × node matrix: grouped counts, rows read a page at a time as Virtualize asks for
/// them, the "failed here" filter, the name filter, and a cell opening its result.</summary>
public sealed class ResultMatrixTests : WebTestContext
{
    private const int Devices = 2_000;
    private static readonly string[] Failing = ["dev-0042", "dev-1000", "dev-1999"];

    public ResultMatrixTests()
    {
        Services.AddLogging();
        Services.AddSingleton<RunNotifier>();
    }

    private async Task<int> SeedRunAsync()
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        var devices = Enumerable.Range(0, Devices).Select(i => new Device { Name = $"dev-{i:D4}", Platform = "linux" }).ToList();
        await BulkInsert.InsertAsync(db, devices, default);
        var steps = new[] { "show version", "config_push", "save" }.Select(name => new Service { Name = name, Kind = "wait" }).ToList();
        db.Services.AddRange(steps);
        await db.SaveChangesAsync();
        var workflow = new Service
        {
            Name = "push",
            Kind = "workflow",
            Graph = new WorkflowGraph
            {
                Start = "n1",
                Nodes = [.. steps.Select((s, i) => new WorkflowNode { Id = $"n{i + 1}", ServiceId = s.Id })],
                Edges = [new() { From = "n1", To = "n2" }, new() { From = "n2", To = "n3" }],
            },
        };
        db.Services.Add(workflow);
        await db.SaveChangesAsync();
        var run = new Run { ServiceId = workflow.Id, ServiceName = "push", Status = RunStatus.Completed, DeviceIds = [.. devices.Select(d => d.Id)] };
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        var results = devices.SelectMany(d =>
        {
            var failing = Failing.Contains(d.Name);
            return new[] { "n1", "n2", "n3", RunResult.RunLevel }.Take(failing ? 2 : 3).Select(node => new RunResult
            {
                RunId = run.Id,
                Node = node,
                DeviceId = d.Id,
                DeviceName = d.Name,
                Success = !(failing && node == "n2"),
                Output = $"{node} on {d.Name}",
            }).Append(new RunResult { RunId = run.Id, DeviceId = d.Id, DeviceName = d.Name, Success = !failing });
        }).ToList();
        await BulkInsert.AppendAsync(db, results, default);
        return run.Id;
    }

    [Fact]
    public async Task Only_a_screenful_of_the_2000_rows_is_rendered_and_filters_narrow_them()
    {
        var runId = await SeedRunAsync();
        RunResult? opened = null;
        var matrix = Render<ResultMatrix>(p => p.Add(x => x.RunId, runId).Add(x => x.ResultPicked, r => opened = r));

        matrix.WaitForAssertion(() => Assert.Equal("Succeeded on all but 3: dev-0042, dev-1000, dev-1999.", matrix.Find("[data-testid=matrix-headline]").TextContent.Trim()));
        var nodes = matrix.FindAll("[data-testid=matrix-node-summary]").Select(n => n.TextContent.Trim()).ToList();
        Assert.Equal(3, nodes.Count);
        Assert.StartsWith("config_push: 1,997 succeeded, 3 failed (dev-0042, dev-1000, dev-1999)", nodes[1], StringComparison.Ordinal);
        Assert.StartsWith("save: 1,997 succeeded, 3 not reached", nodes[2], StringComparison.Ordinal);

        await ShowViewportAsync(matrix, 10 * ResultMatrix.RowHeight);
        matrix.WaitForAssertion(() => Assert.Equal("2,000 device(s)", matrix.Find("[data-testid=matrix-total]").TextContent.Trim()));
        matrix.WaitForAssertion(() => Assert.InRange(matrix.FindAll("[data-testid=matrix-row]").Count, 10, 40));
        Assert.Equal("dev-0000", matrix.FindAll("[data-testid=matrix-device]")[0].TextContent.Trim());

        await matrix.Find("[data-testid=matrix-only-failed]").ClickAsync(new());
        matrix.WaitForAssertion(() => Assert.Equal(Failing, matrix.FindAll("[data-testid=matrix-device]").Select(d => d.TextContent.Trim())));
        matrix.WaitForAssertion(() => Assert.Equal("3 device(s) match", matrix.Find("[data-testid=matrix-total]").TextContent.Trim()));
        var cells = matrix.FindAll("[data-testid=matrix-cell]").Take(3).Select(c => c.GetAttribute("data-outcome")).ToList();
        Assert.Equal(["Succeeded", "Failed", "NotReached"], cells);

        await matrix.FindAll("[data-testid=matrix-cell]")[1].ClickAsync(new());
        matrix.WaitForAssertion(() => Assert.Equal("n2 on dev-0042", opened?.Output));

        await matrix.Find("[data-testid=matrix-clear]").ClickAsync(new());
        matrix.Find("input[data-testid=matrix-filter-device]").Input("1999");
        matrix.WaitForAssertion(() => Assert.Equal(["dev-1999"], matrix.FindAll("[data-testid=matrix-device]").Select(d => d.TextContent.Trim())));
    }
}
