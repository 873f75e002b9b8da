using eNMS.Core.Automation;
using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Core.Views;
using eNMS.Tests.TestSupport;

namespace eNMS.Tests.Core.Views;

public sealed class NetworkGraphTests
{
    [Fact]
    public async Task The_payload_holds_only_devices_in_scope_links_between_them_and_each_device_last_run_status()
    {
        using var database = new TestDatabase();
        var (a, b, c, d) = (new Device { Name = "a", Latitude = 48.85, Longitude = 2.35 }, new Device { Name = "b" }, new Device { Name = "c" }, new Device { Name = "d" });
        var scope = new Pool { Name = "scope", Mode = PoolMode.Manual, Devices = [a, b, c] };
        await using (var db = database.CreateDbContext())
        {
            db.AddRange(a, b, c, d, scope);
            db.Links.AddRange(new Link { Name = "a-b", Source = a, Destination = b, SourceInterface = "Gi0/1", DestinationInterface = "eth3" }, new Link { Name = "c-d", Source = c, Destination = d });
            await db.SaveChangesAsync();
            var older = new Run { ServiceName = "s", Status = RunStatus.Failed };
            var newer = new Run { ServiceName = "s", Status = RunStatus.Completed };
            var running = new Run { ServiceName = "s", Status = RunStatus.Running, DeviceIds = [c.Id] };
            db.Runs.AddRange(older, newer, running);
            await db.SaveChangesAsync();
            db.RunResults.AddRange(
                // a failed once, then succeeded in a later run; b's latest run has one failed node among successes.
                new RunResult { RunId = older.Id, DeviceId = a.Id, Success = false },
                new RunResult { RunId = newer.Id, DeviceId = a.Id, Success = true },
                new RunResult { RunId = newer.Id, DeviceId = b.Id, Success = true, Node = "n1" },
                new RunResult { RunId = newer.Id, DeviceId = b.Id, Success = false, Node = "n2" },
                new RunResult { RunId = newer.Id, DeviceId = b.Id, Success = true, Node = "n3" },
                new RunResult { RunId = newer.Id, DeviceId = c.Id, Success = true });
            await db.SaveChangesAsync();
        }

        await using var context = await database.CreateScopedAsync([scope.Id], CancellationToken.None);
        var graph = await NetworkGraph.LoadAsync(context, CancellationToken.None);

        Assert.Equal(["a", "b", "c"], graph.Devices.Name);
        Assert.Equal([48.85, null, null], graph.Devices.Latitude);
        Assert.Equal([(int)DeviceRunStatus.Succeeded, (int)DeviceRunStatus.Failed, (int)DeviceRunStatus.Running], graph.Devices.Status);
        Assert.Equal([a.Id], graph.Links.Source);
        Assert.Equal([b.Id], graph.Links.Destination);
        // The topology writes them at the link's ends when zoomed in.
        Assert.Equal(["Gi0/1"], graph.Links.SourceInterface);
        Assert.Equal(["eth3"], graph.Links.DestinationInterface);
        Assert.Equal([a.Id, b.Id, c.Id], Assert.Single(graph.Pools).DeviceIds);

        await using var unscoped = database.CreateDbContext();
        var everything = await NetworkGraph.LoadAsync(unscoped, CancellationToken.None);
        Assert.Equal(4, everything.Devices.Id.Length);
        Assert.Equal((int)DeviceRunStatus.Never, everything.Devices.Status[3]);
        Assert.Equal(2, everything.Links.Source.Length);
    }
}
