using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;

namespace eNMS.Bench;

/// <summary>
/// One run across the nodes of a cluster (<c>Scheduling:DistributeRuns</c> on PostgreSQL): the fan-out's
/// <c>config_backup</c> of the hosts, started through the first node's REST API and executed in batches by every node
/// that run.sh started, then the same devices with a no-op service (<c>wait</c> 0 s: never dials the device) for the
/// engine's own cost. Each set runs twice (first run after start, steady state). Per run: devices/s, and per node the
/// CPU seconds its process used over the run (<c>/proc/PID/stat</c>) and the devices it executed (the results'
/// <c>executedOn</c>): CPU per device per node, the figure that tells what separate machines would scale to.
/// </summary>
public static class NodesBench
{
    // Linux reports process times in USER_HZ ticks, 100 a second on every architecture .NET runs on.
    private const double TicksPerSecond = 100;

    public static async Task RunAsync(Options options, CancellationToken ct)
    {
        var urls = options.Required("urls").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var pids = options.Required("pids").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var names = options.Required("names").Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (pids.Length != urls.Length || names.Length != urls.Length)
        {
            throw new BenchException($"--urls, --pids and --names must name the same nodes ({urls.Length}, {pids.Length}, {names.Length} given).");
        }
        var label = options.Text("label", $"{urls.Length}-nodes");
        var parallel = options.Number("parallel", 5);
        var postgres = options.Text("pg-pid", "");
        var hosts = FanoutBench.ReadHosts(options);
        using var http = await FanoutBench.ApiClientAsync(options, urls[0], ct);
        var deviceIds = await FanoutBench.ImportAsync(http, options, hosts, ct);
        var backup = await ServiceAsync(http, $"backup {label}", "config_backup", new { }, parallel, ct);
        var noop = await ServiceAsync(http, $"no-op {label}", "wait", new { seconds = 0 }, parallel, ct);

        // As the fan-out: one untimed device first, then each set twice (the first still JIT-compiles on every node).
        await FanoutBench.RunAsync(http, backup, deviceIds.Take(1).ToList(), ct);
        foreach (var (service, kind) in new[] { (backup, "backup"), (noop, "noop") })
        {
            foreach (var run in new[] { "first", "steady" })
            {
                var before = pids.Select(CpuSeconds).ToArray();
                var postgresBefore = postgres.Length > 0 ? TreeCpuSeconds(postgres) : 0;
                var started = Stopwatch.GetTimestamp();
                var (runId, final) = await FanoutBench.RunAsync(http, service, deviceIds, ct);
                var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                var cpu = pids.Select((pid, i) => CpuSeconds(pid) - before[i]).ToArray();
                var postgresCpu = postgres.Length > 0 ? TreeCpuSeconds(postgres) - postgresBefore : 0;

                var results = (await FanoutBench.Json(await http.GetAsync($"api/runs/{runId}/results", ct), ct)).AsArray()
                    .Where(r => r!["deviceId"] is not null && r["node"]!.GetValue<string>() == "").ToList();
                var perNode = results.GroupBy(r => r!["executedOn"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
                foreach (var error in results.Where(r => !r!["success"]!.GetValue<bool>()).Select(r => $"{r!["deviceName"]}: {r["error"]}").Distinct().Take(5))
                {
                    Console.Error.WriteLine($"nodes: {error}");
                }
                Measure.Report("nodes", ("label", label), ("nodes", urls.Length), ("service", kind), ("run", run), ("devices", hosts.Count),
                    ("parallel", parallel), ("seconds", seconds), ("status", final["status"]!.GetValue<string>()),
                    ("failures", final["devicesFailed"]!.GetValue<int>()), ("results", results.Count), ("cpu_s", cpu.Sum()), ("pg_cpu_s", postgresCpu));
                for (var i = 0; i < urls.Length; i++)
                {
                    Measure.Report("nodes-node", ("label", label), ("nodes", urls.Length), ("service", kind), ("run", run), ("node", names[i]),
                        ("cpu_s", cpu[i]), ("devices", perNode.GetValueOrDefault(names[i])));
                }
            }
        }
    }

    private static async Task<int> ServiceAsync(HttpClient http, string name, string kind, object parameters, int parallel, CancellationToken ct) =>
        (await FanoutBench.Json(await http.PostAsJsonAsync("api/services", new { name, kind, parameters, maxParallelDevices = parallel }, ct), ct))["id"]!.GetValue<int>();

    /// <summary>User + system CPU seconds a process used so far (fields 14 and 15 of /proc/PID/stat, counted after the
    /// command name, which may hold spaces).</summary>
    private static double CpuSeconds(string pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    /// <summary>The CPU seconds of a process and of its children alive now (PostgreSQL: the postmaster and its backends;
    /// a backend that ended during the run is not counted, the nodes keep theirs open in their pools).</summary>
    private static double TreeCpuSeconds(string pid)
    {
        var total = 0.0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            var id = Path.GetFileName(directory);
            if (!id.All(char.IsAsciiDigit))
            {
                continue;
            }
            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var parent = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1];
                if (id == pid || parent == pid)
                {
                    total += CpuSeconds(id);
                }
            }
            catch (IOException)
            {
                // Ended between the listing and the read.
            }
        }
        return total;
    }
}
