using System.Net.Http.Json;
using eNMS.Core.Automation;
using eNMS.Core.Data;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Integration;

/// <summary><c>GET /api/runs</c> filters by service, status, who started the run and a target device, together, and
/// bounds what it returns.</summary>
public sealed class RunFilterApiTests : IAsyncLifetime
{
    private readonly EnmsAppFactory _app = new();
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _client = await _app.CreateClientAsync("viewer");
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        Run Run(int service, RunStatus status, string user, params int[] devices) =>
            new() { ServiceId = service, ServiceName = $"service {service}", Status = status, CreatedBy = user, DeviceIds = [.. devices], CreatedAt = DateTimeOffset.UnixEpoch };
        var completed = Run(1, RunStatus.Completed, "alice", 7, 8);
        db.Runs.AddRange(completed, Run(2, RunStatus.Failed, "bob", 7), Run(1, RunStatus.Failed, "bob", 8), Run(1, RunStatus.Completed, "bob"));
        await db.SaveChangesAsync();
        // A completed run recorded an outcome on every device it targeted: a device's history reads them (RunFilter).
        db.RunResults.AddRange(completed.DeviceIds.Select(d => new RunResult { RunId = completed.Id, ServiceName = completed.ServiceName, DeviceId = d, DeviceName = $"d{d}", Success = true }));
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    private async Task<List<(int Service, string User, RunStatus Status)>> RunsAsync(string query) =>
        (await _client.GetFromJsonAsync<List<Run>>($"/api/runs?{query}", AutomationClient.Json))!.Select(r => (r.ServiceId, r.CreatedBy, r.Status)).ToList();

    [Fact]
    public async Task Filters_combine_and_the_page_is_bounded()
    {
        Assert.Equal([(1, "bob", RunStatus.Completed), (1, "bob", RunStatus.Failed), (2, "bob", RunStatus.Failed), (1, "alice", RunStatus.Completed)], await RunsAsync(""));
        Assert.Equal([(1, "bob", RunStatus.Failed), (2, "bob", RunStatus.Failed)], await RunsAsync("status=Failed"));
        Assert.Equal([(1, "bob", RunStatus.Failed), (1, "alice", RunStatus.Completed)], await RunsAsync("deviceId=8"));
        Assert.Equal([(2, "bob", RunStatus.Failed)], await RunsAsync("deviceId=7&user=bob"));
        Assert.Equal([(1, "alice", RunStatus.Completed)], await RunsAsync("serviceId=1&user=alice"));
        Assert.Empty(await RunsAsync("user=nobody"));
        Assert.Single(await RunsAsync("take=1"));
        Assert.Equal(4, (await RunsAsync("take=1000000")).Count);
    }
}
