using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using eNMS.Core.Automation;
using eNMS.Tests.TestSupport;

namespace eNMS.Tests.Integration;

/// <summary>Refused connections through the real app, without the lab: a device that is down (a closed loopback port)
/// is retried a bounded number of times and fails with the reason; a run cancelled while a device waits to be retried
/// ends at once.</summary>
public sealed class FanOutTests
{
    /// <summary>A device on 127.0.0.x whose port nothing listens on: every connection is refused.</summary>
    internal static async Task<int> DownDeviceAsync(AutomationClient api, string name, string address)
    {
        var credential = await AutomationClient.Read(await api.Http.PostAsJsonAsync("/api/credentials", new { name = $"cred-{name}", username = "admin", password = "a-password" }), HttpStatusCode.Created);
        var device = await AutomationClient.Read(await api.Http.PostAsJsonAsync("/api/devices", new
        {
            name,
            address,
            port = 1,
            platform = "cisco_ios",
            credentialId = (int)credential["id"]!,
        }), HttpStatusCode.Created);
        return (int)device["id"]!;
    }

    /// <summary>The run as the API shows it, its fan-out report included.</summary>
    internal static async Task<JsonNode> RunJsonAsync(AutomationClient api, int runId) =>
        (await api.Http.GetFromJsonAsync<JsonNode>($"/api/runs/{runId}"))!;

    [Fact]
    public async Task A_device_that_is_down_fails_after_the_bounded_retries_with_the_reason_and_the_node_does_not_retry_it_again()
    {
        await using var app = new EnmsAppFactory
        {
            Settings = new Dictionary<string, string> { ["Automation:ConnectRetryDelay"] = "00:00:00.2", ["Automation:ConnectAttempts"] = "3" },
        };
        var api = new AutomationClient(await app.CreateClientAsync("admin"));
        var device = await DownDeviceAsync(api, "london-core", "127.0.0.7");
        var service = await api.CreateServiceAsync("version", "cli_commands", new { commands = "show version" });

        var run = await api.WaitAsync(await api.RunAsync(service, [device]), seconds: 30);

        Assert.Equal(RunStatus.Failed, run.Status);
        var result = Assert.Single(await api.ResultsAsync(run.Id));
        Assert.Equal(1, result.Attempts);
        Assert.StartsWith("london-core: connection refused, gave up after 3 attempt(s): cannot connect to 127.0.0.7:1", result.Error, StringComparison.Ordinal);
        var log = (await api.LogsAsync(run.Id)).Select(l => l.Message).ToList();
        Assert.Contains("london-core: connection refused (attempt 1 of 3), retried after 0.2 s", log);
        Assert.Contains("london-core: connection refused (attempt 2 of 3), retried after 0.4 s", log);
        Assert.Contains("london-core: connection refused (attempt 3 of 3), gave up", log);
        // Alone, each refusal is its own: the cap (the run's parallelism, no limit configured) halves three times.
        Assert.Contains("cisco_ios: cap lowered 50 → 6 after 3 refused connection(s) (connection refused ×3); held at 6", log);
        var fanOut = (await RunJsonAsync(api, run.Id))["fanOut"]!;
        Assert.Equal(3, fanOut["retries"]!.AsArray().Count);
        Assert.Equal(6, (int)fanOut["platforms"]![0]!["lowestCap"]!);
    }

    [Fact]
    public async Task A_service_with_retries_of_its_own_tries_each_attempt_once()
    {
        await using var app = new EnmsAppFactory { Settings = new Dictionary<string, string> { ["Automation:ConnectRetryDelay"] = "00:00:05" } };
        var api = new AutomationClient(await app.CreateClientAsync("admin"));
        var device = await DownDeviceAsync(api, "paris-edge", "127.0.0.8");
        var service = await api.CreateServiceAsync("version", "cli_commands", new { commands = "show version" }, new { retries = 1, retryDelaySeconds = 0 });

        var run = await api.WaitAsync(await api.RunAsync(service, [device]), seconds: 20);

        var result = Assert.Single(await api.ResultsAsync(run.Id));
        Assert.Equal(2, result.Attempts);
        Assert.DoesNotContain("gave up", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(await api.LogsAsync(run.Id), l => l.Message.Contains("retried after", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cancelling_a_run_while_a_device_waits_for_its_retry_ends_it_at_once()
    {
        await using var app = new EnmsAppFactory { Settings = new Dictionary<string, string> { ["Automation:ConnectRetryDelay"] = "00:00:50", ["Automation:ConnectRetryMaxWait"] = "00:05:00" } };
        var api = new AutomationClient(await app.CreateClientAsync("admin"));
        var device = await DownDeviceAsync(api, "berlin-core", "127.0.0.9");
        var service = await api.CreateServiceAsync("version", "cli_commands", new { commands = "show version" });
        var runId = await api.RunAsync(service, [device]);
        using (var waiting = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            while (!(await api.LogsAsync(runId)).Any(l => l.Message.Contains("retried after 50 s", StringComparison.Ordinal)))
            {
                await Task.Delay(50, waiting.Token);
            }
        }

        (await api.Http.PostAsync($"/api/runs/{runId}/cancel", null)).EnsureSuccessStatusCode();
        // Well under the 50 s retry delay: a run that waited for its retry before seeing the cancel would not end in time.
        var run = await api.WaitAsync(runId, seconds: 25);

        Assert.Equal(RunStatus.Cancelled, run.Status);
    }
}
