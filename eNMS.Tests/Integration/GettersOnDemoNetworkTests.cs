using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using eNMS.Core.Automation;
using eNMS.Core.Data;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Integration;

/// <summary>The getters kind through the real app on the demo network's simulated devices: one facts shape whatever the
/// platform, a getter failing alone where no template fits, the opt-in inventory update audited under the run's user.</summary>
public sealed class GettersOnDemoNetworkTests : IAsyncLifetime
{
    private readonly EnmsAppFactory _app = new(seedDemo: true);
    private AutomationClient _api = null!;
    private Dictionary<string, int> _devices = null!;

    public async Task InitializeAsync()
    {
        _api = new AutomationClient(await _app.CreateClientAsync("admin"));
        await using var db = await DbAsync();
        _devices = await db.Devices.ToDictionaryAsync(d => d.Name, d => d.Id);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private Task<EnmsDbContext> DbAsync() => _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();

    private async Task<Dictionary<string, RunResult>> RunAsync(int serviceId, params string[] devices) =>
        (await _api.ResultsAsync((await _api.WaitAsync(await _api.RunAsync(serviceId, devices.Select(d => _devices[d])), seconds: 60)).Id))
            .Where(r => r.DeviceName is { Length: > 0 }).ToDictionary(r => r.DeviceName!);

    private static JsonNode Data(RunResult result) => JsonNode.Parse(result.Data)!;

    private static string? Fact(RunResult result, string name) => (string?)Data(result)["facts"]![name];

    [Fact]
    public async Task An_unknown_or_missing_getter_is_refused_when_the_service_is_saved()
    {
        foreach (var getters in new[] { Array.Empty<string>(), ["facts", "bgp_everything"] })
        {
            var response = await _api.Http.PostAsJsonAsync("/api/services", new { name = $"bad {getters.Length}", kind = "getters", parameters = new { getters } });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            Assert.Contains(getters.Length == 0 ? "Choose at least one getter" : "Unknown getter 'bgp_everything'", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Facts_have_one_shape_on_each_platform_and_fail_alone_where_no_template_fits()
    {
        var service = await _api.CreateServiceAsync("facts", "getters", new { getters = new[] { "facts" } });
        var results = await RunAsync(service, "paris-core", "london-core", "berlin-core", "rome-core", "amsterdam-core");

        var frr = results["amsterdam-core"];
        Assert.False(frr.Success);
        Assert.Equal("facts: no template for platform 'frr' command 'show version'", frr.Error);
        Assert.All(results.Values.Where(r => r.DeviceName != "amsterdam-core"), r => Assert.True(r.Success, $"{r.DeviceName}: {r.Error}"));

        var paris = results["paris-core"];
        Assert.Equal(("Cisco", "ISR4451-X/K9", "17.9.4a", "paris-core"),
            (Fact(paris, "vendor"), Fact(paris, "model"), Fact(paris, "os_version"), Fact(paris, "hostname")));
        Assert.Matches("^FGL2[0-9]{4}ENMS$", Fact(paris, "serial_number"));
        Assert.False(string.IsNullOrEmpty(Fact(paris, "uptime")));
        Assert.Equal(("Juniper", "mx204", "23.2R1.14", "london-core"),
            (Fact(results["london-core"], "vendor"), Fact(results["london-core"], "model"), Fact(results["london-core"], "os_version"), Fact(results["london-core"], "hostname")));
        Assert.Equal(("Arista", "DCS-7280CR3-32P4-F", "4.31.2F"),
            (Fact(results["berlin-core"], "vendor"), Fact(results["berlin-core"], "model"), Fact(results["berlin-core"], "os_version")));
        Assert.StartsWith("JPE2", Fact(results["berlin-core"], "serial_number"), StringComparison.Ordinal);
        Assert.Equal(("Cisco", "C9300v", "10.3(4a)", "rome-core"),
            (Fact(results["rome-core"], "vendor"), Fact(results["rome-core"], "model"), Fact(results["rome-core"], "os_version"), Fact(results["rome-core"], "hostname")));
    }

    [Fact]
    public async Task A_getter_without_a_template_fails_alone_and_the_others_keep_their_data()
    {
        var service = await _api.CreateServiceAsync("facts and interfaces", "getters", new { getters = new[] { "facts", "interfaces" } });
        var results = await RunAsync(service, "paris-core", "berlin-core", "rome-core");

        var paris = results["paris-core"];
        Assert.True(paris.Success, paris.Error);
        var interfaces = Data(paris)["interfaces"]!.AsObject();
        Assert.True(interfaces.Count >= 2, paris.Data);
        var first = interfaces.First();
        Assert.True((bool)first.Value!["is_up"]!, paris.Data);
        Assert.False(string.IsNullOrEmpty((string?)first.Value!["ipv4"]));

        // Arista's output has other columns and its own template, and the same shape; a disabled interface is not enabled.
        var berlin = results["berlin-core"];
        Assert.True(berlin.Success, berlin.Error);
        var eos = Data(berlin)["interfaces"]!.AsObject();
        Assert.True(eos.Count >= 2, berlin.Data);
        Assert.All(eos, i => Assert.Equal((bool)i.Value!["is_up"]!, (bool)i.Value!["is_enabled"]!));

        // NX-OS's show ip interface brief has no built-in template: interfaces fails with why, facts still answer.
        var rome = results["rome-core"];
        Assert.False(rome.Success);
        Assert.Equal("interfaces: no template for platform 'cisco_nxos' command 'show ip interface brief'", rome.Error);
        Assert.Equal("10.3(4a)", Fact(rome, "os_version"));
    }

    [Fact]
    public async Task BGP_neighbours_and_routes_summary_have_one_shape_on_every_demo_platform()
    {
        var service = await _api.CreateServiceAsync("routing", "getters", new { getters = new[] { "bgp_neighbors", "routes_summary" } });
        var results = await RunAsync(service, "paris-core", "london-core", "berlin-core", "rome-core", "amsterdam-core");

        Assert.Equal(5, results.Count);
        foreach (var result in results.Values)
        {
            Assert.True(result.Success, $"{result.DeviceName}: {result.Error}");
            var peers = Data(result)["bgp_neighbors"]!.AsArray();
            // Two sessions up, one toward an address that never answers.
            Assert.Equal(2, peers.Count(p => (bool)p!["is_up"]!));
            var down = Assert.Single(peers, p => !(bool)p!["is_up"]!)!;
            Assert.Equal("Active", (string?)down["state"]);
            var routes = Assert.Single(Data(result)["routes_summary"]!.AsArray())!;
            Assert.Equal(peers.Sum(p => (long?)p!["accepted_prefixes"] ?? 0), (long)routes["protocols"]!["bgp"]!);
            Assert.Equal(2L, (long)routes["protocols"]!["connected"]!);
        }
    }

    [Fact]
    public async Task A_command_the_device_refuses_fails_its_getter_alone()
    {
        // The simulated IOS device does not answer show ip arp: arp fails quoting the device, facts still run.
        var service = await _api.CreateServiceAsync("arp then facts", "getters", new { getters = new[] { "arp", "facts" } });
        var paris = (await RunAsync(service, "paris-core"))["paris-core"];

        Assert.False(paris.Success);
        Assert.StartsWith("arp: ", paris.Error, StringComparison.Ordinal);
        Assert.Contains("'show ip arp' failed: % Invalid input", paris.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("facts", paris.Error, StringComparison.Ordinal);
        Assert.Equal("17.9.4a", Fact(paris, "os_version"));
        Assert.Null(Data(paris)["arp"]);
    }

    [Fact]
    public async Task Update_inventory_is_opt_in_and_audited_under_the_runs_user()
    {
        await using (var db = await DbAsync())
        {
            var device = await db.Devices.SingleAsync(d => d.Name == "london-core");
            (device.Vendor, device.Model, device.OsVersion) = ("", "old-model", "1.0");
            await db.SaveChangesAsync();
        }
        var readOnly = await _api.CreateServiceAsync("facts only", "getters", new { getters = new[] { "facts" } });
        Assert.True((await RunAsync(readOnly, "london-core"))["london-core"].Success);
        await using (var db = await DbAsync())
        {
            var device = await db.Devices.AsNoTracking().SingleAsync(d => d.Name == "london-core");
            Assert.Equal(("", "old-model", "1.0"), (device.Vendor, device.Model, device.OsVersion));
        }

        var updating = await _api.CreateServiceAsync("facts to inventory", "getters", new { getters = new[] { "facts" }, updateInventory = true });
        var result = (await RunAsync(updating, "london-core"))["london-core"];

        Assert.True(result.Success, result.Error);
        Assert.True(result.Changed);
        await using (var db = await DbAsync())
        {
            var device = await db.Devices.AsNoTracking().SingleAsync(d => d.Name == "london-core");
            Assert.Equal(("Juniper", "mx204", "23.2R1.14"), (device.Vendor, device.Model, device.OsVersion));
            var entry = await db.AuditEntries.AsNoTracking().Where(e => e.TargetKind == "device" && e.TargetName == "london-core").OrderBy(e => e.Id).LastAsync();
            var runBy = await db.Runs.AsNoTracking().OrderBy(r => r.Id).Select(r => r.CreatedBy).LastAsync();
            Assert.StartsWith("admin", runBy, StringComparison.Ordinal);
            Assert.Equal((runBy, "update"), (entry.User, entry.Action));
            Assert.Contains("23.2R1.14", entry.After, StringComparison.Ordinal);
            Assert.Contains("old-model", entry.Before, StringComparison.Ordinal);
        }
    }
}
