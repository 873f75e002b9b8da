using System.Text.Json.Nodes;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Workflows;
using eNMS.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace eNMS.Tests.EndToEnd;

/// <summary>The drag-and-drop designer in real Chromium: building a workflow by hand, and watching a run on it.</summary>
[Collection(Browser.Collection)]
public sealed class WorkflowDesignerTests
{
    [ChromiumFact]
    public async Task Drag_two_services_onto_the_canvas_connect_them_with_a_success_edge_save_and_find_them_after_a_reload()
    {
        await using var app = new AppServer();
        app.StartServer();
        var workflowId = await CreateAsync(app, "designed", "workflow", graph: new WorkflowGraph());
        await using (var seed = await app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync())
        {
            seed.UserGroups.Add(new eNMS.Core.Security.UserGroup { Name = "noc" });
            await seed.SaveChangesAsync();
        }
        await using (var browser = await BrowserSession.LaunchAsync())
        {
            var page = await browser.NewPageAsync(app, width: 1600, height: 1000);
            await Browser.StepsAsync(page, "designer-build", async () =>
            {
                var cspViolations = await Browser.SignInAtAsync(page, $"/workflows/{workflowId}/designer");
                var canvas = page.GetByTestId("workflow-canvas");
                await Expect(canvas.Locator(".diagram-canvas")).ToBeVisibleAsync();
                await Expect(page.GetByTestId("designer-unsaved")).ToHaveCountAsync(0);
                await page.Locator("[data-palette='kind:wait']").DragToAsync(canvas, new() { TargetPosition = new() { X = 80, Y = 60 } });
                await Expect(page.Locator("[data-node='wait']")).ToBeVisibleAsync();
                await page.Locator("[data-palette='kind:wait']").DragToAsync(canvas, new() { TargetPosition = new() { X = 420, Y = 60 } });
                await Expect(page.Locator("[data-node='wait (2)']")).ToBeVisibleAsync();
                // The second node cannot be reached yet: the canvas says so until the edge exists.
                await Expect(page.GetByTestId("canvas-problem")).ToContainTextAsync("cannot be reached");

                await Expect(page.GetByTestId("designer-unsaved")).ToBeVisibleAsync();
                await DragAsync(page, page.Locator("[data-node='wait'] .enms-port-success"), page.Locator("[data-node='wait (2)']"));
                await Expect(page.GetByTestId("canvas-problem")).ToHaveCountAsync(0);
                await page.GetByTestId("save-workflow").ClickAsync();
                await Expect(page.GetByTestId("designer-version")).ToHaveTextAsync("version 2");
                await Expect(page.GetByTestId("designer-unsaved")).ToHaveCountAsync(0);

                await page.ReloadAsync();
                await Expect(page.GetByTestId("interactive")).ToBeAttachedAsync();
                await Expect(page.Locator("[data-node='wait']")).ToBeVisibleAsync();
                await Expect(page.Locator("[data-node='wait (2)']")).ToBeVisibleAsync();
                await Expect(page.Locator("g.diagram-link")).ToHaveCountAsync(1);

                // The panel beside the canvas (no node selected) edits the workflow's lists; Save keeps them with the drawing.
                await page.GetByTestId("workflow-panel").GetByText("Owner and access lists").ClickAsync();
                var search = page.Locator("input[data-testid=access-add-run]").Or(page.GetByTestId("access-add-run").Locator("input")).First;
                var option = page.Locator(".mud-popover-open .mud-list-item").GetByText("group:noc", new() { Exact = true });
                // The autocomplete searches after a debounce (and under load may miss keystrokes): type afresh until it offers the group.
                for (var attempt = 0; attempt < 5 && !await option.IsVisibleAsync(); attempt++)
                {
                    await search.FillAsync("");
                    await search.PressSequentiallyAsync("noc", new() { Delay = 50 });
                    await page.WaitForTimeoutAsync(1000);
                }
                await option.ClickAsync();
                await Expect(page.GetByTestId("access-run").GetByTestId("access-chip")).ToHaveTextAsync(["group:noc"]);
                await Expect(page.GetByTestId("designer-unsaved")).ToBeVisibleAsync();
                await page.GetByTestId("save-workflow").ClickAsync();
                await Expect(page.GetByTestId("designer-version")).ToHaveTextAsync("version 3");
                Assert.Empty(cspViolations);
            });
        }

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        var saved = await db.Services.AsNoTracking().SingleAsync(s => s.Id == workflowId);
        var names = await db.Services.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Name);
        var nodes = saved.Graph!.Nodes.ToDictionary(n => n.Id, n => names[n.ServiceId]);
        var edge = Assert.Single(saved.Graph.Edges);
        Assert.Equal(("wait", "wait (2)", EdgeKind.Success), (nodes[edge.From], nodes[edge.To], edge.Kind));
        Assert.Equal(edge.From, saved.Graph.Start);
        Assert.True(saved.Graph.Nodes.Single(n => n.Id == edge.To).X > saved.Graph.Nodes.Single(n => n.Id == edge.From).X, "positions are kept");
        Assert.Equal(["group:noc"], saved.RunAccess);
    }

    [ChromiumFact]
    public async Task A_run_started_from_the_designer_lights_up_its_nodes_and_the_run_page_shows_them()
    {
        await using var app = new AppServer();
        app.StartServer();
        var first = await CreateAsync(app, "first step", "wait", """{"seconds": 3}""");
        var second = await CreateAsync(app, "second step", "wait", """{"seconds": 0}""");
        var workflowId = await CreateAsync(app, "watched", "workflow", graph: new WorkflowGraph
        {
            Start = "a",
            Nodes = [new() { Id = "a", ServiceId = first, X = 40, Y = 40 }, new() { Id = "b", ServiceId = second, X = 320, Y = 40 }],
            Edges = [new() { From = "a", To = "b", Kind = EdgeKind.Success }],
        });
        await using (var browser = await BrowserSession.LaunchAsync())
        {
            var page = await browser.NewPageAsync(app, width: 1600, height: 1000);
            await Browser.StepsAsync(page, "designer-run", async () =>
            {
                await Browser.SignInAtAsync(page, $"/workflows/{workflowId}/designer");
                await Expect(page.Locator("[data-node='first step']")).ToHaveAttributeAsync("data-state", "idle");
                await page.GetByTestId("run-workflow").ClickAsync();
                await page.GetByTestId("start-run").ClickAsync();
                await Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
                await Expect(page.GetByTestId("designer-run")).ToBeVisibleAsync();
                await Expect(page.Locator("[data-node='first step']")).ToHaveAttributeAsync("data-state", "running");
                await Expect(page.Locator("[data-node='second step']")).ToHaveAttributeAsync("data-state", "success");
                await Expect(page.Locator("[data-node='first step']")).ToHaveAttributeAsync("data-state", "success");
                await Expect(page.GetByTestId("designer-run-status")).ToHaveTextAsync("completed");

                await page.Locator("[data-node='first step']").ClickAsync();
                await page.GetByTestId("node-result").First.ClickAsync();
                await Expect(page.Locator(".enms-node.on-path")).ToHaveCountAsync(2);

                await page.GetByTestId("designer-run").GetByRole(AriaRole.Link).ClickAsync();
                await Expect(page.GetByTestId("run-workflow-canvas")).ToBeVisibleAsync();
                await Expect(page.Locator("[data-node='second step']")).ToHaveAttributeAsync("data-state", "success");
            }, app);
        }
    }

    /// <summary>Presses the mouse on one element and releases it on another, moving in steps as a hand would.</summary>
    private static async Task DragAsync(IPage page, ILocator from, ILocator to)
    {
        var a = await from.BoundingBoxAsync() ?? throw new InvalidOperationException("the port is not visible");
        var b = await to.BoundingBoxAsync() ?? throw new InvalidOperationException("the target node is not visible");
        await page.Mouse.MoveAsync(a.X + a.Width / 2, a.Y + a.Height / 2);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(b.X + b.Width / 2, b.Y + b.Height / 2, new() { Steps = 12 });
        await page.Mouse.UpAsync();
    }

    private static async Task<int> CreateAsync(AppServer app, string name, string kind, string parameters = "{}", WorkflowGraph? graph = null)
    {
        var result = await app.Services.GetRequiredService<ServiceEditor>().SaveAsync(new ServiceInput
        {
            Name = name,
            Kind = kind,
            Parameters = JsonNode.Parse(parameters)!.AsObject(),
            Graph = graph,
        }, null, CancellationToken.None);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Values));
        return result.Id;
    }
}
