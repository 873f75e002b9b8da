using System.Text.Json.Nodes;
using Blazor.Diagrams.Core.Geometry;
using Bunit;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Automation.Handlers;
using eNMS.Core.Automation.Workflows;
using eNMS.Core.Inventory;
using eNMS.Core.Security;
using eNMS.Web.Components.Diagram;
using eNMS.Web.Components.Pages.Automation;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Web;

/// <summary>The designer's parts in bunit: the palette, the node panel, and the page's answer to a concurrent save.</summary>
public sealed class DesignerComponentTests : WebTestContext
{
    /// <summary>Read at each check: a test may set <see cref="AutomationOptions.AdminOnlyKinds"/> before rendering.</summary>
    private readonly AutomationOptions _automation = new();

    public DesignerComponentTests()
    {
        Services.AddLogging();
        Services.AddSingleton(new ServiceHandlers([new WaitHandler(), new PingHandler(new eNMS.Drivers.Simulation.DeviceSimulator()), new CliConfigHandler()],
            Microsoft.Extensions.Options.Options.Create(_automation)));
        Services.AddSingleton(new ServiceSecrets(new Microsoft.AspNetCore.DataProtection.EphemeralDataProtectionProvider()));
        Services.AddSingleton<ServiceEditor>();
        Services.AddSingleton<WorkflowTransfer>();
        Services.AddSingleton<RunNotifier>();
        // Z.Blazor.Diagrams renders only interactively, and measures its canvas through JS on the first render.
        SetRendererInfo(new RendererInfo("Server", true));
        JSInterop.Setup<Rectangle>("ZBlazorDiagrams.getBoundingClientRect", _ => true).SetResult(new Rectangle(0, 0, 1000, 600));
    }

    [Fact]
    public void The_palette_filters_kinds_and_services_and_hands_over_what_is_added_or_dragged()
    {
        var ping = new Service { Id = 7, Name = "ping core", Kind = "ping" };
        var added = new List<PaletteItem>();
        var picked = new List<PaletteItem>();
        var palette = Render<ServicePalette>(p => p
            .Add(x => x.Kinds, ["ping", "wait"])
            .Add(x => x.Services, [ping, new Service { Id = 8, Name = "backup all", Kind = "config_backup" }])
            .Add(x => x.Added, item => added.Add(item))
            .Add(x => x.Picked, item => picked.Add(item)));
        Assert.Equal(2, palette.FindAll("[data-testid=palette-kind]").Count);
        Assert.Equal(2, palette.FindAll("[data-testid=palette-service]").Count);

        palette.Find("input[data-testid=palette-search]").Input("ping");
        palette.WaitForAssertion(() => Assert.Equal(["kind:ping", "service:ping core"],
            palette.FindAll("[data-palette]").Select(e => e.GetAttribute("data-palette"))));

        palette.Find("[data-palette='kind:ping'] button").Click();
        palette.Find("[data-palette='service:ping core']").DragStart();
        Assert.Equal(new PaletteItem("ping", null), Assert.Single(added));
        Assert.Same(ping, Assert.Single(picked).Service);
    }

