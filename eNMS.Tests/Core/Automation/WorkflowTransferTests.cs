using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Handlers;
using eNMS.Tests.TestSupport;

namespace eNMS.Tests.Core.Automation;

/// <summary>Export, import and duplicate of workflows through the REST API of the real app.</summary>
public sealed class WorkflowTransferTests : IAsyncLifetime
{
    private readonly EnmsAppFactory _app = new();
    private AutomationClient _api = null!;

    public async Task InitializeAsync() => _api = new AutomationClient(await _app.CreateClientAsync(eNMS.Core.Security.Roles.Editor));

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task An_exported_workflow_imports_as_new_services_without_secrets_and_runs()
    {
        var devices = await _api.CreateDevicesAsync("a", "b");
        var check = await _api.CreateServiceAsync("check", "test_step", new { failOn = "b", apiToken = "s3cr3t" });
        var repair = await _api.CreateServiceAsync("repair", "test_step", new { echo = "repairing {{ device.name }}" });
        var inner = await _api.CreateWorkflowAsync("inner", [("fix", repair)], []);
        var workflow = await _api.CreateWorkflowAsync("outer", [("check", check), ("inner", inner)], ["check!inner"]);

        var export = await _api.Http.GetStringAsync($"/api/services/{workflow}/export");
        Assert.DoesNotContain("s3cr3t", export, StringComparison.Ordinal);
        var document = JsonNode.Parse(export)!;
        Assert.Equal("enms-workflow/1", (string?)document["format"]);
        Assert.Equal(["check: apiToken"], document["removedSecrets"]!.AsArray().Select(n => (string?)n));
        Assert.Equal(["check", "inner", "outer", "repair"], document["services"]!.AsArray().Select(s => (string?)s!["name"]).Order());

        var imported = await _api.Http.PostAsync("/api/services/import", new StringContent(export, System.Text.Encoding.UTF8, "application/json"));
        var id = (int)(await AutomationClient.Read(imported, HttpStatusCode.Created))["id"]!;
        Assert.NotEqual(workflow, id);
        var services = await _api.Http.GetFromJsonAsync<List<JsonObject>>("/api/services");
        Assert.Equal(["check", "check (2)", "inner", "inner (2)", "outer", "outer (2)", "repair", "repair (2)"],
            services!.Select(s => (string?)s["name"]).Order());

        var run = await _api.WaitAsync(await _api.RunAsync(id, devices));
        var results = await _api.ResultsAsync(run.Id);
        Assert.Equal(["b"], results.Where(r => r.Node == "inner/fix").Select(r => r.DeviceName));
        Assert.Equal("repairing b", results.Single(r => r.Node == "inner/fix").Output);
    }

    [Fact]
    public async Task A_duplicate_keeps_the_graph_and_the_services_and_gets_a_free_name()
    {
        var step = await _api.CreateServiceAsync("step", "test_step", new { });
        var workflow = await _api.CreateWorkflowAsync("nightly", [("one", step), ("two", step)], ["one>two"]);

        var copy = (int)(await AutomationClient.Read(await _api.Http.PostAsync($"/api/services/{workflow}/duplicate", null), HttpStatusCode.Created))["id"]!;
        var again = (int)(await AutomationClient.Read(await _api.Http.PostAsync($"/api/services/{workflow}/duplicate", null), HttpStatusCode.Created))["id"]!;

        var original = await _api.Http.GetFromJsonAsync<ServiceInput>($"/api/services/{workflow}", ServiceJson.Options);
        var duplicate = await _api.Http.GetFromJsonAsync<ServiceInput>($"/api/services/{copy}", ServiceJson.Options);
        Assert.Equal("nightly (copy)", duplicate!.Name);
        Assert.Equal("nightly (copy) (2)", (await _api.Http.GetFromJsonAsync<ServiceInput>($"/api/services/{again}", ServiceJson.Options))!.Name);
        Assert.Equal(original!.Graph!.Nodes.Select(n => (n.Id, n.ServiceId)), duplicate.Graph!.Nodes.Select(n => (n.Id, n.ServiceId)));
        Assert.Equal(original.Graph.Edges.Select(e => (e.From, e.To, e.Kind)), duplicate.Graph.Edges.Select(e => (e.From, e.To, e.Kind)));
    }

