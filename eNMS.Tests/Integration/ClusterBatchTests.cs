using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using eNMS.Core.Automation;
using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Tests.Integration;

/// <summary>
/// One run across three nodes (processes, as <see cref="ClusterTests"/>) with <c>Scheduling:DistributeRuns</c>: its
/// devices split into Quartz batch jobs that every node executes. A cancel stops the batches on every node; a node
/// killed mid-run (the run's coordinator) is taken over and every device is done exactly once.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed partial class ClusterBatchTests(PostgresServer postgres)
{
    private const int DeviceCount = 300;
    private const int BatchSize = 20;

    [RequiresFact("postgres")]
    public Task A_run_split_in_batches_is_executed_by_every_node_cancelled_everywhere_and_finished_exactly_once_when_its_node_dies() =>
        WithClusterAsync("batch", async (client, dbFactory, nodes, cluster) =>
        {
            // The wait kind dials nothing; the addresses are the lab emulator's range all the same.
            var deviceIds = await cluster.DevicesAsync(DeviceCount, i => new Device { Name = $"batch-{i:000}", Address = $"10.255.{128 + i / 250}.{1 + i % 250}", Platform = "linux" });
            var service = await client.CreateServiceAsync("slow", "wait", new { seconds = 0.2 }, new { maxParallelDevices = 2 });
            await CancelStopsTheBatchesOnEveryNodeAsync(client, dbFactory, nodes, service, deviceIds);
            await DeadCoordinatorsRunIsFinishedExactlyOnceAsync(client, dbFactory, nodes, service, deviceIds);
        });

    /// <summary>Three node processes (<c>PREFIX-a</c>, <c>-b</c>, <c>-c</c>) distributing runs in batches of
    /// <see cref="BatchSize"/>, two batches per node at once; <paramref name="test"/> gets an API client of the first,
    /// the database, and the nodes, whose output a failure's message ends with.</summary>
    private async Task WithClusterAsync(string prefix, Func<AutomationClient, IDbContextFactory<EnmsDbContext>, List<AppProcess>, NodeCluster, Task> test)
    {
        await using var cluster = await NodeCluster.StartAsync(postgres, $"{prefix}-cluster", Settings(BatchSize), $"{prefix}-a", $"{prefix}-b", $"{prefix}-c");
        await cluster.RunAsync(() => test(cluster.Client, cluster.Database, cluster.Nodes, cluster));
    }

    /// <summary>Nodes with <c>Scheduling:DistributeRuns</c>, batches of <paramref name="batchSize"/>, six in flight and two
    /// per node at once (the others are left to the other nodes).</summary>
    internal static Dictionary<string, string> Settings(int batchSize) => new()
    {
        ["Scheduling__DistributeRuns"] = "true",
        ["Scheduling__RunBatchSize"] = batchSize.ToString(CultureInfo.InvariantCulture),
        ["Scheduling__RunBatchesInFlight"] = "6",
        ["Automation__MaxConcurrentRuns"] = "2",
    };

    /// <summary>Cancelled once batches ran: it ends Cancelled, every batch that started ends (on whichever node), and
    /// then the devices not reached have no result.</summary>
    private static async Task CancelStopsTheBatchesOnEveryNodeAsync(AutomationClient client, IDbContextFactory<EnmsDbContext> dbFactory,
        List<AppProcess> nodes, int service, List<int> deviceIds)
    {
        var runId = await client.RunAsync(service, deviceIds);
        await ClusterTests.EventuallyAsync(TimeSpan.FromSeconds(90), async () => (await OutcomesAsync(dbFactory, runId)).Count >= 30, $"30 devices of run {runId} done");
        await AutomationClient.Read(await client.Http.PostAsync($"/api/runs/{runId}/cancel", null), HttpStatusCode.Accepted);
        var run = await client.WaitAsync(runId, seconds: 60);
        Assert.True(run.Status == RunStatus.Cancelled, $"run {runId} ended {run.Status}: {run.Error}");
        // Every batch that began has ended: nothing more can be stored for this run.
        await ClusterTests.EventuallyAsync(TimeSpan.FromSeconds(60), () =>
        {
            var output = string.Concat(nodes.Select(n => n.Output));
            return Task.FromResult(Regex.Count(output, $@"Run {runId} run-{runId}-batch-\d+ of \d+ device\(s\) executing") ==
                Regex.Count(output, $@"Run {runId} run-{runId}-batch-\d+ ended on node"));
        }, $"the batches of run {runId} to end");
        var outcomes = await OutcomesAsync(dbFactory, runId);
        Assert.InRange(outcomes.Count, 30, DeviceCount - 1);
        Assert.All(outcomes.GroupBy(o => o.DeviceId), g => Assert.Single(g));
    }

    /// <summary>Runs until at least two nodes stored results, then kills the run's coordinator: another node takes the
    /// run over, the batches in flight on the dead node are recovered, every device is done exactly once.</summary>
    private static async Task DeadCoordinatorsRunIsFinishedExactlyOnceAsync(AutomationClient client, IDbContextFactory<EnmsDbContext> dbFactory,
        List<AppProcess> nodes, int service, List<int> deviceIds)
    {
        var runId = await client.RunAsync(service, deviceIds);
        var coordinator = await NodeCluster.CoordinatorAsync(nodes, runId);
        // Killed while it executes a batch of its own, once another node stored results too.
        await ClusterTests.EventuallyAsync(TimeSpan.FromSeconds(90), async () =>
        {
            var outcomes = await OutcomesAsync(dbFactory, runId);
            return outcomes.Count >= 40 && outcomes.Select(o => o.ExecutedOn).Distinct().Count() >= 2
                && outcomes.Any(o => o.ExecutedOn == coordinator.Node) && UnfinishedBatches(coordinator, runId).Count > 0;
        }, $"two nodes to store results of run {runId}, its coordinator executing a batch");
        await coordinator.KillAsync();
        var cutShort = UnfinishedBatches(coordinator, runId);
        // The API is asked through a survivor.
        var survivor = nodes.First(n => n != coordinator);
        using var api = new HttpClient { BaseAddress = new Uri(survivor.BaseUrl) };
        api.DefaultRequestHeaders.Authorization = client.Http.DefaultRequestHeaders.Authorization;
        var finished = await new AutomationClient(api).WaitAsync(runId, seconds: 180);
        Assert.True(finished.Status == RunStatus.Completed, $"run {runId} ended {finished.Status}: {finished.Error}");
        Assert.Equal(DeviceCount, finished.DevicesDone);
        Assert.Contains(nodes, n => n != coordinator && n.Output.Contains($"Run {runId} executing on node {n.Node} (recovered", StringComparison.Ordinal));
        var all = await OutcomesAsync(dbFactory, runId);
        Assert.Equal(deviceIds.Order(), all.Select(o => o.DeviceId).Order());
        Assert.All(all.GroupBy(o => o.DeviceId), g => Assert.Single(g));
        Assert.All(all, o => Assert.True(o.Success, $"device {o.DeviceId}: {o.Error}"));
        // The batches the dead node was executing were fired again on a survivor (Quartz recovery), unless the dead node
        // had stored every device of one just before it died.
        var batches = deviceIds.Order().Chunk(BatchSize).ToList();
        foreach (var batch in cutShort)
        {
            // Fired by Quartz's recovery trigger, or by the trigger that puts it back when that node had no free slot.
            var recovered = nodes.Any(n => n != coordinator && Regex.IsMatch(n.Output, $@"Run {runId} run-{runId}-batch-{batch} of \d+ device\(s\) executing on node {n.Node}"));
            var storedByDeadNode = batches[batch].All(id => all.Any(o => o.DeviceId == id && o.ExecutedOn == coordinator.Node));
            Assert.True(recovered || storedByDeadNode, $"batch {batch} of run {runId}, cut short on {coordinator.Node}, was not recovered");
        }
        var executedOn = all.Select(o => o.ExecutedOn).ToHashSet();
        Assert.True(executedOn.Count >= 2, $"results executed on {string.Join(", ", executedOn)}");
        Assert.Subset(nodes.Select(n => n.Node).ToHashSet(), executedOn);
    }

    /// <summary>The batches of the run a node began and did not end (by its log).</summary>
    internal static List<int> UnfinishedBatches(AppProcess node, int runId)
    {
        var output = node.Output;
        var begun = Regex.Matches(output, $@"Run {runId} run-{runId}-batch-(\d+) of \d+ device\(s\) executing").Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        var ended = Regex.Matches(output, $@"Run {runId} run-{runId}-batch-(\d+) ended on node").Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        return begun.Except(ended).ToList();
    }

    internal sealed record Outcome(int DeviceId, string ExecutedOn, bool Success, string Error);

    /// <summary>The run's device outcomes (run-level results) as stored.</summary>
    internal static async Task<List<Outcome>> OutcomesAsync(IDbContextFactory<EnmsDbContext> dbFactory, int runId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        return await db.RunResults.Where(r => r.RunId == runId && r.Node == RunResult.RunLevel && r.DeviceId != null)
            .Select(r => new Outcome(r.DeviceId!.Value, r.ExecutedOn, r.Success, r.Error)).ToListAsync();
    }
}
