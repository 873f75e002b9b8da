using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;

namespace eNMS.Tests.Integration;

/// <summary>/api/users as a provisioning script uses it: create, role and pools, lock, reset, delete; each change
/// audited once under the acting admin; no reply carries password material; eNMS never loses its last admin.</summary>
public sealed partial class UserApiTests : IAsyncLifetime
{
    private readonly EnmsAppFactory _app = new();
    private HttpClient _admin = null!;
    private string _adminName = null!;

    public async Task InitializeAsync()
    {
        var admin = await _app.CreateUserAsync("script-admin", Roles.Admin);
        _adminName = admin.UserName!;
        _admin = _app.CreateClient(await _app.CreateTokenAsync(admin));
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _app.DisposeAsync();
    }

    private async Task<JsonNode> CreateAsync(object body, HttpStatusCode expected = HttpStatusCode.Created) =>
        await AutomationClient.Read(await _admin.PostAsJsonAsync("/api/users", body), expected);

    /// <summary>The entries about one user: the user itself (by name) and its role rows (by id).</summary>
    private async Task<List<JsonNode>> AuditAsync(string name, string id) =>
        [.. JsonNode.Parse(await _admin.GetStringAsync("/api/audit?kind=user"))!.AsArray()
            .Where(e => (string?)e!["targetName"] == name || ((string?)e["targetId"])?.StartsWith(id, StringComparison.Ordinal) == true)
            .Select(e => e!)];

