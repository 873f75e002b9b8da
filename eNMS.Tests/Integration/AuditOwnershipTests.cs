using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Configurations;
using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Integration;

/// <summary>
/// Every mutating operation of the OpenAPI document, driven for real, writes exactly one audit entry under the acting
/// user: Core's use cases (and the save interceptor for plain edits) own the audit, so an action is neither missed nor
/// recorded twice by an endpoint that also writes its own. A new mutating operation fails here until it has a scenario.
/// </summary>
public sealed class AuditOwnershipTests : IAsyncLifetime
{
    /// <summary>Operations that change nothing (checks and previews): no entry expected.</summary>
    private static readonly HashSet<string> ReadOnly = ["POST /api/schedules/preview", "POST /api/playbooks/validate", "POST /api/parsing-templates/test",
        "POST /api/discovery/preview"];

    private const string Actor = "audit-owner";

    private readonly EnmsAppFactory _app = new();
    private HttpClient _client = default!;
    private AutomationClient _api = default!;
    private readonly HashSet<string> _covered = [];

    public async Task InitializeAsync()
    {
        _client = _app.CreateClient(await _app.CreateTokenAsync(await _app.CreateUserAsync(Actor, Roles.Admin)));
        _api = new AutomationClient(_client);
        // The token's first use is its sign-in (an entry of its own): done here, before the operations are counted.
        (await _client.GetAsync("/api/devices")).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    private IDbContextFactory<EnmsDbContext> Db() => _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>();

    [Fact]
    public async Task Every_mutating_api_operation_writes_exactly_one_audit_entry_under_the_acting_user()
    {
        var (d1, d2, d3, d4) = (await DeviceAsync("audit-r1"), await DeviceAsync("audit-r2"), await DeviceAsync("audit-r3"), await DeviceAsync("audit-r4"));

        // Inventory: the same five operations for each kind.
        await OnceAsync("PUT /api/devices/{id}", () => _client.PutAsJsonAsync($"/api/devices/{d1}", new { name = "audit-r1", address = "192.0.2.11", platform = "cisco_ios" }));
        await OnceAsync("DELETE /api/devices/{id}", () => _client.DeleteAsync($"/api/devices/{d3}"));
        await OnceAsync("POST /api/devices/delete", () => _client.PostAsJsonAsync("/api/devices/delete", new { ids = new[] { d4 } }));
        var link = await CreatedAsync("POST /api/links", () => _client.PostAsJsonAsync("/api/links", new { name = "audit-l1", sourceId = d1, destinationId = d2 }));
        await OnceAsync("PUT /api/links/{id}", () => _client.PutAsJsonAsync($"/api/links/{link}", new { name = "audit-l1", sourceId = d2, destinationId = d1 }));
        await OnceAsync("DELETE /api/links/{id}", () => _client.DeleteAsync($"/api/links/{link}"));
        var link2 = (int)(await AutomationClient.Read(await _client.PostAsJsonAsync("/api/links", new { name = "audit-l2", sourceId = d1, destinationId = d2 }), HttpStatusCode.Created))["id"]!;
        await OnceAsync("POST /api/links/delete", () => _client.PostAsJsonAsync("/api/links/delete", new { ids = new[] { link2 } }));
        var pool = await CreatedAsync("POST /api/pools", () => _client.PostAsJsonAsync("/api/pools", new { name = "audit-p1", mode = "Manual", deviceIds = new[] { d1 } }));
        await OnceAsync("PUT /api/pools/{id}", () => _client.PutAsJsonAsync($"/api/pools/{pool}", new { name = "audit-p1", mode = "Manual", deviceIds = new[] { d1, d2 } }));
        await OnceAsync("DELETE /api/pools/{id}", () => _client.DeleteAsync($"/api/pools/{pool}"));
        var pool2 = (int)(await AutomationClient.Read(await _client.PostAsJsonAsync("/api/pools", new { name = "audit-p2", mode = "Manual" }), HttpStatusCode.Created))["id"]!;
        await OnceAsync("POST /api/pools/delete", () => _client.PostAsJsonAsync("/api/pools/delete", new { ids = new[] { pool2 } }));
        var credential = await CreatedAsync("POST /api/credentials", () => _client.PostAsJsonAsync("/api/credentials", new { name = "audit-c1", username = "u", password = "audit-secret-1" }));
        await OnceAsync("PUT /api/credentials/{id}", () => _client.PutAsJsonAsync($"/api/credentials/{credential}", new { name = "audit-c1", username = "u2" }));
        await OnceAsync("DELETE /api/credentials/{id}", () => _client.DeleteAsync($"/api/credentials/{credential}"));
        var credential2 = (int)(await AutomationClient.Read(await _client.PostAsJsonAsync("/api/credentials", new { name = "audit-c2", username = "u", password = "audit-secret-2" }), HttpStatusCode.Created))["id"]!;
        await OnceAsync("POST /api/credentials/delete", () => _client.PostAsJsonAsync("/api/credentials/delete", new { ids = new[] { credential2 } }));
        await OnceAsync("POST /api/inventory/import", () => _client.PostAsync("/api/inventory/import?commit=true",
            Upload("name,address,platform\naudit-imported,192.0.2.50,cisco_ios\n")));
        // A discovery commit: its own entry (what was created and changed) plus the link it created, as POST /api/links records it.
        await OnceAsync("POST /api/discovery/commit", () => _client.PostAsJsonAsync("/api/discovery/commit", new
        {
            links = new[] { new { sourceId = d1, source = "audit-r1", sourceInterface = "Gi0/1", destinationId = d2, destination = "audit-r2", destinationInterface = "Gi0/2" } },
        }), "discovery commit", entries: 2);

        // Services, workflows and runs.
        var service = await CreatedAsync("POST /api/services", () => _client.PostAsJsonAsync("/api/services",
            new { name = "audit-s1", kind = "test_step", parameters = new { echo = "hi" } }));
        await OnceAsync("PUT /api/services/{id}", () => _client.PutAsJsonAsync($"/api/services/{service}",
            new { name = "audit-s1", kind = "test_step", description = "changed", version = 1, parameters = new { echo = "hi" } }));
        var workflow = await _api.CreateWorkflowAsync("audit-w1", [("a", service)], []);
        var export = await _client.GetStringAsync($"/api/services/{workflow}/export");
        // An import creates the workflow and each service it uses: one entry per object created (here two).
        await OnceAsync("POST /api/services/import", () => _client.PostAsync("/api/services/import", new StringContent(export, Encoding.UTF8, "application/json")),
            entries: 2);
        await OnceAsync("POST /api/services/{id}/duplicate", () => _client.PostAsync($"/api/services/{workflow}/duplicate", null));
        var run = await StartedAsync("POST /api/services/{id}/run", () => _client.PostAsJsonAsync($"/api/services/{workflow}/run", new { deviceIds = new[] { d1 } }));
        await _api.WaitAsync(run);
        await OnceAsync("POST /api/runs/{id}/restart", () => _client.PostAsJsonAsync($"/api/runs/{run}/restart", new { node = "a" }));
        var slow = await _api.CreateServiceAsync("audit-slow", "test_step", new { delayMs = 60_000 });
        var slowRun = await _api.RunAsync(slow, [d1, d2]);
        await WaitUntilAsync(async () => (await ReadRunAsync(slowRun)).Status == RunStatus.Running, "the slow run to start");
        await OnceAsync("POST /api/runs/{id}/cancel", () => _client.PostAsync($"/api/runs/{slowRun}/cancel", null));
        await _api.WaitAsync(slowRun);
        await OnceAsync("POST /api/runs/{id}/resume", () => _client.PostAsync($"/api/runs/{slowRun}/resume", null));
        // The actor starts the run and approves it: the gate must allow it. The decision is the one entry.
        var gate = await _api.CreateServiceAsync("audit-gate", "approval", new { allowSelfApproval = true });
        var gated = await _api.RunAsync(await _api.CreateWorkflowAsync("audit-gated", [("g", gate)], []), [d1]);
        await WaitUntilAsync(async () =>
        {
            await using var db = await Db().CreateDbContextAsync();
            return await db.ApprovalDecisions.AnyAsync(a => a.RunId == gated);
        }, "the device to reach the approval gate");
        await OnceAsync("POST /api/runs/{id}/approvals", () => _client.PostAsJsonAsync($"/api/runs/{gated}/approvals", new { decision = "Approved" }), "update");
        await _api.WaitAsync(gated);
        var doomed = await _api.CreateServiceAsync("audit-doomed", "test_step", new { });
        await OnceAsync("DELETE /api/services/{id}", () => _client.DeleteAsync($"/api/services/{doomed}"));
        var doomed2 = await _api.CreateServiceAsync("audit-doomed-2", "test_step", new { });
        await OnceAsync("POST /api/services/delete", () => _client.PostAsJsonAsync("/api/services/delete", new { ids = new[] { doomed2 } }));

        // Schedules.
        var schedule = await CreatedAsync("POST /api/schedules", () => _client.PostAsJsonAsync("/api/schedules",
            new { name = "audit-nightly", serviceId = service, kind = "Cron", cron = "0 0 3 * * ?", timeZone = "UTC", deviceIds = new[] { d1 } }));
        await OnceAsync("PUT /api/schedules/{id}", () => _client.PutAsJsonAsync($"/api/schedules/{schedule}",
            new { name = "audit-nightly", serviceId = service, kind = "Cron", cron = "0 0 4 * * ?", timeZone = "UTC", deviceIds = new[] { d1 } }));
        await OnceAsync("POST /api/schedules/{id}/pause", () => _client.PostAsync($"/api/schedules/{schedule}/pause", null), "schedule pause");
        await OnceAsync("POST /api/schedules/{id}/resume", () => _client.PostAsync($"/api/schedules/{schedule}/resume", null), "schedule resume");
        await OnceAsync("DELETE /api/schedules/{id}", () => _client.DeleteAsync($"/api/schedules/{schedule}"));

        // Users.
        var user = (string)(await OnceAsync("POST /api/users", () => _client.PostAsJsonAsync("/api/users",
            new { userName = "audit-user", password = "a-long-enough-password" })))!["user"]!["id"]!;
        var scope = await CreatedAsync("POST /api/pools", () => _client.PostAsJsonAsync("/api/pools", new { name = "audit-user-scope", mode = "Manual" }));
        await OnceAsync("PUT /api/users/{id}", () => _client.PutAsJsonAsync($"/api/users/{user}", new { scopePoolIds = new[] { scope } }));
        await OnceAsync("POST /api/users/{id}/lock", () => _client.PostAsync($"/api/users/{user}/lock", null));
        await OnceAsync("POST /api/users/{id}/unlock", () => _client.PostAsync($"/api/users/{user}/unlock", null));
        await OnceAsync("POST /api/users/{id}/reset", () => _client.PostAsJsonAsync($"/api/users/{user}/reset", new { forceChange = true }), "password reset");

        // User groups (the member leaves before the user is deleted: deleting a member also updates its groups).
        var group = await CreatedAsync("POST /api/groups", () => _client.PostAsJsonAsync("/api/groups", new { name = "audit-group", role = "viewer" }));
        await OnceAsync("PUT /api/groups/{id}", () => _client.PutAsJsonAsync($"/api/groups/{group}", new { poolIds = new[] { scope } }));
        await OnceAsync("POST /api/groups/{id}/members", () => _client.PostAsJsonAsync($"/api/groups/{group}/members", new { userNames = new[] { "audit-user" } }));
        await OnceAsync("DELETE /api/groups/{id}/members/{userName}", () => _client.DeleteAsync($"/api/groups/{group}/members/audit-user"));
        await OnceAsync("DELETE /api/groups/{id}", () => _client.DeleteAsync($"/api/groups/{group}"));
        await OnceAsync("DELETE /api/users/{id}", () => _client.DeleteAsync($"/api/users/{user}"));

        // Parsing templates.
        const string template = "Value VERSION (\\S+)\n\nStart\n  ^Version ${VERSION} -> Record\n";
        var parsing = await CreatedAsync("POST /api/parsing-templates", () => _client.PostAsJsonAsync("/api/parsing-templates",
            new { name = "audit-version", platform = "cisco_ios", command = "show version", text = template }));
        await OnceAsync("PUT /api/parsing-templates/{id}", () => _client.PutAsJsonAsync($"/api/parsing-templates/{parsing}",
            new { name = "audit-version", platform = "cisco_ios", command = "show version", description = "changed", text = template }));
        await OnceAsync("DELETE /api/parsing-templates/{id}", () => _client.DeleteAsync($"/api/parsing-templates/{parsing}"));

        // Change freezes.
        var freeze = await CreatedAsync("POST /api/freezes", () => _client.PostAsJsonAsync("/api/freezes",
            new { name = "audit-freeze", cron = "0 0 18 ? * FRI", durationMinutes = 600, timeZone = "UTC" }));
        await OnceAsync("PUT /api/freezes/{id}", () => _client.PutAsJsonAsync($"/api/freezes/{freeze}",
            new { name = "audit-freeze", cron = "0 0 19 ? * FRI", durationMinutes = 600, timeZone = "UTC" }));
        await OnceAsync("DELETE /api/freezes/{id}", () => _client.DeleteAsync($"/api/freezes/{freeze}"));

        // Configurations and compliance: rollback and remediation are runs the use case audits as its own action.
        long version;
        await using (var db = await Db().CreateDbContextAsync())
        {
            var stored = new ConfigVersion { DeviceId = d1, DeviceName = "audit-r1", Config = "hostname audit-r1\n", Hash = "audit" };
            db.ConfigVersions.Add(stored);
            await db.SaveChangesAsync();
            version = stored.Id;
        }
        await OnceAsync("POST /api/devices/{id}/configurations/{versionId}/rollback",
            () => _client.PostAsJsonAsync($"/api/devices/{d1}/configurations/{version}/rollback", new { preview = true }), "rollback preview");
        await using (var db = await Db().CreateDbContextAsync())
        {
            // As if the earlier run had changed d1 after keeping its configuration.
            db.ChangeSnapshots.Add(new ChangeSnapshot { RunId = run, DeviceId = d1, DeviceName = "audit-r1", Config = "hostname audit-r1\n" });
            await db.SaveChangesAsync();
            await db.RunResults.Where(r => r.RunId == run && r.DeviceId == d1).ExecuteUpdateAsync(u => u.SetProperty(r => r.Changed, true));
        }
        await OnceAsync("POST /api/runs/{id}/revert", () => _client.PostAsJsonAsync($"/api/runs/{run}/revert", new { preview = true }), "revert preview");
        var rule = await CreatedAsync("POST /api/compliance/rules", () => _client.PostAsJsonAsync("/api/compliance/rules",
            new { name = "audit-rule", platform = "cisco_ios", mode = "Snippets", template = "service timestamps" }));
        await OnceAsync("PUT /api/compliance/rules/{id}", () => _client.PutAsJsonAsync($"/api/compliance/rules/{rule}",
            new { name = "audit-rule", platform = "cisco_ios", mode = "Snippets", template = "service password-encryption" }));
        await OnceAsync("POST /api/compliance/rules/{id}/remediate",
            () => _client.PostAsJsonAsync($"/api/compliance/rules/{rule}/remediate", new { deviceIds = new[] { d1 }, dryRun = true }), "remediation dry run");
        await OnceAsync("DELETE /api/compliance/rules/{id}", () => _client.DeleteAsync($"/api/compliance/rules/{rule}"));

        // Ansible playbooks.
        const string Play = "- hosts: all\n  gather_facts: false\n  tasks:\n    - command: /bin/true\n";
        // A new playbook is the playbook and its version 1: two objects, two entries.
        var playbook = (int)(await OnceAsync("POST /api/playbooks", () => _client.PostAsJsonAsync("/api/playbooks", new { name = "audit-play", content = Play }), entries: 2))!["playbookId"]!;
        await OnceAsync("PUT /api/playbooks/{id}", () => _client.PutAsJsonAsync($"/api/playbooks/{playbook}", new { name = "audit-play", content = Play + "    - command: /bin/false\n" }));
        await OnceAsync("DELETE /api/playbooks/{id}", () => _client.DeleteAsync($"/api/playbooks/{playbook}"));

        // SSH host keys.
        await using (var db = await Db().CreateDbContextAsync())
        {
            foreach (var host in new[] { "192.0.2.201", "192.0.2.202" })
            {
                db.KnownHostKeys.Add(new KnownHostKey
                {
                    Host = host,
                    Fingerprint = "SHA256:old",
                    Algorithm = "ssh-rsa",
                    FirstSeen = DateTimeOffset.UnixEpoch,
                    OfferedFingerprint = "SHA256:new",
                    OfferedAlgorithm = "ssh-ed25519",
                    OfferedAt = DateTimeOffset.UnixEpoch,
                    OfferedDevice = "audit-r1",
                });
            }
            await db.SaveChangesAsync();
        }
        await OnceAsync("POST /api/hostkeys/{host}/accept", () => _client.PostAsJsonAsync("/api/hostkeys/192.0.2.201/accept", new { fingerprint = "SHA256:new" }));
        await OnceAsync("DELETE /api/hostkeys/{host}", () => _client.DeleteAsync("/api/hostkeys/192.0.2.202"));

        // Operations (admin).
        await OnceAsync("PUT /api/admin/log-levels/{category}",
            () => _client.PutAsJsonAsync("/api/admin/log-levels/eNMS", new { level = "Debug" }), "log level change");
        await OnceAsync("POST /api/admin/backups", () => _client.PostAsync("/api/admin/backups", null));
        await OnceAsync("POST /api/admin/retention/purge", () => _client.PostAsync("/api/admin/retention/purge", null), "retention purge");
        await OnceAsync("PUT /api/admin/settings", () => _client.PutAsJsonAsync("/api/admin/settings",
            new { values = new Dictionary<string, string?> { ["Views:TileServerUrl"] = "https://tiles.example.org/{z}/{x}/{y}.png" } }), "setting change");

        // Every mutating operation the API documents has been driven above.
        var document = JsonNode.Parse(await _client.GetStringAsync("/openapi/v1.json"))!;
        var mutating = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(m => $"{m.Key.ToUpperInvariant()} {p.Key}"))
            .Where(op => !op.StartsWith("GET ", StringComparison.Ordinal) && !op.StartsWith("PARAMETERS ", StringComparison.Ordinal) && !ReadOnly.Contains(op))
            .Order().ToList();
        Assert.Empty(mutating.Except(_covered));
    }

