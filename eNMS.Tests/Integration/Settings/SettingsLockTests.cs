using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Integration.Settings;

/// <summary>A setting that the host's configuration sets wins over the database: shown locked with its source, and
/// refused when changed through the API.</summary>
public sealed class SettingsLockTests : IAsyncLifetime
{
    private const string Locked = "https://locked.example.org/{z}/{x}/{y}.png";

    private readonly EnmsAppFactory _app = new()
    {
        Settings = new Dictionary<string, string> { ["Views:TileServerUrl"] = Locked, ["Automation:Outbound:AllowedNetworks:0"] = "10.9.0.0/16" },
    };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_setting_set_by_another_source_is_shown_locked_with_that_source_and_its_change_refused()
    {
        using var admin = await _app.CreateClientAsync(Roles.Admin);
        var settings = JsonNode.Parse(await admin.GetStringAsync("/api/admin/settings"))!.AsArray().Select(s => s!.AsObject()).ToList();
        var tiles = settings.Single(s => (string)s["key"]! == "Views:TileServerUrl");
        Assert.Equal(Locked, (string)tiles["value"]!);
        Assert.False(string.IsNullOrEmpty((string?)tiles["lockedBy"]));
        var list = settings.Single(s => (string)s["key"]! == "Automation:Outbound:AllowedNetworks");
        Assert.Equal("10.9.0.0/16", (string)list["value"]!);
        Assert.NotNull((string?)list["lockedBy"]);
        Assert.Null((string?)settings.Single(s => (string)s["key"]! == "Automation:Smtp:Host")["lockedBy"]);

        var refused = await admin.PutAsJsonAsync("/api/admin/settings", new { values = new Dictionary<string, string?> { ["Views:TileServerUrl"] = "https://other.example.org/{z}/{x}/{y}.png" } });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var message = (string)JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["errors"]!["Views:TileServerUrl"]![0]!;
        Assert.Contains("Tile server URL (Views:TileServerUrl) is set by", message, StringComparison.Ordinal);
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        Assert.Empty(await db.StoredSettings.ToListAsync());
        Assert.Empty(await db.AuditEntries.Where(e => e.Action == "setting change").ToListAsync());
        Assert.Equal(Locked, _app.Services.GetRequiredService<IConfiguration>()["Views:TileServerUrl"]);
    }
}
