using eNMS.Core.Automation;
using eNMS.Drivers.Config;
using eNMS.Drivers.Platforms.Profiles;
using eNMS.Tests.TestSupport.Lab;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Tests.Integration;

/// <summary>The revert's inverse lines on Huawei VRP and HP Comware (<c>undo</c>, <c>quit</c>, <c>#</c>-separated
/// sections), Aruba AOS-CX, Dell OS10 (through its transaction) and Ubiquiti EdgeSwitch (sections closed by
/// <c>exit</c>): lines added, lines removed and a nested line changed by a run, reverted until a fresh backup equals
/// the snapshot; a line the device refuses stops the revert, named, and the state reported is the device's.</summary>
public sealed partial class RevertInverseOverSshTests
{
    /// <summary>Puts <paramref name="line"/> into run <paramref name="runId"/>'s snapshot after its line starting with
    /// <paramref name="after"/>: a line this device no longer takes (a command of an older release).</summary>
    private async Task InjectIntoSnapshotAsync(int runId, string after, string line)
    {
        await using var db = await Db().CreateDbContextAsync();
        var snapshot = await db.ChangeSnapshots.SingleAsync(s => s.RunId == runId);
        var lines = snapshot.Config!.Split('\n').ToList();
        int at = lines.FindIndex(l => l.TrimStart().StartsWith(after, StringComparison.Ordinal));
        Assert.True(at >= 0, $"no line starting with '{after}' in the snapshot:\n{snapshot.Config}");
        lines.Insert(at + 1, line);
        snapshot.Config = string.Join('\n', lines);
        await db.SaveChangesAsync();
    }

    /// <summary>Runs <paramref name="change"/>, puts <paramref name="injected"/> into its snapshot (see
    /// <see cref="InjectIntoSnapshotAsync"/>) and reverts it: the device, its configuration after the change, the revert.</summary>
    private async Task<(int Device, string During, RunResult Revert)> RefusedRevertAsync(string platform, string change, string after, string injected)
    {
        var device = await DeviceAsync(platform);
        var service = await _api.CreateServiceAsync($"{platform} change", "cli_config", new { config = change });
        var (changed, changedResult) = await RunAsync(service, device);
        Assert.True(changedResult.Success, changedResult.Error);
        var during = await RunningConfigAsync(device);
        await InjectIntoSnapshotAsync(changed.Id, after, injected);
        var revert = await RevertAsync(changed.Id, preview: false);
        Assert.False(revert.Success);
        return (device, during, revert);
    }

    /// <summary>Runs <paramref name="change"/>, previews and reverts it; the fresh backup equals the snapshot.</summary>
    private async Task<RunResult> ChangeThenRevertAsync(string platform, string change, CliNegation negation, params string[] previewed)
    {
        var device = await DeviceAsync(platform);
        var before = await RunningConfigAsync(device);
        var service = await _api.CreateServiceAsync($"{platform} change", "cli_config", new { config = change });
        var (changed, changedResult) = await RunAsync(service, device);
        Assert.True(changedResult.Success, changedResult.Error);
        Assert.NotEqual("", Residual(await RunningConfigAsync(device), before, negation));

        var preview = await RevertAsync(changed.Id, preview: true);
        Assert.True(preview.Success, preview.Error);
        Assert.False(preview.Changed);
        foreach (var line in previewed)
        {
            Assert.Contains(line, preview.Output, StringComparison.Ordinal);
        }

        var revert = await RevertAsync(changed.Id, preview: false);
        Assert.True(revert.Success, revert.Error);
        Assert.True(revert.Changed);
        Assert.Contains("a fresh backup shows it equal", revert.Output, StringComparison.Ordinal);
        Assert.Equal("", Residual(await RunningConfigAsync(device), before, negation));
        return revert;
    }

    [LabTheory]
    [InlineData("huawei", "undo interface GigabitEthernet0/0/1", "Error: Wrong parameter found at '^' position.")]
    [InlineData("hp_comware", "undo interface GigabitEthernet1/0/1", "% Wrong parameter found at '^' position.")]
    [InlineData("aruba_aoscx", "no interface 1/1/1", "Invalid input: 1/1/1")]
    [InlineData("dell_os10", "no interface ethernet1/1/1", "% Error: Unrecognized command.")]
    [InlineData("ubiquiti_edge", "no interface 0/1", "% Invalid input detected at '^' marker.")]
    public async Task A_physical_port_cannot_be_removed_so_the_negation_empties_it(string platform, string removal, string refusal)
    {
        lab.RequireLab();
        await using var driver = await lab.Factory.ConnectAsync(lab.Emulated(platform), CancellationToken.None);
        var before = await driver.GetRunningConfigAsync(CancellationToken.None);

        var error = await Assert.ThrowsAsync<eNMS.Drivers.DeviceCommandException>(() => driver.SendConfigAsync([removal], CancellationToken.None));

        Assert.Equal(removal, error.Command);
        Assert.Contains(refusal, error.Message, StringComparison.Ordinal);
        var negation = (CliNegation)driver.Inversion!;
        Assert.True(negation.Permanent!(removal[(negation.Prefix.Length + 1)..]));
        Assert.Equal("", Residual(await driver.GetRunningConfigAsync(CancellationToken.None), before, negation));
    }

