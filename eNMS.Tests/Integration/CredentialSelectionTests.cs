using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using eNMS.Core.Automation;
using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Integration;

/// <summary>Who may use a credential and which one a service uses, on the demo network (simulated devices answer in
/// process): a use list refuses a run's user with "may not use credential X" (never another credential instead), a
/// service's credential overrides the device's and a workflow hands its credential to nested services, saving a service
/// naming a credential the saver may not use is refused, only admins change a use list, and the audit log has it.</summary>
public sealed class CredentialSelectionTests : IAsyncLifetime
{
    private readonly EnmsAppFactory _app = new(seedDemo: true);
    private AutomationClient _admin = null!;
    private Dictionary<string, int> _devices = null!;
    private int _netops;

    public async Task InitializeAsync()
    {
        _admin = new AutomationClient(await ClientAsync("cred-admin", Roles.Admin));
        await using var db = await Db().CreateDbContextAsync();
        _devices = await db.Devices.ToDictionaryAsync(d => d.Name, d => d.Id);
        _netops = (int)(await AutomationClient.Read(await _admin.Http.PostAsJsonAsync("/api/groups", new { name = "netops" }), HttpStatusCode.Created))["id"]!;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private IDbContextFactory<EnmsDbContext> Db() => _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>();

    private async Task<HttpClient> ClientAsync(string name, string role) =>
        _app.CreateClient(await _app.CreateTokenAsync(await _app.CreateUserAsync(name, role)));

    private async Task<int> CredentialAsync(string name, string access = "ReadWrite", string[]? useAccess = null) =>
        (int)(await AutomationClient.Read(await _admin.Http.PostAsJsonAsync("/api/credentials",
            new { name, username = "netops", password = $"{name}-secret", access, useAccess = useAccess ?? [] }), HttpStatusCode.Created))["id"]!;

    private async Task<RunResult> RunAsync(AutomationClient client, int serviceId, string device)
    {
        var run = await client.WaitAsync(await client.RunAsync(serviceId, [_devices[device]]), seconds: 60);
        return (await client.ResultsAsync(run.Id)).Last(r => r.DeviceId == _devices[device]);
    }

    [Fact]
    public async Task A_service_naming_a_credential_the_saver_may_not_use_or_that_does_not_exist_is_refused()
    {
        var closed = await CredentialAsync("closed", useAccess: ["group:netops"]);
        var editor = new AutomationClient(await ClientAsync("cred-editor", Roles.Editor));
        var refused = await AutomationClient.Read(await editor.Http.PostAsJsonAsync("/api/services",
            new { name = "show", kind = "cli_commands", parameters = new { commands = "show version" }, credentialId = closed }), HttpStatusCode.BadRequest);
        Assert.Contains("may not use credential closed", (string)refused["errors"]!["credential"]![0]!, StringComparison.Ordinal);
        var missing = await AutomationClient.Read(await editor.Http.PostAsJsonAsync("/api/services",
            new { name = "show", kind = "cli_commands", parameters = new { commands = "show version" }, credentialId = 4242 }), HttpStatusCode.BadRequest);
        Assert.Contains("No credential #4242", (string)missing["errors"]!["credential"]![0]!, StringComparison.Ordinal);

        // Named by an admin, the editor may still edit the service (keeping a credential uses nothing); runs check their user.
        var service = await _admin.CreateServiceAsync("show", "cli_commands", new { commands = "show version" }, new { credentialId = closed });
        var body = (await AutomationClient.Read(await editor.Http.GetAsync($"/api/services/{service}"), HttpStatusCode.OK)).AsObject();
        Assert.Equal(closed, (int)body["credentialId"]!);
        body["description"] = "kept";
        Assert.Equal(HttpStatusCode.OK, (await editor.Http.PutAsJsonAsync($"/api/services/{service}", body)).StatusCode);
    }

    [Fact]
    public async Task Only_admins_change_a_use_list_its_entries_are_checked_and_the_audit_log_has_the_change()
    {
        var id = await CredentialAsync("shared");
        var editor = await ClientAsync("list-editor", Roles.Editor);
        var view = (await AutomationClient.Read(await editor.GetAsync($"/api/credentials/{id}"), HttpStatusCode.OK)).AsObject();
        Assert.DoesNotContain("shared-secret", view.ToJsonString(), StringComparison.Ordinal);
        view["useAccess"] = new JsonArray("user:list-editor");
        Assert.Equal(HttpStatusCode.Forbidden, (await editor.PutAsJsonAsync($"/api/credentials/{id}", view)).StatusCode);

        view["useAccess"] = new JsonArray("team:netops");
        var bad = await AutomationClient.Read(await _admin.Http.PutAsJsonAsync($"/api/credentials/{id}", view), HttpStatusCode.BadRequest);
        Assert.NotNull(bad["errors"]!["useAccess"]);
        view["useAccess"] = new JsonArray("group:netops");
        Assert.Equal(HttpStatusCode.OK, (await _admin.Http.PutAsJsonAsync($"/api/credentials/{id}", view)).StatusCode);
        var stored = await AutomationClient.Read(await _admin.Http.GetAsync($"/api/credentials/{id}"), HttpStatusCode.OK);
        Assert.Equal("group:netops", (string)stored["useAccess"]![0]!);

        // Another field changed by the editor leaves the list alone (null keeps it).
        view.Remove("useAccess");
        view["description"] = "edited";
        Assert.Equal(HttpStatusCode.OK, (await editor.PutAsJsonAsync($"/api/credentials/{id}", view)).StatusCode);

        await using var db = await Db().CreateDbContextAsync();
        var entries = await db.AuditEntries.Where(e => e.TargetKind == "credential" && e.TargetName == "shared").ToListAsync();
        Assert.Contains(entries, e => e.User == "cred-admin" && (e.After ?? "").Contains("group:netops", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => (e.After ?? "").Contains("shared-secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_run_whose_user_may_not_use_the_service_credential_fails_the_device_and_a_member_runs_it()
    {
        var closed = await CredentialAsync("closed", useAccess: ["group:netops"]);
        var service = await _admin.CreateServiceAsync("version", "cli_commands", new { commands = "show version" }, new { credentialId = closed });
        var outsider = new AutomationClient(await ClientAsync("outsider", Roles.Operator));

        var refused = await RunAsync(outsider, service, "paris-core");
        Assert.False(refused.Success);
        Assert.Contains("may not use credential closed", refused.Error, StringComparison.Ordinal);

        await AutomationClient.Read(await _admin.Http.PostAsJsonAsync($"/api/groups/{_netops}/members", new { userNames = new[] { "outsider" } }), HttpStatusCode.OK);
        var member = await RunAsync(outsider, service, "paris-core");
        Assert.True(member.Success, member.Error);
        Assert.DoesNotContain("closed-secret", member.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_device_whose_pool_credentials_are_all_closed_to_the_user_fails_with_the_reason()
    {
        var pool = (int)(await AutomationClient.Read(await _admin.Http.PostAsJsonAsync("/api/pools",
            new { name = "madrid only", mode = "Manual", deviceIds = new[] { _devices["madrid-core"] } }), HttpStatusCode.Created))["id"]!;
        var closed = await CredentialAsync("madrid closed", useAccess: ["group:netops"]);
        await using (var db = await Db().CreateDbContextAsync())
        {
            var credential = await db.Credentials.Include(c => c.Pools).SingleAsync(c => c.Id == closed);
            credential.Pools.Add(await db.Pools.SingleAsync(p => p.Id == pool));
            await db.SaveChangesAsync();
        }
        var service = await _admin.CreateServiceAsync("version", "cli_commands", new { commands = "show version" });
        var outsider = new AutomationClient(await ClientAsync("pool-outsider", Roles.Operator));
        var refused = await RunAsync(outsider, service, "madrid-core");
        Assert.Contains("may not use credential madrid closed", refused.Error, StringComparison.Ordinal);
        Assert.True((await RunAsync(_admin, service, "madrid-core")).Success);
    }

    [Fact]
    public async Task A_workflow_hands_its_credential_to_nested_services_and_a_service_naming_its_own_keeps_it()
    {
        var readOnly = await CredentialAsync("auditors", "ReadOnly");
        var readWrite = await CredentialAsync("changers");
        var inherits = await _admin.CreateServiceAsync("ntp inherits", "cli_config", new { config = "ntp server 10.7.7.7" });
        var own = await _admin.CreateServiceAsync("ntp own", "cli_config", new { config = "ntp server 10.8.8.8" }, new { credentialId = readWrite });
        var workflow = await _admin.CreateWorkflowAsync("read-only workflow", [("a", inherits), ("b", own)], ["a!b"], new { });
        await using (var db = await Db().CreateDbContextAsync())
        {
            await db.Services.Where(s => s.Id == workflow).ExecuteUpdateAsync(s => s.SetProperty(x => x.CredentialId, readOnly));
        }
        var run = await _admin.WaitAsync(await _admin.RunAsync(workflow, [_devices["london-core"]]), seconds: 60);
        var results = await _admin.ResultsAsync(run.Id);
        Assert.Equal("auditors is a read-only credential: cli_config changes the device", results.Single(r => r.Node == "a").Error);
        Assert.True(results.Single(r => r.Node == "b").Success, results.Single(r => r.Node == "b").Error);
    }

    [Fact]
    public async Task A_workflow_export_names_its_credential_and_an_import_refuses_an_unknown_or_closed_one()
    {
        var closed = await CredentialAsync("closed", useAccess: ["group:netops"]);
        var inner = await _admin.CreateServiceAsync("inner", "cli_commands", new { commands = "show version" }, new { credentialId = closed });
        var workflow = await _admin.CreateWorkflowAsync("exported", [("a", inner)], []);
        var document = (await AutomationClient.Read(await _admin.Http.GetAsync($"/api/services/{workflow}/export"), HttpStatusCode.OK)).AsObject();
        var exported = document["services"]!.AsArray().Single(s => (string)s!["name"]! == "inner")!;
        Assert.Equal("closed", (string)exported["credentialName"]!);
        Assert.Null(exported["credentialId"]);
        Assert.DoesNotContain("closed-secret", document.ToJsonString(), StringComparison.Ordinal);

        var editor = await ClientAsync("importer", Roles.Editor);
        var refused = await AutomationClient.Read(await editor.PostAsJsonAsync("/api/services/import", document), HttpStatusCode.BadRequest);
        Assert.Contains("may not use credential closed", refused["errors"]!["credential"]![0]!.ToString(), StringComparison.Ordinal);
        exported["credentialName"] = "elsewhere";
        var unknown = await AutomationClient.Read(await _admin.Http.PostAsJsonAsync("/api/services/import", document), HttpStatusCode.BadRequest);
        Assert.Contains("no credential named elsewhere", unknown["errors"]!["credential"]![0]!.ToString(), StringComparison.Ordinal);

        exported["credentialName"] = "closed";
        var imported = (int)(await AutomationClient.Read(await _admin.Http.PostAsJsonAsync("/api/services/import", document), HttpStatusCode.Created))["id"]!;
        await using var db = await Db().CreateDbContextAsync();
        var graph = (await db.Services.SingleAsync(s => s.Id == imported)).Graph!;
        Assert.Equal(closed, (await db.Services.SingleAsync(s => s.Id == graph.Nodes[0].ServiceId)).CredentialId);
    }
}
