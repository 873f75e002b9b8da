using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using Microsoft.Data.Sqlite;

namespace eNMS.Tests.Integration;

/// <summary>Secret service parameters: encrypted at rest, masked in replies, left out of exports and the audit,
/// decrypted only for a run.</summary>
public sealed class SecretParameterTests : IAsyncLifetime
{
    private const string Token = "Bearer Sekr3t-Header-Value";
    private const string Marked = "marked-Sekr3t-line";
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
        Assert.Contains(await api.ResultsAsync(run.Id), r => r.Output.Contains(Marked, StringComparison.Ordinal));

        // Saved back as read (masked), the secrets stay what they were.
        var read = JsonNode.Parse(await editor.GetStringAsync($"/api/services/{step}"))!;
        read["description"] = "edited";
        Assert.True((await editor.PutAsJsonAsync($"/api/services/{step}", read)).IsSuccessStatusCode);
        var again = await api.WaitAsync(await api.RunAsync(step, devices));
        Assert.Contains(await api.ResultsAsync(again.Id), r => r.Output.Contains(Marked, StringComparison.Ordinal));

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
