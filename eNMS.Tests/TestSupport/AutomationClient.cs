using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using eNMS.Core.Automation;

namespace eNMS.Tests.TestSupport;

/// <summary>Drives the automation API of an in-process app the way a script would.</summary>
public sealed class AutomationClient(HttpClient http)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    public HttpClient Http => http;

    public async Task<List<int>> CreateDevicesAsync(params string[] names)
    {
        var ids = new List<int>();
        foreach (var name in names)
        {
            var response = await http.PostAsJsonAsync("/api/devices", new { name, address = "192.0.2.1", platform = "cisco_ios" });
            ids.Add((int)(await Read(response, HttpStatusCode.Created))["id"]!);
        }
        return ids;
    }

    /// <summary>A device for a lab target, with a credential of its own ("cred-NAME") holding the target's login.</summary>
    public async Task<int> CreateDeviceAsync(DeviceTargetLike target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var credential = await Read(await http.PostAsJsonAsync("/api/credentials", new
        {
            name = $"cred-{target.Name}",
            username = target.Username,
            password = target.Password,
            enableSecret = target.EnableSecret,
        }), HttpStatusCode.Created);
        return (int)(await Read(await http.PostAsJsonAsync("/api/devices", new
        {
            name = target.Name,
            address = target.Host,
            platform = target.Platform,
            credentialId = (int)credential["id"]!,
        }), HttpStatusCode.Created))["id"]!;
    }

    public async Task<int> CreateServiceAsync(string name, string kind, object parameters, object? options = null)
    {
        var body = JsonSerializer.SerializeToNode(options ?? new { }, Json)!.AsObject();
        body["name"] = name;
        body["kind"] = kind;
        body["parameters"] = JsonSerializer.SerializeToNode(parameters, Json);
        return (int)(await Read(await http.PostAsJsonAsync("/api/services", body), HttpStatusCode.Created))["id"]!;
    }

    /// <summary>Nodes are (id, serviceId); edges are "from>to" (success) or "from!to" (failure); the first node starts.
    /// <paramref name="extra"/> goes into the graph (mode, maxIterations), <paramref name="options"/> into the service (maxParallelDevices).</summary>
    public async Task<int> CreateWorkflowAsync(string name, (string Id, int ServiceId)[] nodes, string[] edges, object? extra = null, object? options = null)
    {
        var graph = new JsonObject
        {
            ["start"] = nodes[0].Id,
            ["nodes"] = new JsonArray(nodes.Select(n => (JsonNode)new JsonObject { ["id"] = n.Id, ["serviceId"] = n.ServiceId }).ToArray()),
            ["edges"] = new JsonArray(edges.Select(e =>
            {
                var failure = e.Contains('!', StringComparison.Ordinal);
                var parts = e.Split(failure ? '!' : '>');
                return (JsonNode)new JsonObject { ["from"] = parts[0], ["to"] = parts[1], ["kind"] = failure ? "Failure" : "Success" };
            }).ToArray()),
        };
        if (extra is not null)
        {
            foreach (var (key, value) in JsonSerializer.SerializeToNode(extra, Json)!.AsObject())
            {
                graph[key] = value?.DeepClone();
            }
        }
        var body = JsonSerializer.SerializeToNode(options ?? new { }, Json)!.AsObject();
        (body["name"], body["kind"], body["graph"]) = (name, "workflow", graph);
        return (int)(await Read(await http.PostAsJsonAsync("/api/services", body), HttpStatusCode.Created))["id"]!;
    }

    public async Task<HttpResponseMessage> StartAsync(int serviceId, IEnumerable<int> deviceIds, object? variables = null, object? inputsOf = null) =>
        await http.PostAsJsonAsync($"/api/services/{serviceId}/run", new { deviceIds, variables, inputs = inputsOf });

    public async Task<int> RunAsync(int serviceId, IEnumerable<int> deviceIds, object? variables = null, object? inputsOf = null) =>
        (int)(await Read(await StartAsync(serviceId, deviceIds, variables, inputsOf), HttpStatusCode.Accepted))["runId"]!;

    /// <summary>Waits for the run to end (bounded), returns it.</summary>
    public async Task<Run> WaitAsync(int runId, int seconds = 30)
    {
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(seconds);
        while (true)
        {
            var run = (await http.GetFromJsonAsync<Run>($"/api/runs/{runId}", Json))!;
            if (run.Status is not (RunStatus.Pending or RunStatus.Running))
            {
                return run;
            }
            if (TimeProvider.System.GetUtcNow() >= deadline)
            {
                // What the run was doing says why it hangs (a device, a wait, a retry) far better than its status.
                var last = (await LogsAsync(runId)).TakeLast(15).Select(l => $"{l.Time:HH:mm:ss.fff} {l.Level} {l.Message}");
                Assert.Fail($"run {runId} still {run.Status} after {seconds} s; its log ends with:\n{string.Join('\n', last)}");
            }
            await Task.Delay(50);
        }
    }

    public async Task<List<RunLogEntry>> LogsAsync(int runId) =>
        (await http.GetFromJsonAsync<List<RunLogEntry>>($"/api/runs/{runId}/logs", Json))!;

    /// <summary>Every result of the run, reading the API's pages (a full page means more may follow).</summary>
    public async Task<List<RunResult>> ResultsAsync(int runId)
    {
        const int Page = 5_000;
        var all = new List<RunResult>();
        for (var pages = 0; pages < 1_000; pages++)
        {
            var after = all.Count == 0 ? 0 : all[^1].Id;
            var page = (await http.GetFromJsonAsync<List<RunResult>>($"/api/runs/{runId}/results?after={after}&take={Page}", Json))!;
            all.AddRange(page);
            if (page.Count < Page)
            {
                break;
            }
        }
        return all;
    }

    public static async Task<JsonNode> Read(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.StatusCode} instead of {expected}: {body}");
        return JsonNode.Parse(body.Length == 0 ? "{}" : body)!;
    }
}
