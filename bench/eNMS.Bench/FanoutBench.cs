using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using eNMS.Core.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Bench;

/// <summary>
/// Fan-out through a running eNMS.Web, as a script would drive it: the devices imported through
/// <c>POST /api/inventory/import</c> (their login becomes an encrypted credential), a <c>config_backup</c> service
/// created through <c>POST /api/services</c>, a run started through <c>POST /api/services/{id}/run</c> and followed
/// with <c>GET /api/runs/{id}</c> until its final status, which is stored after every result is persisted.
/// The clock runs from the run request to that status; the set runs twice (first run after start, then steady state).
/// </summary>
public static class FanoutBench
{
    public static async Task RunAsync(Options options, CancellationToken ct)
    {
        var hosts = ReadHosts(options);
        var parallel = options.Number("parallel", 50);
        using var http = await ApiClientAsync(options, options.Required("url"), ct);
        var deviceIds = await ImportAsync(http, options, hosts, ct);
        var service = await Json(await http.PostAsJsonAsync("api/services", new
        {
            name = $"backup {options.Text("label", "bench")}",
            kind = "config_backup",
            parameters = new { },
            maxParallelDevices = parallel,
        }, ct), ct);

        // One untimed run on one device first: the peers' figures do not include compiling them either. Then the set
        // twice: the first run after start still JIT-compiles (tier-0 code, then re-compiling the hot paths: most of
        // its CPU), the second is the steady state of a server that has been running (the goals are judged on it).
        var serviceId = service["id"]!.GetValue<int>();
        await RunAsync(http, serviceId, deviceIds.Take(1).ToList(), ct);
        foreach (var tool in new[] { "eNMS_first_run", "eNMS" })
        {
            var started = Stopwatch.GetTimestamp();
            var (runId, run) = await RunAsync(http, serviceId, deviceIds, ct);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

            var results = (await Json(await http.GetAsync($"api/runs/{runId}/results?take=5000", ct), ct)).AsArray();
            var stored = results.Count(r => r!["success"]!.GetValue<bool>() && r["output"]!.GetValue<string>().Length > 0);
            var failed = run["devicesFailed"]!.GetValue<int>();
            foreach (var error in results.Where(r => !r!["success"]!.GetValue<bool>()).Select(r => $"{r!["deviceName"]}: {r["error"]}").Distinct().Take(5))
            {
                Console.Error.WriteLine($"fanout: {error}");
            }
            Measure.Report("fanout", ("tool", tool), ("label", options.Text("label", "bench")), ("devices", hosts.Count), ("parallel", parallel),
                ("seconds", seconds), ("failures", failed), ("stored", stored));
        }
    }

    /// <summary>The <c>--hosts</c> file: one "name address" per line.</summary>
    internal static List<string[]> ReadHosts(Options options) =>
        File.ReadAllLines(options.Required("hosts")).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(p => p.Length == 2).ToList();

    /// <summary>A client of the server at <paramref name="url"/> holding an API token for admin.</summary>
    internal static async Task<HttpClient> ApiClientAsync(Options options, string url, CancellationToken ct)
    {
        var token = await TokenAsync(options, ct);
        var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    /// <summary>Imports the hosts through <c>POST /api/inventory/import</c> (their login becomes an encrypted
    /// credential) and returns their ids.</summary>
    internal static async Task<List<int>> ImportAsync(HttpClient http, Options options, List<string[]> hosts, CancellationToken ct)
    {
        var csv = new StringBuilder("name,ip_address,netmiko_driver,username,password,enable_password\n");
        foreach (var host in hosts)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{host[0]},{host[1]},{options.Required("platform")},{options.Required("user")},{options.Required("password")},{options.Text("enable", "")}\n");
        }
        using (var form = new MultipartFormDataContent())
        {
            form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(csv.ToString())), "file", "devices.csv");
            var imported = await Json(await http.PostAsync("api/inventory/import?commit=true", form, ct), ct);
            if (imported["committed"]?.GetValue<bool>() != true || imported["problems"]?.AsArray().Count > 0)
            {
                throw new BenchException("the device import failed: " + imported.ToJsonString());
            }
        }
        var names = hosts.Select(h => h[0]).ToHashSet(StringComparer.Ordinal);
        var deviceIds = new List<int>();
        // Pages of 1,000 (the API's largest), bounded by the number of hosts.
        for (var page = 0; page <= hosts.Count / 1000; page++)
        {
            var items = (await Json(await http.GetAsync($"api/devices?pageSize=1000&page={page}", ct), ct))["items"]!.AsArray();
            deviceIds.AddRange(items.Where(d => names.Contains(d!["name"]!.GetValue<string>())).Select(d => d!["id"]!.GetValue<int>()));
        }
        if (deviceIds.Count != hosts.Count)
        {
            throw new BenchException($"{deviceIds.Count} of {hosts.Count} devices found after the import");
        }
        return deviceIds;
    }

    internal static async Task<(int RunId, JsonNode Run)> RunAsync(HttpClient http, int serviceId, List<int> deviceIds, CancellationToken ct)
    {
        var runId = (await Json(await http.PostAsJsonAsync($"api/services/{serviceId}/run", new { deviceIds }, ct), ct))["runId"]!.GetValue<int>();
        while (true)
        {
            // Often enough that polling adds little to a 10-router run (~0.5 s); the peers are timed to their exit.
            await Task.Delay(TimeSpan.FromMilliseconds(20), ct);
            var run = await Json(await http.GetAsync($"api/runs/{runId}", ct), ct);
            if (run["status"]!.GetValue<string>() is not ("Pending" or "Running"))
            {
                return (runId, run);
            }
        }
    }

    /// <summary>An API token for admin, made with the code behind the API tokens page, in the server's database.</summary>
    private static async Task<string> TokenAsync(Options options, CancellationToken ct)
    {
        using var host = BenchHost.Build(options);
        await using var scope = host.Services.CreateAsyncScope();
        var admin = await scope.ServiceProvider.GetRequiredService<UserManager<EnmsUser>>().FindByNameAsync(AccountSeeder.AdminUserName)
            ?? throw new BenchException("the server's database has no admin user yet");
        var (token, _) = await host.Services.GetRequiredService<ApiTokens>().CreateAsync(admin.Id, "bench", TimeSpan.FromHours(2), ct);
        return token;
    }

    internal static async Task<JsonNode> Json(HttpResponseMessage response, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new BenchException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}");
        }
        return JsonNode.Parse(body) ?? throw new BenchException($"{response.RequestMessage?.RequestUri} answered nothing");
    }
}
