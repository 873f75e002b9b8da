using System.Diagnostics.Metrics;
using System.Net;
using eNMS.Core.Automation;
using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using eNMS.Web.Operations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace eNMS.Tests.Integration.Operations;

/// <summary>The health endpoints answer without sign-in and say whether this node can serve; /metrics is a Prometheus
/// scrape that only a monitor (or admin) token, or a listed network, may read.</summary>
public sealed class HealthAndMetricsTests : IAsyncLifetime
{
    private readonly EnmsAppFactory _app = new(seedDemo: true);
    private HttpClient _anonymous = null!;

    public Task InitializeAsync()
    {
        _anonymous = _app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    /// <summary>Quartz starts once the host has started, a moment after the first request can be served: ready says
    /// Unhealthy until then (rightly), so tests that change what ready depends on first wait for it.</summary>
    private async Task WaitReadyAsync()
    {
        using var hang = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        while ((await _anonymous.GetAsync("/health/ready", hang.Token)).StatusCode != HttpStatusCode.OK)
        {
            await Task.Delay(50, hang.Token);
        }
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Live_and_ready_answer_healthy_without_sign_in_and_nothing_else_opens()
    {
        Assert.Equal((HttpStatusCode.OK, "Healthy"), await GetAsync(_anonymous, "/health/live"));
        await WaitReadyAsync();
        Assert.Equal((HttpStatusCode.OK, "Healthy"), await GetAsync(_anonymous, "/health/ready"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await _anonymous.GetAsync("/api/devices")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await _anonymous.GetAsync("/devices")).StatusCode);
    }

    [Fact]
    public async Task Ready_fails_while_the_scheduler_stands_by_and_live_stays_up()
    {
        await WaitReadyAsync();
        var scheduler = await _app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.Standby();
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy"), await GetAsync(_anonymous, "/health/ready"));
        Assert.Equal((HttpStatusCode.OK, "Healthy"), await GetAsync(_anonymous, "/health/live"));
        // Why goes to the log, not to the anonymous caller.
        Assert.Contains(_app.Logs.Lines, l => l.Contains("The scheduler is not running", StringComparison.Ordinal));

        await scheduler.Start();
        Assert.Equal((HttpStatusCode.OK, "Healthy"), await GetAsync(_anonymous, "/health/ready"));
    }

    [Fact]
    public async Task Ready_fails_when_the_key_ring_is_gone()
    {
        await WaitReadyAsync();
        Directory.Delete(_app.Services.GetRequiredService<DataPaths>().KeyDirectory, recursive: true);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy"), await GetAsync(_anonymous, "/health/ready"));
    }

    [Fact]
    public async Task Metrics_need_a_monitor_or_admin_token()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _anonymous.GetAsync("/metrics")).StatusCode);
        using var viewer = await _app.CreateClientAsync(Roles.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/metrics")).StatusCode);
        using var monitor = await _app.CreateClientAsync(Roles.Monitor);
        Assert.Equal(HttpStatusCode.OK, (await monitor.GetAsync("/metrics")).StatusCode);
        // The monitor role reads metrics and nothing else.
        Assert.Equal(HttpStatusCode.Forbidden, (await monitor.GetAsync("/api/devices")).StatusCode);
        using var admin = await _app.CreateClientAsync(Roles.Admin);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task A_scrape_counts_runs_results_device_connections_and_the_queue()
    {
        using var admin = await _app.CreateClientAsync(Roles.Admin);
        var api = new AutomationClient(admin);
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        var devices = await db.Devices.Where(d => d.Name == "paris-core" || d.Name == "london-core").Select(d => d.Id).ToListAsync();
        var service = await api.CreateServiceAsync("version", "cli_commands", new { commands = "show version" });
        var run = await api.WaitAsync(await api.RunAsync(service, devices), seconds: 120);
        Assert.Equal(RunStatus.Completed, run.Status);

        using var monitor = await _app.CreateClientAsync(Roles.Monitor);
        var response = await monitor.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        var scrape = await response.Content.ReadAsStringAsync();
        Assert.True(Value(scrape, "enms_runs_started_total{", "trigger=\"") >= 1, scrape);
        Assert.True(Value(scrape, "enms_runs_finished_total{", "status=\"completed\"") >= 1, scrape);
        Assert.True(Value(scrape, "enms_run_results_written_total") >= 2, scrape);
        var platform = await db.Devices.Where(d => d.Name == "paris-core").Select(d => d.Platform).SingleAsync();
        Assert.True(Value(scrape, "enms_device_connections_total{", $"platform=\"{platform}\"", "transport=\"simulated\"") >= 1, scrape);
        Assert.True(Value(scrape, "enms_device_connect_duration_seconds_count{", $"platform=\"{platform}\"") >= 1, scrape);
        Assert.Contains("enms_device_connect_duration_seconds_bucket{", scrape, StringComparison.Ordinal);
        // ASP.NET Core's own request metrics come along.
        Assert.Contains("http_server_request_duration_seconds", scrape, StringComparison.Ordinal);

        // The queue is read from the database at each scrape: a pending run shows at once.
        await using (var write = await _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync())
        {
            // Created now, as every run is: a pending run without a job that looks a minute old is re-queued (and run)
            // by RunRecovery, which would empty the queue before the scrape.
            write.Runs.Add(new Run { ServiceId = service, Status = RunStatus.Pending, CreatedBy = "test", DeviceIds = [], CreatedAt = TimeProvider.System.GetUtcNow() });
            await write.SaveChangesAsync();
        }
        var queued = await (await monitor.GetAsync("/metrics")).Content.ReadAsStringAsync();
        Assert.True(Value(queued, "enms_runs_queued") >= 1, queued);
    }

    [Fact]
    public async Task The_circuit_gauge_follows_circuits_opening_and_closing()
    {
        // Measured on this app's own meter (its IMeterFactory), not on the process' other apps.
        var meters = _app.Services.GetRequiredService<IMeterFactory>();
        long open = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == meters && instrument.Name == "enms.circuits.active")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref open, value));
        listener.Start();

        var counter = new CircuitCounter(_app.Services.GetRequiredService<CircuitMetrics>());
        await counter.OnCircuitOpenedAsync(null!, CancellationToken.None);
        await counter.OnCircuitOpenedAsync(null!, CancellationToken.None);
        await counter.OnCircuitClosedAsync(null!, CancellationToken.None);
        Assert.Equal(1, Interlocked.Read(ref open));

        using var monitor = await _app.CreateClientAsync(Roles.Monitor);
        Assert.Contains("enms_circuits_active", await monitor.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    /// <summary>The sum of the samples of <paramref name="series"/> whose labels contain every one of <paramref name="labels"/>
    /// (a sample line: name, optional {labels}, value, optional timestamp).</summary>
    private static double Value(string scrape, string series, params string[] labels) =>
        scrape.Split('\n')
            .Where(line => line.StartsWith(series, StringComparison.Ordinal) && labels.All(l => line.Contains(l, StringComparison.Ordinal)))
            .Sum(line => double.Parse(line[(line.LastIndexOf('}') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Skip(line.Contains('}', StringComparison.Ordinal) ? 0 : 1).First(), System.Globalization.CultureInfo.InvariantCulture));
}
