using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using eNMS.Core.Automation;
using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Tests.EndToEnd;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

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
    public async Task A_run_split_in_batches_is_executed_by_every_node_cancelled_everywhere_and_finished_exactly_once_when_its_node_dies()
    {
        var connectionString = postgres.NewDatabase();
        var dataDirectory = Directory.CreateTempSubdirectory("batch-cluster-").FullName;
        var nodes = new List<AppProcess>();
        try
        {
            await StartNodesAsync(nodes, ["batch-a", "batch-b", "batch-c"], connectionString, dataDirectory, BatchSize);
            using var api = await ClusterTests.ApiClientAsync(connectionString, dataDirectory, nodes[0].BaseUrl);
            var client = new AutomationClient(api);
            await using var services = ClusterTests.Services(connectionString, dataDirectory);
            var dbFactory = services.GetRequiredService<IDbContextFactory<EnmsDbContext>>();
            List<int> deviceIds;
            await using (var db = await dbFactory.CreateDbContextAsync())
            {
                // The wait kind dials nothing; the addresses are the lab emulator's range all the same.
                var devices = Enumerable.Range(0, DeviceCount).Select(i => new Device { Name = $"batch-{i:000}", Address = $"10.255.{128 + i / 250}.{1 + i % 250}", Platform = "linux" }).ToList();
                db.Devices.AddRange(devices);
                await db.SaveChangesAsync();
                deviceIds = devices.Select(d => d.Id).ToList();
            }
            var service = await client.CreateServiceAsync("slow", "wait", new { seconds = 0.2 }, new { maxParallelDevices = 2 });
            try
            {
                await CancelStopsTheBatchesOnEveryNodeAsync(client, dbFactory, nodes, service, deviceIds);
                await DeadCoordinatorsRunIsFinishedExactlyOnceAsync(client, dbFactory, nodes, service, deviceIds);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new InvalidOperationException(e.Message + string.Concat(nodes.Select(n => $"\n--- {n.Node} ---\n{ClusterTests.Tail(n.Output)}")), e);
            }
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    /// <summary>Starts node processes one after the other (the first applies the migrations and creates the admin, the
    /// others find them) with <c>Scheduling:DistributeRuns</c>, batches of <paramref name="batchSize"/>, six in flight
    /// and two per node at once (the others are left to the other nodes). Each is added to <paramref name="nodes"/> as
    /// it starts: the caller disposes them.</summary>
    internal static async Task StartNodesAsync(List<AppProcess> nodes, string[] names, string connectionString, string dataDirectory, int batchSize)
    {
        var settings = new Dictionary<string, string>
        {
            ["Scheduling__DistributeRuns"] = "true",
            ["Scheduling__RunBatchSize"] = batchSize.ToString(CultureInfo.InvariantCulture),
            ["Scheduling__RunBatchesInFlight"] = "6",
            ["Automation__MaxConcurrentRuns"] = "2",
        };
        foreach (var name in names)
        {
            var node = new AppProcess(name, connectionString, dataDirectory, AppServer.AdminPassword, settings: settings);
            nodes.Add(node);
            await node.WaitReadyAsync(TimeSpan.FromMinutes(5));
        }
    }

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
        AppProcess? coordinator = null;
        await ClusterTests.EventuallyAsync(TimeSpan.FromSeconds(60), () =>
        {
            coordinator = nodes.FirstOrDefault(n => n.Output.Contains($"Run {runId} executing on node {n.Node}", StringComparison.Ordinal));
            return Task.FromResult(coordinator is not null);
        }, $"a node to take run {runId}");
        // Killed while it executes a batch of its own, once another node stored results too.
        await ClusterTests.EventuallyAsync(TimeSpan.FromSeconds(90), async () =>
        {
            var outcomes = await OutcomesAsync(dbFactory, runId);
            return outcomes.Count >= 40 && outcomes.Select(o => o.ExecutedOn).Distinct().Count() >= 2
                && outcomes.Any(o => o.ExecutedOn == coordinator!.Node) && UnfinishedBatches(coordinator!, runId).Count > 0;
        }, $"two nodes to store results of run {runId}, its coordinator executing a batch");
        await coordinator!.KillAsync();
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
