using eNMS.Drivers.Config;
using eNMS.Drivers.Platforms.Profiles;
using eNMS.Tests.TestSupport.Lab;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Tests.Integration;

/// <summary>"Revert this run" on the set/delete candidate platforms (VyOS, PAN-OS, SR OS): the inverse paths go into
/// the candidate and are committed once. First the bad cases, on a snapshot that holds a line the device refuses and
/// then one its commit refuses: the revert fails naming it, and a fresh read shows the device unchanged; then the real
/// snapshot: added, removed and changed paths come back and a fresh backup equals it.</summary>
public sealed partial class RevertInverseOverSshTests
{
    /// <summary>One platform's case: the change a run makes, lines the preview must send (and must not), and two
    /// edits of the kept snapshot: one adding a path the device refuses as it is typed, one that its commit refuses.</summary>
    private sealed record Case(string Platform, IConfigInversion Inversion, string Change, string[] Sent, string NotSent,
        Func<string, string> RefusedLine, string RefusedLineText, string RefusedLineWhy, Func<string, string> RefusedCommit, string RefusedCommitWhy);

    [LabFact]
    public Task A_vyos_run_is_reverted_by_deleting_and_setting_paths_committed_once() => RevertsAsync(new Case(
        "vyos", PlatformProfiles.Vyos.Inversion!,
        Change: "set interfaces ethernet eth1 address 10.1.1.1/24\nset interfaces ethernet eth1 description lab\n" +
            "set interfaces ethernet eth0 address 192.0.2.9/24\ndelete protocols static route 198.18.0.0/15\nset service ssh port 2222\n" +
            "set interfaces ethernet eth0 description 'changed by run'",
        Sent: ["delete interfaces ethernet eth1", "delete interfaces ethernet eth0 address 192.0.2.9/24", "delete service ssh port 2222",
            "set service ssh port 22", "set protocols static route 198.18.0.0/15 next-hop 192.0.2.254", "set interfaces ethernet eth0 description mgmt"],
        NotSent: "delete interfaces ethernet eth1 ",
        RefusedLine: s => s.Replace("description mgmt", "description mgmt\n        mtu 70000", StringComparison.Ordinal),
        RefusedLineText: "set interfaces ethernet eth0 mtu 70000", RefusedLineWhy: "Value validation failed",
        // The address eth0 has, on eth3 too: every line is taken, the commit's verification refuses it.
        RefusedCommit: s => s.Replace("ethernet eth0 {", "ethernet eth3 {\n        address 192.0.2.1/24\n    }\n    ethernet eth0 {", StringComparison.Ordinal),
        RefusedCommitWhy: "already assigned"));

    [LabFact]
    public Task A_panos_run_is_reverted_by_deleting_and_setting_paths_committed_once() => RevertsAsync(new Case(
        "paloalto_panos", PlatformProfiles.PaloAltoPanos.Inversion!,
        Change: "set address web ip-netmask 10.1.0.10/32\nset address web description \"web server\"\n" +
            "delete network virtual-router default routing-table ip static-route default-route\n" +
            "set deviceconfig system default-gateway 192.0.2.253\nset zone trust network layer3 ethernet1/1",
        // The firewall had no address object before: the section goes whole.
        Sent: ["delete address", "set deviceconfig system default-gateway 192.0.2.254", "delete zone trust network layer3",
            "set zone trust network layer3 ethernet1/2",
            "set network virtual-router default routing-table ip static-route default-route nexthop ip-address 198.51.100.254"],
        NotSent: "delete deviceconfig system default-gateway",
        RefusedLine: s => s.Replace("netmask 255.255.255.0;", "netmask 255.255.255.0;\n      dns-setting {\n        servers {\n          primary 999.0.0.1;\n        }\n      }", StringComparison.Ordinal),
        RefusedLineText: "set deviceconfig system dns-setting servers primary 999.0.0.1", RefusedLineWhy: "Invalid syntax.",
        // A zone on a port the firewall has no configuration for: each line is taken, the commit's validation refuses it.
        RefusedCommit: s => s.Replace("  zone {", "  zone {\n    dmz {\n      network {\n        layer3 ethernet1/7;\n      }\n    }", StringComparison.Ordinal),
        RefusedCommitWhy: "is not a valid reference"));

