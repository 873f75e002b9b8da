using System.Diagnostics;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Automation.Workflows;
using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Bench;

/// <summary>
/// Engine overhead: a chain of no-op nodes (<c>wait</c> 0 s: it never touches the device) run device by device on
/// N devices through the real launcher, run worker, workflow runner and result recorder; the run counts as done when
/// its final status is stored, i.e. after every result is persisted. Overhead = wall time / (nodes × devices); the
/// process's CPU time is reported too, as the figure a busy shared machine distorts least.
/// </summary>
public static class EngineBench
{
    public static async Task RunAsync(Options options, CancellationToken ct)
    {
        var (deviceCount, nodeCount, parallel) = (options.Number("devices", 1000), options.Number("nodes", 20), options.Number("parallel", 50));
        var provider = options.Text("provider", "Sqlite");
        var repeats = options.Number("repeat", 3);
        using var host = await BenchHost.StartAsync(options, ct);
        var dbFactory = host.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>();
        var launcher = host.Services.GetRequiredService<RunLauncher>();
        var (devices, warmup) = await SeedAsync(dbFactory, deviceCount, nodeCount, parallel, ct);

        // Each workflow runs once untimed on every device first: the JIT compiles the paths at tier 0 and then again,
        // optimized, once they are hot (a 20-device warm-up left that second compilation inside the measured run, and
        // its figures varied by ±30%). What is measured is a server in its steady state.
        await RunToEndAsync(dbFactory, launcher, warmup, devices.Take(20).ToList(), ct);
        foreach (var mode in new[] { WorkflowMode.DeviceByDevice, WorkflowMode.ServiceByService })
        {
            var workflowId = await WorkflowAsync(dbFactory, mode, nodeCount, parallel, ct);
            await RunToEndAsync(dbFactory, launcher, workflowId, devices, ct);
            // The median of a few runs: one run's figure moves by ±30% on this shared virtual machine.
            var measured = new List<(double Seconds, double Executed, double Cpu)>();
            for (var repeat = 0; repeat < repeats; repeat++)
            {
                measured.Add(await MeasureAsync(host.Services, dbFactory, launcher, workflowId, devices, nodeCount, ct));
            }
            var (seconds, executedSeconds, cpuSeconds) = measured.OrderBy(m => m.Seconds).ElementAt(repeats / 2);
            Measure.Report("engine", ("provider", provider), ("mode", mode), ("devices", deviceCount), ("nodes", nodeCount), ("parallel", parallel),
                ("seconds", seconds), ("executed_s", executedSeconds), ("results", deviceCount * (nodeCount + 1)), ("repeats", repeats),
                ("us_per_node_device", seconds * 1e6 / (deviceCount * nodeCount)),
                ("cpu_s", cpuSeconds), ("cpu_us_per_node_device", cpuSeconds * 1e6 / (deviceCount * nodeCount)),
                ("peak_mib", Measure.PeakMemoryMiB()));
        }
        await host.StopAsync(ct);
    }

    /// <summary>One timed run, done when its final status is stored: wall time, when the last device finished its last
    /// node (before persistence caught up), and this process's CPU time.</summary>
    private static async Task<(double Seconds, double Executed, double Cpu)> MeasureAsync(IServiceProvider services,
        IDbContextFactory<EnmsDbContext> dbFactory, RunLauncher launcher, int workflowId, List<int> devices, int nodeCount, CancellationToken ct)
    {
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var started = Stopwatch.GetTimestamp();
        long executed = 0;
        using var subscription = services.GetRequiredService<RunNotifier>().SubscribeAll(RunEventScope.Everything, e =>
        {
            if (e is RunProgressed p && p.DevicesDone == p.DevicesTotal && p.DevicesTotal == devices.Count)
            {
                Interlocked.CompareExchange(ref executed, Stopwatch.GetTimestamp(), 0);
            }
            return Task.CompletedTask;
        });
        var run = await RunToEndAsync(dbFactory, launcher, workflowId, devices, ct);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpuSeconds = (Environment.CpuUsage.TotalTime - cpuBefore).TotalSeconds;
        var executedSeconds = executed == 0 ? 0 : Stopwatch.GetElapsedTime(started, executed).TotalSeconds;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stored = await db.RunResults.CountAsync(r => r.RunId == run.Id && r.Success, ct);
        var expected = devices.Count * (nodeCount + 1); // every node, plus the workflow's outcome per device
        if (run.Status != RunStatus.Completed || stored != expected)
        {
            throw new BenchException($"run #{run.Id} ended {run.Status} with {stored} successful results stored, expected {expected}: {run.Error}");
        }
        return (seconds, executedSeconds, cpuSeconds);
    }

    private static async Task<Run> RunToEndAsync(IDbContextFactory<EnmsDbContext> dbFactory, RunLauncher launcher, int serviceId, List<int> devices,
        CancellationToken ct)
    {
        var launch = await launcher.StartAsync(new RunRequest(serviceId, devices, User: "bench", Trigger: "bench"), ct);
        if (!launch.Started)
        {
            throw new BenchException("the run did not start: " + string.Join(" ", launch.Problems));
        }
        while (true)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), ct);
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == launch.RunId, ct);
            if (run.Status is not (RunStatus.Pending or RunStatus.Running))
            {
                return run;
            }
        }
    }

    /// <summary>Devices at loopback addresses that nothing dials (a no-op never connects; were it to, loopback is
    /// the only place it could reach), the no-op services, and a small warm-up workflow.</summary>
    private static async Task<(List<int> Devices, int Warmup)> SeedAsync(IDbContextFactory<EnmsDbContext> dbFactory, int deviceCount, int nodeCount,
        int parallel, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var devices = Enumerable.Range(0, deviceCount)
            .Select(i => new Device { Name = $"noop-{i:D5}", Address = $"127.255.{i / 250}.{i % 250 + 1}", Platform = "cisco_ios" }).ToList();
        db.Devices.AddRange(devices);
        for (var i = 1; i <= nodeCount; i++)
        {
            db.Services.Add(new Service { Name = $"noop {i}", Kind = "wait", Parameters = """{"seconds":0}""", MaxParallelDevices = parallel });
        }
        await db.SaveChangesAsync(ct);
        return (devices.Select(d => d.Id).ToList(), await WorkflowAsync(dbFactory, WorkflowMode.DeviceByDevice, nodeCount, parallel, ct));
    }

    internal static async Task<int> WorkflowAsync(IDbContextFactory<EnmsDbContext> dbFactory, WorkflowMode mode, int nodeCount, int parallel, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var noops = await db.Services.Where(s => s.Kind == "wait").OrderBy(s => s.Id).Select(s => s.Id).ToListAsync(ct);
        var graph = new WorkflowGraph { Start = "n1", Mode = mode };
        for (var i = 1; i <= nodeCount; i++)
        {
            graph.Nodes.Add(new WorkflowNode { Id = $"n{i}", ServiceId = noops[i - 1], X = i * 120 });
            if (i > 1)
            {
                graph.Edges.Add(new WorkflowEdge { From = $"n{i - 1}", To = $"n{i}", Kind = EdgeKind.Success });
            }
        }
        var workflow = new Service
        {
            Name = $"bench {mode} {Guid.NewGuid():N}",
            Kind = "workflow",
            Graph = graph,
            MaxParallelDevices = parallel,
        };
        db.Services.Add(workflow);
        await db.SaveChangesAsync(ct);
        return workflow.Id;
    }
}