    private static void AssertNoPasswordMaterial(string body)
    {
        foreach (var word in new[] { "hash", "stamp", "concurrency" })
        {
            Assert.DoesNotContain(word, body, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Invalid_users_are_refused_per_field()
    {
        var empty = await CreateAsync(new { userName = "  ", password = "a-long-enough-password" }, HttpStatusCode.BadRequest);
        Assert.NotNull(empty["errors"]!["userName"]);
        var role = await CreateAsync(new { userName = "x1", password = "a-long-enough-password", role = "root" }, HttpStatusCode.BadRequest);
        Assert.NotNull(role["errors"]!["role"]);
        var pools = await CreateAsync(new { userName = "x2", password = "a-long-enough-password", scopePoolIds = new[] { 4242 } }, HttpStatusCode.BadRequest);
        Assert.Contains("4242", (string)pools["errors"]!["scopePoolIds"]![0]!, StringComparison.Ordinal);
        var tooMany = await CreateAsync(new { userName = "x3", scopePoolIds = Enumerable.Range(1, UserAdministration.MaxScopePools + 1) }, HttpStatusCode.BadRequest);
        Assert.NotNull(tooMany["errors"]!["scopePoolIds"]);
        var shortPassword = await CreateAsync(new { userName = "x4", password = "short" }, HttpStatusCode.BadRequest);
        Assert.NotNull(shortPassword["errors"]!["password"]);
        await CreateAsync(new { userName = "taken", password = "a-long-enough-password" });
        var duplicate = await CreateAsync(new { userName = "taken", password = "a-long-enough-password" }, HttpStatusCode.BadRequest);
        Assert.NotNull(duplicate["errors"]!["userName"]);
        var names = JsonNode.Parse(await _admin.GetStringAsync("/api/users"))!.AsArray().Select(u => (string)u!["userName"]!).ToList();
        Assert.DoesNotContain("x1", names);
        Assert.DoesNotContain("x4", names);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.PostAsJsonAsync("/api/users/no-such-id/reset", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.PutAsJsonAsync("/api/users/no-such-id", new { role = "viewer" })).StatusCode);
    }

    [Fact]
    public async Task Only_admins_reach_the_users_api()
    {
        using var editor = await _app.CreateClientAsync(Roles.Editor);
        Assert.Equal(HttpStatusCode.Forbidden, (await editor.GetAsync("/api/users")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await editor.PostAsJsonAsync("/api/users", new { userName = "sneaky", password = "a-long-enough-password", role = "admin" })).StatusCode);
        using var anonymous = _app.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/users")).StatusCode);
    }

    [Fact]
    public async Task A_script_provisions_a_user_who_then_works_through_the_api_and_every_change_is_audited_once_under_the_admin()
    {
        var created = await CreateAsync(new { userName = "provisioned", password = "a-long-enough-password", role = "viewer" });
        AssertNoPasswordMaterial(created.ToJsonString());
        Assert.Null(created["password"]);
        var id = (string)created["user"]!["id"]!;
        Assert.Equal("viewer", (string?)created["user"]!["role"]);
        Assert.False((bool)created["user"]!["mustChangePassword"]!);

        var pool = await AutomationClient.Read(await _admin.PostAsJsonAsync("/api/pools", new { name = "scope-pool", mode = "Manual" }), HttpStatusCode.Created);
        var updated = await AutomationClient.Read(await _admin.PutAsJsonAsync($"/api/users/{id}", new { role = "operator", scopePoolIds = new[] { (int)pool["id"]! } }), HttpStatusCode.OK);
        Assert.Equal("operator", (string?)updated["user"]!["role"]);
        Assert.Equal((int)pool["id"]!, (int)updated["user"]!["scopePoolIds"]![0]!);
        var locked = await AutomationClient.Read(await _admin.PostAsync($"/api/users/{id}/lock", null), HttpStatusCode.OK);
        Assert.True((bool)locked["user"]!["locked"]!);
        var one = await _admin.GetStringAsync($"/api/users/{id}");
        AssertNoPasswordMaterial(one);
        Assert.True((bool)JsonNode.Parse(one)!["locked"]!);
        await AutomationClient.Read(await _admin.PostAsync($"/api/users/{id}/unlock", null), HttpStatusCode.OK);
        var list = await _admin.GetStringAsync("/api/users");
        AssertNoPasswordMaterial(list);
        Assert.Contains("provisioned", list, StringComparison.Ordinal);

        var audit = await AuditAsync("provisioned", id);
        Assert.All(audit, e => Assert.Equal((_adminName, "user", id, "provisioned"),
            ((string)e["user"]!, (string)e["targetKind"]!, (string)e["targetId"]!, (string)e["targetName"]!)));
        // One entry per change, saying what it was before and after (a role is not two role rows, nor a stamp an update).
        Assert.Equal(
        [
            ("create", null, """{"userName":"provisioned","role":"viewer","pools":[],"mustChangePassword":false}"""),
            ("role change", """{"role":"viewer"}""", """{"role":"operator"}"""),
            ("pool scope change", """{"pools":[]}""", """{"pools":["scope-pool"]}"""),
            ("lock", """{"locked":false}""", """{"locked":true}"""),
            ("unlock", """{"locked":true}""", """{"locked":false}"""),
        ], audit.Select(e => ((string)e["action"]!, (string?)e["before"], (string?)e["after"])).Reverse());
        // The same role again changes nothing, and says nothing.
        await AutomationClient.Read(await _admin.PutAsJsonAsync($"/api/users/{id}", new { role = "operator" }), HttpStatusCode.OK);
        Assert.Equal(5, (await AuditAsync("provisioned", id)).Count);

        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync($"/api/users/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync($"/api/users/{id}")).StatusCode);
        Assert.Single(await AuditAsync("provisioned", id), e => (string)e["action"]! == "delete" && (string)e["targetKind"]! == "user");
    }

    [Fact]
    public async Task A_group_membership_change_is_one_entry_with_the_members_before_and_after()
    {
        await CreateAsync(new { userName = "member-a", password = "a-long-enough-password" });
        await CreateAsync(new { userName = "member-b", password = "a-long-enough-password" });
        var group = await AutomationClient.Read(await _admin.PostAsJsonAsync("/api/groups", new { name = "noc", members = new[] { "member-a" } }), HttpStatusCode.Created);
        var id = (int)group["id"]!;
        await AutomationClient.Read(await _admin.PostAsJsonAsync($"/api/groups/{id}/members", new { userNames = new[] { "member-b" } }), HttpStatusCode.OK);
        await AutomationClient.Read(await _admin.DeleteAsync($"/api/groups/{id}/members/member-a"), HttpStatusCode.OK);

        var entries = JsonNode.Parse(await _admin.GetStringAsync("/api/audit?kind=user%20group"))!.AsArray()
            .Where(e => (string?)e!["targetName"] == "noc").Reverse().ToList();
        Assert.Equal(["create", "update", "update"], entries.Select(e => (string)e!["action"]!));
        Assert.All(entries, e => Assert.Equal(_adminName, (string)e!["user"]!));
        var members = entries.Skip(1).Select(e => (JsonNode.Parse((string)e!["before"]!)!["Members"]!.ToJsonString(),
            JsonNode.Parse((string)e["after"]!)!["Members"]!.ToJsonString())).ToList();
        Assert.Equal([("[\"member-a\"]", "[\"member-a\",\"member-b\"]"), ("[\"member-a\",\"member-b\"]", "[\"member-b\"]")], members);
    }

    [Fact]
    public async Task Nobody_locks_or_deletes_themself_and_the_last_admin_stays()
    {
        var me = JsonNode.Parse(await _admin.GetStringAsync("/api/users"))!.AsArray().Single(u => (string)u!["userName"]! == _adminName)!;
        var myId = (string)me["id"]!;
        Assert.Equal(HttpStatusCode.Conflict, (await _admin.PostAsync($"/api/users/{myId}/lock", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await _admin.DeleteAsync($"/api/users/{myId}")).StatusCode);

        // The seeded admin is the other admin: once it is locked, this one is the last active admin.
        var seeded = JsonNode.Parse(await _admin.GetStringAsync("/api/users"))!.AsArray().Single(u => (string)u!["userName"]! == AccountSeeder.AdminUserName)!;
        await AutomationClient.Read(await _admin.PostAsync($"/api/users/{(string)seeded["id"]!}/lock", null), HttpStatusCode.OK);
        var demoted = await AutomationClient.Read(await _admin.PutAsJsonAsync($"/api/users/{myId}", new { role = "" }), HttpStatusCode.Conflict);
        Assert.Contains("last active admin", (string)demoted["detail"]!, StringComparison.Ordinal);
        Assert.Equal("admin", (string?)JsonNode.Parse(await _admin.GetStringAsync($"/api/users/{myId}"))!["role"]);

        // Another admin makes the first one removable again.
        var other = await CreateAsync(new { userName = "second-admin", password = "a-long-enough-password", role = "admin" });
        Assert.Equal(HttpStatusCode.OK, (await _admin.PutAsJsonAsync($"/api/users/{(string)seeded["id"]!}", new { role = "viewer" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync($"/api/users/{(string)other["user"]!["id"]!}")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await _admin.PutAsJsonAsync($"/api/users/{myId}", new { role = "editor" })).StatusCode);
    }

    [Fact]
    public async Task A_reset_returns_the_password_once_and_a_forced_one_gates_the_browser_until_changed()
    {
        var created = await CreateAsync(new { userName = "forgetful", password = "the-original-password", role = "viewer" });
        var id = (string)created["user"]!["id"]!;

        var shown = await _admin.PostAsJsonAsync($"/api/users/{id}/reset", new { forceChange = false });
        Assert.Equal("no-store", shown.Headers.CacheControl?.ToString());
        var shownBody = await AutomationClient.Read(shown, HttpStatusCode.OK);
        var kept = (string)shownBody["password"]!;
        Assert.False((bool)shownBody["user"]!["mustChangePassword"]!);
        using (var browser = Browser())
        {
            Assert.Contains("error=", (await SignInAsync(browser, "forgetful", "the-original-password")).Headers.Location?.ToString() ?? "", StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/devices")).StatusCode);
            await SignInAsync(browser, "forgetful", kept);
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/devices")).StatusCode);
        }

        var forced = await AutomationClient.Read(await _admin.PostAsJsonAsync($"/api/users/{id}/reset", new { forceChange = true }), HttpStatusCode.OK);
        var temporary = (string)forced["password"]!;
        Assert.True((bool)forced["user"]!["mustChangePassword"]!);
        using (var browser = Browser())
        {
            await SignInAsync(browser, "forgetful", temporary);
            var page = await browser.GetAsync("/devices");
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            Assert.Equal("/account/password", page.Headers.Location?.ToString());
            var api = await browser.GetAsync("/api/devices");
            Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
            Assert.Contains("Password change required", await api.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            var form = await browser.GetStringAsync("/account/password");
            Assert.Contains("password-forced", form, StringComparison.Ordinal);
            Assert.DoesNotContain("password-cancel", form, StringComparison.Ordinal);

            Assert.Contains("error=", await ChangeAsync(browser, form, temporary, temporary), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/devices")).StatusCode);
            Assert.Equal("/account/password?changed=true", await ChangeAsync(browser, form, temporary, "my-very-own-password"));
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/devices")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/devices")).StatusCode);
        }
        Assert.False((bool)JsonNode.Parse(await _admin.GetStringAsync($"/api/users/{id}"))!["mustChangePassword"]!);

        var audit = await AuditAsync("forgetful", id);
        var resets = audit.Where(e => (string)e["action"]! == "password reset").ToList();
        Assert.Equal(2, resets.Count);
        Assert.All(resets, e => Assert.Equal(_adminName, (string)e["user"]!));
        Assert.Single(audit, e => (string)e["action"]! == "password change" && (string)e["user"]! == "forgetful");
        Assert.DoesNotContain(audit, e => e.ToJsonString().Contains(kept, StringComparison.Ordinal) || e.ToJsonString().Contains(temporary, StringComparison.Ordinal));
        // A reset changes only masked columns: the "password reset" entry is the admin's only trace, not an update besides.
        Assert.DoesNotContain(audit, e => (string)e["action"]! == "update" && (string)e["user"]! == _adminName);
    }

    [Fact]
    public async Task A_user_created_without_a_password_gets_one_once_and_must_change_it()
    {
        var created = await CreateAsync(new { userName = "no-password-given", role = "viewer" });
        var password = (string)created["password"]!;
        Assert.True(password.Length >= 12);
        Assert.True((bool)created["user"]!["mustChangePassword"]!);
        using var browser = Browser();
        await SignInAsync(browser, "no-password-given", password);
        Assert.Equal("/account/password", (await browser.GetAsync("/")).Headers.Location?.ToString());
        Assert.DoesNotContain(password, await _admin.GetStringAsync("/api/users"), StringComparison.Ordinal);
    }

    private HttpClient Browser() => _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string user, string password)
    {
        var form = await browser.GetStringAsync("/login");
        return await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(AntiforgeryField().Match(form).Groups[1].Value),
            ["userName"] = user,
            ["password"] = password,
        }));
    }

    private static async Task<string?> ChangeAsync(HttpClient browser, string form, string current, string next)
    {
        var response = await browser.PostAsync("/account/password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(AntiforgeryField().Match(form).Groups[1].Value),
            ["currentPassword"] = current,
            ["newPassword"] = next,
            ["confirmPassword"] = next,
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location?.ToString();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