    [LabFact]
    public Task An_sros_run_is_reverted_by_deleting_and_setting_absolute_paths_committed_once() => RevertsAsync(new Case(
        "nokia_sros", PlatformProfiles.NokiaSros.Inversion!,
        Change: "/configure router \"Base\" interface \"to-core\" port \"1/1/1\"\n" +
            "/configure router \"Base\" interface \"to-core\" ipv4 primary address 10.9.0.1\n" +
            "/configure router \"Base\" interface \"to-core\" ipv4 primary prefix-length 30\n" +
            "delete /configure port 1/1/1 description\n/configure port 1/1/1 admin-state disable",
        Sent: ["delete /configure router \"Base\" interface \"to-core\"", "/configure port 1/1/1 admin-state enable",
            "/configure port 1/1/1 description \"mgmt\""],
        NotSent: "delete /configure port 1/1/1 admin-state",
        RefusedLine: s => s.Replace("admin-state enable", "admin-state enable\n        ethernet {\n            mtu 99999\n        }", StringComparison.Ordinal),
        RefusedLineText: "/configure port 1/1/1 ethernet mtu 99999", RefusedLineWhy: "out of range",
        // An address without its prefix length: the statement is taken, the commit finds a mandatory field missing.
        RefusedCommit: s => s.Replace("router \"Base\" {", "router \"Base\" {\n        interface \"spare\" {\n            ipv4 {\n                primary {\n" +
            "                    address 10.8.0.1\n                }\n            }\n        }", StringComparison.Ordinal),
        RefusedCommitWhy: "Missing mandatory fields - prefix-length"));

    private async Task RevertsAsync(Case c)
    {
        lab.RequireLab();
        var device = await DeviceAsync(c.Platform);
        var before = await RunningConfigAsync(device);
        var service = await _api.CreateServiceAsync($"{c.Platform} change", "cli_config", new { config = c.Change });
        var (changed, changedResult) = await RunAsync(service, device);
        Assert.True(changedResult.Success, changedResult.Error);
        var during = await RunningConfigAsync(device);
        Assert.NotEqual("", c.Inversion.Residual(during, before));
        var snapshot = await SnapshotAsync(changed.Id);
        Assert.Equal("", c.Inversion.Residual(snapshot, before));

        var preview = await RevertAsync(changed.Id, preview: true);
        Assert.True(preview.Success, preview.Error);
        Assert.False(preview.Changed);
        var lines = preview.Output.Split('\n');
        Assert.All(c.Sent, line => Assert.Contains(line, lines));
        Assert.DoesNotContain(lines, l => l.StartsWith(c.NotSent, StringComparison.Ordinal));
        Assert.Contains("committed once", preview.Output, StringComparison.Ordinal);
        Assert.NotEqual("", preview.Diff);
        Assert.Equal("", c.Inversion.Residual(await RunningConfigAsync(device), during));

        // A line the device refuses: nothing of the candidate is committed.
        Assert.NotEqual(snapshot, c.RefusedLine(snapshot));
        Assert.NotEqual(snapshot, c.RefusedCommit(snapshot));
        await SetSnapshotAsync(changed.Id, c.RefusedLine(snapshot));
        var refused = await RevertAsync(changed.Id, preview: false);
        Assert.False(refused.Success);
        Assert.False(refused.Changed);
        Assert.Contains($"The revert stopped at '{c.RefusedLineText}'", refused.Error, StringComparison.Ordinal);
        Assert.Contains(c.RefusedLineWhy, refused.Error, StringComparison.Ordinal);
        Assert.Contains("the candidate was discarded, and a fresh read shows the device unchanged", refused.Error, StringComparison.Ordinal);
        Assert.Equal("", c.Inversion.Residual(await RunningConfigAsync(device), during));

        // Every line taken, the commit refused: likewise.
        await SetSnapshotAsync(changed.Id, c.RefusedCommit(snapshot));
        var uncommitted = await RevertAsync(changed.Id, preview: false);
        Assert.False(uncommitted.Success);
        Assert.False(uncommitted.Changed);
        Assert.Contains("The revert's commit of", uncommitted.Error, StringComparison.Ordinal);
        Assert.Contains(c.RefusedCommitWhy, uncommitted.Error, StringComparison.Ordinal);
        Assert.Contains("the candidate was discarded, and a fresh read shows the device unchanged", uncommitted.Error, StringComparison.Ordinal);
        Assert.Equal("", c.Inversion.Residual(await RunningConfigAsync(device), during));

        // The snapshot as it was kept: the device comes back to it.
        await SetSnapshotAsync(changed.Id, snapshot);
        var revert = await RevertAsync(changed.Id, preview: false);
        Assert.True(revert.Success, revert.Error);
        Assert.True(revert.Changed);
        Assert.Contains("a fresh backup shows it equal", revert.Output, StringComparison.Ordinal);
        Assert.Equal("", c.Inversion.Residual(await RunningConfigAsync(device), before));
    }

    private async Task<string> SnapshotAsync(int runId)
    {
        await using var db = await Db().CreateDbContextAsync();
        return (await db.ChangeSnapshots.SingleAsync(s => s.RunId == runId)).Config!;
    }

    private async Task SetSnapshotAsync(int runId, string config)
    {
        await using var db = await Db().CreateDbContextAsync();
        var snapshot = await db.ChangeSnapshots.SingleAsync(s => s.RunId == runId);
        snapshot.Config = config;
        await db.SaveChangesAsync();
    }
}
