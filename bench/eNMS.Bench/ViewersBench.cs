using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Workflows;
using eNMS.Core.Data;
using eNMS.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace eNMS.Bench;

/// <summary>
/// A team watching one run: N Chromium pages (one circuit each) on a running eNMS.Web whose database this part seeds
/// (D devices on the map, a workflow of <c>wait</c> nodes device by device, 50 devices at a time, each node waiting so
/// that the run lasts about <c>--run-seconds</c> (40) alone: long enough for the viewers' page loads not to be the run):
/// <list type="bullet">
/// <item>idle: the server's resident memory with N pages open (a third each on the dashboard, the map and the runs
/// list) minus before, per circuit; the circuits the server counts (<c>enms_circuits_active</c>);</item>
/// <item>during a run: its duration (stored start → end) with the N pages open, against the same run with none;
/// a third of the pages follow the run on its own page once it started; each page notes (in the page, on its clock)
/// when it shows the run ended: the delay after the stored end is the time from the last result to that view;</item>
/// <item>closed: how long until the server counts no circuit once every page is closed, and its memory then.</item>
/// </list>
/// The browsers run on the same machine as the server: on 2 cores their rendering competes with the run, so the
/// throughput ratio is a lower bound of what separate viewer machines would see.
/// </summary>
public static class ViewersBench
{
    // Every page counts as visible: a hidden tab's timers are throttled, which would flatter the server.
    private static readonly string[] ChromiumArgs =
    [
        .. UiBench.ChromiumArgs,
        "--disable-background-timer-throttling", "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows",
    ];

    // In the page: the time (epoch ms) it first showed run `id` ended, polled every 50 ms (a MutationObserver on a
    // whole page of live tables costs more than the poll).
    private const string WatchScript = """
        id => {
          window.__enmsSeen = null;
          const ended = () => {
            const row = document.querySelector(`[data-testid=recent-run][data-run="${id}"] [data-testid=run-status]`);
            const own = location.pathname === `/runs/${id}` ? document.querySelector("[data-testid=run-status]") : null;
            const chip = own ?? row;
            return chip && /Completed|Failed|Cancelled/.test(chip.textContent);
          };
          const timer = setInterval(() => { if (ended()) { window.__enmsSeen = Date.now(); clearInterval(timer); } }, 50);
        }
        """;

    public static async Task RunAsync(Options options, CancellationToken ct)
    {
        var url = options.Required("url");
        var pid = options.Required("pid");
        var (viewers, deviceCount, nodeCount) = (options.Number("viewers", 200), options.Number("devices", 10_000), options.Number("nodes", 5));
        // Each device goes through every node in turn, Parallel of them at once: this wait per node makes the run last
        // about run-seconds plus the engine's own time.
        var waitSeconds = (double)options.Number("run-seconds", 40) * Parallel / ((double)deviceCount * nodeCount);
        UiBench.RequireChromium();
        using var host = BenchHost.Build(options);
        var dbFactory = host.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>();
        await UiSeed.NetworkAsync(dbFactory, deviceCount, 0, ct);
        var workflowId = await WaitWorkflowAsync(dbFactory, nodeCount, waitSeconds, ct);
        List<int> devices;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            devices = await db.Devices.Select(d => d.Id).ToListAsync(ct);
        }
        using var http = await ApiClientAsync(host.Services, dbFactory, url, ct);

