using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;

namespace eNMS.Tests.Integration;

/// <summary>Owners and access lists beyond services, through the API: playbooks (read, edit, and run when a service
/// opens one), schedules and compliance rules (read, edit). A list left empty keeps today's behaviour.</summary>
public sealed class ObjectAccessListsApiTests : IAsyncLifetime
{
    private const string Playbook = "- hosts: all\n  gather_facts: false\n  tasks:\n    - ansible.builtin.ping:\n";
    private readonly EnmsAppFactory _app = new();
    private HttpClient _admin = null!;

    public async Task InitializeAsync() =>
        _admin = _app.CreateClient(await _app.CreateTokenAsync(await _app.CreateUserAsync("acl-admin", Roles.Admin)));

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _app.DisposeAsync();
    }

    private async Task<HttpClient> ClientAsync(string name, string? role) =>
        _app.CreateClient(await _app.CreateTokenAsync(await _app.CreateUserAsync(name, role)));

    private static async Task<string> DetailAsync(HttpResponseMessage response, HttpStatusCode expected) =>
        (string)(await AutomationClient.Read(response, expected))["detail"]!;

    private static async Task<int> CreatePlaybookAsync(HttpClient client, string name, object? lists = null)
    {
        var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(lists ?? new { }, AutomationClient.Json))!.AsObject();
        (body["name"], body["content"]) = (name, Playbook);
        return (int)(await AutomationClient.Read(await client.PostAsJsonAsync("/api/playbooks", body), HttpStatusCode.Created))["playbookId"]!;
    }

    [Fact]
    public async Task A_playbook_off_the_lists_is_hidden_and_refused()
    {
        using var owner = await ClientAsync("pb-owner", Roles.Editor);
        using var other = await ClientAsync("pb-other", Roles.Editor);
        var id = await CreatePlaybookAsync(owner, "guarded-pb", new { readAccess = new[] { "user:pb-owner" }, editAccess = new[] { "user:pb-owner" } });

        Assert.DoesNotContain("guarded-pb", await other.GetStringAsync("/api/playbooks"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/playbooks/{id}/versions")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PutAsJsonAsync($"/api/playbooks/{id}", new { name = "guarded-pb", content = Playbook + "#\n" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/api/playbooks/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await owner.PutAsJsonAsync($"/api/playbooks/{id}", new { name = "guarded-pb", content = Playbook, runAccess = new[] { "group:nope" } })).StatusCode);

        // On the read list only: it is listed, but not theirs to change or delete.
        Assert.Equal(HttpStatusCode.OK, (await owner.PutAsJsonAsync($"/api/playbooks/{id}", new { name = "guarded-pb", content = Playbook, readAccess = new[] { "user:pb-other" } })).StatusCode);
        Assert.Contains("guarded-pb", await other.GetStringAsync("/api/playbooks"), StringComparison.Ordinal);
        var refused = await other.PutAsJsonAsync($"/api/playbooks/{id}", new { name = "guarded-pb", content = Playbook + "#\n" });
        Assert.Contains("access list", await DetailAsync(refused, HttpStatusCode.Forbidden), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.DeleteAsync($"/api/playbooks/{id}")).StatusCode);

        var listed = JsonNode.Parse(await _admin.GetStringAsync("/api/playbooks"))!.AsArray().Single(p => (string)p!["name"]! == "guarded-pb")!;
        Assert.Equal("pb-owner", (string?)listed["owner"]);
        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/playbooks/{id}")).StatusCode);
    }

    [Fact]
    public async Task Running_a_service_that_opens_a_playbook_needs_run_access_on_the_playbook_as_the_runs_user()
    {
        using var operatorClient = await ClientAsync("pb-operator", Roles.Operator);
        var api = new AutomationClient(_admin);
        var device = (await api.CreateDevicesAsync("pb-target"))[0];
        var playbook = await CreatePlaybookAsync(_admin, "admins-only-pb", new { runAccess = new[] { "user:acl-admin" }, readAccess = new[] { "user:pb-operator" } });
        var service = await api.CreateServiceAsync("runs-pb", "ansible_playbook", new { playbookId = playbook, dryRun = true });

        var operatorApi = new AutomationClient(operatorClient);
        var run = await operatorApi.WaitAsync(await operatorApi.RunAsync(service, [device]));
        Assert.NotEqual(eNMS.Core.Automation.RunStatus.Completed, run.Status);
        var error = Assert.Single(await operatorApi.ResultsAsync(run.Id), r => r.DeviceId == device).Error;
        Assert.Contains("Playbook 'admins-only-pb'", error, StringComparison.Ordinal);
        Assert.Contains("pb-operator", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_schedule_off_the_lists_is_hidden_and_refused_and_its_list_changes_are_audited()
    {
        using var owner = await ClientAsync("sc-owner", Roles.Operator);
        using var other = await ClientAsync("sc-other", Roles.Operator);
        var service = await new AutomationClient(_admin).CreateServiceAsync("sc-wait", "wait", new { seconds = 0 }, new { targetMode = "Once" });
        var body = new JsonObject
        {
            ["name"] = "guarded-schedule",
            ["serviceId"] = service,
            ["kind"] = "Interval",
            ["every"] = 1,
            ["unit"] = "Hours",
            ["timeZone"] = "UTC",
            ["readAccess"] = new JsonArray("user:sc-owner"),
            ["editAccess"] = new JsonArray("user:sc-owner")
        };
        var id = (int)(await AutomationClient.Read(await owner.PostAsJsonAsync("/api/schedules", body), HttpStatusCode.Created))["id"]!;

        Assert.DoesNotContain("guarded-schedule", await other.GetStringAsync("/api/schedules"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/schedules/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/schedules/{id}/runs")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/schedules/{id}/pause", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/api/schedules/{id}")).StatusCode);

        body["readAccess"] = new JsonArray("user:sc-owner", "user:sc-other");
        Assert.Equal(HttpStatusCode.OK, (await owner.PutAsJsonAsync($"/api/schedules/{id}", body)).StatusCode);
        Assert.Contains("guarded-schedule", await other.GetStringAsync("/api/schedules"), StringComparison.Ordinal);
        body["description"] = "taken over";
        Assert.Contains("access list", await DetailAsync(await other.PutAsJsonAsync($"/api/schedules/{id}", body), HttpStatusCode.Forbidden), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsync($"/api/schedules/{id}/pause", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.DeleteAsync($"/api/schedules/{id}")).StatusCode);
        Assert.Equal("sc-owner", (string?)(await AutomationClient.Read(await owner.GetAsync($"/api/schedules/{id}"), HttpStatusCode.OK))["owner"]);

        var audit = JsonNode.Parse(await _admin.GetStringAsync("/api/audit?kind=schedule"))!.AsArray()
            .Where(e => (string?)e!["targetName"] == "guarded-schedule" && (string)e["action"]! == "update").ToList();
        Assert.Contains(audit, e => ((string)e!["after"]!).Contains("user:sc-other", StringComparison.Ordinal) && (string)e["user"]! == "sc-owner");
        Assert.Equal(HttpStatusCode.OK, (await owner.PostAsync($"/api/schedules/{id}/pause", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/schedules/{id}")).StatusCode);
    }
}
