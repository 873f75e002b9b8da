using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using eNMS.Core.Automation;
using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Tests.EndToEnd;
using eNMS.Tests.TestSupport;
using eNMS.Tests.TestSupport.Lab;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace eNMS.Tests.Integration;

/// <summary>
/// Issue 23's scale test: three node processes on PostgreSQL with <c>Scheduling:DistributeRuns</c> back up the running
/// configuration of <see cref="DeviceCount"/> emulated Cisco IOS devices over real SSH (the lab emulator), the run's
/// coordinator is killed mid-run, and the run completes with every device backed up exactly once while a browser on a
/// surviving node watches its page count every device. The device count is <c>ENMS_TEST_CLUSTER_DEVICES</c> (2,000
/// unless set: the issue's figure).
/// </summary>
[Collection(LabGroup.Name)]
public sealed class ClusterScaleTests(LabFixture lab, PostgresServer postgres, ITestOutputHelper output) : IClassFixture<PostgresServer>
{
    private const int BatchSize = 50;

    private static int DeviceCount => int.TryParse(Environment.GetEnvironmentVariable("ENMS_TEST_CLUSTER_DEVICES"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n is > BatchSize and <= 4000
        ? n : Environment.GetEnvironmentVariable("ENMS_TEST_CLUSTER_DEVICES") is { Length: > 0 } text
            ? throw new InvalidOperationException($"ENMS_TEST_CLUSTER_DEVICES must be a whole number from {BatchSize + 1} to 4000 (the emulator's Cisco IOS range), not '{text}'")
            : 2000;

    [LabFact]
    public async Task Three_nodes_back_up_every_device_exactly_once_over_ssh_when_the_coordinator_dies_and_a_survivor_shows_them_all_live()
    {
        lab.RequireLab();
        Prerequisites.Require("chromium", File.Exists(ChromiumFactAttribute.ChromiumPath), "install the Debian package chromium");
        var clock = Stopwatch.StartNew();
        var deviceCount = DeviceCount;
        // Two batches per node at once, six across the cluster; 30 SSH sessions across the cluster (a cluster-wide cap):
        // what the emulator's sshd serves on two cores without starving the nodes (lab/README.md).
        await using var cluster = await NodeCluster.StartAsync(postgres, "scale-cluster", ClusterBatchTests.Settings(BatchSize), "scale-a", "scale-b", "scale-c");
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0} s: three nodes up");
        var deviceIds = await EmulatedDevicesAsync(cluster.Client, cluster.Database, deviceCount);
        var service = await cluster.Client.CreateServiceAsync("scale backup", "config_backup", new { }, new { maxParallelDevices = 30 });
        await cluster.RunAsync(() => RunKillAndWatchAsync(cluster.Client, cluster.Database, cluster.Nodes, service, deviceIds, clock));
    }

    /// <summary>The emulator's Cisco IOS devices 10.255.128.1 onwards (250 a /24), one lab login for all, each device's
    /// fault file removed (other lab tests put faults on addresses of this range).</summary>
    private async Task<List<int>> EmulatedDevicesAsync(AutomationClient client, IDbContextFactory<EnmsDbContext> dbFactory, int count)
    {
        var credential = (int)(await AutomationClient.Read(await client.Http.PostAsJsonAsync("/api/credentials", new
        {
            name = "lab",
            username = "enmslab",
            password = LabFixture.Password,
            enableSecret = LabFixture.EnableSecret,
        }), System.Net.HttpStatusCode.Created))["id"]!;
        var devices = Enumerable.Range(0, count).Select(i => new Device
        {
            Name = $"scale-{i:0000}",
            Address = $"10.255.{128 + i / 250}.{1 + i % 250}",
            Platform = "cisco_ios",
            CredentialId = credential,
        }).ToList();
        foreach (var fault in devices.Select(d => Path.Combine(lab.LabDir, "emulator", "state", d.Address, "fault")).Where(File.Exists))
        {
            File.Delete(fault);
        }
        await using var db = await dbFactory.CreateDbContextAsync();
        db.Devices.AddRange(devices);
        await db.SaveChangesAsync();
        return devices.Select(d => d.Id).ToList();
    }

    private async Task RunKillAndWatchAsync(AutomationClient client, IDbContextFactory<EnmsDbContext> dbFactory, List<AppProcess> nodes, int service,
        List<int> deviceIds, Stopwatch clock)
    {
        var count = deviceIds.Count;
        var runId = await client.RunAsync(service, deviceIds);
        var coordinator = await NodeCluster.CoordinatorAsync(nodes, runId);
        var watched = nodes.First(n => n != coordinator);

        // A browser on a node that survives: it learns of the other nodes' results only through the cluster's events.
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumFactAttribute.ChromiumPath, Args = Browser.Args });
        SetDefaultExpectTimeout(60_000);
        var context = await browser.NewContextAsync(new() { BaseURL = watched.BaseUrl });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        await Browser.SignInAtAsync(page, $"/runs/{runId}", interactiveTimeoutMilliseconds: 60_000);