    [LabFact]
    public async Task A_huawei_line_refused_in_the_revert_stops_it_named_with_the_lines_before_it_applied_and_none_after()
    {
        lab.RequireLab();

        var (device, _, revert) = await RefusedRevertAsync("huawei",
            "undo ip route-static 198.18.0.0 255.254.0.0 192.0.2.254\nntp-service unicast-server 192.0.2.123",
            "sysname ", " snmp-agent bogus-legacy-trap");

        Assert.Contains("The revert stopped at 'snmp-agent bogus-legacy-trap'", revert.Error, StringComparison.Ordinal);
        Assert.Contains("Error: Unrecognized command found at '^' position.", revert.Error, StringComparison.Ordinal);
        Assert.Contains("line 2 of 3; the 1 after it were not sent", revert.Error, StringComparison.Ordinal);
        Assert.Contains("The lines before it stay applied", revert.Error, StringComparison.Ordinal);
        Assert.Contains("+ ip route-static 198.18.0.0 255.254.0.0 192.0.2.254", revert.Error, StringComparison.Ordinal);
        var now = await RunningConfigAsync(device);
        Assert.DoesNotContain("ntp-service unicast-server 192.0.2.123", now, StringComparison.Ordinal); // before: applied
        Assert.DoesNotContain("ip route-static 198.18.0.0", now, StringComparison.Ordinal); // after: never sent
    }

    [LabFact]
    public async Task An_os10_line_refused_in_the_revert_discards_its_transaction_and_says_the_device_is_as_before()
    {
        lab.RequireLab();

        var (device, during, revert) = await RefusedRevertAsync("dell_os10",
            "no ip route 198.18.0.0/15 192.0.2.254\nntp server 192.0.2.123", "hostname ", "snmp-server bogus-legacy-trap");

        Assert.Contains("The revert stopped at 'snmp-server bogus-legacy-trap'", revert.Error, StringComparison.Ordinal);
        Assert.Contains("% Error: Unrecognized command.", revert.Error, StringComparison.Ordinal);
        Assert.Contains("The device is as it was before the revert.", revert.Error, StringComparison.Ordinal);
        Assert.False(revert.Changed);
        Assert.Equal("", Residual(await RunningConfigAsync(device), during, PlatformProfiles.DellOs10.Negation!));
    }

    [LabTheory]
    [InlineData("huawei",
        "vlan 20\n description servers\nquit\ninterface Vlanif20\n ip address 10.20.0.1 255.255.255.0\nquit\n" +
        "interface GigabitEthernet0/0/1\n undo shutdown\n description spare\nquit\n" +
        "interface GigabitEthernet0/0/0\n description changed-by-run\nquit\n" +
        "undo ip route-static 198.18.0.0 255.254.0.0 192.0.2.254\nntp-service unicast-server 192.0.2.123",
        "undo interface GigabitEthernet",
        "undo interface Vlanif20|undo vlan 20|undo ntp-service unicast-server 192.0.2.123|interface GigabitEthernet0/0/1\n" +
        "undo description\nquit|interface GigabitEthernet0/0/1\nshutdown\nquit|description mgmt|ip route-static 198.18.0.0 255.254.0.0 192.0.2.254")]
    [InlineData("hp_comware",
        "vlan 20\n name servers\nquit\ninterface Vlan-interface20\n ip address 10.20.0.1 255.255.255.0\nquit\n" +
        "interface GigabitEthernet1/0/1\n undo shutdown\n description spare\nquit\n" +
        "interface GigabitEthernet1/0/0\n description changed-by-run\nquit\n" +
        "undo ip route-static 198.18.0.0 15 192.0.2.254\nntp-service unicast-server 192.0.2.123",
        "undo interface GigabitEthernet",
        "undo interface Vlan-interface20|undo vlan 20|undo ntp-service unicast-server 192.0.2.123|ip route-static 198.18.0.0 15 192.0.2.254")]
    [InlineData("aruba_aoscx",
        "vlan 20\n    name servers\nexit\ninterface vlan20\n    ip address 10.20.0.1/24\nexit\n" +
        "interface 1/1/2\n    no shutdown\n    description spare\nexit\n" +
        "interface 1/1/1\n    description changed-by-run\nexit\n" +
        "no ip route 198.18.0.0/15 192.0.2.254\nntp server 192.0.2.123",
        "no interface 1/1/",
        "no interface vlan20|no vlan 20|no ntp server 192.0.2.123|no description|description uplink|ip route 198.18.0.0/15 192.0.2.254")]
    [InlineData("dell_os10",
        "interface vlan20\n ip address 10.20.0.1/24\nexit\ninterface ethernet1/1/2\n no shutdown\n description spare\nexit\n" +
        "interface ethernet1/1/1\n description changed-by-run\nexit\n" +
        "no ip route 198.18.0.0/15 192.0.2.254\nntp server 192.0.2.123",
        "no interface ethernet",
        "no interface vlan20|no ntp server 192.0.2.123|no description|description uplink|ip route 198.18.0.0/15 192.0.2.254")]
    [InlineData("ubiquiti_edge",
        "interface 0/2\nno shutdown\ndescription 'spare'\nexit\ninterface 0/1\ndescription 'changed-by-run'\nexit\n" +
        "no ip route 198.18.0.0 255.254.0.0 192.0.2.254\nlogging host 192.0.2.50",
        "no interface",
        "no logging host 192.0.2.50|interface 0/2\nno description\nexit|interface 0/2\nshutdown\nexit|" +
        "interface 0/1\ndescription 'uplink'\nexit|ip route 198.18.0.0 255.254.0.0 192.0.2.254")]
    public async Task A_change_of_added_removed_and_nested_lines_is_undone_with_its_ports_emptied_and_its_vlans_removed(
        string platform, string change, string neverSent, string previewed)
    {
        lab.RequireLab();
        var negation = PlatformProfiles.All.Single(p => p.Key == platform).Negation!;

        var revert = await ChangeThenRevertAsync(platform, change, negation, previewed.Split('|'));

        Assert.DoesNotContain(neverSent, revert.Output, StringComparison.Ordinal);
    }
}
