using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using eNMS.Core;
using eNMS.Core.Automation;
using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Core.Security;
using eNMS.Tests.EndToEnd;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace eNMS.Tests.Integration;

/// <summary>
/// The docker-compose topology built from processes (no Docker engine here): a throwaway PostgreSQL, two eNMS nodes
/// (the built eNMS.Web.dll) on loopback ports and nginx with deploy/nginx.conf in front. One test, so that the costly
/// start of two nodes is paid once.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed partial class ClusterTests(PostgresServer postgres)
{
    private const string AdminPassword = AppServer.AdminPassword;

    [RequiresFact("postgres")]
    public async Task Two_nodes_fire_each_tick_once_finish_a_dead_nodes_run_exactly_once_and_show_each_others_runs_live()
    {
        Prerequisites.Require("nginx", NginxProcess.Installed, "install the Debian package nginx");
        Prerequisites.Require("chromium", File.Exists(ChromiumFactAttribute.ChromiumPath), "install the Debian package chromium");
        var connectionString = postgres.NewDatabase();
        var dataDirectory = Directory.CreateTempSubdirectory("sched-cluster-").FullName;
        try
        {
            // One after the other: the first applies the migrations and creates the admin, the second finds them.
            // A run on one node and its failover, whatever the environment says: split runs (Scheduling:DistributeRuns)
            // end this 200-device run in a few seconds, before the kill; ClusterBatchTests and ClusterScaleTests cover them.
            var oneNodeRuns = new Dictionary<string, string> { ["Scheduling__DistributeRuns"] = "false" };
            await using var nodeA = new AppProcess("node-a", connectionString, dataDirectory, AdminPassword, settings: oneNodeRuns);
            await nodeA.WaitReadyAsync(TimeSpan.FromMinutes(5));
            await using var nodeB = new AppProcess("node-b", connectionString, dataDirectory, AdminPassword, settings: oneNodeRuns);
            await nodeB.WaitReadyAsync(TimeSpan.FromMinutes(5));
            await using var nginx = new NginxProcess(nodeA, nodeB);
            var nodes = new[] { nodeA, nodeB };
            using var api = await ApiClientAsync(connectionString, dataDirectory, nginx.BaseUrl);
            var client = new AutomationClient(api);
            try
            {
                await EachTickFiresOnceAsync(client, nodes);
                await DeadNodesRunIsFinishedExactlyOnceAndSeenLiveAsync(client, connectionString, dataDirectory, nginx, nodes);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new InvalidOperationException($"{e.Message}\n--- node-a ---\n{Tail(nodeA.Output)}\n--- node-b ---\n{Tail(nodeB.Output)}\n--- nginx ---\n{nginx.ErrorLog}", e);
            }
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    /// <summary>A cron schedule every 2 seconds, over more than 10 ticks, with both nodes up: one run per tick, none missed.</summary>
    private static async Task EachTickFiresOnceAsync(AutomationClient client, AppProcess[] nodes)
    {
        var service = await client.CreateServiceAsync("tick", "wait", new { seconds = 0 }, new { targetMode = "Once" });
        var schedule = (int)(await AutomationClient.Read(await client.Http.PostAsJsonAsync("/api/schedules",
            new { name = "every-2s", serviceId = service, kind = "Cron", cron = "0/2 * * * * ?", timeZone = "UTC" }), HttpStatusCode.Created))["id"]!;
        await EventuallyAsync(TimeSpan.FromSeconds(60), async () => (await RunsOfAsync(client, schedule)).Count >= 11, "11 ticks of the 2-second schedule");
        await AutomationClient.Read(await client.Http.PostAsync($"/api/schedules/{schedule}/pause", null), HttpStatusCode.OK);
        // A tick that fired just before the pause may still be starting its run.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var runs = await RunsOfAsync(client, schedule);
        var ticks = runs.Select(r => FireTime(r.Trigger)).Order().ToList();
        Assert.Equal(ticks.Count, ticks.Distinct().Count());
        for (var i = 1; i < ticks.Count; i++)
        {
            Assert.Equal(TimeSpan.FromSeconds(2), ticks[i] - ticks[i - 1]);
        }
        Assert.True(ticks.Count >= 11, $"{ticks.Count} ticks");
        Assert.All(runs, r => Assert.Equal(schedule, r.ScheduleId));
        // Both nodes share the work: every run was executed by one of them, the executing node logs it.
        var executed = runs.Select(r => nodes.Count(n => n.Output.Contains($"Run {r.Id} executing on node {n.Node}", StringComparison.Ordinal))).ToList();
        Assert.All(executed, count => Assert.Equal(1, count));
    }

    /// <summary>A 200-device run: a browser on the other node watches it; its node is killed midway; the surviving
    /// node recovers it and runs only the devices not done.</summary>
    private static async Task DeadNodesRunIsFinishedExactlyOnceAndSeenLiveAsync(AutomationClient client, string connectionString, string dataDirectory,
        NginxProcess nginx, AppProcess[] nodes)
    {
        var services = Services(connectionString, dataDirectory);
        var dbFactory = services.GetRequiredService<IDbContextFactory<EnmsDbContext>>();
        List<int> deviceIds;
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            // The wait kind dials nothing; the addresses are the lab emulator's range all the same.
            var devices = Enumerable.Range(0, 200).Select(i => new Device { Name = $"bulk-{i:000}", Address = $"10.255.{128 + i / 250}.{1 + i % 250}", Platform = "linux" }).ToList();
            db.Devices.AddRange(devices);
            await db.SaveChangesAsync();
            deviceIds = devices.Select(d => d.Id).ToList();
        }
        var service = await client.CreateServiceAsync("slow", "wait", new { seconds = 0.25 }, new { maxParallelDevices = 4 });

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumFactAttribute.ChromiumPath, Args = Browser.Args });
        SetDefaultExpectTimeout(30_000);
        // One signed-in browser per node (pinned through nginx's affinity cookie): whichever node executes the run,
        // the other one's browser watches it.
        var pages = new Dictionary<string, IPage>();
        foreach (var node in nodes)
        {
            var context = await browser.NewContextAsync(new() { BaseURL = nginx.BaseUrl });
            await context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = "enms_affinity", Value = await AffinityForAsync(nginx, node.Node), Url = nginx.BaseUrl }]);
            var page = await context.NewPageAsync();
            page.SetDefaultTimeout(30_000);
            await Browser.SignInAtAsync(page, "/runs");
            pages[node.Node] = page;
        }

        var runId = await client.RunAsync(service, deviceIds);
        AppProcess? executing = null;
        await EventuallyAsync(TimeSpan.FromSeconds(30), () =>
        {
            executing = nodes.FirstOrDefault(n => n.Output.Contains($"Run {runId} executing on node {n.Node}", StringComparison.Ordinal));
            return Task.FromResult(executing is not null);
        }, $"a node to execute run {runId}");
        var survivor = nodes.Single(n => n != executing);
        var watcher = pages[survivor.Node];
        await Browser.StepsAsync(watcher, "cluster-live", async () =>
        {
            await watcher.GotoAsync($"/runs/{runId}");
            // The surviving node's page only learns of progress through the other node's NOTIFY events.
            await Expect(watcher.GetByTestId("run-progress")).ToHaveTextAsync(new Regex(@"\b([2-9]\d|1\d\d) of 200 device\(s\) done"));
        });
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            Assert.Equal(RunStatus.Running, (await db.Runs.SingleAsync(r => r.Id == runId)).Status);
        }

        await executing!.KillAsync();
        var finished = await client.WaitAsync(runId, seconds: 120);
        Assert.Equal(RunStatus.Completed, finished.Status);
        Assert.Equal(200, finished.DevicesDone);
        Assert.Contains($"Run {runId} executing on node {survivor.Node} (recovered", survivor.Output, StringComparison.Ordinal);
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var perDevice = await db.RunResults.Where(r => r.RunId == runId && r.Node == RunResult.RunLevel).GroupBy(r => r.DeviceId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
            Assert.Equal(deviceIds.Order(), perDevice.Select(d => d.Key!.Value).Order());
            Assert.All(perDevice, d => Assert.Equal(1, d.Count));
        }
        await Browser.StepsAsync(watcher, "cluster-finished", async () =>
            await Expect(watcher.GetByTestId("run-progress")).ToContainTextAsync("200 of 200 device(s) done"));
        await services.DisposeAsync();
    }

    /// <summary>An API token for the admin, made directly in the shared database; requests go to <paramref name="baseUrl"/> (nginx, or a node).</summary>
    internal static async Task<HttpClient> ApiClientAsync(string connectionString, string dataDirectory, string baseUrl)
    {
        await using var services = Services(connectionString, dataDirectory);
        await using var db = await services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        var admin = await db.Users.SingleAsync(u => u.UserName == "admin");
        var token = (await services.GetRequiredService<ApiTokens>().CreateAsync(admin.Id, "cluster test", TimeSpan.FromHours(1), CancellationToken.None)).Token;
        var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        await EventuallyAsync(TimeSpan.FromSeconds(30), async () =>
        {
            try
            {
                return (await http.GetAsync("/api/schedules")).StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, $"{baseUrl} to answer");
        return http;
    }

    internal static ServiceProvider Services(string connectionString, string dataDirectory)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddEnmsDatabase(new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = connectionString }, dataDirectory);
        services.AddSingleton<ApiTokens>();
        return services.BuildServiceProvider();
    }

    /// <summary>An affinity cookie value that nginx sends to <paramref name="node"/>.</summary>
    private static async Task<string> AffinityForAsync(NginxProcess nginx, string node)
    {
        using var handler = new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false };
        using var http = new HttpClient(handler);
        for (var i = 0; i < 200; i++)
        {
            var key = $"k{i}";
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{nginx.BaseUrl}/login");
            request.Headers.Add("Cookie", $"enms_affinity={key}");
            using var response = await http.SendAsync(request);
            if (response.Headers.TryGetValues("X-Enms-Node", out var values) && values.Single() == node)
            {
                return key;
            }
        }
        throw new InvalidOperationException($"no affinity key reaches {node}");
    }

    private static async Task<List<Run>> RunsOfAsync(AutomationClient client, int scheduleId) =>
        (await client.Http.GetFromJsonAsync<List<Run>>($"/api/schedules/{scheduleId}/runs", Json))!;

    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    private static DateTime FireTime(string trigger) =>
        DateTime.ParseExact(FireTimePattern().Match(trigger).Groups[1].Value, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\((\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC\)")]
    private static partial Regex FireTimePattern();

    internal static async Task EventuallyAsync(TimeSpan timeout, Func<Task<bool>> condition, string what)
    {
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        while (!await condition())
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"timed out waiting for {what}");
            await Task.Delay(250);
        }
    }

    internal static string Tail(string output) => output.Length <= 6000 ? output : output[^6000..];
}
