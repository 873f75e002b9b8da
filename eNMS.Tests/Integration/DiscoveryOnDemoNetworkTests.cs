using System.Net;
using System.Net.Http.Json;
using eNMS.Core.Data;
using eNMS.Core.Discovery;
using eNMS.Core.Inventory;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Integration;

/// <summary>LLDP discovery through the API on the demo network, whose simulated devices answer <c>show lldp neighbors</c>
/// (IOS, NX-OS, EOS, Junos) and <c>lldpcli -f json show neighbors</c> (FRR) with the demo's own cabling.</summary>
public sealed class DiscoveryOnDemoNetworkTests : IAsyncLifetime
{
    private readonly EnmsAppFactory _app = new(seedDemo: true);
    private HttpClient _admin = null!;
    private Dictionary<string, int> _devices = null!;

    public async Task InitializeAsync()
    {
        _admin = await _app.CreateClientAsync(Roles.Admin);
        await using var db = await DbAsync();
        _devices = await db.Devices.ToDictionaryAsync(d => d.Name, d => d.Id);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private Task<EnmsDbContext> DbAsync() => _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();

    private async Task<DiscoveryPreview> PreviewAsync(HttpClient client, params string[] seeds)
    {
        var response = await client.PostAsJsonAsync("/api/discovery/preview", new { seedDeviceIds = seeds.Select(s => _devices[s]) });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<DiscoveryPreview>())!;
    }

