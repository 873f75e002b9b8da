using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Integration;

/// <summary>Every routable page and every API operation of the OpenAPI document, as anonymous and as each role:
/// allowed or denied as the role table says. The expectations are written here, independently of the app's policy table.</summary>
public sealed partial class AuthorizationMatrixTests : IAsyncLifetime
{
    private static readonly string[] RoleNames = [Roles.Viewer, Roles.Operator, Roles.Editor, Roles.Admin];

    // Which roles each kind of action needs, as the product is specified.
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["read"] = [Roles.Viewer, Roles.Operator, Roles.Editor, Roles.Admin],
        ["run"] = [Roles.Operator, Roles.Editor, Roles.Admin],
        ["write"] = [Roles.Editor, Roles.Admin],
        ["admin"] = [Roles.Admin],
        ["anonymous"] = [Roles.Viewer, Roles.Operator, Roles.Editor, Roles.Admin],
    };

    /// <summary>An editor limited to one pool: a role's permissions, less what lies outside its pool (404, not 403).
    /// The objects with id 1 (device, pool, run, results, configuration version, schedule) lie outside it (see
    /// <see cref="ScopedWorld"/>), so the walk also checks that no page or operation shows that device's name.</summary>
    private const string ScopedEditor = "scoped-editor";

    private readonly EnmsAppFactory _app = new();
    private readonly Dictionary<string, HttpClient> _clients = [];
    private ScopedWorld _world = null!;

    private static string RoleOf(string who) => who == ScopedEditor ? Roles.Editor : who;

    public async Task InitializeAsync()
    {
        var options = new WebApplicationFactoryClientOptions { AllowAutoRedirect = false };
        _clients["anonymous"] = _app.CreateClient(options);
        foreach (var role in RoleNames)
        {
            var user = await _app.CreateUserAsync($"matrix-{role}", role);
            var client = _app.CreateClient(options);
            client.DefaultRequestHeaders.Authorization = new("Bearer", await _app.CreateTokenAsync(user));
            _clients[role] = client;
        }
        var world = _world = await ScopedWorld.SeedAsync(_app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>());
        Assert.Equal((1, 1, 1, 1L), (world.OutsidePool, world.Outside, world.OutsideRun, world.OutsideVersion));
        var scoped = await _app.CreateUserAsync("matrix-scoped", Roles.Editor, world.Scope);
        _clients[ScopedEditor] = _app.CreateClient(options);
        _clients[ScopedEditor].DefaultRequestHeaders.Authorization = new("Bearer", await _app.CreateTokenAsync(scoped));
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
        await _app.DisposeAsync();
    }

    public static TheoryData<string> Pages()
    {
        var data = new TheoryData<string>();
        foreach (var route in PageRoutes())
        {
            data.Add(route);
        }
        return data;
    }

    private static List<string> PageRoutes() => typeof(Program).Assembly.GetTypes()
        .Where(t => typeof(IComponent).IsAssignableFrom(t))
        .SelectMany(t => t.GetCustomAttributes<RouteAttribute>())
        .Select(r => r.Template).Distinct().Order().ToList();

    private static string PageNeeds(string route) => route switch
    {
        "/login" or "/access-denied" or "/Error" => "anonymous",
        _ when route.StartsWith("/admin", StringComparison.Ordinal) => "admin",
        _ when route.EndsWith("/terminal", StringComparison.Ordinal) => "run",
        _ when route.EndsWith("/new", StringComparison.Ordinal) || route.EndsWith("/edit", StringComparison.Ordinal) || route.EndsWith("/designer", StringComparison.Ordinal)
            || route is "/import" or "/discovery" => "write",
        _ => "read",
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Every_page_is_open_only_to_the_roles_it_is_meant_for(string route)
    {
        var path = RouteParameter().Replace(route, "1");
        var needs = PageNeeds(route);
        foreach (var (who, client) in _clients)
        {
            var response = await client.GetAsync(path);
            var allowed = needs == "anonymous" || Allowed[needs].Contains(RoleOf(who));
            if (allowed)
            {
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{who} GET {path}: {response.StatusCode}, expected 200");
                await AssertHidesOutsideDeviceAsync(who, $"GET {path}", response);
            }
            else
            {
                Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden,
                    $"{who} GET {path}: {response.StatusCode}, expected a refusal");
                if (who == "anonymous")
                {
                    Assert.Contains("/login", response.Headers.Location?.ToString() ?? "", StringComparison.Ordinal);
                }
            }
        }
    }

    /// <summary>The account endpoints (outside the pages and the OpenAPI document): anonymous only where a session
    /// starts — the sign-in form, the single sign-on button (antiforgery-checked) and the page after the provider, which
    /// only moves on to a path of this site; the rest needs a session.</summary>
    [Fact]
    public async Task Account_endpoints_are_anonymous_only_where_a_session_starts()
    {
        var anonymous = _clients["anonymous"];
        using (var landing = await anonymous.GetAsync("/account/oidc/landing?returnUrl=%2Fdevices"))
        {
            Assert.Equal(HttpStatusCode.OK, landing.StatusCode);
        }
        using (var offSite = await anonymous.GetAsync("/account/oidc/landing?returnUrl=https%3A%2F%2Fevil.example%2F"))
        {
            Assert.DoesNotContain("evil.example", await offSite.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        // Single sign-on is off in this app: the button's endpoint says so rather than fail.
        using (var challenge = await anonymous.PostFormAsync("/login", "/account/oidc", new() { ["returnUrl"] = "/" }))
        {
            Assert.Equal((HttpStatusCode.Redirect, "/login?error=sso"), (challenge.StatusCode, challenge.Headers.Location?.ToString()));
        }
        using (var forged = await anonymous.PostAsync("/account/oidc", new FormUrlEncodedContent(new Dictionary<string, string> { ["returnUrl"] = "/" })))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        }
        foreach (var path in new[] { "/account/logout", "/account/logout-everywhere", "/account/password" })
        {
            using var refused = await anonymous.PostFormAsync("/login", path, []);
            Assert.True(refused.StatusCode == HttpStatusCode.Redirect && refused.Headers.Location!.ToString().Contains("/login", StringComparison.Ordinal),
                $"anonymous POST {path}: {refused.StatusCode} {refused.Headers.Location}");
        }
    }

    private static string ApiNeeds(string method, string path) => (method, path) switch
    {
        (_, "/api/audit") => "admin",
        (_, _) when path.StartsWith("/api/terminal-sessions", StringComparison.Ordinal) => "admin",
        (_, _) when path.StartsWith("/api/admin/", StringComparison.Ordinal) => "admin",
        (_, _) when path.StartsWith("/api/users", StringComparison.Ordinal) => "admin",
        (_, _) when path.StartsWith("/api/groups", StringComparison.Ordinal) => "admin",
        (not "GET", _) when path.StartsWith("/api/hostkeys", StringComparison.Ordinal) => "admin",
        // Everyone sees change freezes (they hold everyone's runs); only admins set them.
        (not "GET", _) when path.StartsWith("/api/freezes", StringComparison.Ordinal) => "admin",
        ("GET", _) => "read",
        // Discovery's preview changes nothing but connects to the seeds: inventory write, as its commit.
        (_, _) when path.StartsWith("/api/discovery/", StringComparison.Ordinal) => "write",
        // Trying a template on pasted text changes nothing: anyone who may read may try.
        ("POST", "/api/parsing-templates/test") => "read",
        // Deciding at an approval gate needs automation.run here; the gate itself then asks for an editor, an admin or
        // a user the gate lists (ApprovalGateTests).
        ("POST", "/api/runs/{id}/approvals") => "run",
        (_, _) when path.StartsWith("/api/runs", StringComparison.Ordinal) || path.EndsWith("/run", StringComparison.Ordinal) => "run",
        // A schedule is a run started later: changing one needs automation.run, as running does.
        (_, _) when path.StartsWith("/api/schedules", StringComparison.Ordinal) => "run",
        (_, _) when path.EndsWith("/rollback", StringComparison.Ordinal) || path.EndsWith("/remediate", StringComparison.Ordinal) => "run",
        _ => "write",
    };

    [Fact]
    public async Task Every_api_operation_is_refused_to_anonymous_callers_and_to_roles_without_its_permission()
    {
        var document = JsonNode.Parse(await _clients[Roles.Admin].GetStringAsync("/openapi/v1.json"))!;
        var anonymousDocument = await _clients["anonymous"].GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousDocument.StatusCode);
        var operations = 0;
        // Least privileged first, so that an allowed write by a later role cannot change what an earlier one sees.
        foreach (var who in new[] { "anonymous", Roles.Viewer, Roles.Operator, ScopedEditor, Roles.Editor, Roles.Admin })
        {
            foreach (var (template, item) in document["paths"]!.AsObject())
            {
                var path = RouteParameter().Replace(template, "1");
                foreach (var (method, _) in item!.AsObject())
                {
                    var verb = method.ToUpperInvariant();
                    if (verb is "PARAMETERS")
                    {
                        continue;
                    }
                    operations++;
                    using var request = new HttpRequestMessage(new HttpMethod(verb), path + (template == "/api/results/compare" ? "?a=1&b=2" : ""));
                    if (template == "/api/inventory/import")
                    {
                        request.Content = new MultipartFormDataContent { { new ByteArrayContent([1, 2, 3]), "file", "x.csv" } };
                    }
                    else if (verb is "POST" or "PUT")
                    {
                        request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                    }
                    var response = await _clients[who].SendAsync(request);
                    var needs = ApiNeeds(verb, template);
                    // A scoped editor's change to a pool, or to a credential or service shared beyond its pools, is a
                    // scope refusal (ScopeRules), not a role refusal.
                    var scopeRefused = who == ScopedEditor && response.StatusCode == HttpStatusCode.Forbidden
                        && (await response.Content.ReadAsStringAsync()).Contains("Outside your pools", StringComparison.Ordinal);
                    var denied = !scopeRefused && response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
                    var expectDenied = who == "anonymous" || !Allowed[needs].Contains(RoleOf(who));
                    Assert.True(denied == expectDenied,
                        $"{who} {verb} {template}: {(int)response.StatusCode}, expected {(expectDenied ? "401/403" : "not refused")} ({needs})");
                    if (who == "anonymous")
                    {
                        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
                    }
                    await AssertHidesOutsideDeviceAsync(who, $"{verb} {template}", response);
                }
            }
        }
        Assert.True(operations > 6 * 30, $"only {operations} operations found in the OpenAPI document");
        // The admin-only operations are in the walk (a new one is found there too, from the document).
        Assert.Contains("/api/admin/settings", document["paths"]!.AsObject().Select(p => p.Key));
        Assert.Contains("/api/users/{id}/reset", document["paths"]!.AsObject().Select(p => p.Key));
        Assert.Contains("/api/groups/{id}/members/{userName}", document["paths"]!.AsObject().Select(p => p.Key));
        Assert.Contains("/admin/settings", PageRoutes());
    }

    /// <summary>A service whose lists name only the admin: each role keeps what its policy allows on other services,
    /// and loses reading (404), editing and running (403) this one.</summary>
    [Fact]
    public async Task An_access_list_narrows_every_role_on_its_service()
    {
        var api = new AutomationClient(_clients[Roles.Admin]);
        var open = await api.CreateServiceAsync("matrix-open", "wait", new { seconds = 0 }, new { targetMode = "Once" });
        var only = new[] { "user:matrix-admin" };
        var listed = await api.CreateServiceAsync("matrix-listed", "wait", new { seconds = 0 },
            new { targetMode = "Once", readAccess = only, editAccess = only, runAccess = only });
        foreach (var who in RoleNames)
        {
            var client = _clients[who];
            var isAdmin = who == Roles.Admin;
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/services/{open}")).StatusCode);
            Assert.Equal(isAdmin ? HttpStatusCode.OK : HttpStatusCode.NotFound, (await client.GetAsync($"/api/services/{listed}")).StatusCode);
            foreach (var (id, name) in new[] { (open, "matrix-open"), (listed, "matrix-listed") })
            {
                var version = (int)JsonNode.Parse(await _clients[Roles.Admin].GetStringAsync($"/api/services/{id}"))!["version"]!;
                var body = new { name, kind = "wait", parameters = new { seconds = 0 }, targetMode = "Once", version };
                var edit = await client.PutAsJsonAsync($"/api/services/{id}", body);
                var mayEdit = Allowed["write"].Contains(who) && (id == open || isAdmin);
                Assert.True(mayEdit == edit.IsSuccessStatusCode, $"{who} PUT {name}: {(int)edit.StatusCode}");
                var run = await client.PostAsJsonAsync($"/api/services/{id}/run", new { deviceIds = Array.Empty<int>() });
                var mayRun = Allowed["run"].Contains(who) && (id == open || isAdmin);
                Assert.True(mayRun == (run.StatusCode == HttpStatusCode.Accepted), $"{who} run {name}: {(int)run.StatusCode}");
                if (!mayEdit && Allowed["write"].Contains(who))
                {
                    Assert.Equal(HttpStatusCode.Forbidden, edit.StatusCode);
                }
            }
        }
    }

    /// <summary>The admin-only kinds (<c>python_script</c> by default): created, changed and imported by admins only
    /// (an editor gets 400 saying why, lesser roles 403 from the policy); run by whoever may run, as any service.</summary>
    [Fact]
    public async Task An_admin_only_kind_is_written_by_admins_only_through_every_path_and_run_by_the_run_roles()
    {
        const string Refusal = "Only administrators may create or change python_script services";
        static string Import(string name) => $$$"""
            {"format":"enms-workflow/1","workflow":2,"services":[
              {"id":1,"name":"{{{name}}} script","kind":"python_script","parameters":{"script":"print('{}')"}},
              {"id":2,"name":"{{{name}}}","kind":"workflow","graph":{"start":"a","nodes":[{"id":"a","serviceId":1}],"edges":[]}}]}
            """;
        var admin = _clients[Roles.Admin];
        var script = await new AutomationClient(admin).CreateServiceAsync("matrix script", "python_script", new { script = "print('{}')" }, new { targetMode = "Once" });
        foreach (var role in new[] { Roles.Viewer, Roles.Operator, Roles.Editor, Roles.Admin })
        {
            var client = _clients[role];
            var denied = role switch { Roles.Admin => (HttpStatusCode?)null, Roles.Editor => HttpStatusCode.BadRequest, _ => HttpStatusCode.Forbidden };

            using var created = await client.PostAsJsonAsync("/api/services", new { name = $"{role} script", kind = "python_script", parameters = new { script = "print('{}')" } });
            var body = await admin.GetFromJsonAsync<JsonObject>($"/api/services/{script}");
            body!["description"] = $"changed by {role}";
            using var changed = await client.PutAsJsonAsync($"/api/services/{script}", body);
            using var imported = await client.PostAsync("/api/services/import", new StringContent(Import($"{role} import"), Encoding.UTF8, "application/json"));
            foreach (var (what, response, allowed) in new[] { ("create", created, HttpStatusCode.Created), ("update", changed, HttpStatusCode.OK), ("import", imported, HttpStatusCode.Created) })
            {
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == (denied ?? allowed), $"{role} {what}: {(int)response.StatusCode} {text}");
                Assert.True(denied != HttpStatusCode.BadRequest || text.Contains(Refusal, StringComparison.Ordinal), $"{role} {what}: {text}");
            }

            using var run = await client.PostAsJsonAsync($"/api/services/{script}/run", new { });
            Assert.True(run.StatusCode == (role == Roles.Viewer ? HttpStatusCode.Forbidden : HttpStatusCode.Accepted),
                $"{role} run: {(int)run.StatusCode} {await run.Content.ReadAsStringAsync()}");
        }
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        Assert.Equal(["admin import script", "admin script", "matrix script"],
            await db.Services.AsNoTracking().Where(s => s.Kind == "python_script").OrderBy(s => s.Name).Select(s => s.Name).ToListAsync());
        Assert.Equal("changed by admin", await db.Services.Where(s => s.Id == script).Select(s => s.Description).SingleAsync());
    }

    [Fact]
    public async Task An_access_list_narrows_every_role_on_its_compliance_rule_and_each_refusal_is_audited()
    {
        var admin = _clients[Roles.Admin];
        var only = new[] { "user:matrix-admin" };
        var rules = new Dictionary<string, int>();
        foreach (var (name, extra) in new (string, object)[] { ("open", new { }), ("edit-listed", new { editAccess = only }), ("read-listed", new { readAccess = only }) })
        {
            var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(extra))!.AsObject();
            body["name"] = $"rule-{name}";
            body["platform"] = "cisco_ios";
            body["mode"] = "Snippets";
            body["template"] = "ntp server 192.0.2.1";
            var created = await AutomationClient.Read(await admin.PostAsJsonAsync("/api/compliance/rules", body), HttpStatusCode.Created);
            Assert.Equal("matrix-admin", (string?)created["owner"]);
            rules[name] = (int)created["id"]!;
        }
        foreach (var who in RoleNames)
        {
            var client = _clients[who];
            var isAdmin = who == Roles.Admin;
            var listed = JsonNode.Parse(await client.GetStringAsync("/api/compliance/rules"))!.AsArray().Select(r => (string?)r!["name"]).ToList();
            Assert.Equal(isAdmin ? ["rule-edit-listed", "rule-open", "rule-read-listed"] : ["rule-edit-listed", "rule-open"], listed);
            foreach (var (name, id) in rules)
            {
                var mayRead = isAdmin || name != "read-listed";
                Assert.Equal(mayRead ? HttpStatusCode.OK : HttpStatusCode.NotFound, (await client.GetAsync($"/api/compliance/rules/{id}")).StatusCode);
                var edit = await client.PutAsJsonAsync($"/api/compliance/rules/{id}",
                    new { name = $"rule-{name}", platform = "cisco_ios", mode = "Snippets", template = "ntp server 192.0.2.2" });
                var expected = !Allowed["write"].Contains(who) ? HttpStatusCode.Forbidden
                    : isAdmin || name == "open" ? HttpStatusCode.OK : mayRead ? HttpStatusCode.Forbidden : HttpStatusCode.NotFound;
                Assert.True(expected == edit.StatusCode, $"{who} PUT rule-{name}: {(int)edit.StatusCode}, expected {(int)expected}");
            }
        }
        // An editor on no list may edit the open rule, not hand it over or give it lists (only its owner or an admin).
        var lists = await _clients[Roles.Editor].PutAsJsonAsync($"/api/compliance/rules/{rules["open"]}",
            new { name = "rule-open", platform = "cisco_ios", mode = "Snippets", template = "ntp server 192.0.2.3", readAccess = new[] { "user:matrix-editor" } });
        Assert.Equal(HttpStatusCode.Forbidden, lists.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _clients[Roles.Editor].DeleteAsync($"/api/compliance/rules/{rules["edit-listed"]}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _clients[Roles.Editor].DeleteAsync($"/api/compliance/rules/{rules["read-listed"]}")).StatusCode);
        var remediation = await _clients[Roles.Operator].PostAsJsonAsync($"/api/compliance/rules/{rules["read-listed"]}/remediate",
            new { deviceIds = new[] { _world.Inside }, dryRun = true });
        Assert.Equal(HttpStatusCode.BadRequest, remediation.StatusCode);
        Assert.Contains("does not exist", await remediation.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        var refusals = await db.AuditEntries.Where(e => e.TargetKind == "compliance rule" && e.Action.EndsWith(" refused"))
            .Select(e => new { e.User, e.Action, e.TargetName }).ToListAsync();
        Assert.Contains(refusals, r => r.User == "matrix-editor" && r.Action == "update refused" && r.TargetName == "rule-edit-listed");
        Assert.Contains(refusals, r => r.User == "matrix-editor" && r.Action == "update refused" && r.TargetName == "rule-open");
        Assert.Contains(refusals, r => r.User == "matrix-editor" && r.Action == "delete refused" && r.TargetName == "rule-edit-listed");
        Assert.Contains(refusals, r => r.User == "matrix-operator" && r.Action == "remediation dry run refused");
    }

    [Fact]
    public async Task A_compliance_rule_of_a_pool_outside_a_pool_limited_users_pools_is_missing_to_them_everywhere()
    {
        var admin = _clients[Roles.Admin];
        var rules = new Dictionary<string, int>();
        foreach (var (name, pool) in new (string, int?)[] { ("rule-inside", _world.InsidePool), ("rule-outside", _world.OutsidePool), ("rule-platform", null) })
        {
            var created = await AutomationClient.Read(await admin.PostAsJsonAsync("/api/compliance/rules",
                new { name, poolId = pool, platform = pool is null ? "cisco_ios" : "", mode = "Snippets", template = "ntp server 192.0.2.1" }), HttpStatusCode.Created);
            rules[name] = (int)created["id"]!;
        }
        static List<string?> Names(string json) => [.. JsonNode.Parse(json)!.AsArray().Select(r => (string?)r!["name"])];
        Assert.Equal(["rule-inside", "rule-outside", "rule-platform"], Names(await admin.GetStringAsync("/api/compliance/rules")));

        var scoped = _clients[ScopedEditor];
        Assert.Equal(["rule-inside", "rule-platform"], Names(await scoped.GetStringAsync("/api/compliance/rules")));
        var outside = rules["rule-outside"];
        Assert.Equal(HttpStatusCode.NotFound, (await scoped.GetAsync($"/api/compliance/rules/{outside}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await scoped.PutAsJsonAsync($"/api/compliance/rules/{outside}",
            new { name = "rule-outside", poolId = _world.OutsidePool, mode = "Snippets", template = "ntp server 192.0.2.9" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await scoped.DeleteAsync($"/api/compliance/rules/{outside}")).StatusCode);
        var remediation = await scoped.PostAsJsonAsync($"/api/compliance/rules/{outside}/remediate", new { deviceIds = new[] { _world.Inside }, dryRun = true });
        Assert.Equal(HttpStatusCode.BadRequest, remediation.StatusCode);
        Assert.Contains($"Compliance rule #{outside} does not exist.", await remediation.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // Nor may they give a rule that pool, or take the name of a rule they cannot see.
        var moved = await scoped.PutAsJsonAsync($"/api/compliance/rules/{rules["rule-inside"]}",
            new { name = "rule-inside", poolId = _world.OutsidePool, mode = "Snippets", template = "ntp server 192.0.2.1" });
        Assert.Equal(HttpStatusCode.BadRequest, moved.StatusCode);
        Assert.Contains($"rule-inside: pool: no pool #{_world.OutsidePool}.", await moved.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var taken = await scoped.PostAsJsonAsync("/api/compliance/rules", new { name = "rule-outside", platform = "cisco_ios", mode = "Snippets", template = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, taken.StatusCode);

        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        var stored = await db.ComplianceRules.AsNoTracking().SingleAsync(r => r.Id == outside);
        Assert.Equal(("ntp server 192.0.2.1", (int?)_world.OutsidePool), (stored.Template, stored.PoolId));
        Assert.Equal(_world.InsidePool, (await db.ComplianceRules.AsNoTracking().SingleAsync(r => r.Name == "rule-inside")).PoolId);
    }

    [Fact]
    public async Task A_refused_service_or_workflow_change_is_audited_with_its_reason_as_a_compliance_rules_is()
    {
        var admin = new AutomationClient(_clients[Roles.Admin]);
        var only = new[] { "user:matrix-admin" };
        var service = await admin.CreateServiceAsync("audited-edit-listed", "wait", new { seconds = 0 }, new { targetMode = "Once", editAccess = only });
        var workflow = await admin.CreateWorkflowAsync("audited-flow", [("s", service)], []);
        var flow = JsonNode.Parse(await admin.Http.GetStringAsync($"/api/services/{workflow}"))!;
        flow["editAccess"] = new JsonArray(only.Select(o => (JsonNode)o).ToArray());
        (await admin.Http.PutAsJsonAsync($"/api/services/{workflow}", flow)).EnsureSuccessStatusCode();
        var outside = await admin.CreateServiceAsync("audited-outside", "test_step", new { },
            new { targetMode = "PerDevice", deviceIds = new[] { _world.Inside, _world.Outside } });

        var editor = _clients[Roles.Editor];
        foreach (var id in new[] { service, workflow })
        {
            var read = JsonNode.Parse(await editor.GetStringAsync($"/api/services/{id}"))!;
            read["description"] = "changed by an editor on no list";
            Assert.Equal(HttpStatusCode.Forbidden, (await editor.PutAsJsonAsync($"/api/services/{id}", read)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await editor.DeleteAsync($"/api/services/{service}")).StatusCode);
        // A user limited to pools saving a service that reaches beyond them (403 by the pool scope).
        var scoped = _clients[ScopedEditor];
        var mine = JsonNode.Parse(await scoped.GetStringAsync($"/api/services/{outside}"))!;
        Assert.Equal(HttpStatusCode.Forbidden, (await scoped.PutAsJsonAsync($"/api/services/{outside}", mine)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await scoped.DeleteAsync($"/api/services/{outside}")).StatusCode);

        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        var refusals = await db.AuditEntries.Where(e => (e.TargetKind == "service" || e.TargetKind == "workflow") && e.Action.EndsWith(" refused"))
            .OrderBy(e => e.Id).Select(e => new { e.User, e.Action, e.TargetKind, e.TargetId, e.TargetName, e.After }).ToListAsync();
        Assert.Equal([
            ("matrix-editor", "update refused", "service", "audited-edit-listed"),
            ("matrix-editor", "update refused", "workflow", "audited-flow"),
            ("matrix-editor", "delete refused", "service", "audited-edit-listed"),
            ("matrix-scoped", "update refused", "service", "audited-outside"),
            ("matrix-scoped", "delete refused", "service", "audited-outside"),
        ], refusals.Select(r => (r.User, r.Action, r.TargetKind, r.TargetName)));
        Assert.Equal(service.ToString(System.Globalization.CultureInfo.InvariantCulture), refusals[0].TargetId);
        Assert.All(refusals.Take(3), r => Assert.Contains("has an access list that does not give you the right to edit it", r.After, StringComparison.Ordinal));
        Assert.All(refusals.Skip(3), r => Assert.False(string.IsNullOrWhiteSpace(r.After)));
        // Nothing was changed by the refused calls.
        Assert.Equal(3, await db.Services.CountAsync(s => s.Name.StartsWith("audited-") && s.Description == ""));
    }

    [Fact]
    public async Task A_user_limited_to_one_pool_reads_a_service_without_its_outside_targets_and_its_save_loses_none_of_them()
    {
        var admin = new AutomationClient(_clients[Roles.Admin]);
        var targets = new { targetMode = "PerDevice", deviceIds = new[] { _world.Inside, _world.Outside }, poolIds = new[] { _world.InsidePool, _world.OutsidePool } };
        var step = await admin.CreateServiceAsync("mixed-targets", "test_step", new { }, targets);
        var workflow = await admin.CreateWorkflowAsync("mixed-flow", [("s", step)], []);
        var scoped = _clients[ScopedEditor];

        var read = JsonNode.Parse(await scoped.GetStringAsync($"/api/services/{step}"))!;
        Assert.Equal([_world.Inside], read["deviceIds"]!.AsArray().Select(d => (int)d!));
        Assert.Equal([_world.InsidePool], read["poolIds"]!.AsArray().Select(p => (int)p!));
        var exported = JsonNode.Parse(await scoped.GetStringAsync($"/api/services/{workflow}/export"))!["services"]!.AsArray()
            .Single(s => (string?)s!["name"] == "mixed-targets")!;
        Assert.Equal([_world.Inside], exported["deviceIds"]!.AsArray().Select(d => (int)d!));
        Assert.Equal([_world.InsidePool], exported["poolIds"]!.AsArray().Select(p => (int)p!));
        var full = JsonNode.Parse(await admin.Http.GetStringAsync($"/api/services/{step}"))!;
        Assert.Equal([_world.Inside, _world.Outside], full["deviceIds"]!.AsArray().Select(d => (int)d!));

        // Saving back what it read would drop the hidden targets: the service reaches beyond its pools, so it is refused.
        read["description"] = "changed by the scoped editor";
        var save = await scoped.PutAsJsonAsync($"/api/services/{step}", read);
        Assert.Equal(HttpStatusCode.Forbidden, save.StatusCode);
        var stored = JsonNode.Parse(await admin.Http.GetStringAsync($"/api/services/{step}"))!;
        Assert.Equal([_world.Inside, _world.Outside], stored["deviceIds"]!.AsArray().Select(d => (int)d!));
        Assert.Equal([_world.InsidePool, _world.OutsidePool], stored["poolIds"]!.AsArray().Select(p => (int)p!));
        Assert.Equal("", (string?)stored["description"]);
        Assert.Equal(HttpStatusCode.OK, (await scoped.GetAsync($"/services/{step}/edit")).StatusCode);
    }

    [Fact]
    public async Task A_user_limited_to_one_pool_sees_and_targets_only_its_devices()
    {
        var admin = _clients[Roles.Admin];
        var inside = await CreateDeviceAsync(admin, "inside-1");
        var outside = await CreateDeviceAsync(admin, "outside-1");
        var pool = await admin.PostAsJsonAsync("/api/pools", new { name = "mine", mode = "Manual", deviceIds = new[] { inside } });
        var poolId = (int)(await AutomationClient.Read(pool, HttpStatusCode.Created))["id"]!;
        var service = await new AutomationClient(admin).CreateServiceAsync("echo", "test_step", new { echo = "hi" });
        var scoped = _app.CreateClient(await _app.CreateTokenAsync(await _app.CreateUserAsync("scoped", Roles.Operator, [poolId])));

        var page = JsonNode.Parse(await scoped.GetStringAsync("/api/devices"))!;
        Assert.Equal(["inside-1"], page["items"]!.AsArray().Select(d => (string)d!["name"]!));

        var refused = await scoped.PostAsJsonAsync($"/api/services/{service}/run", new { deviceIds = new[] { outside } });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var refusal = await refused.Content.ReadAsStringAsync();
        Assert.Contains($"outside the pools you may use: #{outside}", refusal, StringComparison.Ordinal);
        Assert.DoesNotContain("outside-1", refusal, StringComparison.Ordinal);
        var started = await scoped.PostAsJsonAsync($"/api/services/{service}/run", new { deviceIds = new[] { inside } });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
    }

    [Fact]
    public async Task A_user_limited_to_one_pool_reaches_no_other_device_through_device_pages_links_or_pools()
    {
        var admin = _clients[Roles.Admin];
        var (inside, inside2, outside) = (await CreateDeviceAsync(admin, "inside-1"), await CreateDeviceAsync(admin, "inside-2"), await CreateDeviceAsync(admin, "outside-1"));
        var mine = await CreateAsync(admin, "/api/pools", new { name = "mine", mode = "Manual", deviceIds = new[] { inside, inside2 } });
        var theirs = await CreateAsync(admin, "/api/pools", new { name = "theirs", mode = "Manual", deviceIds = new[] { outside } });
        var internalLink = await CreateAsync(admin, "/api/links", new { name = "internal", sourceId = inside, destinationId = inside2 });
        var crossing = await CreateAsync(admin, "/api/links", new { name = "crossing", sourceId = inside, destinationId = outside });
        var scoped = _app.CreateClient(await _app.CreateTokenAsync(await _app.CreateUserAsync("scoped-editor-2", Roles.Editor, [mine])));

        Assert.Equal(HttpStatusCode.OK, (await scoped.GetAsync($"/api/devices/{inside}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await scoped.GetAsync($"/api/devices/{outside}")).StatusCode);
        Assert.Equal(["internal"], JsonNode.Parse(await scoped.GetStringAsync("/api/links"))!["items"]!.AsArray().Select(l => (string)l!["name"]!));
        Assert.Equal(HttpStatusCode.NotFound, (await scoped.GetAsync($"/api/links/{crossing}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await scoped.GetAsync($"/api/links/{internalLink}")).StatusCode);
        Assert.Equal(["mine"], JsonNode.Parse(await scoped.GetStringAsync("/api/pools"))!.AsArray().Select(p => (string)p!["name"]!));
        Assert.Equal(HttpStatusCode.NotFound, (await scoped.GetAsync($"/api/pools/{theirs}")).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await scoped.PutAsJsonAsync($"/api/devices/{outside}", new { name = "taken", platform = "cisco_ios" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await scoped.DeleteAsync($"/api/links/{crossing}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await scoped.DeleteAsync($"/api/pools/{theirs}")).StatusCode);
        var bulk = JsonNode.Parse(await (await scoped.PostAsJsonAsync("/api/devices/delete", new { ids = new[] { outside } })).Content.ReadAsStringAsync())!;
        Assert.Equal(0, (int)bulk["deleted"]!);
        var link = await scoped.PostAsJsonAsync("/api/links", new { name = "sneaky", sourceId = inside, destinationId = outside });
        Assert.Equal(HttpStatusCode.NotFound, link.StatusCode);
        Assert.Contains($"#{outside}", await link.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var pool = await scoped.PostAsJsonAsync("/api/pools", new { name = "grab", mode = "Manual", deviceIds = new[] { outside } });
        Assert.Equal(HttpStatusCode.NotFound, pool.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/devices/{outside}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/links/{crossing}")).StatusCode);

        Assert.Contains("inside-1", await scoped.GetStringAsync($"/devices/{inside}"), StringComparison.Ordinal);
        var hiddenDevice = await scoped.GetStringAsync($"/devices/{outside}");
        Assert.DoesNotContain("outside-1", hiddenDevice, StringComparison.Ordinal);
        Assert.DoesNotContain("crossing", await scoped.GetStringAsync($"/devices/{inside}"), StringComparison.Ordinal);
        Assert.DoesNotContain("outside-1", await scoped.GetStringAsync($"/links/{crossing}/edit"), StringComparison.Ordinal);
        var pools = await scoped.GetStringAsync("/pools");
        Assert.Contains("mine", pools, StringComparison.Ordinal);
        Assert.DoesNotContain("theirs", pools, StringComparison.Ordinal);
    }

    /// <summary>The walk above puts id 1 in every route; this one puts every id the world holds (the mixed run, the
    /// inside run and schedule, each result, each configuration version), so that a list, a page or an operation
    /// reading past the scope — whatever it shows and through whichever id — names the outside device and fails here
    /// with its route.</summary>
    [Fact]
    public async Task A_user_limited_to_one_pool_finds_no_outside_device_on_any_page_or_read_operation_whatever_the_ids()
    {
        var client = _clients[ScopedEditor];
        var document = JsonNode.Parse(await _clients[Roles.Admin].GetStringAsync("/openapi/v1.json"))!;
        var reads = document["paths"]!.AsObject().Where(p => p.Value!.AsObject().ContainsKey("get")).Select(p => p.Key).ToList();
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        var largestId = (int)Math.Max(await db.RunResults.MaxAsync(r => r.Id), await db.ConfigVersions.MaxAsync(v => v.Id));
        var requests = 0;
        foreach (var template in reads.Concat(PageRoutes()))
        {
            // The two comparisons take their ids in the query: each pair of neighbours.
            var compares = template is "/api/results/compare" or "/api/configurations/diff";
            foreach (var id in compares || RouteParameter().IsMatch(template) ? Enumerable.Range(1, largestId) : [0])
            {
                var target = compares ? $"{template}?a={id}&b={id % largestId + 1}" : RouteParameter().Replace(template, $"{id}");
                using var response = await client.GetAsync(target);
                requests++;
                await AssertHidesOutsideDeviceAsync(ScopedEditor, $"GET {target}", response);
            }
        }
        Assert.True(requests > 100, $"only {requests} reads were made");
    }

    private static async Task AssertHidesOutsideDeviceAsync(string who, string what, HttpResponseMessage response)
    {
        if (who == ScopedEditor)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.False(body.Contains(ScopedWorld.OutsideName, StringComparison.Ordinal), $"{who} {what} ({(int)response.StatusCode}) shows the device outside its pool: {body[..Math.Min(body.Length, 2000)]}");
        }
    }

    private static async Task<int> CreateAsync(HttpClient client, string path, object body) =>
        (int)(await AutomationClient.Read(await client.PostAsJsonAsync(path, body), HttpStatusCode.Created))["id"]!;

    private static async Task<int> CreateDeviceAsync(HttpClient client, string name) =>
        (int)(await AutomationClient.Read(await client.PostAsJsonAsync("/api/devices", new { name, address = "192.0.2.1", platform = "cisco_ios" }),
            HttpStatusCode.Created))["id"]!;

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();
}
