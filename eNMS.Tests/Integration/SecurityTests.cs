using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ClosedXML.Excel;
using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Integration;

/// <summary>Sign-in, lockout, API tokens, secrets that never leave the server, the audit log and hostile input.</summary>
public sealed partial class SecurityTests : IAsyncLifetime
{
    private const string Plaintext = "Pl41ntext-Secret-Value";
    private readonly EnmsAppFactory _app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private HttpClient Browser() => _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string user, string password)
    {
        var form = await browser.GetStringAsync("/login");
        var token = AntiforgeryField().Match(form).Groups[1].Value;
        Assert.NotEmpty(token);
        return await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            ["userName"] = user,
            ["password"] = password,
            ["returnUrl"] = "/devices",
        }));
    }

    [Fact]
    public async Task Signing_in_through_the_login_form_opens_the_pages_and_signing_out_everywhere_ends_the_session()
    {
        using var browser = Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/devices")).StatusCode);

        var signedIn = await SignInAsync(browser, "admin", EnmsAppFactory.AdminPassword);
        Assert.Equal("/devices", signedIn.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/devices")).StatusCode);

        var page = await browser.GetStringAsync("/devices");
        var token = WebUtility.HtmlDecode(AntiforgeryField().Match(page).Groups[1].Value);
        var signedOut = await browser.PostAsync("/account/logout-everywhere",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/devices")).StatusCode);
    }

    [Fact]
    public async Task A_user_changes_their_own_password_with_the_current_one_and_stays_signed_in()
    {
        await _app.CreateUserAsync("newcomer", Roles.Viewer, password: "the-first-password");
        using var browser = Browser();
        await SignInAsync(browser, "newcomer", "the-first-password");
        async Task<string?> ChangeAsync(string current, string next, string confirm)
        {
            var form = await browser.GetStringAsync("/account/password");
            var response = await browser.PostAsync("/account/password", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(AntiforgeryField().Match(form).Groups[1].Value),
                ["currentPassword"] = current,
                ["newPassword"] = next,
                ["confirmPassword"] = confirm,
            }));
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            return response.Headers.Location?.ToString();
        }

        Assert.Contains("error=", await ChangeAsync("a-wrong-password", "the-second-password", "the-second-password"), StringComparison.Ordinal);
        Assert.Contains("error=The%20two%20new%20passwords%20differ", await ChangeAsync("the-first-password", "the-second-password", "another-password"), StringComparison.Ordinal);
        Assert.Contains("error=", await ChangeAsync("the-first-password", "short", "short"), StringComparison.Ordinal);
        Assert.Equal("/account/password?changed=true", await ChangeAsync("the-first-password", "the-second-password", "the-second-password"));

        // This browser got the renewed cookie; the new password signs in, the old one no longer does.
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/devices")).StatusCode);
        using var other = Browser();
        Assert.Contains("error=", (await SignInAsync(other, "newcomer", "the-first-password")).Headers.Location?.ToString() ?? "", StringComparison.Ordinal);
        Assert.Equal("/devices", (await SignInAsync(other, "newcomer", "the-second-password")).Headers.Location?.ToString());
        var audit = JsonNode.Parse(await (await _app.CreateClientAsync(Roles.Admin)).GetStringAsync("/api/audit?user=newcomer"))!.AsArray();
        Assert.Single(audit, e => (string)e!["action"]! == "password change");
        Assert.Equal(2, audit.Count(e => (string)e!["action"]! == "password change refused"));
    }

    [Fact]
    public async Task Without_a_configured_password_the_first_start_logs_a_random_admin_password_once()
    {
        await using var app = new EnmsAppFactory { AdminPasswordSetting = "" };
        using var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

        var banner = Assert.Single(app.Logs.Lines, line => line.Contains("created user 'admin' with password", StringComparison.Ordinal));
        var password = LoggedPassword().Match(banner).Groups[1].Value;
        Assert.True(password.Length >= 12, banner);
        Assert.Single(app.Logs.Lines, line => line.Contains(password, StringComparison.Ordinal));
        var signedIn = await SignInAsync(browser, "admin", password);
        Assert.Equal("/devices", signedIn.Headers.Location?.ToString());
        // A password that went through a log is replaced before anything else.
        Assert.Equal("/account/password", (await browser.GetAsync("/devices")).Headers.Location?.ToString());
    }

    [Fact]
    public async Task A_sign_in_post_without_the_antiforgery_token_is_refused()
    {
        using var browser = Browser();
        var response = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["userName"] = "admin",
            ["password"] = EnmsAppFactory.AdminPassword,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        await _app.CreateUserAsync("victim", Roles.Viewer, password: "the-right-password");
        using var browser = Browser();
        for (var i = 0; i < 5; i++)
        {
            var wrong = await SignInAsync(browser, "victim", "a-wrong-password");
            Assert.Contains("error=", wrong.Headers.Location?.ToString() ?? "", StringComparison.Ordinal);
        }
        var right = await SignInAsync(browser, "victim", "the-right-password");
        Assert.Contains("error=", right.Headers.Location?.ToString() ?? "", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/devices")).StatusCode);

        var audit = JsonNode.Parse(await (await _app.CreateClientAsync(Roles.Admin)).GetStringAsync("/api/audit?user=victim"))!.AsArray();
        Assert.Equal(6, audit.Count(e => ((string)e!["action"]!).StartsWith("sign-in failed", StringComparison.Ordinal)
            || ((string)e["action"]!).Contains("locked", StringComparison.Ordinal)));
        Assert.Contains(audit, e => ((string)e!["action"]!).Contains("locked", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_revoked_or_expired_token_is_refused()
    {
        var user = await _app.CreateUserAsync("scripter", Roles.Viewer);
        var tokens = (ApiTokens)_app.Services.GetService(typeof(ApiTokens))!;
        var (token, record) = await tokens.CreateAsync(user.Id, "ci", TimeSpan.FromDays(1), CancellationToken.None);
        using var client = _app.CreateClient(token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/devices")).StatusCode);

        Assert.True(await tokens.RevokeAsync(user.Id, record.Id, CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/devices")).StatusCode);

        using var expired = _app.CreateClient(await _app.CreateTokenAsync(user, TimeSpan.FromSeconds(-1)));
        Assert.Equal(HttpStatusCode.Unauthorized, (await expired.GetAsync("/api/devices")).StatusCode);
        using var forged = _app.CreateClient(ApiTokens.TokenPrefix + "not-a-real-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/api/devices")).StatusCode);
        // A script retrying a bad token is recorded once a minute, not at each attempt.
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/api/devices")).StatusCode);

        // Token sign-ins in the audit, by source, with the reason of each refusal and never the token's secret: the first use
        // (not each call), the revoked token, the expired one (both under their owner), and the forged one (no owner).
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        var entries = await db.AuditEntries.AsNoTracking().Where(e => EF.Functions.Like(e.Action, "sign-in%")).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(
        [
            ("scripter", "sign-in", $"source: token, token #{record.Id} 'ci'"),
            ("scripter", "sign-in failed (revoked token)", $"source: token, token #{record.Id} 'ci'"),
            ("scripter", "sign-in failed (expired token)", $"source: token, token #{record.Id + 1} 'test'"),
            ("", "sign-in failed (unknown token)", "source: token"),
        ], entries.Select(e => (e.User, e.Action, e.After)));
        Assert.DoesNotContain(entries, e => e.After!.Contains(token[ApiTokens.TokenPrefix.Length..], StringComparison.Ordinal));
    }

    [Fact]
    public async Task Only_the_hash_of_a_token_is_stored()
    {
        var user = await _app.CreateUserAsync("hashed", Roles.Viewer);
        var token = await _app.CreateTokenAsync(user);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Assert.DoesNotContain(token, DatabaseText(), StringComparison.Ordinal);
        Assert.Contains(ApiTokens.HashOf(token), DatabaseText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_credential_secret_never_appears_in_replies_logs_audit_or_the_database_file()
    {
        using var admin = await _app.CreateClientAsync(Roles.Admin);
        var replies = new StringBuilder();
        async Task<string> Keep(HttpResponseMessage response)
        {
            var body = await response.Content.ReadAsStringAsync();
            replies.Append(body);
            return body;
        }
        var created = JsonNode.Parse(await Keep(await admin.PostAsJsonAsync("/api/credentials",
            new { name = "lab", username = "netops", password = Plaintext, enableSecret = Plaintext + "-enable", privateKey = Plaintext + "-key" })))!;
        var id = (int)created["id"]!;
        await Keep(await admin.PutAsJsonAsync($"/api/credentials/{id}", new { name = "lab", username = "netops", password = Plaintext + "-2" }));
        await Keep(await admin.GetAsync("/api/credentials"));
        await Keep(await admin.GetAsync($"/api/credentials/{id}"));
        await Keep(await admin.GetAsync("/api/audit"));
        await Keep(await admin.GetAsync("/api/audit?format=csv"));
        await Keep(await admin.GetAsync("/credentials"));
        await Keep(await admin.GetAsync($"/credentials/{id}/edit"));
        var audit = JsonNode.Parse(await admin.GetStringAsync("/api/audit?kind=credential"))!.AsArray();
        Assert.Contains(audit, e => (string)e!["action"]! == "create" && ((string?)e["after"] ?? "").Contains("******", StringComparison.Ordinal));

        Assert.DoesNotContain(Plaintext, replies.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(_app.Logs.Lines, line => line.Contains(Plaintext, StringComparison.Ordinal));
        SqliteConnection.ClearAllPools();
        Assert.DoesNotContain(Plaintext, DatabaseText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_results_hide_configuration_secrets_from_users_without_secrets_read()
    {
        using var admin = await _app.CreateClientAsync(Roles.Admin);
        using var operatorClient = await _app.CreateClientAsync(Roles.Operator);
        var api = new AutomationClient(admin);
        var devices = await api.CreateDevicesAsync("r1");
        var service = await api.CreateServiceAsync("show", "test_step", new { echo = "hostname r1\nenable secret 5 $1$abc$xyz\nusername bob password 0 hunter2hunter2" });
        var run = await api.WaitAsync(await api.RunAsync(service, devices));

        var masked = await operatorClient.GetStringAsync($"/api/runs/{run.Id}/results");
        Assert.DoesNotContain("hunter2hunter2", masked, StringComparison.Ordinal);
        Assert.DoesNotContain("$1$abc$xyz", masked, StringComparison.Ordinal);
        Assert.Contains("hostname r1", masked, StringComparison.Ordinal);
        Assert.Contains("hunter2hunter2", await admin.GetStringAsync($"/api/runs/{run.Id}/results"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hostile_names_are_stored_as_text_and_rendered_harmless()
    {
        using var admin = await _app.CreateClientAsync(Roles.Admin);
        string[] names = ["<script>alert(1)</script>", "=HYPERLINK(\"http://x\",\"y\")", "x'); DROP TABLE \"Devices\";--"];
        foreach (var name in names)
        {
            var response = await admin.PostAsJsonAsync("/api/devices", new { name, address = "192.0.2.1", platform = "cisco_ios" });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        var list = JsonNode.Parse(await admin.GetStringAsync("/api/devices?filter.name=DROP"))!;
        Assert.Equal([names[2]], list["items"]!.AsArray().Select(d => (string)d!["name"]!));
        Assert.Equal(3, (int)JsonNode.Parse(await admin.GetStringAsync("/api/devices"))!["total"]!);

        var html = await admin.GetStringAsync("/devices");
        Assert.DoesNotContain("<script>alert(1)</script>", html, StringComparison.Ordinal);

        using var workbook = new XLWorkbook(await admin.GetStreamAsync("/api/inventory/export"));
        var cell = workbook.Worksheets.First().CellsUsed().Single(c => c.GetString().Contains("HYPERLINK", StringComparison.Ordinal));
        Assert.False(cell.HasFormula);

        var csv = await admin.GetStringAsync("/api/audit?format=csv");
        Assert.DoesNotContain(",\"=HYPERLINK", csv, StringComparison.Ordinal);
        Assert.Contains("\"'=HYPERLINK", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_response_carries_the_security_headers()
    {
        using var browser = Browser();
        var response = await browser.GetAsync("/login");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = string.Join(" ", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", string.Join("", response.Headers.GetValues("X-Content-Type-Options")));
        Assert.True(response.Headers.Contains("Referrer-Policy"));
    }

    [Fact]
    public async Task Changes_made_through_the_api_are_in_the_audit_log_under_the_acting_user()
    {
        var editor = await _app.CreateUserAsync("auditor-subject", Roles.Editor);
        using var client = _app.CreateClient(await _app.CreateTokenAsync(editor));
        var created = await client.PostAsJsonAsync("/api/devices", new { name = "audited", address = "192.0.2.9", platform = "cisco_ios" });
        var id = (int)(await AutomationClient.Read(created, HttpStatusCode.Created))["id"]!;
        await client.PutAsJsonAsync($"/api/devices/{id}", new { name = "audited", address = "192.0.2.10", platform = "cisco_ios" });
        await client.DeleteAsync($"/api/devices/{id}");

        using var admin = await _app.CreateClientAsync(Roles.Admin);
        var entries = JsonNode.Parse(await admin.GetStringAsync("/api/audit?user=auditor-subject&kind=device"))!.AsArray();
        var actions = entries.Select(e => (string)e!["action"]!).ToList();
        Assert.Contains("create", actions);
        Assert.Contains("update", actions);
        Assert.Contains("delete", actions);
        var update = entries.First(e => (string)e!["action"]! == "update")!;
        Assert.Contains("192.0.2.9", (string)update["before"]!, StringComparison.Ordinal);
        Assert.Contains("192.0.2.10", (string)update["after"]!, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/audit")).StatusCode);
        // Using a token touches its last-used time: that is bookkeeping, not a change worth a line.
        var tokenEntries = JsonNode.Parse(await admin.GetStringAsync("/api/audit?kind=api%20token"))!.AsArray();
        Assert.DoesNotContain(tokenEntries, e => (string)e!["action"]! == "update");
    }

    private string DatabaseText()
    {
        var text = new StringBuilder();
        foreach (var file in Directory.GetFiles(_app.DataDirectory, "enms.db*"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.Latin1);
            text.Append(reader.ReadToEnd());
        }
        return text.ToString();
    }

    [GeneratedRegex(@"with password\s+(\S+)")]
    private static partial Regex LoggedPassword();

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