    [Fact]
    public async Task A_preview_without_seeds_with_too_many_or_with_unknown_ids_is_refused()
    {
        foreach (var ids in new[] { Array.Empty<int>(), Enumerable.Range(1, TopologyDiscovery.MaxSeeds + 1).ToArray(), [999_999] })
        {
            var response = await _admin.PostAsJsonAsync("/api/discovery/preview", new { seedDeviceIds = ids });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
    }

    [Fact]
    public async Task Readers_may_not_preview_since_a_preview_connects_to_devices()
    {
        var viewer = await _app.CreateClientAsync(Roles.Viewer);
        var response = await viewer.PostAsJsonAsync("/api/discovery/preview", new { seedDeviceIds = new[] { _devices["paris-core"] } });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task An_unreachable_seed_is_reported_with_its_reason_and_the_others_still_read()
    {
        await using (var db = await DbAsync())
        {
            // Loopback port 1: nothing listens, the connection is refused at once.
            var device = new Device { Name = "dead-seed", Address = "127.0.0.1", Port = 1, Platform = "cisco_ios" };
            db.Devices.Add(device);
            await db.SaveChangesAsync();
            _devices[device.Name] = device.Id;
        }
        var preview = await PreviewAsync(_admin, "dead-seed", "paris-core");
        var dead = preview.Seeds.Single(s => s.Device == "dead-seed");
        Assert.False(dead.Reached);
        Assert.False(string.IsNullOrWhiteSpace(dead.Error));
        var paris = preview.Seeds.Single(s => s.Device == "paris-core");
        Assert.True(paris.Reached, paris.Error);
        Assert.Equal(5, paris.Neighbors);
    }

    [Fact]
    public async Task A_neighbour_matching_no_device_is_listed_as_unknown()
    {
        await using (var db = await DbAsync())
        {
            await db.Devices.Where(d => d.Name == "london-core").ExecuteDeleteAsync();
        }
        var preview = await PreviewAsync(_admin, "paris-core");
        var london = Assert.Single(preview.UnknownNeighbors);
        Assert.Equal(("paris-core", "london-core", "Gi0/0", "ge-0/0/0"), (london.SeenFrom, london.Hostname, london.LocalInterface, london.Port));
        Assert.Empty(preview.NewLinks);
    }

    [Fact]
    public async Task A_new_device_with_a_refused_field_is_refused_whole_and_nothing_is_written()
    {
        var seen = _devices["amsterdam-core"];
        foreach (var (device, expected) in new[]
        {
            (new NewDevice("x", "999.1.1.1", "juniper_junos", seen, "eth1", "ge-0/0/1"), "not an IPv4 address"),
            (new NewDevice("y", "192.0.2.99", "no_such_os", seen, "eth1", "ge-0/0/1"), "not a platform eNMS has a driver for"),
            (new NewDevice("", "192.0.2.99", "", seen, "eth1", "ge-0/0/1"), "New device ''"),
            (new NewDevice("z", "192.0.2.99", "", seen, "eth1\u0007", "ge-0/0/1"), "no control characters"),
        })
        {
            var response = await _admin.PostAsJsonAsync("/api/discovery/commit", new DiscoveryCommit([], [device]));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        await using var db = await DbAsync();
        Assert.Equal(_devices.Count, await db.Devices.CountAsync());
        Assert.Equal(0, await db.AuditEntries.CountAsync(e => e.Action == "discovery commit"));
    }

    [Fact]
    public async Task An_unknown_neighbour_becomes_a_simulated_device_with_its_link_once_and_is_matched_from_then_on()
    {
        await using (var db = await DbAsync())
        {
            await db.Devices.Where(d => d.Name == "london-core").ExecuteDeleteAsync();
        }
        // amsterdam (FRR) reads lldpd's JSON: the neighbour's management address and system description come with it.
        var preview = await PreviewAsync(_admin, "amsterdam-core");
        var london = Assert.Single(preview.UnknownNeighbors);
        Assert.Equal(("london-core", "192.0.2.11", "juniper_junos"), (london.Hostname, london.ManagementAddress, london.PlatformGuess));
        Assert.Contains("JUNOS", london.SystemDescription, StringComparison.Ordinal);

        var wanted = new NewDevice(london.Hostname, london.ManagementAddress, london.PlatformGuess, london.SeenFromId, london.LocalInterface, london.Port, london.ChassisId);
        var first = await CommitAsync(new DiscoveryCommit([], [wanted]));
        Assert.Equal(["london-core"], first.CreatedDevices);
        Assert.Single(first.Created);
        var second = await CommitAsync(new DiscoveryCommit([], [wanted]));
        Assert.Empty(second.CreatedDevices);
        Assert.Empty(second.Created);
        Assert.Contains("already in the inventory", Assert.Single(second.Skipped), StringComparison.Ordinal);

        await using (var db = await DbAsync())
        {
            var device = await db.Devices.SingleAsync(d => d.Name == "london-core");
            Assert.Equal(("192.0.2.11", "juniper_junos", true), (device.Address, device.Platform, device.Simulated));
            Assert.Equal(london.ChassisId, device.CustomProperties.Single(p => p.Name == "chassis_id").Value);
            var link = await db.Links.SingleAsync(l => l.DestinationId == device.Id);
            Assert.Equal((_devices["amsterdam-core"], london.LocalInterface, london.Port), (link.SourceId, link.SourceInterface, link.DestinationInterface));
            var audit = await db.AuditEntries.SingleAsync(e => e.Action == "discovery commit");
            Assert.Contains("london-core", audit.After, StringComparison.Ordinal);
            Assert.True(await db.AuditEntries.AnyAsync(e => e.TargetKind == "device" && e.TargetName == "london-core"));
            _devices["london-core"] = device.Id;
        }
        // The new device is reachable (simulated like its neighbour) and known: its link to amsterdam is in place; its
        // other cables (deleted with the old london-core) are new links now, to devices the inventory has.
        var after = await PreviewAsync(_admin, "amsterdam-core", "london-core");
        Assert.All(after.Seeds, s => Assert.True(s.Reached, $"{s.Device}: {s.Error}"));
        Assert.Equal(["dublin-core", "edinburgh-core", "paris-core"], after.NewLinks.Select(l => l.Source == "london-core" ? l.Destination : l.Source).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(after.UnknownNeighbors, n => n.Hostname == "london-core" || n.SeenFrom == "amsterdam-core");
    }

    [Fact]
    public async Task A_Cisco_neighbour_is_read_by_LLDP_and_CDP_as_one_with_the_address_and_platform_only_CDP_gives()
    {
        await using (var db = await DbAsync())
        {
            await db.Devices.Where(d => d.Name == "lyon-core").ExecuteDeleteAsync();
        }
        var preview = await PreviewAsync(_admin, "paris-core");
        // paris's five cables, each once though two protocols list its Cisco neighbours.
        Assert.Equal(5, preview.Seeds.Single().Neighbors);
        var lyon = Assert.Single(preview.UnknownNeighbors);
        Assert.Equal(("lyon-core", "192.0.2.34", "cisco_ios"), (lyon.Hostname, lyon.ManagementAddress, lyon.PlatformGuess));
    }

    [Fact]
    public async Task The_demo_cabling_is_confirmed_whole_with_nothing_to_change()
    {
        var preview = await PreviewAsync(_admin, [.. _devices.Keys]);
        Assert.All(preview.Seeds, s => Assert.True(s.Reached, $"{s.Device}: {s.Error}"));
        Assert.Empty(preview.NewLinks);
        Assert.Empty(preview.ChangedLinks);
        Assert.Empty(preview.UnknownNeighbors);
        Assert.Empty(preview.UnseenLinks);
    }

    [Fact]
    public async Task Other_interfaces_are_a_change_a_missing_link_is_new_an_unconfirmed_one_is_reported_and_a_second_commit_adds_nothing()
    {
        await using (var db = await DbAsync())
        {
            var london = await db.Links.SingleAsync(l => l.Name == "paris-london");
            london.SourceInterface = "GigabitEthernet0/9";
            await db.Links.Where(l => l.Name == "paris-brussels").ExecuteDeleteAsync();
            db.Links.Add(new Link { Name = "paris-rome", SourceId = _devices["paris-core"], DestinationId = _devices["rome-core"], SourceInterface = "Gi0/7" });
            await db.SaveChangesAsync();
        }
        // From both ends of paris-brussels: still one new link (as the first seed by name, brussels, saw it).
        var preview = await PreviewAsync(_admin, "paris-core", "brussels-core");
        var added = Assert.Single(preview.NewLinks);
        Assert.Equal(("brussels-core", "Gi0/0", "paris-core", "GigabitEthernet0/1"), (added.Source, added.SourceInterface, added.Destination, added.DestinationInterface));
        var changed = Assert.Single(preview.ChangedLinks);
        Assert.Equal(("paris-london", "GigabitEthernet0/9", "Gi0/0"), (changed.LinkName, changed.CurrentSourceInterface, changed.SourceInterface));
        Assert.Equal("paris-rome", Assert.Single(preview.UnseenLinks).Name);

        var commit = new DiscoveryCommit([.. preview.NewLinks, .. preview.ChangedLinks]);
        var first = await CommitAsync(commit);
        Assert.Equal((1, 1, 0), (first.Created.Count, first.Changed.Count, first.Skipped.Count));
        var second = await CommitAsync(commit);
        Assert.Equal((0, 0, 2), (second.Created.Count, second.Changed.Count, second.Skipped.Count));

        await using (var db = await DbAsync())
        {
            Assert.Equal(1, await db.Links.CountAsync(l => (l.SourceId == _devices["paris-core"] && l.DestinationId == _devices["brussels-core"])
                || (l.SourceId == _devices["brussels-core"] && l.DestinationId == _devices["paris-core"])));
            Assert.Equal("Gi0/0", (await db.Links.SingleAsync(l => l.Name == "paris-london")).SourceInterface);
            Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Action == "discovery commit"));
        }
        var after = await PreviewAsync(_admin, "paris-core", "brussels-core");
        Assert.Empty(after.NewLinks);
        Assert.Empty(after.ChangedLinks);
    }

    private async Task<DiscoveryCommitResult> CommitAsync(DiscoveryCommit commit)
    {
        var response = await _admin.PostAsJsonAsync("/api/discovery/commit", commit);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<DiscoveryCommitResult>())!;
    }

    [Fact]
    public async Task A_user_limited_to_pools_may_neither_seed_from_nor_link_devices_outside_them()
    {
        int pool;
        await using (var db = await DbAsync())
        {
            var paris = await db.Devices.SingleAsync(d => d.Name == "paris-core");
            var limited = new Pool { Name = "paris only", Devices = [paris] };
            db.Pools.Add(limited);
            await db.SaveChangesAsync();
            pool = limited.Id;
        }
        var scoped = await _app.CreateClientAsync(Roles.Editor, [pool]);

        var foreignSeed = await scoped.PostAsJsonAsync("/api/discovery/preview", new { seedDeviceIds = new[] { _devices["london-core"] } });
        Assert.Equal(HttpStatusCode.Forbidden, foreignSeed.StatusCode);
        var foreignLink = await scoped.PostAsJsonAsync("/api/discovery/commit", new DiscoveryCommit(
            [new ProposedLink(_devices["paris-core"], "paris-core", "Gi0/5", _devices["london-core"], "london-core", "ge-0/0/5")]));
        Assert.Equal(HttpStatusCode.Forbidden, foreignLink.StatusCode);

        // Nor add devices: a new device would belong to none of their pools.
        var newDevice = await scoped.PostAsJsonAsync("/api/discovery/commit", new DiscoveryCommit([],
            [new NewDevice("new-one", "192.0.2.200", "cisco_ios", _devices["paris-core"], "Gi0/6", "Gi0/0")]));
        Assert.Equal(HttpStatusCode.Forbidden, newDevice.StatusCode);
        await using (var db = await DbAsync())
        {
            Assert.False(await db.Devices.AnyAsync(d => d.Name == "new-one"));
        }

        // Its neighbours outside the pools match nothing the user may see: unknown, never linked.
        var preview = await PreviewAsync(scoped, "paris-core");
        Assert.Empty(preview.NewLinks);
        Assert.Empty(preview.ChangedLinks);
        Assert.Equal(5, preview.UnknownNeighbors.Count);
    }
}
