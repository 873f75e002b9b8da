using System.Text.Json.Nodes;
using eNMS.Core.Automation;
using eNMS.Core.Data;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Integration;

/// <summary>cli_commands with TextFSM through the real app on the demo network's simulated devices (no lab needed):
/// the built-in templates found by platform and command, rows in the data, data_validation reading them.</summary>
public sealed class ParsingOnDemoNetworkTests : IAsyncLifetime
{
    private readonly EnmsAppFactory _app = new(seedDemo: true);
    private AutomationClient _api = null!;
    private Dictionary<string, int> _devices = null!;

    public async Task InitializeAsync()
    {
        _api = new AutomationClient(await _app.CreateClientAsync("admin"));
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        _devices = await db.Devices.ToDictionaryAsync(d => d.Name, d => d.Id);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<List<RunResult>> RunAsync(int serviceId, params string[] devices) =>
        await _api.ResultsAsync((await _api.WaitAsync(await _api.RunAsync(serviceId, devices.Select(d => _devices[d])), seconds: 60)).Id);

    private static JsonArray Rows(RunResult result) => JsonNode.Parse(result.Data)!.AsArray();

    [Fact]
    public async Task Show_version_parses_on_each_platform_with_a_template_and_fails_clearly_on_the_one_without()
    {
        var service = await _api.CreateServiceAsync("parsed version", "cli_commands", new { commands = "show version", extract = "TextFsm" });
        var results = (await RunAsync(service, "paris-core", "london-core", "berlin-core", "rome-core", "amsterdam-core")).ToDictionary(r => r.DeviceName);

        var frr = results["amsterdam-core"];
        Assert.False(frr.Success);
        Assert.Equal("no template for platform 'frr' command 'show version'", frr.Error);
        Assert.All(results.Values.Where(r => r.DeviceName != "amsterdam-core"), r => Assert.True(r.Success, $"{r.DeviceName}: {r.Error}"));
        Assert.Equal(("17.9.4a", "paris-core"), ((string?)Rows(results["paris-core"])[0]!["VERSION"], (string?)Rows(results["paris-core"])[0]!["HOSTNAME"]));
        Assert.Equal(("23.2R1.14", "mx204"), ((string?)Rows(results["london-core"])[0]!["VERSION"], (string?)Rows(results["london-core"])[0]!["MODEL"]));
        Assert.Equal(("4.31.2F", "DCS-7280CR3-32P4-F"), ((string?)Rows(results["berlin-core"])[0]!["IMAGE"], (string?)Rows(results["berlin-core"])[0]!["MODEL"]));
        Assert.Equal(("10.3(4a)", "rome-core"), ((string?)Rows(results["rome-core"])[0]!["OS"], (string?)Rows(results["rome-core"])[0]!["HOSTNAME"]));
    }

    [Fact]
    public async Task Data_validation_checks_the_parsed_rows_of_an_earlier_node()
    {
        var show = await _api.CreateServiceAsync("interfaces", "cli_commands", new { commands = "show ip interface brief", extract = "TextFsm" });
        var check = await _api.CreateServiceAsync("first up", "data_validation",
            new { source = "show", checks = new[] { new { kind = "JsonPathEquals", path = "0.PROTO", value = "up" }, new { kind = "JsonPathEquals", path = "0.INTERFACE", value = "Loopback9" } } });
        var workflow = await _api.CreateWorkflowAsync("parse then check", [("show", show), ("check", check)], ["show>check"]);

        var results = await RunAsync(workflow, "paris-core");

        var parsed = results.Single(r => r.ServiceId == show);
        Assert.True(parsed.Success, parsed.Error);
        Assert.True(Rows(parsed).Count >= 2, parsed.Data);
        var validated = results.Single(r => r.ServiceId == check);
        // The first interface is up but is not Loopback9: exactly one of the two checks fails, naming what it found.
        Assert.False(validated.Success);
        Assert.Equal("1 of 2 checks failed", validated.Error);
        Assert.Contains($"PASS JsonPathEquals 0.PROTO 'up'", validated.Output, StringComparison.Ordinal);
        Assert.Contains($"(found '{Rows(parsed)[0]!["INTERFACE"]}')", validated.Output, StringComparison.Ordinal);
    }
}
