using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Handlers;
using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace eNMS.Tests.Integration.Settings;

/// <summary>GET/PUT /api/admin/settings: validation that names the setting, locks by other sources, the SMTP password
/// (encrypted, never returned nor audited), one audit entry per change, admins only, and changes used at once.</summary>
public sealed class SettingsApiTests : IAsyncLifetime
{
    private const string Tiles = "Views:TileServerUrl";
    private readonly EnmsAppFactory _app = new();
    private HttpClient _admin = default!;

    public async Task InitializeAsync() =>
        _admin = _app.CreateClient(await _app.CreateTokenAsync(await _app.CreateUserAsync("settings-admin", Roles.Admin)));

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _app.DisposeAsync();
    }

    private static Task<HttpResponseMessage> PutAsync(HttpClient client, Dictionary<string, string?> values) =>
        client.PutAsJsonAsync("/api/admin/settings", new { values });

    private async Task<JsonObject> SettingAsync(string key) =>
        JsonNode.Parse(await _admin.GetStringAsync("/api/admin/settings"))!.AsArray().Select(s => s!.AsObject()).Single(s => (string)s["key"]! == key);

    private async Task<List<AuditEntry>> AuditAsync()
    {
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        return await db.AuditEntries.AsNoTracking().Where(e => e.Action == "setting change").OrderBy(e => e.Id).ToListAsync();
    }

    [Fact]
    public async Task An_invalid_value_is_refused_with_a_message_naming_the_setting_and_nothing_is_saved()
    {
        var response = await PutAsync(_admin, new()
        {
            [Tiles] = "ftp://tiles.example.org/{z}/{x}/{y}.png",
            ["Automation:Outbound:TimeoutSeconds"] = "0",
            ["Automation:Outbound:AllowedNetworks"] = "10.0.0.0/8\n10.1.0.0/33",
            ["Automation:Smtp:From"] = "not an address",
            ["Automation:Smtp:Host"] = "mail.example.net",
            ["No:Such:Setting"] = "1",
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        Assert.Contains("Tile server URL (Views:TileServerUrl)", (string)errors[Tiles]![0]!, StringComparison.Ordinal);
        Assert.Contains("Timeout (seconds) (Automation:Outbound:TimeoutSeconds)", (string)errors["Automation:Outbound:TimeoutSeconds"]![0]!, StringComparison.Ordinal);
        Assert.Contains("'10.1.0.0/33'", (string)errors["Automation:Outbound:AllowedNetworks"]![0]!, StringComparison.Ordinal);
        Assert.Contains("From address (Automation:Smtp:From)", (string)errors["Automation:Smtp:From"]![0]!, StringComparison.Ordinal);
        Assert.Contains("No:Such:Setting", (string)errors["No:Such:Setting"]![0]!, StringComparison.Ordinal);
        Assert.False(errors.ContainsKey("Automation:Smtp:Host"));
        // All or nothing: the valid host was not saved either.
        Assert.False((bool)(await SettingAsync("Automation:Smtp:Host"))["stored"]!);
        Assert.Empty(await AuditAsync());
        Assert.Equal("", _app.Services.GetRequiredService<IOptionsMonitor<SmtpOptions>>().CurrentValue.Host);
    }

    [Fact]
    public async Task Each_change_is_audited_once_with_its_old_and_new_value_and_an_unchanged_value_not_at_all()
    {
        var first = await PutAsync(_admin, new() { ["Automation:Smtp:Host"] = "mail.example.net", ["Automation:Smtp:Port"] = "587" });
        Assert.Equal(2, (int)(await AutomationClient.Read(first, HttpStatusCode.OK))["changed"]!);
        Assert.Equal(["(default) -> mail.example.net", "(default) -> 587"], (await AuditAsync()).Select(e => e.After));
        Assert.All(await AuditAsync(), e => Assert.Equal(("settings-admin", "setting"), (e.User, e.TargetKind)));

        var same = await PutAsync(_admin, new() { ["Automation:Smtp:Host"] = " mail.example.net " });
        Assert.Equal(0, (int)(await AutomationClient.Read(same, HttpStatusCode.OK))["changed"]!);
        Assert.Equal(2, (await AuditAsync()).Count);

        await AutomationClient.Read(await PutAsync(_admin, new() { ["Automation:Smtp:Port"] = "465", ["Automation:Smtp:Host"] = null }), HttpStatusCode.OK);
        var audit = await AuditAsync();
        Assert.Equal(["587 -> 465", "mail.example.net -> (default)"], audit.Skip(2).Select(e => e.After));
        Assert.Equal(["Automation:Smtp:Port", "Automation:Smtp:Host"], audit.Skip(2).Select(e => e.TargetName));
        var port = await SettingAsync("Automation:Smtp:Port");
        Assert.Equal(("465", "settings-admin"), ((string)port["value"]!, (string)port["changedBy"]!));
        Assert.False((bool)(await SettingAsync("Automation:Smtp:Host"))["stored"]!);
        Assert.Equal(465, _app.Services.GetRequiredService<IOptionsMonitor<SmtpOptions>>().CurrentValue.Port);
    }

    [Fact]
    public async Task The_smtp_password_is_encrypted_at_rest_and_never_in_a_reply_or_the_audit()
    {
        const string Password = "smtp-secret-7f3a";
        const string Next = "smtp-secret-9b1c";
        var set = await PutAsync(_admin, new() { ["Automation:Smtp:Password"] = Password });
        var reply = await set.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.DoesNotContain(Password, reply, StringComparison.Ordinal);
        var listed = await _admin.GetStringAsync("/api/admin/settings");
        Assert.DoesNotContain(Password, listed, StringComparison.Ordinal);
        var setting = await SettingAsync("Automation:Smtp:Password");
        Assert.True((bool)setting["isSet"]!);
        Assert.Null(setting["value"]);
        // The consumer gets it in clear, the database holds it encrypted.
        Assert.Equal(Password, _app.Services.GetRequiredService<IOptionsMonitor<SmtpOptions>>().CurrentValue.Password);
        await using (var db = await _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync())
        {
            var stored = await db.StoredSettings.SingleAsync(s => s.Key == "Automation:Smtp:Password");
            Assert.DoesNotContain(Password, stored.Value, StringComparison.Ordinal);
            Assert.Equal(Password, _app.Services.GetRequiredService<SecretProtector>().Unprotect(stored.Value));
        }

        await AutomationClient.Read(await PutAsync(_admin, new() { ["Automation:Smtp:Password"] = Next }), HttpStatusCode.OK);
        await AutomationClient.Read(await PutAsync(_admin, new() { ["Automation:Smtp:Password"] = null }), HttpStatusCode.OK);
        var audit = await AuditAsync();
        Assert.Equal(["set", "changed", "cleared"], audit.Select(e => e.After));
        Assert.All(audit, e => Assert.DoesNotContain("smtp-secret", $"{e.Before}{e.After}{e.TargetName}", StringComparison.Ordinal));
        await using (var db = await _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync())
        {
            Assert.DoesNotContain(await db.AuditEntries.Select(e => e.Before + e.After).ToListAsync(), t => t.Contains("smtp-secret", StringComparison.Ordinal));
        }
        Assert.Equal("", _app.Services.GetRequiredService<IOptionsMonitor<SmtpOptions>>().CurrentValue.Password);
    }

    [Fact]
    public async Task Only_admins_read_or_change_the_settings()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.CreateClient().GetAsync("/api/admin/settings")).StatusCode);
        foreach (var role in new[] { Roles.Viewer, Roles.Operator, Roles.Editor })
        {
            using var client = await _app.CreateClientAsync(role);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/admin/settings")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await PutAsync(client, new() { [Tiles] = "https://tiles.example.org/{z}/{x}/{y}.png" })).StatusCode);
        }
        Assert.Empty(await AuditAsync());
        Assert.False((bool)(await SettingAsync(Tiles))["stored"]!);
    }

    [Fact]
    public async Task A_new_allow_list_and_tile_server_are_used_by_their_consumers_without_a_restart()
    {
        await using var server = await LoopbackHttp.StartAsync(response =>
        {
            response.StatusCode = 204;
            return Task.CompletedTask;
        });
        var http = _app.Services.GetRequiredService<OutboundHttp>();
        Task<HttpResponseMessage> CallAsync() => http.SendAsync(server.Url, u => new HttpRequestMessage(HttpMethod.Get, u), CancellationToken.None);
        var refused = await Assert.ThrowsAsync<OutboundBlockedException>(CallAsync);
        Assert.Contains("Automation:Outbound:AllowedNetworks", refused.Message, StringComparison.Ordinal);
        using var before = await _admin.GetAsync("/login");
        Assert.DoesNotContain("tiles.example.org", before.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        await AutomationClient.Read(await PutAsync(_admin, new()
        {
            ["Automation:Outbound:AllowedNetworks"] = "192.0.2.0/24, 127.0.0.1/32",
            [Tiles] = "https://tiles.example.org/{z}/{x}/{y}.png",
        }), HttpStatusCode.OK);

        using (var allowed = await CallAsync())
        {
            Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        }
        using var after = await _admin.GetAsync("/login");
        Assert.Contains("img-src 'self' data: https://tiles.example.org;", after.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("192.0.2.0/24\n127.0.0.1/32", (string)(await SettingAsync("Automation:Outbound:AllowedNetworks"))["value"]!);

        // Back to the default: refused again.
        await AutomationClient.Read(await PutAsync(_admin, new() { ["Automation:Outbound:AllowedNetworks"] = null }), HttpStatusCode.OK);
        await Assert.ThrowsAsync<OutboundBlockedException>(CallAsync);
    }

    [Fact]
    public async Task A_retention_set_on_the_page_is_the_policy_the_purge_applies_without_a_restart()
    {
        Assert.False((bool)(await AutomationClient.Read(await _admin.GetAsync("/api/admin/retention"), HttpStatusCode.OK))["enabled"]!);
        var refused = await AutomationClient.Read(await PutAsync(_admin, new() { ["Retention:RunDays"] = "-3" }), HttpStatusCode.BadRequest);
        Assert.Contains("Retention:RunDays", refused.ToJsonString(), StringComparison.Ordinal);

        await AutomationClient.Read(await PutAsync(_admin, new() { ["Retention:RunDays"] = "30", ["Retention:RunsPerService"] = "100" }), HttpStatusCode.OK);

        var policy = _app.Services.GetRequiredService<RunRetention>().Policy;
        Assert.Equal((30, 100, true), (policy.RunDays, policy.RunsPerService, policy.Enabled));
        var status = await AutomationClient.Read(await _admin.GetAsync("/api/admin/retention"), HttpStatusCode.OK);
        Assert.Equal((30, 100), ((int)status["runDays"]!, (int)status["runsPerService"]!));
    }
}
