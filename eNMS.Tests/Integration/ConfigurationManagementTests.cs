using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using eNMS.Core.Automation;
using eNMS.Tests.TestSupport;
using eNMS.Tests.TestSupport.Lab;

namespace eNMS.Tests.Integration;

/// <summary>Configuration management against emulated devices over real SSH: history and diff, change detection,
/// search, rollback with preview, golden-config compliance with remediation, masking for roles without secrets.read.</summary>
[Collection(LabGroup.Name)]
public sealed class ConfigurationManagementTests(LabFixture lab) : IAsyncLifetime
{
    private readonly EnmsAppFactory _app = new();
    private AutomationClient _api = null!;

    public async Task InitializeAsync() => _api = new AutomationClient(await _app.CreateClientAsync("admin"));

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private Task<int> DeviceAsync(DeviceTargetLike target) => _api.CreateDeviceAsync(target);

    private async Task<RunResult> RunAsync(int serviceId, int device)
    {
        var run = await _api.WaitAsync(await _api.RunAsync(serviceId, [device]), seconds: 90);
        return Assert.Single(await _api.ResultsAsync(run.Id));
    }

    private async Task<RunResult> LaunchedAsync(HttpResponseMessage response)
    {
        var runId = (int)(await AutomationClient.Read(response, HttpStatusCode.Accepted))["runId"]!;
        var run = await _api.WaitAsync(runId, seconds: 90);
        return Assert.Single(await _api.ResultsAsync(run.Id));
    }

    private async Task<JsonArray> VersionsAsync(int device) =>
        JsonNode.Parse(await _api.Http.GetStringAsync($"/api/devices/{device}/configurations"))!.AsArray();

    [LabFact]
    public async Task A_change_on_the_device_is_detected_diffed_exactly_and_rolled_back()
    {
        lab.RequireLab();
        var target = DeviceTargetLike.From(lab.Emulated("arista_eos"));
        var device = await DeviceAsync(target);
        var backup = await _api.CreateServiceAsync("backup", "config_backup", new { });
        var change = await _api.CreateServiceAsync("change", "cli_config", new { config = "snmp-server community drift-ro ro" });

        var first = await RunAsync(backup, device);
        Assert.True(first.Changed);
        Assert.Contains("\"changeDetected\":false", first.Data, StringComparison.Ordinal);
        Assert.True((await RunAsync(change, device)).Success);
        var second = await RunAsync(backup, device);

        Assert.True(second.Changed);
        Assert.Contains("\"changeDetected\":true", second.Data, StringComparison.Ordinal);
        Assert.Equal(["+ snmp-server community drift-ro ro"], Changes(second.Diff));
        var versions = await VersionsAsync(device);
        Assert.Equal(2, versions.Count);
        var (newer, older) = ((long)versions[0]!["id"]!, (long)versions[1]!["id"]!);
        var diff = JsonNode.Parse(await _api.Http.GetStringAsync($"/api/configurations/diff?a={older}&b={newer}"))!;
        Assert.Equal(["+ snmp-server community drift-ro ro"], Changes((string)diff["unified"]!));
        var rows = diff["rows"]!.AsArray().Where(r => (string)r!["kind"]! != "Same" && (string?)r["right"] != "!").ToList();
        Assert.Equal("snmp-server community drift-ro ro", (string)Assert.Single(rows)!["right"]!);
        var changes = JsonNode.Parse(await _api.Http.GetStringAsync("/api/configurations/changes"))!.AsArray();
        Assert.Equal(newer, (long)changes.Single(c => (int)c!["deviceId"]! == device)!["versionId"]!);

        var search = JsonNode.Parse(await _api.Http.GetStringAsync("/api/configurations/search?q=community%20drift&context=1"))!.AsArray();
        var hit = Assert.Single(search, h => (int)h!["deviceId"]! == device)!;
        Assert.Contains("drift-ro", (string)hit["matches"]![0]!["line"]!, StringComparison.Ordinal);
        var viewer = _app.CreateClient(await _app.CreateTokenAsync(await _app.CreateUserAsync("viewer-cfg", "viewer")));
        var masked = await viewer.GetStringAsync($"/api/configurations/diff?a={older}&b={newer}");
        Assert.DoesNotContain("drift-ro", masked, StringComparison.Ordinal);

        var preview = await LaunchedAsync(await _api.Http.PostAsJsonAsync($"/api/devices/{device}/configurations/{older}/rollback", new { preview = true }));
        Assert.True(preview.Success, preview.Error);
        Assert.Contains("- snmp-server community drift-ro ro", preview.Diff, StringComparison.Ordinal);
        Assert.False((await RunAsync(backup, device)).Changed); // the preview applied nothing

        var restored = await LaunchedAsync(await _api.Http.PostAsJsonAsync($"/api/devices/{device}/configurations/{older}/rollback", new { preview = false }));
        Assert.True(restored.Success, restored.Error);
        var third = await RunAsync(backup, device);
        Assert.True(third.Changed);
        Assert.Equal(["- snmp-server community drift-ro ro"], Changes(third.Diff));
        Assert.Equal((string)versions[1]!["hash"]!, (string)(await VersionsAsync(device))[0]!["hash"]!);
    }

