using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;

namespace eNMS.Tests.Integration;

/// <summary>User groups and per-object access through the API: a group's role and pools reach its members at their next
/// request (and leave with them), an access list narrows what a role allows on one service, a workflow's run checks the
/// workflow only, and every group or list change is in the audit log.</summary>
public sealed class GroupAccessApiTests : IAsyncLifetime
{
    private readonly EnmsAppFactory _app = new();
    private HttpClient _admin = null!;

    public async Task InitializeAsync() =>
        _admin = _app.CreateClient(await _app.CreateTokenAsync(await _app.CreateUserAsync("group-admin", Roles.Admin)));

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _app.DisposeAsync();
    }

    private async Task<JsonNode> CreateGroupAsync(object body, HttpStatusCode expected = HttpStatusCode.Created) =>
        await AutomationClient.Read(await _admin.PostAsJsonAsync("/api/groups", body), expected);

    private async Task<HttpClient> ClientAsync(string name, string? role) =>
        _app.CreateClient(await _app.CreateTokenAsync(await _app.CreateUserAsync(name, role)));

    /// <summary>The service as GET returns it, with <paramref name="change"/> applied, PUT back.</summary>
    private static async Task<HttpResponseMessage> EditAsync(HttpClient client, int id, Action<JsonObject> change)
    {
        var body = (await AutomationClient.Read(await client.GetAsync($"/api/services/{id}"), HttpStatusCode.OK)).AsObject();
        change(body);
        return await client.PutAsJsonAsync($"/api/services/{id}", body);
    }

    private static async Task<string> DetailAsync(HttpResponseMessage response, HttpStatusCode expected) =>
        (string)(await AutomationClient.Read(response, expected))["detail"]!;

    [Fact]
    public async Task Invalid_groups_are_refused_per_field()
    {
        Assert.NotNull((await CreateGroupAsync(new { name = " " }, HttpStatusCode.BadRequest))["errors"]!["name"]);
        Assert.NotNull((await CreateGroupAsync(new { name = "g1", role = "root" }, HttpStatusCode.BadRequest))["errors"]!["role"]);
        Assert.NotNull((await CreateGroupAsync(new { name = "g2", poolIds = new[] { 4242 } }, HttpStatusCode.BadRequest))["errors"]!["poolIds"]);
        var member = await CreateGroupAsync(new { name = "g3", members = new[] { "nobody-here" } }, HttpStatusCode.BadRequest);
        Assert.Contains("nobody-here", (string)member["errors"]!["members"]![0]!, StringComparison.Ordinal);
        await CreateGroupAsync(new { name = "g4" });
        Assert.NotNull((await CreateGroupAsync(new { name = "g4" }, HttpStatusCode.BadRequest))["errors"]!["name"]);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.PutAsJsonAsync("/api/groups/4242", new { role = "viewer" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.DeleteAsync("/api/groups/4242/members/x")).StatusCode);
        using var editor = await ClientAsync("g-editor", Roles.Editor);
        Assert.Equal(HttpStatusCode.Forbidden, (await editor.GetAsync("/api/groups")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await editor.PostAsJsonAsync("/api/groups", new { name = "mine", role = "admin" })).StatusCode);
    }

    [Fact]
    public async Task A_groups_role_and_pools_apply_to_members_until_they_leave_it()
    {
        var api = new AutomationClient(_admin);
        var (inside, outside) = ((await api.CreateDevicesAsync("grp-inside"))[0], (await api.CreateDevicesAsync("grp-outside"))[0]);
        var pool = (int)(await AutomationClient.Read(await _admin.PostAsJsonAsync("/api/pools", new { name = "grp-pool", mode = "Manual", deviceIds = new[] { inside } }),
            HttpStatusCode.Created))["id"]!;
        using var member = await ClientAsync("grp-member", role: null);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.GetAsync("/api/devices")).StatusCode);

        var group = await CreateGroupAsync(new { name = "branch-ops", role = "editor", poolIds = new[] { pool }, members = new[] { "GRP-MEMBER" } });
        Assert.Equal(["grp-member"], group["members"]!.AsArray().Select(m => (string)m!));
        var devices = JsonNode.Parse(await member.GetStringAsync("/api/devices"))!["items"]!.AsArray().Select(d => (string)d!["name"]!);
        Assert.Equal(["grp-inside"], devices);
        Assert.Equal(HttpStatusCode.NotFound, (await member.GetAsync($"/api/devices/{outside}")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await member.PostAsJsonAsync("/api/services", new
        {
            name = "grp-wait",
            kind = "wait",
            parameters = new { seconds = 0 },
            targetMode = "Once",
            deviceIds = new[] { inside }
        })).StatusCode);

        // The most privileged role wins: a viewer in an editor group edits; a group without pools widens nobody.
        await CreateGroupAsync(new { name = "everyone-viewer", role = "viewer", members = new[] { "grp-member" } });
        Assert.Equal(["grp-inside"], JsonNode.Parse(await member.GetStringAsync("/api/devices"))!["items"]!.AsArray().Select(d => (string)d!["name"]!));

        var id = (int)group["id"]!;
        Assert.Equal(HttpStatusCode.OK, (await _admin.DeleteAsync($"/api/groups/{id}/members/grp-member")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.PostAsJsonAsync("/api/devices", new { name = "late", address = "192.0.2.9", platform = "cisco_ios" })).StatusCode);
        Assert.Equal(2, JsonNode.Parse(await member.GetStringAsync("/api/devices"))!["items"]!.AsArray().Count);

        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync($"/api/users/{await UserIdAsync("grp-member")}")).StatusCode);
        var groups = JsonNode.Parse(await _admin.GetStringAsync("/api/groups"))!.AsArray();
        Assert.All(groups, g => Assert.Empty(g!["members"]!.AsArray()));
    }

    private async Task<string> UserIdAsync(string name) =>
        (string)JsonNode.Parse(await _admin.GetStringAsync("/api/users"))!.AsArray().Single(u => (string)u!["userName"]! == name)!["id"]!;

    [Fact]
    public async Task An_editor_left_off_the_edit_list_gets_403_until_a_group_puts_them_on_it()
    {
        using var owner = await ClientAsync("svc-owner", Roles.Editor);
        using var other = await ClientAsync("svc-other", Roles.Editor);
        var group = await CreateGroupAsync(new { name = "netops" });
        var service = await new AutomationClient(owner).CreateServiceAsync("owned", "wait", new { seconds = 0 }, new { targetMode = "Once", editAccess = new[] { "group:netops" } });
        Assert.Equal("svc-owner", (string?)(await AutomationClient.Read(await owner.GetAsync($"/api/services/{service}"), HttpStatusCode.OK))["owner"]);

        var refused = await EditAsync(other, service, s => s["description"] = "mine now");
        Assert.Contains("access list", await DetailAsync(refused, HttpStatusCode.Forbidden), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.DeleteAsync($"/api/services/{service}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await EditAsync(owner, service, s => s["runAccess"] = new JsonArray("user:ghost"))).StatusCode);

        await _admin.PostAsJsonAsync($"/api/groups/{(int)group["id"]!}/members", new { userNames = new[] { "svc-other" } });
        Assert.Equal(HttpStatusCode.OK, (await EditAsync(other, service, s => s["description"] = "shared")).StatusCode);
        // On the list, but not the owner: the lists and the owner stay the owner's (or an admin's) to change.
        var handover = await EditAsync(other, service, s => s["owner"] = "svc-other");
        Assert.Contains("owner", await DetailAsync(handover, HttpStatusCode.Forbidden), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await EditAsync(_admin, service, s => s["owner"] = "svc-other")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await EditAsync(other, service, s => s["editAccess"] = new JsonArray())).StatusCode);
    }

    [Fact]
    public async Task A_workflow_run_checks_the_workflows_run_list_not_its_nested_services()
    {
        var api = new AutomationClient(_admin);
        using var operatorClient = await ClientAsync("wf-operator", Roles.Operator);
        using var viewer = await ClientAsync("wf-viewer", Roles.Viewer);
        var nested = await api.CreateServiceAsync("guarded", "wait", new { seconds = 0 },
            new { targetMode = "Once", runAccess = new[] { "user:group-admin" }, readAccess = new[] { "user:wf-operator" } });
        var workflow = await api.CreateWorkflowAsync("open workflow", [("a", nested)], []);
        var operatorApi = new AutomationClient(operatorClient);

        var direct = await operatorApi.StartAsync(nested, []);
        Assert.Contains("access list", await DetailAsync(direct, HttpStatusCode.Forbidden), StringComparison.Ordinal);
        var schedule = await operatorClient.PostAsJsonAsync("/api/schedules",
            new { name = "later", serviceId = nested, kind = "Interval", every = 1, unit = "Hours", timeZone = "UTC" });
        Assert.Contains("access list", (string)(await AutomationClient.Read(schedule, HttpStatusCode.BadRequest))["errors"]!["serviceId"]![0]!, StringComparison.Ordinal);
        var run = await operatorApi.RunAsync(workflow, []);
        Assert.Equal(eNMS.Core.Automation.RunStatus.Completed, (await operatorApi.WaitAsync(run)).Status);

        // Read: the viewer is on no list, the operator is on the read list.
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.GetAsync($"/api/services/{nested}")).StatusCode);
        Assert.DoesNotContain("guarded", await viewer.GetStringAsync("/api/services"), StringComparison.Ordinal);
        Assert.Contains("guarded", await operatorClient.GetStringAsync("/api/services"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.GetAsync($"/api/services/{nested}")).StatusCode);
    }

    [Fact]
    public async Task Group_and_access_list_changes_are_audited_under_the_acting_admin()
    {
        await _app.CreateUserAsync("audited-member", Roles.Viewer);
        var group = await CreateGroupAsync(new { name = "audited", role = "operator" });
        var id = (int)group["id"]!;
        await _admin.PostAsJsonAsync($"/api/groups/{id}/members", new { userNames = new[] { "audited-member" } });
        await _admin.DeleteAsync($"/api/groups/{id}/members/audited-member");
        await _admin.DeleteAsync($"/api/groups/{id}");
        var service = await new AutomationClient(_admin).CreateServiceAsync("audited-svc", "wait", new { seconds = 0 }, new { targetMode = "Once" });
        await EditAsync(_admin, service, s => s["runAccess"] = new JsonArray("user:audited-member"));

        var entries = JsonNode.Parse(await _admin.GetStringAsync("/api/audit?kind=user%20group"))!.AsArray().Select(e => e!).Reverse().ToList();
        Assert.Equal(["create", "update", "update", "delete"], entries.Select(e => (string)e["action"]!));
        Assert.All(entries, e => Assert.Equal("group-admin", (string)e["user"]!));
        Assert.Contains("audited-member", (string)entries[1]["after"]!, StringComparison.Ordinal);
        Assert.DoesNotContain("audited-member", (string)entries[2]["after"]!, StringComparison.Ordinal);
        var serviceEntries = JsonNode.Parse(await _admin.GetStringAsync("/api/audit?kind=service"))!.AsArray()
            .Where(e => (string?)e!["targetName"] == "audited-svc" && (string)e["action"]! == "update").ToList();
        Assert.Contains(serviceEntries, e => ((string)e!["after"]!).Contains("user:audited-member", StringComparison.Ordinal));
    }
}
