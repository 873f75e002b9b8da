using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using eNMS.Core.Automation;
using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Integration;

/// <summary><c>GET /api/runs/{id}/matrix</c> and <c>/matrix/summary</c> for a user limited to a pool (their devices'
/// rows only, a foreign run missing), bounds and bad values; <c>GET /api/runs?from=&amp;to=</c>.</summary>
public sealed class RunMatrixApiTests : IAsyncLifetime
{
    private readonly EnmsAppFactory _app = new();
    private ScopedWorld _world = default!;
    private HttpClient _scoped = default!;
    private HttpClient _viewer = default!;

    public async Task InitializeAsync()
    {
        _world = await ScopedWorld.SeedAsync(_app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>());
        _scoped = await _app.CreateClientAsync(Roles.Viewer, _world.Scope);
        _viewer = await _app.CreateClientAsync(Roles.Viewer);
    }

    public async Task DisposeAsync()
    {
        _scoped.Dispose();
        _viewer.Dispose();
        await _app.DisposeAsync();
    }

    private static async Task<JsonNode> ReadAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    [Fact]
    public async Task A_pool_limited_user_gets_only_their_devices_and_bad_requests_are_refused()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _scoped.GetAsync($"/api/runs/{_world.OutsideRun}/matrix")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _scoped.GetAsync($"/api/runs/{_world.OutsideRun}/matrix/summary")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _viewer.GetAsync("/api/runs/999999/matrix")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _viewer.GetAsync($"/api/runs/{_world.MixedRun}/matrix?outcome=Exploded")).StatusCode);

        var scoped = await ReadAsync(_scoped, $"/api/runs/{_world.MixedRun}/matrix?take=1000000");
        Assert.Equal(["inside-router"], scoped["rows"]!.AsArray().Select(r => (string)r!["deviceName"]!));
        Assert.Equal(1, (int)scoped["total"]!);
        var summary = await ReadAsync(_scoped, $"/api/runs/{_world.MixedRun}/matrix/summary");
        Assert.Equal(1, (int)summary["devices"]!);
        Assert.DoesNotContain(ScopedWorld.OutsideName, summary.ToJsonString(), StringComparison.Ordinal);

        var all = await ReadAsync(_viewer, $"/api/runs/{_world.MixedRun}/matrix?outcome=Succeeded");
        Assert.Equal(["inside-router", ScopedWorld.OutsideName], all["rows"]!.AsArray().Select(r => (string)r!["deviceName"]!));
        Assert.Equal("Succeeded", (string)all["rows"]![0]!["outcome"]!);
        Assert.Equal([ScopedWorld.OutsideName], (await ReadAsync(_viewer, $"/api/runs/{_world.MixedRun}/matrix?device=SECRET&take=1"))["rows"]!.AsArray()
            .Select(r => (string)r!["deviceName"]!));
        Assert.Empty((await ReadAsync(_viewer, $"/api/runs/{_world.MixedRun}/matrix?outcome=Failed"))["rows"]!.AsArray());
    }

    [Fact]
    public async Task Runs_filter_by_creation_time_with_offsets()
    {
        await using (var db = await _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync())
        {
            await db.Runs.ExecuteUpdateAsync(r => r.SetProperty(x => x.CreatedAt, new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero)));
            db.Runs.Add(new Run { ServiceName = "later", CreatedAt = new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero) });
            await db.SaveChangesAsync();
        }
        async Task<List<string>> NamesAsync(string query) =>
            (await _viewer.GetFromJsonAsync<List<Run>>($"/api/runs?{query}", AutomationClient.Json))!.Select(r => r.ServiceName).ToList();

        Assert.Equal(["later"], await NamesAsync("from=2026-12-01T13:00:01%2B01:00"));
        Assert.Equal(4, (await NamesAsync("from=2026-12-01T13:00:00%2B01:00&to=2026-12-02T12:00:00Z")).Count);
        Assert.Empty(await NamesAsync("to=2026-12-01T12:00:00Z"));
        Assert.Equal(HttpStatusCode.BadRequest, (await _viewer.GetAsync("/api/runs?from=yesterday")).StatusCode);
    }
}
