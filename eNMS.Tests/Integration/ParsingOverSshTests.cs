using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using eNMS.Core.Automation;
using eNMS.Tests.TestSupport;
using eNMS.Tests.TestSupport.Lab;

namespace eNMS.Tests.Integration;

/// <summary>cli_commands with TextFSM through the real app on the lab's emulated devices over SSH: our built-in
/// templates on their real output, the rows in the result's data, and data_validation reading them.</summary>
[Collection(LabGroup.Name)]
public sealed class ParsingOverSshTests(LabFixture lab) : IAsyncLifetime
{
    private readonly EnmsAppFactory _app = new();
    private AutomationClient _api = null!;

    public async Task InitializeAsync() => _api = new AutomationClient(await _app.CreateClientAsync("admin"));

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<int> DeviceAsync(DeviceTargetLike target)
    {
        var credential = await AutomationClient.Read(await _api.Http.PostAsJsonAsync("/api/credentials", new
        {
            name = $"cred-{target.Name}",
            username = target.Username,
            password = target.Password,
            enableSecret = target.EnableSecret,
        }), HttpStatusCode.Created);
        var device = await AutomationClient.Read(await _api.Http.PostAsJsonAsync("/api/devices", new
        {
            name = target.Name,
            address = target.Host,
            platform = target.Platform,
            credentialId = (int)credential["id"]!,
        }), HttpStatusCode.Created);
        return (int)device["id"]!;
    }

    private async Task<List<RunResult>> RunAsync(int serviceId, params int[] devices) =>
        await _api.ResultsAsync((await _api.WaitAsync(await _api.RunAsync(serviceId, devices), seconds: 60)).Id);

    [LabFact]
    public async Task A_platform_without_a_template_fails_naming_the_platform_and_command()
    {
        lab.RequireLab();
        var router = await DeviceAsync(DeviceTargetLike.From(LabFixture.Router(1)));
        var service = await _api.CreateServiceAsync("parse-frr", "cli_commands", new { commands = "show version", extract = "TextFsm" });
        var result = Assert.Single(await RunAsync(service, router));
        Assert.False(result.Success);
        Assert.Contains("no template for platform", result.Error, StringComparison.Ordinal);
        Assert.Contains("command 'show version'", result.Error, StringComparison.Ordinal);
    }

    [LabTheory]
    [InlineData("cisco_ios", "VERSION", "15.9(3)M4")]
    [InlineData("cisco_nxos", "OS", "9.3(8)")]
    [InlineData("arista_eos", "IMAGE", "4.30.1F")]
    [InlineData("juniper_junos", "VERSION", "21.4R3-S1.6")]
    [InlineData("cisco_xr", "VERSION", "7.9.2")]
    [InlineData("cisco_asa", "VERSION", "9.16(4)")]
    public async Task Show_version_is_parsed_by_the_built_in_template_and_data_validation_reads_the_rows(string platform, string column, string expected)
    {
        lab.RequireLab();
        var device = await DeviceAsync(DeviceTargetLike.From(lab.Emulated(platform)));
        var show = await _api.CreateServiceAsync($"parse-{platform}", "cli_commands", new { commands = "show version", extract = "TextFsm" });
        var check = await _api.CreateServiceAsync($"check-{platform}", "data_validation",
            new { source = "show", checks = new[] { new { kind = "JsonPathEquals", path = $"0.{column}", value = expected } } });
        var workflow = await _api.CreateWorkflowAsync($"parse-then-check-{platform}", [("show", show), ("check", check)], ["show>check"]);

        var results = await RunAsync(workflow, device);

        var parsed = results.Single(r => r.ServiceId == show);
        Assert.True(parsed.Success, parsed.Error);
        var row = Assert.Single(JsonNode.Parse(parsed.Data)!.AsArray())!;
        Assert.Equal(expected, (string?)row[column]);
        var validated = results.Single(r => r.ServiceId == check);
        Assert.True(validated.Success, validated.Error + validated.Output);
    }
}