    [Fact]
    public void The_palette_says_what_each_kind_does_and_shows_its_example()
    {
        var palette = Render<ServicePalette>(p => p.Add(x => x.Kinds, ["cli_config", "ping"]).Add(x => x.Services, []));

        var kinds = palette.FindAll("[data-testid=palette-kind]");
        Assert.Contains("Pushes configuration lines", kinds[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("snmp-server location {{ device.location }}", kinds[0].GetAttribute("title"), StringComparison.Ordinal);
        Assert.Contains("Pings the device", kinds[1].TextContent, StringComparison.Ordinal);
        // The search finds a kind by what it does, not only by its key.
        palette.Find("input[data-testid=palette-search]").Input("round-trip");
        palette.WaitForAssertion(() => Assert.Equal(["kind:ping"], palette.FindAll("[data-palette]").Select(e => e.GetAttribute("data-palette"))));
    }

    [Fact]
    public async Task A_new_service_form_describes_its_kind_and_starts_from_the_kind_s_example()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("services/new?kind=cli_config");
        var page = Render<ServiceEditPage>();

        page.WaitForAssertion(() => Assert.Contains("Pushes configuration lines", page.Find("[data-testid=kind-description]").TextContent, StringComparison.Ordinal));
        var config = page.Find("[data-testid=param-config] textarea");
        Assert.True((config.GetAttribute("value") ?? config.TextContent) == "snmp-server location {{ device.location }}", config.OuterHtml);
        page.Find("input[data-testid=service-name-field]").Change("set location");
        page.Find("button[data-testid=save-service]").Click();

        await using var db = await DbFactory.CreateDbContextAsync();
        await page.WaitForAssertionAsync(() => Assert.Single(db.Services.Where(s => s.Name == "set location")));
        var stored = JsonNode.Parse((await db.Services.SingleAsync()).Parameters)!;
        Assert.True(stored["dryRun"]!.GetValue<bool>());
        Assert.Equal("snmp-server location {{ device.location }}", stored["config"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_node_panel_saves_the_service_parameters_and_the_node_label()
    {
        var wait = new Service { Name = "pause", Kind = "wait", Parameters = """{"seconds":5}""", Version = 1 };
        await SeedAsync(db => db.Services.Add(wait));
        var node = new ServiceNodeModel("n1", new Point(0, 0), wait);
        var saved = new List<int>();
        var labelled = 0;
        var panel = Render<NodePanel>(p => p
            .Add(x => x.Node, node)
            .Add(x => x.Service, wait)
            .Add(x => x.ServiceSaved, id => saved.Add(id))
            .Add(x => x.LabelChanged, () => labelled++));

        panel.Find("input[data-testid=node-label]").Change("wait for the reload");
        Assert.Equal("wait for the reload", node.Label);
        Assert.Equal(1, labelled);

        panel.Find("[data-testid=param-seconds] input").Change("42");
        panel.Find("[data-testid=save-node-service]").Click();
        panel.WaitForAssertion(() => Assert.Equal([wait.Id], saved));
        await using var db = await DbFactory.CreateDbContextAsync();
        var stored = await db.Services.AsNoTracking().SingleAsync(s => s.Id == wait.Id);
        Assert.Equal(42, JsonNode.Parse(stored.Parameters)!["seconds"]!.GetValue<double>());
        Assert.Equal(2, stored.Version);
    }

    [Fact]
    public async Task The_palette_leaves_out_ad_hoc_services_told_by_their_flag_not_by_their_name()
    {
        var wait = new Service { Name = "pause", Kind = "wait" };
        var adHoc = new Service { Name = "config_rollback device #1 version #3 (one-off)", Kind = "wait", IsAdHoc = true };
        await SeedAsync(db => db.Services.AddRange(wait, adHoc));
        // A name that once marked ad-hoc services is now an ordinary name a user may give.
        var named = new ServiceInput { Name = ServiceCatalogue.LegacyAdHocPrefix + "mine", Kind = "wait", Parameters = [] };
        var saved = await Services.GetRequiredService<ServiceEditor>().SaveAsync(named, null, CancellationToken.None);
        Assert.True(saved.Succeeded, string.Join(" ", saved.Errors.Values));
        var workflow = new Service { Name = "change window", Kind = ServiceHandlers.WorkflowKind, Graph = new WorkflowGraph() };
        await SeedAsync(db => db.Services.Add(workflow));

        var page = Render<WorkflowDesignerPage>(p => p.Add(x => x.Id, workflow.Id));

        page.WaitForAssertion(() => Assert.Equal(["service:[ad hoc] mine", "service:pause"],
            page.FindAll("[data-testid=palette-service]").Select(e => e.GetAttribute("data-palette")).Order(StringComparer.Ordinal)));
    }

    [Fact]
    public async Task An_editor_off_the_access_lists_finds_neither_the_workflow_nor_the_service_in_the_palette()
    {
        var open = new Service { Name = "pause", Kind = "wait" };
        var closed = new Service { Name = "core pause", Kind = "wait", Owner = "carol", ReadAccess = ["group:core"] };
        var workflow = new Service { Name = "core window", Kind = ServiceHandlers.WorkflowKind, Graph = new WorkflowGraph(), Owner = "carol", ReadAccess = ["user:dave"] };
        var mine = new Service { Name = "my window", Kind = ServiceHandlers.WorkflowKind, Graph = new WorkflowGraph() };
        await SeedAsync(db => db.Services.AddRange(open, closed, workflow, mine));
        Authorization.SetRoles(Roles.Editor);

        var hidden = Render<WorkflowDesignerPage>(p => p.Add(x => x.Id, workflow.Id));
        hidden.WaitForAssertion(() => Assert.Contains("does not exist", hidden.Find("[data-testid=designer-missing]").TextContent, StringComparison.Ordinal));

        var page = Render<WorkflowDesignerPage>(p => p.Add(x => x.Id, mine.Id));
        page.WaitForAssertion(() => Assert.Equal(["service:pause"],
            page.FindAll("[data-testid=palette-service]").Select(e => e.GetAttribute("data-palette"))));
    }

    [Fact]
    public async Task The_workflow_panel_lets_the_owner_change_the_lists_with_the_drawing_and_shows_them_read_only_to_others()
    {
        await SeedAsync(db =>
        {
            db.Users.AddRange(new EnmsUser { UserName = "carol", NormalizedUserName = "CAROL" }, new EnmsUser { UserName = "dave", NormalizedUserName = "DAVE" });
            db.UserGroups.Add(new UserGroup { Name = "core" });
        });
        var workflow = new Service
        {
            Name = "core window",
            Kind = ServiceHandlers.WorkflowKind,
            Graph = new WorkflowGraph(),
            Version = 1,
            Owner = "carol",
            EditAccess = ["user:carol", "group:core"],
        };
        await SeedAsync(db => db.Services.Add(workflow));
        Authorization.SetAuthorized("carol");
        Authorization.SetRoles(Roles.Editor);
        AuditActor.Current = new AuditActor("carol", null);

        var page = Render<WorkflowDesignerPage>(p => p.Add(x => x.Id, workflow.Id));
        page.WaitForAssertion(() => Assert.Equal(["user:carol", "group:core"],
            page.FindAll("[data-testid=workflow-panel] [data-testid=access-edit] [data-testid=access-chip]").Select(c => c.TextContent.Trim())));
        Assert.Empty(page.FindAll("[data-testid=access-readonly]"));
        Assert.Empty(page.FindAll("[data-testid=designer-unsaved]"));
        await page.InvokeAsync(() => page.FindAll("[data-testid=access-edit] [data-testid=access-chip]")[1].QuerySelector(".mud-chip-close-button")!.Click());
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=designer-unsaved]")));
        page.Find("[data-testid=save-workflow]").Click();
        page.WaitForAssertion(() => Assert.Equal("version 2", page.Find("[data-testid=designer-version]").TextContent));
        await using (var db = await DbFactory.CreateDbContextAsync())
        {
            Assert.Equal(["user:carol"], (await db.Services.AsNoTracking().SingleAsync(s => s.Id == workflow.Id)).EditAccess);
        }

        // Another editor (the edit list now names carol alone) sees the lists, read-only.
        Authorization.SetAuthorized("dave");
        AuditActor.Current = new AuditActor("dave", null);
        var other = Render<WorkflowDesignerPage>(p => p.Add(x => x.Id, workflow.Id));
        other.WaitForAssertion(() => Assert.NotEmpty(other.FindAll("[data-testid=workflow-panel] [data-testid=access-readonly]")));
        Assert.Empty(other.FindAll("[data-testid^=access-add-]"));
        Assert.Contains("user:carol", other.Find("[data-testid=workflow-panel]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_admin_only_kind_is_refused_to_an_editor_on_the_service_page_and_left_out_of_the_designer_palette()
    {
        // wait made admin-only (Automation:AdminOnlyKinds), ping and cli_config not.
        _automation.AdminOnlyKinds = ["wait"];
        var workflow = new Service { Name = "window", Kind = ServiceHandlers.WorkflowKind, Graph = new WorkflowGraph() };
        await SeedAsync(db => db.Services.Add(workflow));
        Authorization.SetRoles(Roles.Editor);
        AuditActor.Current = new AuditActor("tester", null);

        var designer = Render<WorkflowDesignerPage>(p => p.Add(x => x.Id, workflow.Id));
        designer.WaitForAssertion(() => Assert.Equal(["kind:cli_config", "kind:ping"], designer.FindAll("[data-testid=palette-kind]").Select(e => e.GetAttribute("data-palette"))));

        Services.GetRequiredService<NavigationManager>().NavigateTo("services/new?kind=wait");
        var page = Render<ServiceEditPage>();
        page.WaitForAssertion(() => page.Find("input[data-testid=service-name-field]"));
        page.Find("input[data-testid=service-name-field]").Change("pause");
        page.Find("button[data-testid=save-service]").Click();
        page.WaitForAssertion(() => Assert.Contains("Only administrators may create or change wait services",
            page.Find("[data-testid=service-error]").TextContent, StringComparison.Ordinal));
        await using var db = await DbFactory.CreateDbContextAsync();
        Assert.False(await db.Services.AnyAsync(s => s.Name == "pause"));
    }

    [Fact]
    public async Task Saving_over_a_newer_save_tells_the_user_and_keeps_the_drawing()
    {
        var wait = new Service { Name = "pause", Kind = "wait", Version = 1 };
        await SeedAsync(db => db.Services.Add(wait));
        var workflow = new Service
        {
            Name = "change window",
            Kind = ServiceHandlers.WorkflowKind,
            Version = 1,
            Graph = new WorkflowGraph { Start = "a", Nodes = [new() { Id = "a", ServiceId = wait.Id }] },
        };
        await SeedAsync(db => db.Services.Add(workflow));
        var page = Render<WorkflowDesignerPage>(p => p.Add(x => x.Id, workflow.Id));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-node=pause]")));

        // Someone else saves first, from the version this page opened.
        var theirs = ServiceInput.From(workflow);
        theirs.Description = "their change";
        Assert.True((await Services.GetRequiredService<ServiceEditor>().SaveAsync(theirs, null, CancellationToken.None)).Succeeded);

        page.Find("[data-testid=save-workflow]").Click();
        page.WaitForAssertion(() => Assert.Contains("was changed by someone else", page.Find("[data-testid=designer-conflict]").TextContent, StringComparison.Ordinal));
        Assert.Single(page.FindAll("[data-node=pause]"));
        Assert.NotNull(page.Find("[data-testid=save-as-copy]"));
        await using var db = await DbFactory.CreateDbContextAsync();
        var stored = await db.Services.AsNoTracking().SingleAsync(s => s.Id == workflow.Id);
        Assert.Equal(("their change", 2), (stored.Description, stored.Version));
    }

    [Fact]
    public void Live_run_events_refresh_only_the_nodes_they_touch_and_are_batched()
    {
        var services = Enumerable.Range(1, 200).ToDictionary(i => i, i => new Service { Id = i, Name = $"step {i}", Kind = "wait" });
        var graph = new WorkflowGraph
        {
            Start = "n1",
            Nodes = [.. services.Keys.Select(i => new WorkflowNode { Id = $"n{i}", ServiceId = i, X = i % 20 * 200, Y = i / 20 * 100 })],
            Edges = [.. services.Keys.Skip(1).Select(i => new WorkflowEdge { From = $"n{i - 1}", To = $"n{i}" })],
        };
        var canvas = Render<WorkflowCanvas>(p => p.Add(x => x.Graph, graph).Add(x => x.Services, services).Add(x => x.ReadOnly, true));
        canvas.WaitForAssertion(() => Assert.Equal(200, canvas.FindAll("[data-node]").Count));
        canvas.InvokeAsync(() => canvas.Instance.Watch(9, RunEventScope.Everything, () => Task.FromResult<IReadOnlyList<RunResult>>([])));
        var widgets = canvas.FindComponents<ServiceNodeWidget>().ToDictionary(w => w.Instance.Node.Id);
        canvas.WaitForAssertion(() => Assert.Equal("idle", canvas.Find("[data-node='step 1']").GetAttribute("data-state")));
        var before = widgets.ToDictionary(w => w.Key, w => w.Value.RenderCount);

        var notifier = Services.GetRequiredService<RunNotifier>();
        for (var device = 0; device < 100; device++)
        {
            notifier.Publish(new NodeStarted(9, "n1", device, $"d{device}"));
        }
        canvas.WaitForAssertion(() => Assert.Equal("▶ 100", canvas.Find("[data-node='step 1'] .enms-count-running").TextContent.Trim()));

        Assert.InRange(widgets["n1"].RenderCount - before["n1"], 1, 5);
        Assert.All(widgets.Where(w => w.Key != "n1"), w => Assert.Equal(before[w.Key], w.Value.RenderCount));
    }

    /// <summary>The CI run of the map test saw a completed run whose first node stayed idle: its result was recorded
    /// after the page read the stored results and before the canvas subscribed, so the canvas got it neither way.
    /// The canvas now reads the stored results itself, after it subscribed.</summary>
    [Fact]
    public async Task A_result_recorded_before_or_while_the_canvas_starts_watching_lights_its_node()
    {
        var services = new Dictionary<int, Service> { [1] = new() { Id = 1, Name = "first", Kind = "wait" }, [2] = new() { Id = 2, Name = "second", Kind = "wait" } };
        var graph = new WorkflowGraph
        {
            Start = "a",
            Nodes = [new() { Id = "a", ServiceId = 1 }, new() { Id = "b", ServiceId = 2, X = 300 }],
            Edges = [new() { From = "a", To = "b" }],
        };
        var canvas = Render<WorkflowCanvas>(p => p.Add(x => x.Graph, graph).Add(x => x.Services, services).Add(x => x.ReadOnly, true));
        canvas.WaitForAssertion(() => Assert.Equal(2, canvas.FindAll("[data-node]").Count));
        var notifier = Services.GetRequiredService<RunNotifier>();
        // Before the watch: published to nobody, but stored.
        var first = new RunResult { RunId = 9, Node = "a", ServiceName = "first", DeviceName = "paris", Success = true };
        notifier.Publish(new ResultRecorded(9, first));
        var reading = new TaskCompletionSource<IReadOnlyList<RunResult>>();

        var loaded = Task.CompletedTask;
        await canvas.InvokeAsync(() => { loaded = canvas.Instance.Watch(9, RunEventScope.Everything, () => reading.Task); });
        // While the stored results are read: only the event carries it.
        notifier.Publish(new ResultRecorded(9, new RunResult { RunId = 9, Node = "b", ServiceName = "second", DeviceName = "paris", Success = true }));
        reading.SetResult([first]);
        await loaded;

        canvas.WaitForAssertion(() => Assert.Equal("success", canvas.Find("[data-node='first']").GetAttribute("data-state")));
        canvas.WaitForAssertion(() => Assert.Equal("success", canvas.Find("[data-node='second']").GetAttribute("data-state")));
    }

    /// <summary>The service form's credential field shows the one the service names.</summary>
    [Fact]
    public async Task The_service_form_shows_the_credential_the_service_names()
    {
        await SeedAsync(db => db.Credentials.AddRange(
            new Credential { Name = "open one", Username = "u", ProtectedPassword = "x" },
            new Credential { Name = "closed one", Username = "u", ProtectedPassword = "x", UseAccess = ["group:netops"] }));
        await SeedAsync(db => db.Services.Add(new Service { Name = "show", Kind = "cli_commands", Parameters = """{"commands":"show version"}""", CredentialId = 1, Version = 1 }));
        Authorization.SetRoles(Roles.Editor);

        var page = Render<ServiceEditPage>(p => p.Add(x => x.Id, 1));
        await page.WaitForAssertionAsync(() => Assert.Contains("open one", page.Find("[data-testid=service-credential]").OuterHtml, StringComparison.Ordinal));
    }
}
