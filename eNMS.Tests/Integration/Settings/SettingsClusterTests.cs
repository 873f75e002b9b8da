using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using eNMS.Core.Automation.Handlers;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace eNMS.Tests.Integration.Settings;

/// <summary>Two nodes on one PostgreSQL database (one in-process, one a process of its own, sharing the key ring): a
/// setting changed on either is applied on the other within seconds, without a restart.</summary>
[Collection(PostgresTests.Name)]
public sealed class SettingsClusterTests(PostgresServer postgres)
{
    [RequiresFact("postgres")]
    public async Task A_setting_changed_on_one_node_is_applied_on_the_other_within_seconds()
    {
        var database = postgres.NewDatabase();
        await using var nodeA = new EnmsAppFactory(database) { Settings = new Dictionary<string, string> { ["Scheduling:Node"] = "settings-a" } };
        var admin = await nodeA.CreateUserAsync("cluster-settings-admin", Roles.Admin);
        using var clientA = nodeA.CreateClient(await nodeA.CreateTokenAsync(admin));
        await using var nodeB = new AppProcess("settings-b", database, nodeA.DataDirectory, EnmsAppFactory.AdminPassword);
        await nodeB.WaitReadyAsync(TimeSpan.FromMinutes(3));
        using var clientB = new HttpClient { BaseAddress = new Uri(nodeB.BaseUrl) };
        clientB.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await nodeA.CreateTokenAsync(admin));

        // A → B: node B's configuration (what GET shows as the value) and its CSP (a consumer) follow.
        const string Tiles = "https://tiles.cluster.example.org/{z}/{x}/{y}.png";
        await AutomationClient.Read(await clientA.PutAsJsonAsync("/api/admin/settings",
            new { values = new Dictionary<string, string?> { ["Views:TileServerUrl"] = Tiles } }), System.Net.HttpStatusCode.OK);
        await EventuallyAsync(async () => await ValueAsync(clientB, "Views:TileServerUrl") == Tiles, "node B to apply the tile server", nodeB);
        using (var page = await clientB.GetAsync("/login"))
        {
            Assert.Contains("https://tiles.cluster.example.org", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        }

        // B → A: node A's outbound guard lets the new network through.
        var outbound = nodeA.Services.GetRequiredService<OutboundHttp>();
        Assert.NotNull(outbound.Refusal(System.Net.IPAddress.Parse("10.20.1.1")));
        await AutomationClient.Read(await clientB.PutAsJsonAsync("/api/admin/settings",
            new { values = new Dictionary<string, string?> { ["Automation:Outbound:AllowedNetworks"] = "10.20.0.0/16" } }), System.Net.HttpStatusCode.OK);
        await EventuallyAsync(() => Task.FromResult(outbound.Refusal(System.Net.IPAddress.Parse("10.20.1.1")) is null), "node A to apply the allow list", nodeB);
        Assert.Equal(["10.20.0.0/16"], nodeA.Services.GetRequiredService<IOptionsMonitor<OutboundOptions>>().CurrentValue.AllowedNetworks);
    }

    private static async Task<string?> ValueAsync(HttpClient client, string key) =>
        (string?)JsonNode.Parse(await client.GetStringAsync("/api/admin/settings"))!.AsArray().Single(s => (string)s!["key"]! == key)!["value"];

    /// <summary>Polls until the condition holds; the bound only decides when waiting has become a hang (the refresh is every 2 s).</summary>
    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what, AppProcess node)
    {
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(60);
        while (!await condition())
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"waited in vain for {what}\n{node.Output}");
            await Task.Delay(100);
        }
    }
}
