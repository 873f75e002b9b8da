using System.Net;
using System.Net.Http.Json;
using ClosedXML.Excel;
using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static eNMS.Tests.TestSupport.Workbooks;

namespace eNMS.Tests.Integration;

/// <summary>An editor limited to one pool, through export, import and the objects shared beyond its pool: it reads
/// nothing of the device outside its pool and changes nothing that reaches it.</summary>
public sealed class PoolScopeWriteTests : IAsyncLifetime
{
    private readonly EnmsAppFactory _app = new();
    private ScopedWorld _world = default!;
    private HttpClient _scoped = default!;
    private HttpClient _admin = default!;

    private IDbContextFactory<EnmsDbContext> DbFactory => _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>();

    public async Task InitializeAsync()
    {
        _world = await ScopedWorld.SeedAsync(DbFactory);
        _scoped = _app.CreateClient(await _app.CreateTokenAsync(await _app.CreateUserAsync("pool-editor", Roles.Editor, _world.Scope)));
        _admin = await _app.CreateClientAsync(Roles.Admin);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_export_holds_only_the_devices_of_the_users_pools()
    {
        var cells = await ExportedCellsAsync(_scoped);
        Assert.Contains("inside-router", cells);
        Assert.DoesNotContain(ScopedWorld.OutsideName, cells);
        Assert.DoesNotContain("scope-theirs", cells);
        Assert.Contains(ScopedWorld.OutsideName, await ExportedCellsAsync(_admin));
    }

    [Fact]
    public async Task An_import_overwrites_no_device_outside_the_pools_and_a_replace_is_refused()
    {
        var file = Xlsx(("device", [Row("name", "address", "platform"), Row(ScopedWorld.OutsideName, "198.51.100.9", "linux"), Row("inside-router", "198.51.100.7", "cisco_ios")]),
            ("pool", [Row("name", "mode", "criteria"), Row("scope-mine", "dynamic", """[{"property":"name","operator":"regex","value":".*"}]""")]));
        var reply = await AutomationClient.Read(await _scoped.PostAsync("/api/inventory/import?commit=true", Upload(file)), HttpStatusCode.OK);
        Assert.Equal(1, (int)reply["devices"]!["updated"]!);
        Assert.Equal(1, (int)reply["devices"]!["skipped"]!);
        Assert.Equal(1, (int)reply["pools"]!["skipped"]!);

        var replace = await _scoped.PostAsync("/api/inventory/import?commit=true&replace=true",
            Upload(Xlsx(("device", [Row("name", "platform"), Row("inside-router", "cisco_ios")]))));
        Assert.Equal(HttpStatusCode.Forbidden, replace.StatusCode);

        await using var db = await DbFactory.CreateDbContextAsync();
        var outside = await db.Devices.SingleAsync(d => d.Id == _world.Outside);
        Assert.Equal(("", "cisco_ios"), (outside.Address, outside.Platform));
        Assert.Equal("198.51.100.7", (await db.Devices.SingleAsync(d => d.Id == _world.Inside)).Address);
        Assert.Empty((await db.Pools.SingleAsync(p => p.Id == _world.InsidePool)).Criteria);
    }

    [Fact]
    public async Task The_pool_that_limits_the_user_and_credentials_and_services_shared_beyond_it_are_changed_only_by_unscoped_roles()
    {
        var widen = await _scoped.PutAsJsonAsync($"/api/pools/{_world.InsidePool}",
            new { name = "scope-mine", mode = "Dynamic", criteria = new[] { new { target = "Device", property = "name", @operator = "Regex", value = ".*" } } });
        Assert.Equal(HttpStatusCode.Forbidden, widen.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _scoped.DeleteAsync($"/api/pools/{_world.InsidePool}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _scoped.PostAsJsonAsync("/api/pools", new { name = "more", mode = "Manual", deviceIds = new[] { _world.Inside } })).StatusCode);

        var global = await CreateAsync(_admin, "/api/credentials", new { name = "global", username = "admin", password = "s3cret", poolIds = Array.Empty<int>() });
        Assert.Equal(HttpStatusCode.Forbidden, (await _scoped.PutAsJsonAsync($"/api/credentials/{global}", new { name = "global", username = "mine" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _scoped.DeleteAsync($"/api/credentials/{global}")).StatusCode);
        var own = await CreateAsync(_scoped, "/api/credentials", new { name = "own", username = "me", password = "x", poolIds = new[] { _world.InsidePool } });
        Assert.Equal(HttpStatusCode.OK, (await _scoped.PutAsJsonAsync($"/api/credentials/{own}", new { name = "own", username = "me2", poolIds = new[] { _world.InsidePool } })).StatusCode);

        var shared = await CreateAsync(_admin, "/api/services", new { name = "shared", kind = "test_step", parameters = new { } });
        var outside = await CreateAsync(_admin, "/api/services", new { name = "outside", kind = "test_step", parameters = new { }, deviceIds = new[] { _world.Outside } });
        foreach (var id in new[] { shared, outside })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await _scoped.PutAsJsonAsync($"/api/services/{id}", new { name = "changed", kind = "test_step", parameters = new { }, deviceIds = new[] { _world.Inside } })).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await _scoped.DeleteAsync($"/api/services/{id}")).StatusCode);
        }
        var mine = await CreateAsync(_scoped, "/api/services", new { name = "mine", kind = "test_step", parameters = new { }, deviceIds = new[] { _world.Inside } });
        Assert.Equal(HttpStatusCode.NoContent, (await _scoped.DeleteAsync($"/api/services/{mine}")).StatusCode);

        await using var db = await DbFactory.CreateDbContextAsync();
        Assert.Equal(["global", "own"], await db.Credentials.OrderBy(c => c.Name).Select(c => c.Name).ToListAsync());
        Assert.Equal(["outside", "shared"], await db.Services.OrderBy(s => s.Name).Select(s => s.Name).ToListAsync());
        Assert.Empty((await db.Pools.SingleAsync(p => p.Id == _world.InsidePool)).Criteria);
    }

    [Fact]
    public async Task A_scoped_context_filters_every_scoped_entity_and_an_unscoped_one_sees_all()
    {
        await using var scoped = await DbFactory.CreateScopedAsync(_world.Scope, CancellationToken.None);
        Assert.Equal(["inside-router"], await scoped.Devices.Select(d => d.Name).ToListAsync());
        Assert.Equal(["scope-mine"], await scoped.Pools.Select(p => p.Name).ToListAsync());
        Assert.Equal([_world.InsideVersion], await scoped.ConfigVersions.Select(v => v.Id).ToListAsync());
        await using var all = await DbFactory.CreateDbContextAsync();
        Assert.Equal(2, await all.Devices.CountAsync());
    }

    [Fact]
    public async Task A_gateway_outside_the_users_pools_is_refused_through_the_api_as_a_missing_device()
    {
        var outside = await _scoped.PostAsJsonAsync("/api/devices", new { name = "behind-outside", address = "192.0.2.77", platform = "linux", gatewayIds = new[] { _world.Outside } });
        var update = await _scoped.PutAsJsonAsync($"/api/devices/{_world.Inside}", new { name = "inside-router", address = "192.0.2.1", platform = "cisco_ios", gatewayIds = new[] { _world.Outside } });

        var problem = await AutomationClient.Read(outside, HttpStatusCode.NotFound);
        Assert.Equal($"No such device: #{_world.Outside}.", (string?)problem["detail"]);
        Assert.Equal(HttpStatusCode.NotFound, update.StatusCode);
        await using var db = await DbFactory.CreateDbContextAsync();
        Assert.False(await db.Devices.AnyAsync(d => d.Name == "behind-outside"));
        Assert.Empty(await db.Devices.Where(d => d.Id == _world.Inside).SelectMany(d => d.Gateways).ToListAsync());
        // The same gateway named by a user who sees every device is taken.
        await CreateAsync(_admin, "/api/devices", new { name = "behind-admin", address = "192.0.2.78", platform = "linux", gatewayIds = new[] { _world.Outside } });
    }

    private static MultipartFormDataContent Upload(MemoryStream file) => new() { { new ByteArrayContent(file.ToArray()), "file", "inventory.xlsx" } };

    private static async Task<int> CreateAsync(HttpClient client, string path, object body) =>
        (int)(await AutomationClient.Read(await client.PostAsJsonAsync(path, body), HttpStatusCode.Created))["id"]!;

    private static async Task<List<string>> ExportedCellsAsync(HttpClient client)
    {
        var response = await client.GetAsync("/api/inventory/export");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var workbook = new XLWorkbook(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        return [.. workbook.Worksheets.SelectMany(s => s.CellsUsed()).Select(c => c.GetString())];
    }
}