    [Fact]
    public async Task An_import_with_an_unknown_kind_or_a_dangling_node_is_refused_naming_the_service()
    {
        var document = new JsonObject
        {
            ["format"] = "enms-workflow/1",
            ["workflow"] = 1,
            ["services"] = new JsonArray(
                new JsonObject
                {
                    ["id"] = 1,
                    ["name"] = "wf",
                    ["kind"] = "workflow",
                    ["graph"] = new JsonObject
                    {
                        ["start"] = "a",
                        ["nodes"] = new JsonArray(new JsonObject { ["id"] = "a", ["serviceId"] = 2 }, new JsonObject { ["id"] = "b", ["serviceId"] = 9 }),
                    }
                },
                new JsonObject { ["id"] = 2, ["name"] = "teleport", ["kind"] = "teleport" }),
        };
        var response = await _api.Http.PostAsJsonAsync("/api/services/import", document);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("services[1] (teleport): 'teleport' is not a service kind", body, StringComparison.Ordinal);
        Assert.Contains("node 'b' runs service #9, which is not in the file", body, StringComparison.Ordinal);
        Assert.DoesNotContain("teleport", string.Join(",", (await _api.Http.GetFromJsonAsync<List<JsonObject>>("/api/services"))!.Select(s => (string?)s["name"])), StringComparison.Ordinal);
    }
    [Fact]
    public async Task An_export_carries_owners_and_access_lists_by_name_and_an_import_keeps_them_only_for_whom_may_give_them()
    {
        var admin = new AutomationClient(await _app.CreateClientAsync(eNMS.Core.Security.Roles.Admin));
        await _app.CreateUserAsync("alice", eNMS.Core.Security.Roles.Editor);
        await AutomationClient.Read(await admin.Http.PostAsJsonAsync("/api/groups", new { name = "netops", role = "editor" }), HttpStatusCode.Created);
        var step = await admin.CreateServiceAsync("owned step", "test_step", new { },
            new { owner = "alice", readAccess = new[] { "group:netops" }, editAccess = new[] { "user:alice" } });
        var workflow = await admin.CreateWorkflowAsync("owned flow", [("s", step)], []);

        var export = JsonNode.Parse(await admin.Http.GetStringAsync($"/api/services/{workflow}/export"))!;
        var exported = export["services"]!.AsArray().Single(s => (string?)s!["name"] == "owned step")!;
        Assert.Equal("alice", (string?)exported["owner"]);
        Assert.Equal(["group:netops"], exported["readAccess"]!.AsArray().Select(e => (string?)e));
        Assert.Equal(["user:alice"], exported["editAccess"]!.AsArray().Select(e => (string?)e));

        // An admin may give any owner and lists: they arrive as exported.
        var byAdmin = await ImportAsync(admin, export.ToJsonString(), HttpStatusCode.Created);
        var importedStep = await StepOfAsync(admin, (int)byAdmin["id"]!);
        Assert.Equal("alice", (string?)importedStep["owner"]);
        Assert.Equal(["group:netops"], importedStep["readAccess"]!.AsArray().Select(e => (string?)e));
        Assert.Equal(["user:alice"], importedStep["editAccess"]!.AsArray().Select(e => (string?)e));

        // Names this server does not know refuse the import, naming each of them; nothing is created.
        var count = (await admin.Http.GetFromJsonAsync<List<JsonObject>>("/api/services"))!.Count;
        var unknown = JsonNode.Parse(export.ToJsonString())!;
        var unknownStep = unknown["services"]!.AsArray().Single(s => (string?)s!["name"] == "owned step")!;
        unknownStep["owner"] = "ghost";
        unknownStep["readAccess"] = new JsonArray("group:ghosts", "user:nobody");
        var refusal = (await ImportAsync(admin, unknown.ToJsonString(), HttpStatusCode.BadRequest))
            .ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Assert.Contains("owned step", refusal, StringComparison.Ordinal);
        Assert.Contains("no user named 'ghost'", refusal, StringComparison.Ordinal);
        Assert.Contains("group:ghosts", refusal, StringComparison.Ordinal);
        Assert.Contains("user:nobody", refusal, StringComparison.Ordinal);
        Assert.Equal(count, (await admin.Http.GetFromJsonAsync<List<JsonObject>>("/api/services"))!.Count);

        // An editor who is not the file's owner may not hand services to alice: they are the importer's, with no list.
        var byEditor = await ImportAsync(_api, export.ToJsonString(), HttpStatusCode.Created);
        var editorStep = await StepOfAsync(admin, (int)byEditor["id"]!);
        Assert.StartsWith("editor-", (string?)editorStep["owner"], StringComparison.Ordinal);
        Assert.Empty(editorStep["readAccess"]!.AsArray());
        Assert.Empty(editorStep["editAccess"]!.AsArray());
    }

    private static async Task<JsonNode> ImportAsync(AutomationClient client, string document, HttpStatusCode expected) =>
        await AutomationClient.Read(await client.Http.PostAsync("/api/services/import", new StringContent(document, System.Text.Encoding.UTF8, "application/json")), expected);

    /// <summary>The service the imported workflow's only node runs.</summary>
    private static async Task<JsonNode> StepOfAsync(AutomationClient client, int workflow)
    {
        var graph = JsonNode.Parse(await client.Http.GetStringAsync($"/api/services/{workflow}"))!["graph"]!;
        var stepId = (int)graph["nodes"]![0]!["serviceId"]!;
        return JsonNode.Parse(await client.Http.GetStringAsync($"/api/services/{stepId}"))!;
    }
}
