using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Integration;

/// <summary>Run-time inputs through the API: declarations, per-field validation, JSON Schema, templates, secrets
/// encrypted at rest and masked in replies, and schedules that carry inputs.</summary>
public sealed class RunInputsApiTests : IAsyncLifetime
{
    private const string Secret = "Input-Sekr3t-Value";
    private readonly EnmsAppFactory _app = new();
    private AutomationClient _api = null!;

    public async Task InitializeAsync() => _api = new AutomationClient(await _app.CreateClientAsync(Roles.Editor));

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static object[] Declarations() =>
    [
        new { name = "vlan", label = "VLAN", type = "Number", required = true },
        new { name = "site", type = "Choice", choices = new[] { "PAR", "LON" }, @default = "PAR" },
        new { name = "peer", type = "Device" },
        new { name = "token", type = "Secret" },
        new { name = "note", type = "Text" },
    ];

    private Task<int> ServiceAsync(string echo) =>
        _api.CreateServiceAsync($"inputs {Guid.NewGuid():N}", "test_step", new { echo }, new { inputs = Declarations() });

    [Fact]
    public async Task Bad_declarations_are_refused_with_the_reason()
    {
        var twice = await _api.Http.PostAsJsonAsync("/api/services", new
        {
            name = "twice",
            kind = "test_step",
            parameters = new { },
            inputs = new[] { new { name = "a", type = "Text" }, new { name = "a", type = "Number" } },
        });
        Assert.Contains("declared twice", (string)(await AutomationClient.Read(twice, HttpStatusCode.BadRequest))["errors"]!["inputs"]![0]!, StringComparison.Ordinal);
        var secretDefault = await _api.Http.PostAsJsonAsync("/api/services", new
        {
            name = "leaky",
            kind = "test_step",
            parameters = new { },
            inputs = new[] { new { name = "pw", type = "Secret", @default = "x" } },
        });
        Assert.Contains("cannot have a default", (string)(await AutomationClient.Read(secretDefault, HttpStatusCode.BadRequest))["errors"]!["inputs"]![0]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_values_are_refused_field_by_field_and_nothing_runs()
    {
        var service = await ServiceAsync("x");
        var devices = await _api.CreateDevicesAsync("r1");

        var response = await _api.Http.PostAsJsonAsync($"/api/services/{service}/run",
            new { deviceIds = devices, inputs = new { vlan = "ten", site = "NYC", peer = 99999, extra = "?" } });

        var problem = await AutomationClient.Read(response, HttpStatusCode.BadRequest);
        var problems = problem["problems"]!.AsArray().Select(p => (string)p!).ToList();
        Assert.Contains("inputs.vlan: VLAN: 'ten' is not a number.", problems);
        Assert.Contains(problems, p => p.StartsWith("inputs.site: site: 'NYC' is not one of PAR, LON", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("inputs.extra:", StringComparison.Ordinal));
        var missing = await AutomationClient.Read(await _api.Http.PostAsJsonAsync($"/api/services/{service}/run", new { deviceIds = devices }), HttpStatusCode.BadRequest);
        Assert.Contains("inputs.vlan: VLAN is required.", missing["problems"]!.AsArray().Select(p => (string)p!));
        var unknownPeer = await AutomationClient.Read(await _api.Http.PostAsJsonAsync($"/api/services/{service}/run",
            new { deviceIds = devices, inputs = new { vlan = 10, peer = 99999 } }), HttpStatusCode.BadRequest);
        Assert.Contains("no device #99999", unknownPeer.ToJsonString(), StringComparison.Ordinal);
        Assert.Empty((await AutomationClient.Read(await _api.Http.GetAsync("/api/runs"), HttpStatusCode.OK)).AsArray());
    }

    [Fact]
    public async Task The_inputs_schema_is_json_schema()
    {
        var service = await ServiceAsync("x");

        var schema = await AutomationClient.Read(await _api.Http.GetAsync($"/api/services/{service}/inputs-schema"), HttpStatusCode.OK);

        Assert.Equal("object", (string)schema["type"]!);
        Assert.Equal(["vlan"], schema["required"]!.AsArray().Select(n => (string)n!));
        Assert.Equal("number", (string)schema["properties"]!["vlan"]!["type"]!);
        Assert.Equal(["PAR", "LON"], schema["properties"]!["site"]!["enum"]!.AsArray().Select(n => (string)n!));
        Assert.Equal("PAR", (string)schema["properties"]!["site"]!["default"]!);
        Assert.Equal("integer", (string)schema["properties"]!["peer"]!["type"]!);
        Assert.True((bool)schema["properties"]!["token"]!["writeOnly"]!);
        Assert.False((bool)schema["additionalProperties"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.Http.GetAsync("/api/services/9999/inputs-schema")).StatusCode);
    }

    [Fact]
    public async Task Values_reach_templates_and_a_secret_is_encrypted_in_the_run_and_masked_in_every_reply()
    {
        var devices = await _api.CreateDevicesAsync("r1", "peer-1");
        var service = await ServiceAsync("vlan {{ inputs.vlan }} at {{ inputs.site }} peer {{ inputs.peer }} token {{ inputs.token }}");

        var run = await _api.WaitAsync(await _api.RunAsync(service, devices[..1], inputsOf: new { vlan = "42", peer = devices[1], token = Secret }));

        var output = (await _api.ResultsAsync(run.Id)).Single().Output;
        Assert.StartsWith($"vlan 42 at PAR peer {devices[1]} token ", output, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, output, StringComparison.Ordinal);
        var reply = await _api.Http.GetStringAsync($"/api/runs/{run.Id}");
        Assert.DoesNotContain(Secret, reply, StringComparison.Ordinal);
        Assert.DoesNotContain("enms-secret", reply, StringComparison.Ordinal);
        Assert.Contains("\"token\":\"******\"", reply, StringComparison.Ordinal);
        Assert.Contains("\"vlan\":42", reply, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, await _api.Http.GetStringAsync("/api/runs"), StringComparison.Ordinal);
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        var stored = (await db.Runs.SingleAsync(r => r.Id == run.Id)).Inputs;
        Assert.DoesNotContain(Secret, stored, StringComparison.Ordinal);
        Assert.Contains("enms-secret:", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_schedule_stores_checked_inputs_masks_its_secret_and_its_runs_get_them()
    {
        var devices = await _api.CreateDevicesAsync("r1");
        var service = await ServiceAsync("vlan {{ inputs.vlan }} token-length {{ inputs.token | size }}");
        var bad = await _api.Http.PostAsJsonAsync("/api/schedules", new
        {
            name = "bad",
            serviceId = service,
            kind = "Interval",
            every = 1,
            unit = "Seconds",
            timeZone = "UTC",
            deviceIds = devices,
            inputs = new { vlan = "x" },
        });
        Assert.Contains("is not a number", (string)(await AutomationClient.Read(bad, HttpStatusCode.BadRequest))["errors"]!["inputs.vlan"]![0]!, StringComparison.Ordinal);

        var created = await AutomationClient.Read(await _api.Http.PostAsJsonAsync("/api/schedules", new
        {
            name = "with-inputs",
            serviceId = service,
            kind = "Interval",
            every = 1,
            unit = "Seconds",
            timeZone = "UTC",
            deviceIds = devices,
            inputs = new { vlan = 7, token = Secret },
        }), HttpStatusCode.Created);
        Assert.Equal("******", (string)created["inputs"]!["token"]!);
        var id = (int)created["id"]!;
        Assert.DoesNotContain(Secret, await _api.Http.GetStringAsync($"/api/schedules/{id}"), StringComparison.Ordinal);

        var runs = await WaitForRunsAsync(id);
        var run = await _api.WaitAsync((int)runs[0]!["id"]!);
        Assert.Equal($"vlan 7 token-length {Secret.Length}", (await _api.ResultsAsync(run.Id)).Single().Output);
        await _api.Http.PostAsync($"/api/schedules/{id}/pause", null);
    }

    private async Task<JsonArray> WaitForRunsAsync(int scheduleId)
    {
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(30);
        while (true)
        {
            var runs = (await AutomationClient.Read(await _api.Http.GetAsync($"/api/schedules/{scheduleId}/runs"), HttpStatusCode.OK)).AsArray();
            if (runs.Count > 0)
            {
                return runs;
            }
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, "the schedule started no run");
            await Task.Delay(100);
        }
    }
}
