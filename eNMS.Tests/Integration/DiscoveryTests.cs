using System.Net;
using System.Net.Http.Json;
using eNMS.Core.Data;
using eNMS.Core.Discovery;
using eNMS.Tests.TestSupport;
using eNMS.Tests.TestSupport.Lab;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Integration;

/// <summary>LLDP discovery end to end on real LLDP: the lab's FRR routers r1–r2–r3 run lldpd on their links
/// (tx-interval 5); eNMS logs in to them as the Linux user (bash, <c>lldpcli -f json show neighbors</c>).</summary>
[Collection(LabGroup.Name)]
public sealed class DiscoveryTests(LabFixture lab) : IAsyncLifetime
{
    private readonly EnmsAppFactory _app = new();
    private HttpClient _admin = null!;

    public async Task InitializeAsync() => _admin = await _app.CreateClientAsync("admin");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<int> DeviceAsync(string name, string address, string platform, string username, int port = 22)
    {
        var credential = await AutomationClient.Read(await _admin.PostAsJsonAsync("/api/credentials", new
        {
            name = $"cred-{name}",
            username,
            password = LabFixture.Password,
        }), HttpStatusCode.Created);
        var device = await AutomationClient.Read(await _admin.PostAsJsonAsync("/api/devices", new
        {
            name,
            address,
            port,
            platform,
            credentialId = (int)credential["id"]!,
        }), HttpStatusCode.Created);
        return (int)device["id"]!;
    }

    private async Task<DiscoveryPreview> PreviewAsync(params int[] seeds)
    {
        var response = await _admin.PostAsJsonAsync("/api/discovery/preview", new { seedDeviceIds = seeds });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<DiscoveryPreview>())!;
    }

    [LabFact]
    public async Task Links_between_lab_routers_are_discovered_from_lldpd_matched_by_name_and_committed_once()
    {
        lab.RequireLab();
        var r1 = await DeviceAsync("r1", "10.255.0.11", "linux", "enmshost");
        // Named with a domain and upper case: LLDP's "r2" is still this device.
        var r2 = await DeviceAsync("R2.lab.example", "10.255.0.12", "linux", "enmshost");
        // vtysh has no LLDP command: the seed fails with what the router answered.
        var vtysh = await DeviceAsync("r1-vtysh", "10.255.0.11", "frr", "enmsfrr");
        var dead = await DeviceAsync("dead", "127.0.0.1", "linux", "enmshost", port: 1);

        // lldpd sends every 5 s from start-up: wait (bounded) until both routers list their neighbours.
        DiscoveryPreview preview = null!;
        for (var attempt = 0; attempt < 20; attempt++)
        {
            preview = await PreviewAsync(r1, r2, vtysh, dead);
            if (preview.NewLinks.Count > 0 && preview.UnknownNeighbors.Count > 0)
            {
                break;
            }
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        var outcomes = preview.Seeds.ToDictionary(s => s.Device);
        Assert.False(outcomes["dead"].Reached);
        Assert.False(string.IsNullOrWhiteSpace(outcomes["dead"].Error));
        Assert.False(outcomes["r1-vtysh"].Reached);
        Assert.Contains("lldpcli", outcomes["r1-vtysh"].Error, StringComparison.Ordinal);
        Assert.True(outcomes["r1"].Reached, outcomes["r1"].Error);
        Assert.True(outcomes["R2.lab.example"].Reached, outcomes["R2.lab.example"].Error);

        // r1 eth2 – r2 eth1, listed by both: one link.
        var link = Assert.Single(preview.NewLinks);
        Assert.Equal(["R2.lab.example eth1", "r1 eth2"], new[] { $"{link.Source} {link.SourceInterface}", $"{link.Destination} {link.DestinationInterface}" }.Order(StringComparer.Ordinal));
        // r3 is not in the inventory: r2's neighbour on eth2, unknown.
        var r3 = Assert.Single(preview.UnknownNeighbors);
        Assert.Equal(("R2.lab.example", "eth2", "r3", "eth1"), (r3.SeenFrom, r3.LocalInterface, r3.Hostname, r3.Port));
        Assert.Matches("^([0-9a-f]{2}:){5}[0-9a-f]{2}$", r3.ChassisId);

        var commit = new DiscoveryCommit(preview.NewLinks);
        for (var round = 0; round < 2; round++)
        {
            var response = await _admin.PostAsJsonAsync("/api/discovery/commit", commit);
            var result = (await response.Content.ReadFromJsonAsync<DiscoveryCommitResult>())!;
            Assert.Equal(round == 0 ? (1, 0) : (0, 1), (result.Created.Count, result.Skipped.Count));
        }
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        var stored = await db.Links.SingleAsync();
        Assert.Equal(new[] { $"{r1} eth2", $"{r2} eth1" }.Order(StringComparer.Ordinal), new[] { $"{stored.SourceId} {stored.SourceInterface}", $"{stored.DestinationId} {stored.DestinationInterface}" }
            .Order(StringComparer.Ordinal));
        Assert.Empty((await PreviewAsync(r1, r2)).NewLinks);
    }

    [LabFact]
    public async Task A_lab_router_running_lldpd_but_not_in_the_inventory_is_added_as_a_device_with_its_link()
    {
        lab.RequireLab();
        var r2 = await DeviceAsync("r2", "10.255.0.12", "linux", "enmshost");
        DiscoveryPreview preview = null!;
        for (var attempt = 0; attempt < 20 && !(preview?.UnknownNeighbors.Any(n => n.Hostname == "r3") ?? false); attempt++)
        {
            if (attempt > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
            preview = await PreviewAsync(r2);
        }
        // r3's lldpd advertises its chassis MAC, a management address and the Linux it runs on.
        var r3 = preview.UnknownNeighbors.Single(n => n.Hostname == "r3");
        Assert.True(System.Net.IPAddress.TryParse(r3.ManagementAddress, out _), r3.ManagementAddress);
        Assert.Contains("Linux", r3.SystemDescription, StringComparison.Ordinal);
        Assert.Equal("linux", r3.PlatformGuess);

        var refused = await _admin.PostAsJsonAsync("/api/discovery/commit", new DiscoveryCommit([],
            [new NewDevice("r3", r3.ManagementAddress, "not-a-platform", r2, r3.LocalInterface, r3.Port, r3.ChassisId)]));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        var response = await _admin.PostAsJsonAsync("/api/discovery/commit", new DiscoveryCommit([],
            [new NewDevice("r3", r3.ManagementAddress, r3.PlatformGuess, r2, r3.LocalInterface, r3.Port, r3.ChassisId)]));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal(["r3"], (await response.Content.ReadFromJsonAsync<DiscoveryCommitResult>())!.CreatedDevices);

        await using (var db = await _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync())
        {
            var device = await db.Devices.SingleAsync(d => d.Name == "r3");
            Assert.Equal((r3.ManagementAddress, "linux", false), (device.Address, device.Platform, device.Simulated));
            var link = await db.Links.SingleAsync();
            Assert.Equal((r2, "eth2", device.Id, "eth1"), (link.SourceId, link.SourceInterface, link.DestinationId, link.DestinationInterface));
        }
        // Matched from now on (by its chassis id): no longer unknown, its link not proposed again.
        var after = await PreviewAsync(r2);
        Assert.DoesNotContain(after.UnknownNeighbors, n => n.Hostname == "r3");
        Assert.DoesNotContain(after.NewLinks, l => l.Source == "r3" || l.Destination == "r3");
    }
}