    [LabFact]
    public async Task Compliance_flags_a_drift_and_remediation_clears_it_after_a_dry_run()
    {
        lab.RequireLab();
        var target = DeviceTargetLike.From(lab.Emulated("arista_eos"));
        var device = await DeviceAsync(target);
        var backup = await _api.CreateServiceAsync("backup", "config_backup", new { });
        var rule = await AutomationClient.Read(await _api.Http.PostAsJsonAsync("/api/compliance/rules", new
        {
            name = "ntp and banner",
            platform = "arista_eos",
            mode = "Snippets",
            template = "ntp server 10.255.9.9\nsnmp-server location {{ device.name }}-room",
        }), HttpStatusCode.Created);
        var ruleId = (int)rule["id"]!;
        await RunAsync(backup, device);

        var report = await ReportAsync(device);
        Assert.False((bool)report["compliant"]!);
        Assert.Equal(["ntp server 10.255.9.9", $"snmp-server location {target.Name}-room"], report["missing"]!.AsArray().Select(m => (string)m!));

        var dryRun = await LaunchedAsync(await _api.Http.PostAsJsonAsync($"/api/compliance/rules/{ruleId}/remediate", new { deviceIds = new[] { device }, dryRun = true }));
        Assert.True(dryRun.Success, dryRun.Error);
        Assert.Contains("+ ntp server 10.255.9.9", dryRun.Diff, StringComparison.Ordinal);
        Assert.False((await RunAsync(backup, device)).Changed);
        Assert.False((bool)(await ReportAsync(device))["compliant"]!);

        var applied = await LaunchedAsync(await _api.Http.PostAsJsonAsync($"/api/compliance/rules/{ruleId}/remediate", new { deviceIds = new[] { device }, dryRun = false }));
        Assert.True(applied.Success, applied.Error);
        Assert.True((await RunAsync(backup, device)).Changed);
        Assert.True((bool)(await ReportAsync(device))["compliant"]!);

        // A deliberate drift: someone removes the NTP server by hand.
        var drift = await _api.CreateServiceAsync("drift", "cli_config", new { config = "no ntp server 10.255.9.9" });
        Assert.True((await RunAsync(drift, device)).Success);
        await RunAsync(backup, device);
        var drifted = await ReportAsync(device);
        Assert.False((bool)drifted["compliant"]!);
        Assert.Equal(["ntp server 10.255.9.9"], drifted["missing"]!.AsArray().Select(m => (string)m!));

        Assert.True((await LaunchedAsync(await _api.Http.PostAsJsonAsync($"/api/compliance/rules/{ruleId}/remediate", new { deviceIds = new[] { device }, dryRun = false }))).Success);
        await RunAsync(backup, device);
        Assert.True((bool)(await ReportAsync(device))["compliant"]!);
    }

    /// <summary>The changed lines of a diff, without the "!" separator lines the EOS config prints between sections.</summary>
    private static List<string> Changes(string diff) =>
        diff.Split('\n').Where(l => (l.StartsWith('+') || l.StartsWith('-')) && l[1..].Trim() != "!").ToList();

    private async Task<JsonNode> ReportAsync(int device) =>
        Assert.Single(JsonNode.Parse(await _api.Http.GetStringAsync($"/api/compliance?deviceId={device}"))!.AsArray())!;
}