    private async Task<int> DeviceAsync(string name) =>
        await CreatedAsync("POST /api/devices", () => _client.PostAsJsonAsync("/api/devices", new { name, address = "192.0.2.10", platform = "cisco_ios" }));

    /// <summary>Runs the operation and checks it wrote exactly one audit entry, by the acting user (and with the given
    /// action, when given); returns the reply.</summary>
    private async Task<JsonNode?> OnceAsync(string operation, Func<Task<HttpResponseMessage>> act, string? action = null, int entries = 1)
    {
        _covered.Add(operation);
        long last;
        await using (var db = await Db().CreateDbContextAsync())
        {
            last = await db.AuditEntries.MaxAsync(e => (long?)e.Id) ?? 0;
        }
        using var response = await act();
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{operation}: {(int)response.StatusCode} {body}");
        await using (var db = await Db().CreateDbContextAsync())
        {
            var written = await db.AuditEntries.AsNoTracking().Where(e => e.Id > last).OrderBy(e => e.Id).ToListAsync();
            var listed = string.Join("; ", written.Select(e => $"{e.User}: {e.Action} {e.TargetKind} {e.TargetId} {e.TargetName}"));
            Assert.True(written.Count == entries, $"{operation} wrote {written.Count} audit entries, not {entries}: [{listed}]");
            Assert.True(written.All(e => e.User == Actor), $"{operation} was not recorded under the acting user: [{listed}]");
            Assert.True(action is null || written[0].Action == action, $"{operation} was recorded as '{written[0].Action}', not '{action}'");
        }
        return body.Length == 0 ? null : JsonNode.Parse(body);
    }

    private async Task<int> CreatedAsync(string operation, Func<Task<HttpResponseMessage>> act) => (int)(await OnceAsync(operation, act))!["id"]!;

    private async Task<int> StartedAsync(string operation, Func<Task<HttpResponseMessage>> act) => (int)(await OnceAsync(operation, act, "run start"))!["runId"]!;

    private async Task<Run> ReadRunAsync(int id)
    {
        await using var db = await Db().CreateDbContextAsync();
        return await db.Runs.AsNoTracking().SingleAsync(r => r.Id == id);
    }

    private static MultipartFormDataContent Upload(string csv) =>
        new() { { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "devices.csv" } };

    /// <summary>Polls the app's own state until the condition holds; fails naming what never happened (bounded, generous).</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(60);
        while (!await condition())
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"waited in vain for {what}");
            await Task.Delay(50);
        }
    }
}
