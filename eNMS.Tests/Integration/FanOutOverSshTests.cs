using System.Net;
using System.Net.Http.Json;
using eNMS.Core.Automation;
using eNMS.Tests.TestSupport;
using eNMS.Tests.TestSupport.Lab;

namespace eNMS.Tests.Integration;

/// <summary>Adaptive fan-out against emulated devices over real SSH: a platform that takes at most 3 sessions at once
/// (emulator fault max-sessions, shared by its devices) and a device that refuses the login.</summary>
[Collection(LabGroup.Name)]
public sealed class FanOutOverSshTests(LabFixture lab) : IAsyncLifetime
{
    private readonly EnmsAppFactory _app = new()
    {
        Settings = new Dictionary<string, string>
        {
            ["Automation:PlatformLimits:cisco_ios"] = "12",
            // A closed session lingers a few hundred ms on the emulator's side (as on a real vty) and the first waves
            // of refusals come before the cap is low: room for four retries.
            ["Automation:ConnectRetryDelay"] = "00:00:01",
            ["Automation:ConnectAttempts"] = "5",
        },
    };
    private AutomationClient _api = null!;

    public async Task InitializeAsync() => _api = new AutomationClient(await _app.CreateClientAsync("admin"));

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<int> DeviceAsync(DeviceTargetLike target, string? password = null)
    {
        var credential = await AutomationClient.Read(await _api.Http.PostAsJsonAsync("/api/credentials", new
        {
            name = $"cred-{target.Name}",
            username = target.Username,
            password = password ?? target.Password,
            enableSecret = target.EnableSecret,
        }), HttpStatusCode.Created);
        var device = await AutomationClient.Read(await _api.Http.PostAsJsonAsync("/api/devices", new
        {
            name = target.Name,
            address = target.Host,
            platform = target.Platform,
            credentialId = (int)credential["id"]!,
        }), HttpStatusCode.Created);
        return (int)device["id"]!;
    }

    [LabFact]
    public async Task Twelve_devices_of_a_platform_that_takes_three_sessions_all_succeed_with_the_cap_lowered_and_the_retries_listed()
    {
        lab.RequireLab();
        // A word of this test's own: the emulator counts the sessions of every device carrying it.
        var fault = $"max-sessions-fanout{Environment.ProcessId}-3";
        var devices = new List<int>();
        for (var i = 0; i < 12; i++)
        {
            var target = lab.Emulated("cisco_ios");
            await lab.SetFaultAsync(target, fault);
            devices.Add(await DeviceAsync(DeviceTargetLike.From(target)));
        }
        var service = await _api.CreateServiceAsync("version", "cli_commands", new { commands = "show version" }, new { maxParallelDevices = 12 });

        var run = await _api.WaitAsync(await _api.RunAsync(service, devices), seconds: 120);

        var results = await _api.ResultsAsync(run.Id);
        var log = (await _api.LogsAsync(run.Id)).Select(l => l.Message).ToList();
        Assert.All(results, r => Assert.True(r.Success, $"{r.Error}\n{string.Join('\n', log)}"));
        Assert.Equal(12, results.Count);
        Assert.Equal(RunStatus.Completed, run.Status);
        var fanOut = (await FanOutTests.RunJsonAsync(_api, run.Id))["fanOut"]!;
        var platform = fanOut["platforms"]!.AsArray().Single()!;
        Assert.Equal("cisco_ios", (string)platform["platform"]!);
        Assert.Equal(12, (int)platform["startCap"]!);
        Assert.InRange((int)platform["lowestCap"]!, 1, 6);
        var retries = fanOut["retries"]!.AsArray();
        Assert.NotEmpty(retries);
        Assert.All(retries, r => Assert.False((bool)r!["gaveUp"]!));
        Assert.Contains(retries, r => (string)r!["reason"]! == "too many sessions");
        Assert.Contains(log, l => l.StartsWith("cisco_ios: cap lowered 12 → ", StringComparison.Ordinal));
        Assert.Contains(log, l => l.Contains(": too many sessions (attempt 1 of 5), retried after 1 s", StringComparison.Ordinal));
    }

    [LabFact]
    public async Task A_wrong_password_is_not_retried()
    {
        lab.RequireLab();
        var device = await DeviceAsync(DeviceTargetLike.From(lab.Emulated("cisco_ios")), password: "not-the-password");
        var service = await _api.CreateServiceAsync("version", "cli_commands", new { commands = "show version" });

        var run = await _api.WaitAsync(await _api.RunAsync(service, [device]), seconds: 60);

        var result = Assert.Single(await _api.ResultsAsync(run.Id));
        Assert.False(result.Success);
        Assert.Contains("login refused", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("gave up", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(await _api.LogsAsync(run.Id), l => l.Message.Contains("retried after", StringComparison.Ordinal));
        Assert.Null((await FanOutTests.RunJsonAsync(_api, run.Id))["fanOut"]);
    }
}
