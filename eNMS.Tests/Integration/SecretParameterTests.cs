using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Integration;

/// <summary>Secret service parameters: encrypted at rest, masked in replies, left out of exports and the audit,
/// decrypted only for a run.</summary>
public sealed class SecretParameterTests : IAsyncLifetime
{
    private const string Token = "Bearer Sekr3t-Header-Value";
    private const string Marked = "marked-Sekr3t-line";
    /// <summary>The step echoes its secret parameter: the result holds the redactor's mask exactly where the decrypted
    /// value was, which proves the handler got the value (the stored ciphertext or the API's "******" would show as
    /// such) and that it never lands in a result.</summary>
    private const string UsedThenMasked = "********";
    private const string Password = "Sekr3t-Password-Field";
    private readonly EnmsAppFactory _app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Secret_parameters_are_encrypted_masked_left_out_of_exports_and_the_audit_yet_used_by_runs()
    {
        using var admin = await _app.CreateClientAsync(Roles.Admin);
        using var editor = await _app.CreateClientAsync(Roles.Editor);
        using var viewer = await _app.CreateClientAsync(Roles.Viewer);
        var api = new AutomationClient(editor);
        var devices = await api.CreateDevicesAsync("r1");
        var step = await api.CreateServiceAsync("with secrets", "test_step",
            new { echo = Marked, password = Password, headers = new Dictionary<string, string> { ["Authorization"] = Token, ["Accept"] = "text/plain" } },
            new { secretParameters = new[] { "echo" } });
        var workflow = await api.CreateWorkflowAsync("carrier", [("a", step)], []);
        var replies = new StringBuilder();

        foreach (var client in new[] { viewer, editor, admin })
        {
            var service = JsonNode.Parse(await client.GetStringAsync($"/api/services/{step}"))!;
            replies.Append(service.ToJsonString());
            Assert.Equal("******", (string)service["parameters"]!["echo"]!);
            Assert.Equal("******", (string)service["parameters"]!["password"]!);
            Assert.Equal("******", (string)service["parameters"]!["headers"]!["Authorization"]!);
            Assert.Equal("text/plain", (string)service["parameters"]!["headers"]!["Accept"]!);
        }
        var export = await admin.GetStringAsync($"/api/services/{workflow}/export");
        replies.Append(export);
        var removed = JsonNode.Parse(export)!["removedSecrets"]!.AsArray().Select(n => (string)n!).ToList();
        Assert.Contains("with secrets: echo", removed);
        Assert.Contains("with secrets: password", removed);
        Assert.Contains("with secrets: headers.Authorization", removed);

        // Used decrypted at run time.
        var run = await api.WaitAsync(await api.RunAsync(step, devices));
        Assert.Contains(await api.ResultsAsync(run.Id), r => r.Output == UsedThenMasked);

        // Saved back as read (masked), the secrets stay what they were.
        var read = JsonNode.Parse(await editor.GetStringAsync($"/api/services/{step}"))!;
        read["description"] = "edited";
        Assert.True((await editor.PutAsJsonAsync($"/api/services/{step}", read)).IsSuccessStatusCode);
        var again = await api.WaitAsync(await api.RunAsync(step, devices));
        Assert.Contains(await api.ResultsAsync(again.Id), r => r.Output == UsedThenMasked);

        replies.Append(await admin.GetStringAsync("/api/audit?kind=service"));
        replies.Append(await admin.GetStringAsync("/api/audit?format=csv"));
        replies.Append(await SignedInPageAsync($"/services/{step}/edit"));
        foreach (var secret in new[] { Token, Marked, Password })
        {
            Assert.DoesNotContain(secret, replies.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(_app.Logs.Lines, line => line.Contains(secret, StringComparison.Ordinal));
        }
        SqliteConnection.ClearAllPools();
        var database = DatabaseText();
        Assert.DoesNotContain(Token, database, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, database, StringComparison.Ordinal);
        Assert.DoesNotContain("\"echo\":\"" + Marked, database, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/services")).StatusCode);
    }

    /// <summary>Issue 17: a service saved before secret parameters were encrypted keeps them in clear in the database.
    /// The next start encrypts them (once: a later start changes nothing), writes an audit entry that names the service
    /// but no value, and runs still use the decrypted values.</summary>
    [Fact]
    public async Task Secret_parameters_stored_in_clear_by_an_older_build_are_encrypted_once_at_the_next_start()
    {
        var directory = Directory.CreateTempSubdirectory("enms-clear-secrets-").FullName;
        try
        {
            int step;
            List<int> devices;
            await using (var older = new EnmsAppFactory(dataDirectory: directory))
            {
                using var editor = await older.CreateClientAsync(Roles.Editor);
                var api = new AutomationClient(editor);
                devices = await api.CreateDevicesAsync("r1");
                step = await api.CreateServiceAsync("saved long ago", "test_step", new { echo = "placeholder" }, new { secretParameters = new[] { "echo" } });
                // What an older build stored: the same parameters in clear.
                var clear = new JsonObject
                {
                    ["echo"] = Marked,
                    ["password"] = Password,
                    ["headers"] = new JsonObject { ["Authorization"] = Token, ["Accept"] = "text/plain" },
                }.ToJsonString();
                await using var db = await Database(older).CreateDbContextAsync();
                await db.Services.Where(s => s.Id == step).ExecuteUpdateAsync(u => u.SetProperty(s => s.Parameters, clear));
            }

            string encrypted;
            await using (var restarted = new EnmsAppFactory(dataDirectory: directory))
            {
                using var editor = await restarted.CreateClientAsync(Roles.Editor);
                await using var db = await Database(restarted).CreateDbContextAsync();
                encrypted = (await db.Services.AsNoTracking().SingleAsync(s => s.Id == step)).Parameters;
                foreach (var secret in new[] { Token, Marked, Password })
                {
                    Assert.DoesNotContain(secret, encrypted, StringComparison.Ordinal);
                }
                Assert.Contains("text/plain", encrypted, StringComparison.Ordinal);
                var entries = await db.AuditEntries.AsNoTracking().Where(a => a.Action == "encrypt secret parameters").ToListAsync();
                var entry = Assert.Single(entries);
                Assert.Contains("saved long ago", entry.After, StringComparison.Ordinal);
                Assert.DoesNotContain(await db.AuditEntries.AsNoTracking().ToListAsync(),
                    a => new[] { Token, Marked, Password }.Any(secret => $"{a.Before}{a.After}".Contains(secret, StringComparison.Ordinal)));

                var api = new AutomationClient(editor);
                var run = await api.WaitAsync(await api.RunAsync(step, devices));
                Assert.Contains(await api.ResultsAsync(run.Id), r => r.Output == UsedThenMasked);
            }

            await using (var again = new EnmsAppFactory(dataDirectory: directory))
            {
                await using var db = await Database(again).CreateDbContextAsync();
                Assert.Equal(encrypted, (await db.Services.AsNoTracking().SingleAsync(s => s.Id == step)).Parameters);
                Assert.Single(await db.AuditEntries.AsNoTracking().Where(a => a.Action == "encrypt secret parameters").ToListAsync());
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static IDbContextFactory<EnmsDbContext> Database(EnmsAppFactory app) =>
        app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>();

    /// <summary>The page as the admin's browser gets it (prerendered, so the fields' values are in the HTML).</summary>
    private async Task<string> SignedInPageAsync(string page)
    {
        using var browser = _app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = true });
        var form = await browser.GetStringAsync("/login");
        var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"").Groups[1].Value;
        await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            ["userName"] = "admin",
            ["password"] = EnmsAppFactory.AdminPassword,
        }));
        var html = await browser.GetStringAsync(page);
        Assert.Contains("secret-parameters", html, StringComparison.Ordinal);
        return html;
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
}
