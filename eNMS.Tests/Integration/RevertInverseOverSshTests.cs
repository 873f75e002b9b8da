using System.Net;
using System.Net.Http.Json;
using eNMS.Core.Automation;
using eNMS.Core.Data;
using eNMS.Drivers.Config;
using eNMS.Drivers.Platforms.Profiles;
using eNMS.Tests.TestSupport;
using eNMS.Tests.TestSupport.Lab;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Integration;

/// <summary>"Revert this run" on platforms that cannot replace their configuration (Cisco ASA, HP ProCurve, NX-OS; the
/// <c>undo</c>-style and other platforms in RevertInverseOverSshTests.Vendors.cs), over real
/// SSH to the lab emulators: the preview shows the inverse changes, the revert sends them line by line and a fresh
/// backup proves the device equals its snapshot; a line the device refuses stops the revert, named.</summary>
[Collection(LabGroup.Name)]
public sealed partial class RevertInverseOverSshTests(LabFixture lab) : IAsyncLifetime
{
    private readonly EnmsAppFactory _app = new();
    private AutomationClient _api = null!;

    public async Task InitializeAsync() => _api = new AutomationClient(await _app.CreateClientAsync("admin"));

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private IDbContextFactory<EnmsDbContext> Db() => _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>();

    private Task<int> DeviceAsync(string platform) => _api.CreateDeviceAsync(DeviceTargetLike.From(lab.Emulated(platform)));

    private async Task<(Run Run, RunResult Result)> RunAsync(int serviceId, int device)
    {
        var run = await _api.WaitAsync(await _api.RunAsync(serviceId, [device]), seconds: 120);
        return (run, Assert.Single(await _api.ResultsAsync(run.Id)));
    }

    private async Task<RunResult> ChangeAsync(string config, int device)
    {
        var service = await _api.CreateServiceAsync($"change {Guid.NewGuid():N}", "cli_config", new { config });
        var (_, result) = await RunAsync(service, device);
        Assert.True(result.Success, result.Error);
        return result;
    }

    private async Task<string> RunningConfigAsync(int device)
    {
        var backup = await _api.CreateServiceAsync($"backup {Guid.NewGuid():N}", "config_backup", new { });
        var (_, result) = await RunAsync(backup, device);
        Assert.True(result.Success, result.Error);
        return result.Output;
    }

    private async Task<RunResult> RevertAsync(int runId, bool preview)
    {
        var response = await _api.Http.PostAsJsonAsync($"/api/runs/{runId}/revert", new { preview });
        var started = (int)(await AutomationClient.Read(response, HttpStatusCode.Accepted))["runId"]!;
        var run = await _api.WaitAsync(started, seconds: 120);
        return Assert.Single(await _api.ResultsAsync(run.Id));
    }

    private static string Residual(string now, string before, CliNegation negation) =>
        ConfigInverse.Residual(ConfigInverse.Parse(now, negation), ConfigInverse.Parse(before, negation));

    [LabFact]
    public async Task An_asa_change_of_added_removed_and_nested_lines_is_previewed_then_reverted_to_equal_the_snapshot()
    {
        lab.RequireLab();
        var device = await DeviceAsync("cisco_asa");
        await ChangeAsync("interface GigabitEthernet0/1\n description uplink\nlogging host management 192.0.2.50\n" +
            "access-list outside_in extended permit tcp any host 192.0.2.80 eq 443", device);
        var before = await RunningConfigAsync(device);
        var service = await _api.CreateServiceAsync("asa change", "cli_config", new
        {
            config = "no logging host management 192.0.2.50\ninterface GigabitEthernet0/1\n description changed-by-run\n no shutdown\n" +
                "interface Management0/0\n ip address 192.0.2.2 255.255.255.0\n" +
                "access-list outside_in extended permit tcp any host 192.0.2.81 eq 22\nobject network db\n host 192.0.2.90\n" +
                "route management 203.0.113.0 255.255.255.0 192.0.2.254 1",
        });
        var (changed, changedResult) = await RunAsync(service, device);
        Assert.True(changedResult.Success, changedResult.Error);
        var during = await RunningConfigAsync(device);
        Assert.NotEqual("", Residual(during, before, PlatformProfiles.CiscoAsa.Negation!));

        var preview = await RevertAsync(changed.Id, preview: true);
        Assert.True(preview.Success, preview.Error);
        Assert.False(preview.Changed);
        Assert.Contains("- access-list outside_in extended permit tcp any host 192.0.2.81 eq 22", preview.Diff, StringComparison.Ordinal);
        Assert.Contains("+ logging host management 192.0.2.50", preview.Diff, StringComparison.Ordinal);
        Assert.Contains("-  description changed-by-run", preview.Diff, StringComparison.Ordinal);
        Assert.Contains("+  description uplink", preview.Diff, StringComparison.Ordinal);
        Assert.Contains("no object network db", preview.Output, StringComparison.Ordinal);
        Assert.Contains("ip address 192.0.2.1 255.255.255.0", preview.Output, StringComparison.Ordinal);
        Assert.Equal("", Residual(await RunningConfigAsync(device), during, PlatformProfiles.CiscoAsa.Negation!));

        var revert = await RevertAsync(changed.Id, preview: false);
        Assert.True(revert.Success, revert.Error);
        Assert.True(revert.Changed);
        Assert.Contains("a fresh backup shows it equal", revert.Output, StringComparison.Ordinal);
        Assert.Equal("", Residual(await RunningConfigAsync(device), before, PlatformProfiles.CiscoAsa.Negation!));
    }