        // Killed while it executes a batch of its own, once a quarter of the devices are done and another node stored results too.
        await ClusterTests.EventuallyAsync(TimeSpan.FromSeconds(180), async () =>
        {
            var outcomes = await ClusterBatchTests.OutcomesAsync(dbFactory, runId);
            return outcomes.Count >= count / 4 && outcomes.Select(o => o.ExecutedOn).Distinct().Count() >= 2
                && outcomes.Any(o => o.ExecutedOn == coordinator.Node) && ClusterBatchTests.UnfinishedBatches(coordinator, runId).Count > 0;
        }, $"a quarter of run {runId} done on two nodes, its coordinator executing a batch");
        var doneBeforeKill = (await ClusterBatchTests.OutcomesAsync(dbFactory, runId)).Count;
        await Browser.StepsAsync(page, "cluster-scale-live", async () =>
            await Expect(page.GetByTestId("run-progress")).ToHaveTextAsync(new Regex($@"\b[1-9]\d* of {count} device\(s\) done")));
        await coordinator.KillAsync();
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0} s: coordinator {coordinator.Node} killed with {doneBeforeKill} of {count} device(s) done");

        using var survivorApi = new HttpClient { BaseAddress = new Uri(watched.BaseUrl) };
        survivorApi.DefaultRequestHeaders.Authorization = client.Http.DefaultRequestHeaders.Authorization;
        var finished = await new AutomationClient(survivorApi).WaitAsync(runId, seconds: 600);
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0} s: run {runId} {finished.Status}");
        Assert.True(finished.Status == RunStatus.Completed, $"run {runId} ended {finished.Status}: {finished.Error}");
        Assert.Equal(count, finished.DevicesDone);
        Assert.Contains(nodes, n => n != coordinator && n.Output.Contains($"Run {runId} executing on node {n.Node} (recovered", StringComparison.Ordinal));

        var all = await ClusterBatchTests.OutcomesAsync(dbFactory, runId);
        Assert.Equal(deviceIds.Order(), all.Select(o => o.DeviceId).Order());
        Assert.All(all.GroupBy(o => o.DeviceId), g => Assert.Single(g));
        Assert.All(all, o => Assert.True(o.Success, $"device {o.DeviceId} on {o.ExecutedOn}: {o.Error}"));
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            // Each a running configuration read over SSH.
            Assert.Equal(0, await db.RunResults.CountAsync(r => r.RunId == runId && r.Node == RunResult.RunLevel && !r.Output.Contains("hostname ")));
        }
        var executedOn = all.GroupBy(o => o.ExecutedOn).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine("devices per node: " + string.Join(", ", executedOn.Select(e => $"{e.Key} {e.Value}")));
        Assert.Equal(nodes.Select(n => n.Node).Order(), executedOn.Keys.Order());

        // The survivor's page, open through the kill, counts every device.
        await Browser.StepsAsync(page, "cluster-scale-finished", async () =>
            await Expect(page.GetByTestId("run-progress")).ToContainTextAsync($"{count} of {count} device(s) done"));
    }
}