        // Untimed first run: the server's code paths compiled and hot, as in the engine part.
        await RunAsync(http, dbFactory, workflowId, devices, ct);
        var cpuAlone = CpuSeconds(pid);
        var alone = await RunAsync(http, dbFactory, workflowId, devices, ct);
        cpuAlone = CpuSeconds(pid) - cpuAlone;

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = UiBench.ChromiumPath, Args = ChromiumArgs });
        var context = await browser.NewContextAsync(new() { BaseURL = url, ViewportSize = new() { Width = 1280, Height = 800 } });
        context.SetDefaultTimeout(180_000);
        var signIn = await context.NewPageAsync();
        await UiBench.SignInAsync(signIn);
        await signIn.CloseAsync();
        await SettleAsync(ct);
        var residentBefore = ResidentMiB(pid);

        var pages = new List<(IPage Page, string View)>();
        for (var i = 0; i < viewers; i++)
        {
            var view = (i % 3) switch { 0 => "/", 1 => "/map", _ => "/runs" };
            var page = await context.NewPageAsync();
            await page.GotoAsync(view);
            await page.GetByTestId("interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            pages.Add((page, view));
        }
        await SettleAsync(ct);
        var residentIdle = ResidentMiB(pid);
        var circuitsIdle = await CircuitsAsync(http, ct);

        var cpuWatched = CpuSeconds(pid);
        var runId = await StartAsync(http, workflowId, devices, ct);
        foreach (var (page, view) in pages.Where(p => p.View == "/runs"))
        {
            await page.GotoAsync($"/runs/{runId}");
        }
        foreach (var (page, _) in pages)
        {
            await page.EvaluateAsync(WatchScript, runId);
        }
        var watched = await WaitForEndAsync(dbFactory, runId, ct);
        cpuWatched = CpuSeconds(pid) - cpuWatched;
        var delays = new List<double>();
        var missed = 0;
        var ended = watched.EndedAt!.Value.ToUnixTimeMilliseconds();
        foreach (var (page, view) in pages.Where(p => p.View != "/map"))
        {
            // A view that never shows the end within a minute counts as missed, not as a delay.
            var seen = await WaitSeenAsync(page, ct);
            if (seen is { } at)
            {
                delays.Add(Math.Max(0, at - ended));
            }
            else
            {
                missed++;
            }
        }
        var residentRun = Measure.PeakMemoryMiB(pid);

        foreach (var (page, _) in pages)
        {
            await page.CloseAsync();
        }
        var closed = TimeProvider.System.GetTimestamp();
        var circuitsLeft = circuitsIdle;
        while (TimeProvider.System.GetElapsedTime(closed) < TimeSpan.FromMinutes(5) && (circuitsLeft = await CircuitsAsync(http, ct)) > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
        var releaseSeconds = TimeProvider.System.GetElapsedTime(closed).TotalSeconds;
        await SettleAsync(ct);

        var (aloneSeconds, watchedSeconds) = (Duration(alone), Duration(watched));
        Measure.Report("viewers", ("viewers", viewers), ("devices", deviceCount), ("nodes", nodeCount), ("wait_ms_per_node", waitSeconds * 1000),
            ("idle_mib_per_circuit", (residentIdle - residentBefore) / viewers), ("circuits_idle", circuitsIdle),
            ("resident_before_mib", residentBefore), ("resident_idle_mib", residentIdle), ("peak_mib", residentRun),
            ("run_alone_s", aloneSeconds), ("run_watched_s", watchedSeconds), ("server_cpu_alone_s", cpuAlone), ("server_cpu_watched_s", cpuWatched), ("throughput_ratio", aloneSeconds / watchedSeconds),
            ("seen_median_ms", Measure.Median(delays)), ("seen_max_ms", delays.Count == 0 ? 0 : delays.Max()), ("views_timed", delays.Count),
            ("views_missed", missed), ("circuits_after_close", circuitsLeft), ("release_s", releaseSeconds),
            ("resident_closed_mib", ResidentMiB(pid)));
    }

    private static double Duration(Run run) => (run.EndedAt!.Value - run.StartedAt!.Value).TotalSeconds;

    private const int Parallel = 50;

    /// <summary><c>wait</c> nodes (never dialling a device, each device waiting <paramref name="seconds"/> in each) chained
    /// device by device, as the engine part.</summary>
    private static async Task<int> WaitWorkflowAsync(IDbContextFactory<EnmsDbContext> dbFactory, int nodeCount, double seconds, CancellationToken ct)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            for (var i = 1; i <= nodeCount; i++)
            {
                db.Services.Add(new Service
                {
                    Name = $"wait {i}",
                    Kind = "wait",
                    Parameters = JsonSerializer.Serialize(new { seconds = Math.Round(seconds, 4) }),
                    MaxParallelDevices = Parallel,
                });
            }
            await db.SaveChangesAsync(ct);
        }
        return await EngineBench.WorkflowAsync(dbFactory, WorkflowMode.DeviceByDevice, nodeCount, Parallel, ct);
    }

    /// <summary>An HTTP client for the server's API as the admin, with a token made for this run.</summary>
    private static async Task<HttpClient> ApiClientAsync(IServiceProvider services, IDbContextFactory<EnmsDbContext> dbFactory, string url, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var admin = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == "admin", ct);
        var (token, _) = await services.GetRequiredService<ApiTokens>().CreateAsync(admin.Id, "viewers bench", TimeSpan.FromHours(2), ct);
        var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static async Task<int> StartAsync(HttpClient http, int workflowId, List<int> devices, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync($"api/services/{workflowId}/run", new { deviceIds = devices }, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new BenchException($"starting the run failed: HTTP {(int)response.StatusCode} {body}");
        }
        return JsonDocument.Parse(body).RootElement.GetProperty("runId").GetInt32();
    }

    private static async Task<Run> RunAsync(HttpClient http, IDbContextFactory<EnmsDbContext> dbFactory, int workflowId, List<int> devices,
        CancellationToken ct) =>
        await WaitForEndAsync(dbFactory, await StartAsync(http, workflowId, devices, ct), ct);

    private static async Task<Run> WaitForEndAsync(IDbContextFactory<EnmsDbContext> dbFactory, int runId, CancellationToken ct)
    {
        while (true)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == runId, ct);
            if (run.Status is not (RunStatus.Pending or RunStatus.Running))
            {
                return run.Status == RunStatus.Completed ? run : throw new BenchException($"run #{runId} ended {run.Status}: {run.Error}");
            }
        }
    }

    private static async Task<long?> WaitSeenAsync(IPage page, CancellationToken ct)
    {
        for (var i = 0; i < 600; i++)
        {
            if (await page.EvaluateAsync<long?>("() => window.__enmsSeen") is { } seen)
            {
                return seen;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
        }
        return null;
    }

    /// <summary>The circuits the server counts now (its Prometheus gauge).</summary>
    private static async Task<long> CircuitsAsync(HttpClient http, CancellationToken ct)
    {
        var text = await http.GetStringAsync("metrics", ct);
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("enms_circuits_active", StringComparison.Ordinal))
            ?? throw new BenchException("GET /metrics has no enms_circuits_active gauge");
        return (long)double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1], CultureInfo.InvariantCulture);
    }

    /// <summary>CPU time (user + system) the server process used so far, in seconds: with the run's duration it tells
    /// whether a slower run with viewers was the server's own work or the machine's other load (the browsers).</summary>
    private static double CpuSeconds(string pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name (in parentheses, which may hold spaces): state is the first, utime the 12th.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        const double TicksPerSecond = 100; // USER_HZ on Linux
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    /// <summary>Resident memory (VmRSS) of the server process now, in MiB.</summary>
    private static double ResidentMiB(string pid)
    {
        var line = File.ReadAllLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            ?? throw new BenchException($"/proc/{pid}/status has no VmRSS: is the server's process id right?");
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    /// <summary>Lets the server's garbage collector and the pages' first updates settle before memory is read.</summary>
    private static Task SettleAsync(CancellationToken ct) => Task.Delay(TimeSpan.FromSeconds(15), ct);
}
