using eNMS.Core.Automation;
using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Tests.Integration;

/// <summary>
/// A workflow split across three nodes: each batch runs the whole workflow for its devices, each device on its own path
/// (a failure edge taken by most of them). A cancel stops it on every node; with its coordinator killed mid-run, every
/// device's path is done exactly once — one result per node of its path, one outcome — on at least two nodes.
/// </summary>
public sealed partial class ClusterBatchTests
{
    [RequiresFact("postgres")]
    public Task A_workflow_split_in_batches_follows_each_devices_path_on_every_node_and_once_per_device_when_its_node_dies() =>
        WithClusterAsync("wf", async (client, dbFactory, nodes, _) =>
        {
            List<Device> devices;
            await using (var db = await dbFactory.CreateDbContextAsync())
            {
                // Nothing is dialled (a validation with nothing to validate, a wait); the addresses are the lab emulator's range.
                devices = Enumerable.Range(0, DeviceCount).Select(i => new Device { Name = $"wf-{i:000}", Address = $"10.255.{128 + i / 250}.{1 + i % 250}", Platform = "linux" }).ToList();
                db.Devices.AddRange(devices);
                await db.SaveChangesAsync();
            }
            // check: the devices whose name holds a 7 skip it (success, their path ends); the others fail it (nothing to
            // validate) and take its failure edge to fix, which succeeds: their outcome is a success after a failed node.
            var check = await client.CreateServiceAsync("check", "data_validation", new { checks = new[] { new { kind = "Contains", value = "up" } } },
                new { skipWhen = "device.name contains '7'" });
            var fix = await client.CreateServiceAsync("fix", "wait", new { seconds = 0.3 });
            var workflow = await client.CreateWorkflowAsync("check then fix", [("check", check), ("fix", fix)], ["check!fix"], options: new { maxParallelDevices = 2 });
            var deviceIds = devices.Select(d => d.Id).ToList();

            await CancelStopsTheBatchesOnEveryNodeAsync(client, dbFactory, nodes, workflow, deviceIds);
            var cancelled = await LastRunAsync(dbFactory);
            Assert.All((await PathsAsync(dbFactory, cancelled)).Values, path => Assert.Equal(path.Distinct().Count(), path.Count));

            await DeadCoordinatorsRunIsFinishedExactlyOnceAsync(client, dbFactory, nodes, workflow, deviceIds);
            var runId = await LastRunAsync(dbFactory);
            var paths = await PathsAsync(dbFactory, runId);
            Assert.All(devices, d => Assert.Equal(d.Name.Contains('7', StringComparison.Ordinal) ? new[] { "check+" } : new[] { "check-", "fix+" },
                paths.GetValueOrDefault(d.Id, []).Order(StringComparer.Ordinal).ToArray()));
            await using var stored = await dbFactory.CreateDbContextAsync();
            var run = await stored.Runs.AsNoTracking().SingleAsync(r => r.Id == runId);
            Assert.Equal(devices.Count(d => !d.Name.Contains('7', StringComparison.Ordinal)), run.DevicesRecovered);
            var results = await stored.RunResults.Where(r => r.RunId == runId && r.Node != RunResult.RunLevel && r.DeviceId != null).ToListAsync();
            var executedOn = results.Select(r => r.ExecutedOn).ToHashSet();
            Assert.True(executedOn.Count >= 2, $"node results executed on {string.Join(", ", executedOn)}");
            // A path begun on the killed node and finished on another resumed at its next node, said in the run's log.
            var log = await stored.RunLogs.Where(l => l.RunId == runId).Select(l => l.Message).ToListAsync();
            foreach (var path in results.GroupBy(r => r.DeviceName).Where(g => g.Select(r => r.ExecutedOn).Distinct().Count() > 1))
            {
                var begun = path.Single(r => r.Node == "check").ExecutedOn;
                Assert.Contains($"{path.Key}: its path was cut short on node {begun} after 1 result(s): resumed at node 'fix' on node {path.Single(r => r.Node == "fix").ExecutedOn}", log);
            }
        });

    private static async Task<int> LastRunAsync(IDbContextFactory<EnmsDbContext> dbFactory)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        return await db.Runs.MaxAsync(r => r.Id);
    }

    /// <summary>Each device's node results as stored ("check-": node check failed, "fix+": node fix succeeded).</summary>
    private static async Task<Dictionary<int, List<string>>> PathsAsync(IDbContextFactory<EnmsDbContext> dbFactory, int runId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var results = await db.RunResults.Where(r => r.RunId == runId && r.Node != RunResult.RunLevel && r.DeviceId != null)
            .Select(r => new { Device = r.DeviceId!.Value, r.Node, r.Success }).ToListAsync();
        return results.GroupBy(r => r.Device).ToDictionary(g => g.Key, g => g.Select(r => r.Node + (r.Success ? "+" : "-")).ToList());
    }
}
