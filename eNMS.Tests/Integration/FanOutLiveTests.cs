using System.Collections.Concurrent;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Integration;

/// <summary>The run's fan-out report reaches the run page while the run goes on (FanOutChanged), not only once it ended.</summary>
public sealed class FanOutLiveTests
{
    [Fact]
    public async Task Each_refused_connection_publishes_the_report_so_far_before_the_run_ends()
    {
        await using var app = new EnmsAppFactory
        {
            Settings = new Dictionary<string, string> { ["Automation:ConnectRetryDelay"] = "00:00:00.2", ["Automation:ConnectAttempts"] = "3" },
        };
        var api = new AutomationClient(await app.CreateClientAsync("admin"));
        var device = await FanOutTests.DownDeviceAsync(api, "lisbon-core", "127.0.0.21");
        var service = await api.CreateServiceAsync("version", "cli_commands", new { commands = "show version" });
        var events = new ConcurrentQueue<RunEvent>();
        using var subscription = app.Services.GetRequiredService<RunNotifier>().SubscribeAll(RunEventScope.Everything, e =>
        {
            events.Enqueue(e);
            return Task.CompletedTask;
        });

        var run = await api.WaitAsync(await api.RunAsync(service, [device]), seconds: 30);

        var mine = events.Where(e => e.RunId == run.Id).ToList();
        var reports = mine.OfType<FanOutChanged>().Select(f => f.Report).ToList();
        // One per refusal: the retries listed so far grow 1, 2, 3 (the last one gave up).
        Assert.Equal([1, 2, 3], reports.Select(r => r.Retries.Count));
        Assert.Equal("lisbon-core: connection refused (attempt 1 of 3), retried after 0.2 s", reports[0].Retries[0].Summary);
        Assert.True(reports[^1].Retries[^1].GaveUp);
        var ended = mine.FindIndex(e => e is RunProgressed { Status: RunStatus.Failed });
        Assert.True(ended > mine.FindLastIndex(e => e is FanOutChanged), "the reports come while the run goes on");
    }
}
