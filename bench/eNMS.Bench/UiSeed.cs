using eNMS.Core.Automation;
using eNMS.Core.Automation.Workflows;
using eNMS.Core.Data;
using eNMS.Core.Inventory;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Bench;

/// <summary>What the UI part draws, written straight into the database of the server under test (it already
/// migrated it). Deterministic: the same sizes give the same network every run.</summary>
public static class UiSeed
{
    // Metropolitan areas devices are spread around on the map (lat, long): clustered as real networks are.
    private static readonly (double Lat, double Lon)[] Cities =
    [
        (48.85, 2.35), (51.51, -0.13), (40.71, -74.01), (37.77, -122.42), (35.68, 139.69), (1.35, 103.82), (-33.87, 151.21),
        (52.52, 13.40), (19.43, -99.13), (-23.55, -46.63), (28.61, 77.21), (55.76, 37.62), (30.04, 31.24), (-26.20, 28.05),
        (41.88, -87.63), (43.65, -79.38), (25.20, 55.27), (37.57, 126.98), (22.32, 114.17), (-34.60, -58.38),
    ];

    /// <summary>Devices with coordinates and random links between them (each device linked at least once when
    /// links ≥ devices, as a connected-ish network is).</summary>
    public static async Task NetworkAsync(IDbContextFactory<EnmsDbContext> dbFactory, int deviceCount, int linkCount, CancellationToken ct)
    {
        var random = new Random(9);
        var devices = new List<Device>(deviceCount);
        for (var i = 0; i < deviceCount; i++)
        {
            var (lat, lon) = Cities[i % Cities.Length];
            devices.Add(new Device
            {
                Name = $"ui-{i:D5}",
                Address = $"10.{i / 65536 % 256}.{i / 256 % 256}.{i % 256}",
                Platform = "cisco_ios",
                Latitude = Math.Round(lat + (random.NextDouble() - 0.5) * 4, 5),
                Longitude = Math.Round(lon + (random.NextDouble() - 0.5) * 6, 5),
            });
        }
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            db.Devices.AddRange(devices);
            await db.SaveChangesAsync(ct);
        }
        var links = new List<Link>(linkCount);
        for (var n = 0; n < linkCount; n++)
        {
            // First a tree (device i to an earlier one), then random extra links: a graph with structure to lay out.
            var a = n < deviceCount - 1 ? n + 1 : random.Next(deviceCount);
            var b = n < deviceCount - 1 ? random.Next(Math.Max(0, a - 50), a) : random.Next(deviceCount);
            if (a == b)
            {
                b = (b + 1) % deviceCount;
            }
            links.Add(new Link { Name = $"link-{n:D5}", SourceId = devices[a].Id, DestinationId = devices[b].Id });
        }
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            db.Links.AddRange(links);
            await db.SaveChangesAsync(ct);
        }
    }

    /// <summary>A workflow of <paramref name="nodeCount"/> nodes, each its own <c>wait</c> service (so every node has a
    /// name to find it by), in rows of 10 left to right with success edges along a row and failure edges down.</summary>
    public static async Task<int> WorkflowAsync(IDbContextFactory<EnmsDbContext> dbFactory, int nodeCount, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var services = Enumerable.Range(1, nodeCount).Select(i => new Service
        {
            Name = NodeName(i),
            Kind = "wait",
            Parameters = """{"seconds": 0}""",
        }).ToList();
        db.Services.AddRange(services);
        await db.SaveChangesAsync(ct);
        const int perRow = 10;
        var graph = new WorkflowGraph { Start = "n1" };
        for (var i = 1; i <= nodeCount; i++)
        {
            graph.Nodes.Add(new WorkflowNode { Id = $"n{i}", ServiceId = services[i - 1].Id, X = 40 + (i - 1) % perRow * 260, Y = 40 + (i - 1) / perRow * 160 });
            if (i % perRow != 0 && i < nodeCount)
            {
                graph.Edges.Add(new WorkflowEdge { From = $"n{i}", To = $"n{i + 1}", Kind = EdgeKind.Success });
            }
            if (i + perRow <= nodeCount)
            {
                graph.Edges.Add(new WorkflowEdge { From = $"n{i}", To = $"n{i + perRow}", Kind = EdgeKind.Failure });
            }
        }
        var workflow = new Service { Name = $"ui bench {nodeCount} nodes", Kind = "workflow", Graph = graph };
        db.Services.Add(workflow);
        await db.SaveChangesAsync(ct);
        return workflow.Id;
    }

    public static string NodeName(int i) => $"step {i:D3}";
}
