using System.Globalization;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Tests.Integration;

/// <summary>
/// A run's <c>maxParallelDevices</c> across three node processes (as <see cref="ClusterBatchTests"/>) with
/// <c>Scheduling:DistributeRuns</c>: its batches run on every node, yet no more devices work at once than the service
/// allows — measured by the devices themselves (a Python script counting, under a file lock, how many of its copies run
/// at once, on whichever node). A node killed while it holds places of the run: they expire and the run completes.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class ClusterCapTests(PostgresServer postgres)
{
    private const int DeviceCount = 60;
    private const int MaxParallel = 3;

    /// <summary>Counts the copies running at once in <paramref name="counter"/> ("now peak"), under an exclusive lock.</summary>
    private static string Script(string counter, double seconds) => $$"""
        import fcntl, json, sys, time
        def change(delta):
            with open({{System.Text.Json.JsonSerializer.Serialize(counter)}}, "a+") as f:
                fcntl.flock(f, fcntl.LOCK_EX)
                f.seek(0)
                words = f.read().split() or ["0", "0"]
                now, peak = int(words[0]) + delta, int(words[1])
                f.seek(0)
                f.truncate()
                f.write("%d %d" % (now, max(peak, now)))
        change(1)
        try:
            time.sleep({{seconds.ToString(CultureInfo.InvariantCulture)}})
        finally:
            change(-1)
        print(json.dumps({"success": True}))
        """;

    [RequiresFact("postgres")]
    public async Task A_runs_parallelism_holds_across_the_nodes_executing_its_batches_and_a_dead_nodes_places_expire()
    {
        var settings = new Dictionary<string, string>
        {
            ["Scheduling__DistributeRuns"] = "true",
            ["Scheduling__RunBatchSize"] = "6",
            ["Scheduling__RunBatchesInFlight"] = "6",
            ["Scheduling__LeaseSeconds"] = "4",
            // Two batches per node at once: without a cluster-wide cap, 3 nodes × 2 batches × 3 devices would work at once.
            ["Automation__MaxConcurrentRuns"] = "2",
        };
        await using var cluster = await NodeCluster.StartAsync(postgres, "cap-cluster", settings, "cap-a", "cap-b", "cap-c");
        // The script dials nothing; the addresses are the lab emulator's range all the same.
        var deviceIds = await cluster.DevicesAsync(DeviceCount, i => new Device { Name = $"cap-{i:000}", Address = $"10.255.130.{1 + i}", Platform = "linux" });
        await cluster.RunAsync(async () =>
        {
            await ParallelismHoldsAcrossNodesAsync(cluster.Client, cluster.Database, deviceIds, cluster.PathOf("counter-1"));
            await DeadNodesPlacesExpireAsync(cluster.Client, cluster.Database, cluster.Nodes, deviceIds, cluster.PathOf("counter-2"));
        });
    }

    private static async Task ParallelismHoldsAcrossNodesAsync(AutomationClient client, IDbContextFactory<EnmsDbContext> dbFactory, List<int> deviceIds, string counter)
    {
        var service = await client.CreateServiceAsync("counted", "python_script", new { script = Script(counter, 0.4) }, new { maxParallelDevices = MaxParallel });
        var runId = await client.RunAsync(service, deviceIds);
        var run = await client.WaitAsync(runId, seconds: 300);
        var outcomes = await OutcomesAsync(dbFactory, runId);
        Assert.True(run.Status == RunStatus.Completed, $"run {runId} ended {run.Status}: {run.Error}; {string.Join("; ", outcomes.Where(o => !o.Success).Select(o => o.Error).Take(3))}");
        Assert.Equal(deviceIds.Order(), outcomes.Select(o => o.DeviceId).Order());
        var executedOn = outcomes.Select(o => o.ExecutedOn).ToHashSet();
        Assert.True(executedOn.Count >= 2, $"results executed on {string.Join(", ", executedOn)}");
        // What the devices measured: never more of them at once than the service allows, on all nodes together.
        var words = (await File.ReadAllTextAsync(counter)).Split(' ');
        Assert.Equal("0", words[0]);
        Assert.InRange(int.Parse(words[1], CultureInfo.InvariantCulture), 1, MaxParallel);
        // Every place was given back.
        await ClusterTests.EventuallyAsync(TimeSpan.FromSeconds(30), async () => await LeasesAsync(dbFactory, runId) is [], $"the places of run {runId} to be released");
    }

    private static async Task DeadNodesPlacesExpireAsync(AutomationClient client, IDbContextFactory<EnmsDbContext> dbFactory, List<AppProcess> nodes,
        List<int> deviceIds, string counter)
    {
        var service = await client.CreateServiceAsync("counted slowly", "python_script", new { script = Script(counter, 1.0) }, new { maxParallelDevices = MaxParallel });
        var runId = await client.RunAsync(service, deviceIds);
        var coordinator = await NodeCluster.CoordinatorAsync(nodes, runId);
        // A node other than the coordinator, caught holding places of the run.
        AppProcess? victim = null;
        List<SessionLease> held = [];
        await ClusterTests.EventuallyAsync(TimeSpan.FromSeconds(120), async () =>
        {
            var leases = await LeasesAsync(dbFactory, runId);
            victim = nodes.FirstOrDefault(n => n != coordinator && leases.Any(l => l.Holder.StartsWith(n.Node + "/", StringComparison.Ordinal)));
            held = victim is null ? [] : leases.Where(l => l.Holder.StartsWith(victim.Node + "/", StringComparison.Ordinal)).ToList();
            return victim is not null;
        }, $"a node other than the coordinator to hold places of run {runId}");
        await victim!.KillAsync();
        Assert.NotEmpty(held);

        var finished = await client.WaitAsync(runId, seconds: 240);
        var outcomes = await OutcomesAsync(dbFactory, runId);
        Assert.True(finished.Status == RunStatus.Completed, $"run {runId} ended {finished.Status}: {finished.Error}");
        Assert.Equal(deviceIds.Order(), outcomes.Select(o => o.DeviceId).Order());
        Assert.All(outcomes.GroupBy(o => o.DeviceId), g => Assert.Single(g));
        // The dead node's places were not renewed: each expired (or was taken over by a live node, or released).
        var now = TimeProvider.System.GetUtcNow();
        var left = (await LeasesAsync(dbFactory, runId)).Where(l => held.Any(h => h.Slot == l.Slot && h.Token == l.Token)).ToList();
        Assert.All(left, l => Assert.True(l.ExpiresAt <= now, $"place {l.Scope}#{l.Slot} of the dead node still held until {l.ExpiresAt:O}"));
    }

    private sealed record Outcome(int DeviceId, string ExecutedOn, bool Success, string Error);

    private static async Task<List<Outcome>> OutcomesAsync(IDbContextFactory<EnmsDbContext> dbFactory, int runId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        return await db.RunResults.Where(r => r.RunId == runId && r.Node == RunResult.RunLevel && r.DeviceId != null)
            .Select(r => new Outcome(r.DeviceId!.Value, r.ExecutedOn, r.Success, r.Error)).ToListAsync();
    }

    /// <summary>The places of the run's own cap (its devices' turns) held now.</summary>
    private static async Task<List<SessionLease>> LeasesAsync(IDbContextFactory<EnmsDbContext> dbFactory, int runId)
    {
        var scope = ClusterLeases.RunScope(runId);
        await using var db = await dbFactory.CreateDbContextAsync();
        return await db.SessionLeases.AsNoTracking().Where(l => l.Scope == scope).ToListAsync();
    }
}