    [LabFact]
    public async Task A_procurve_change_is_reverted_by_inverse_lines_with_its_port_emptied_not_removed()
    {
        lab.RequireLab();
        var device = await DeviceAsync("hp_procurve");
        var before = await RunningConfigAsync(device);
        var service = await _api.CreateServiceAsync("procurve change", "cli_config", new
        {
            config = "interface 1\n name \"core-uplink\"\nexit\ninterface 5\n name \"spare\"\nexit\n" +
                "no snmp-server community \"public\"\nip route 203.0.113.0 255.255.255.0 192.0.2.254\nvlan 20\n name \"servers\"\nexit",
        });
        var (changed, changedResult) = await RunAsync(service, device);
        Assert.True(changedResult.Success, changedResult.Error);
        Assert.NotEqual("", Residual(await RunningConfigAsync(device), before, PlatformProfiles.HpProcurve.Negation!));

        var preview = await RevertAsync(changed.Id, preview: true);
        Assert.True(preview.Success, preview.Error);
        Assert.Contains("+ snmp-server community \"public\" unrestricted", preview.Diff, StringComparison.Ordinal);
        Assert.Contains("no vlan 20", preview.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("no interface", preview.Output, StringComparison.Ordinal);

        var revert = await RevertAsync(changed.Id, preview: false);
        Assert.True(revert.Success, revert.Error);
        Assert.Equal("", Residual(await RunningConfigAsync(device), before, PlatformProfiles.HpProcurve.Negation!));
    }

    [LabFact]
    public async Task An_nxos_change_is_reverted_behind_its_checkpoint_with_physical_ports_emptied_and_added_sections_removed()
    {
        lab.RequireLab();
        var device = await DeviceAsync("cisco_nxos");
        var before = await RunningConfigAsync(device);
        var service = await _api.CreateServiceAsync("nxos change", "cli_config", new
        {
            config = "interface Ethernet1/1\n description changed-by-run\ninterface Ethernet1/2\n no shutdown\n description spare\n" +
                "no ip route 198.18.0.0/15 192.0.2.254\nrouter ospf 1\n router-id 10.0.0.1\ninterface loopback7\n ip address 10.7.7.7/32",
        });
        var (changed, changedResult) = await RunAsync(service, device);
        Assert.True(changedResult.Success, changedResult.Error);

        var preview = await RevertAsync(changed.Id, preview: true);
        Assert.True(preview.Success, preview.Error);
        Assert.Contains("no interface loopback7", preview.Output, StringComparison.Ordinal);
        Assert.Contains("no router ospf 1", preview.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("no interface Ethernet", preview.Output, StringComparison.Ordinal);

        var revert = await RevertAsync(changed.Id, preview: false);
        Assert.True(revert.Success, revert.Error);
        Assert.Equal("", Residual(await RunningConfigAsync(device), before, PlatformProfiles.CiscoNxos.Negation!));
    }

    [LabFact]
    public async Task A_line_the_device_refuses_stops_the_revert_naming_it_and_no_line_after_it_is_sent()
    {
        lab.RequireLab();
        var device = await DeviceAsync("cisco_asa");
        await ChangeAsync("logging host management 192.0.2.50", device);
        var service = await _api.CreateServiceAsync("asa change", "cli_config", new
        {
            config = "no logging host management 192.0.2.50\nroute management 203.0.113.0 255.255.255.0 192.0.2.254 1",
        });
        var (changed, changedResult) = await RunAsync(service, device);
        Assert.True(changedResult.Success, changedResult.Error);
        // A snapshot line this device no longer takes (a command of an older release): typed back before the logging
        // host, since it comes first in the snapshot.
        await InjectIntoSnapshotAsync(changed.Id, "hostname ", "snmp-server bogus legacy-traps");

        var revert = await RevertAsync(changed.Id, preview: false);

        Assert.False(revert.Success);
        Assert.Contains("The revert stopped at 'snmp-server bogus legacy-traps'", revert.Error, StringComparison.Ordinal);
        Assert.Contains("Invalid input", revert.Error, StringComparison.Ordinal);
        Assert.Contains("line 2 of 3; the 1 after it were not sent", revert.Error, StringComparison.Ordinal);
        Assert.Contains("The lines before it stay applied", revert.Error, StringComparison.Ordinal);
        var now = await RunningConfigAsync(device);
        Assert.DoesNotContain("route management 203.0.113.0", now, StringComparison.Ordinal); // sent before: applied
        Assert.DoesNotContain("logging host management 192.0.2.50", now, StringComparison.Ordinal); // after: never sent
    }
}
