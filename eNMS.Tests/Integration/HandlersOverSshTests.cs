using System.Net;
using System.Net.Http.Json;
using eNMS.Core.Automation;
using eNMS.Core.Configurations;
using eNMS.Core.Data;
using eNMS.Tests.TestSupport;
using eNMS.Tests.TestSupport.Lab;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Integration;

/// <summary>The engine's device handlers through the real app against the lab over real SSH: FRR routers and
/// the emulated vendor CLIs.</summary>
[Collection(LabGroup.Name)]
public sealed class HandlersOverSshTests(LabFixture lab) : IAsyncLifetime
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

    private async Task<List<RunResult>> RunAsync(int serviceId, params int[] devices)
    {
        var run = await _api.WaitAsync(await _api.RunAsync(serviceId, devices), seconds: 60);
        return await _api.ResultsAsync(run.Id);
    }

    [LabFact]
    public async Task Cli_commands_on_an_FRR_router_return_exact_output_and_extract_data()
    {
        lab.RequireLab();
        var router = await DeviceAsync(DeviceTargetLike.From(LabFixture.Router(1)));
        var service = await _api.CreateServiceAsync("version", "cli_commands",
            new { commands = "show version", extract = "Regex", pattern = @"FRRouting (?<version>\S+)" });

        var result = Assert.Single(await RunAsync(service, router));

        Assert.True(result.Success, result.Error);
        Assert.Equal((await lab.VtyshAsync(1, "show version")).Trim(), result.Output.Trim());
        Assert.Contains("\"version\":", result.Data, StringComparison.Ordinal);
    }

    [LabFact]
    public async Task Backup_keeps_a_version_only_on_change_and_rollback_restores_it()
    {
        lab.RequireLab();
        var device = await DeviceAsync(DeviceTargetLike.From(lab.Emulated("arista_eos")));
        var backup = await _api.CreateServiceAsync("backup", "config_backup", new { });
        var change = await _api.CreateServiceAsync("change", "cli_config", new { config = "hostname {{ device.name }}-changed\nsnmp-server community lab-ro ro" });

        Assert.True((await RunAsync(backup, device)).Single().Changed);
        Assert.False((await RunAsync(backup, device)).Single().Changed);
        var pushed = (await RunAsync(change, device)).Single();
        Assert.True(pushed.Success, pushed.Error);
        Assert.Contains("+ snmp-server community lab-ro ro", pushed.Diff, StringComparison.Ordinal);
        Assert.True((await RunAsync(backup, device)).Single().Changed);

        var versions = await VersionsAsync(device);
        Assert.Equal(2, versions.Count);
        var diff = eNMS.Core.Text.LineDiff.Compare(versions[0].Config, versions[1].Config)
            .Where(l => l.Kind != eNMS.Core.Text.DiffKind.Same).Select(l => l.Text.Trim()).ToList();
        Assert.Contains("snmp-server community lab-ro ro", diff);

        var rollback = await _api.CreateServiceAsync("rollback", "config_rollback", new { versionId = versions[0].Id });
        var restored = (await RunAsync(rollback, device)).Single();
        Assert.True(restored.Success, restored.Error);
        Assert.True((await RunAsync(backup, device)).Single().Changed); // back to the first configuration: a third version
        var latest = await VersionsAsync(device);
        Assert.Equal(versions[0].Hash, latest[^1].Hash);
    }

    [LabFact]
    public async Task Config_save_and_the_push_save_option_write_the_startup_configuration_and_a_refused_save_fails()
    {
        lab.RequireLab();
        var target = lab.Emulated("cisco_ios");
        var device = await DeviceAsync(DeviceTargetLike.From(target));
        var push = await _api.CreateServiceAsync("push-save", "cli_config", new { config = "snmp-server location saved-by-push", save = true });
        var show = await _api.CreateServiceAsync("startup", "cli_commands", new { commands = "show startup-config" });

        var pushed = (await RunAsync(push, device)).Single();

        Assert.True(pushed.Success, pushed.Error);
        Assert.Contains("Saved: Building configuration...\n[OK]", pushed.Output, StringComparison.Ordinal);
        Assert.Contains("snmp-server location saved-by-push", (await RunAsync(show, device)).Single().Output, StringComparison.Ordinal);

        await lab.SetFaultAsync(target, "nvram-full");
        var save = await _api.CreateServiceAsync("save", "config_save", new { });
        var refused = (await RunAsync(save, device)).Single();
        Assert.False(refused.Success);
        Assert.Contains("%Error writing nvram:startup-config (No space left on device)", refused.Error, StringComparison.Ordinal);

        var xr = await DeviceAsync(DeviceTargetLike.From(lab.Emulated("cisco_xr")));
        var persistent = (await RunAsync(save, xr)).Single();
        Assert.True(persistent.Success, persistent.Error);
        Assert.Equal("nothing to save: a commit is persistent on cisco_xr", persistent.Output);
        Assert.False(persistent.Changed);
    }

    [LabFact]
    public async Task A_deploy_whose_validation_fails_is_rolled_back()
    {
        lab.RequireLab();
        var device = await DeviceAsync(DeviceTargetLike.From(lab.Emulated("juniper_junos")));
        var deploy = await _api.CreateServiceAsync("deploy", "config_deploy", new
        {
            config = "set system services netconf ssh",
            validationCommands = "show configuration system services",
            validationPattern = "this-never-appears",
        });
        var backup = await _api.CreateServiceAsync("backup", "config_backup", new { });
        await RunAsync(backup, device);

        var result = (await RunAsync(deploy, device)).Single();

        Assert.False(result.Success);
        Assert.Contains("rolled back", result.Error, StringComparison.Ordinal);
        Assert.Contains("netconf", result.Diff, StringComparison.Ordinal);
        Assert.False((await RunAsync(backup, device)).Single().Changed);
    }

    [LabTheory]
    [InlineData("juniper_junos", "set interfaces ge-0/0/7 description a\nset protocolz ospf\nset routing-options static route 203.0.113.0/24 discard", "syntax error")]
    [InlineData("arista_eos", "interface Ethernet7\n description a\nbogus line\nip route 203.0.113.0/24 Null0", "% Invalid input (at token 0: 'bogus')")]
    [InlineData("cisco_nxos", "interface Ethernet1/7\n description a\nbogus line\nip route 203.0.113.0/24 Null0", "% Invalid command at '^' marker.")]
    public async Task A_refused_line_fails_cli_config_and_config_deploy_quoting_the_device_and_changes_nothing(string platform, string config, string deviceError)
    {
        lab.RequireLab();
        var device = await DeviceAsync(DeviceTargetLike.From(lab.Emulated(platform)));
        var backup = await _api.CreateServiceAsync("backup", "config_backup", new { });
        var push = await _api.CreateServiceAsync("push", "cli_config", new { config });
        var deploy = await _api.CreateServiceAsync("deploy", "config_deploy", new { config });
        await RunAsync(backup, device);

        foreach (var service in new[] { push, deploy })
        {
            var result = (await RunAsync(service, device)).Single();
            Assert.False(result.Success);
            Assert.Contains(deviceError, result.Error, StringComparison.Ordinal);
        }

        Assert.False((await RunAsync(backup, device)).Single().Changed);
    }

    [LabFact]
    public async Task A_deploy_with_a_commit_timer_on_nxos_is_refused_before_anything_is_sent()
    {
        lab.RequireLab();
        var device = await DeviceAsync(DeviceTargetLike.From(lab.Emulated("cisco_nxos")));
        var backup = await _api.CreateServiceAsync("backup", "config_backup", new { });
        var deploy = await _api.CreateServiceAsync("deploy", "config_deploy", new
        {
            config = "ip route 203.0.113.0/24 Null0",
            commitConfirmSeconds = 60,
            validationCommands = "show clock",
        });
        await RunAsync(backup, device);

        var result = (await RunAsync(deploy, device)).Single();

        Assert.False(result.Success);
        Assert.Contains("cannot commit with a revert timer", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("validated", result.Output, StringComparison.Ordinal);
        Assert.False((await RunAsync(backup, device)).Single().Changed);
    }

    [LabFact]
    public async Task A_dry_run_shows_the_diff_and_changes_nothing()
    {
        lab.RequireLab();
        var device = await DeviceAsync(DeviceTargetLike.From(lab.Emulated("cisco_ios")));
        var backup = await _api.CreateServiceAsync("backup", "config_backup", new { });
        var dry = await _api.CreateServiceAsync("dry", "config_deploy", new { config = "ntp server 192.0.2.123", dryRun = true });
        await RunAsync(backup, device);

        var result = (await RunAsync(dry, device)).Single();

        Assert.True(result.Success, result.Error);
        Assert.Contains("ntp server 192.0.2.123", result.Diff, StringComparison.Ordinal);
        Assert.False((await RunAsync(backup, device)).Single().Changed);
    }

    [LabFact]
    public async Task Wrong_credentials_fail_that_device_with_a_clear_message()
    {
        lab.RequireLab();
        var target = DeviceTargetLike.From(lab.Emulated("cisco_ios")) with { Password = "wrong-password" };
        var device = await DeviceAsync(target);
        var service = await _api.CreateServiceAsync("show", "cli_commands", new { commands = "show version" });

        var result = (await RunAsync(service, device)).Single();

        Assert.False(result.Success);
        Assert.Contains(target.Name, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password", result.Error + result.Output, StringComparison.Ordinal);
    }

    [LabFact]
    public async Task Host_keys_are_learned_once_then_a_changed_key_is_refused_recorded_and_accepted_by_an_admin()
    {
        lab.RequireLab();
        var target = DeviceTargetLike.From(lab.Emulated("cisco_nxos"));
        var device = await DeviceAsync(target);
        var service = await _api.CreateServiceAsync("show", "cli_commands", new { commands = "show version" });
        Assert.True((await RunAsync(service, device)).Single().Success);
        var stored = await _api.Http.GetStringAsync("/api/hostkeys");
        Assert.Contains(target.Host, stored, StringComparison.Ordinal);

        // As if eNMS had learned the key of the device this one replaced: the stored fingerprint no longer matches.
        await using (var db = await _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync())
        {
            await db.KnownHostKeys.Where(k => k.Host == target.Host).ExecuteUpdateAsync(k => k.SetProperty(x => x.Fingerprint, "SHA256:the-replaced-device"));
        }
        _app.Services.GetRequiredService<eNMS.Drivers.Cli.KnownHosts>().Pin(target.Host, "SHA256:the-replaced-device");
        var refused = (await RunAsync(service, device)).Single();

        Assert.False(refused.Success);
        Assert.Contains(target.Name, refused.Error, StringComparison.Ordinal);
        Assert.Contains("SHA256:the-replaced-device", refused.Error, StringComparison.Ordinal);
        Assert.Contains("an admin can accept the new key on the Host keys page (/admin/hostkeys)", refused.Error, StringComparison.Ordinal);

        // The key the device offered is recorded next to the stored one, with the device that offered it.
        var key = (await _api.Http.GetFromJsonAsync<List<eNMS.Core.Automation.Execution.KnownHostKey>>("/api/hostkeys"))!
            .Single(k => k.Host == target.Host);
        Assert.Equal("SHA256:the-replaced-device", key.Fingerprint);
        Assert.StartsWith("SHA256:", key.OfferedFingerprint, StringComparison.Ordinal);
        Assert.Contains(key.OfferedFingerprint!, refused.Error, StringComparison.Ordinal);
        Assert.Equal(target.Name, key.OfferedDevice);
        Assert.False(string.IsNullOrEmpty(key.OfferedAlgorithm));

        var accepted = await _api.Http.PostAsJsonAsync($"/api/hostkeys/{Uri.EscapeDataString(target.Host)}/accept", new { fingerprint = key.OfferedFingerprint });
        Assert.Equal(HttpStatusCode.NoContent, accepted.StatusCode);

        var after = (await RunAsync(service, device)).Single();
        Assert.True(after.Success, after.Error);
    }

    [LabTheory]
    [InlineData("juniper_junos")]
    [InlineData("arista_eos")]
    [InlineData("cisco_nxos")]
    public async Task A_command_cut_by_a_killed_sshd_fails_the_device_at_once_keeping_the_partial_output_marked(string platform)
    {
        lab.RequireLab();
        var emulated = lab.Emulated(platform);
        var device = await DeviceAsync(DeviceTargetLike.From(emulated));
        var service = await _api.CreateServiceAsync("show", "cli_commands", new { commands = "show version" });
        await lab.SetFaultAsync(emulated, "kill");

        var result = (await RunAsync(service, device)).Single();

        Assert.False(result.Success);
        Assert.Contains("connection lost", result.Error, StringComparison.Ordinal);
        Assert.EndsWith("[eNMS: partial output, the command did not finish]", result.Output, StringComparison.Ordinal);
        Assert.True(result.Output.Length > "[eNMS: partial output, the command did not finish]".Length + 1, result.Output);
        // Well under the 30 s silence timeout a dead connection used to wait for.
        Assert.InRange(result.DurationMs, 0, 10_000);
    }

    private async Task<List<ConfigVersion>> VersionsAsync(int deviceId)
    {
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        return await db.ConfigVersions.Where(v => v.DeviceId == deviceId).OrderBy(v => v.Id).ToListAsync();
    }

    [LabFact]
    public async Task A_device_whose_path_ended_has_its_session_closed_before_the_run_ends()
    {
        lab.RequireLab();
        var targets = Enumerable.Range(0, 3).Select(_ => DeviceTargetLike.From(lab.Emulated("cisco_ios"))).ToList();
        var devices = new List<int>();
        foreach (var target in targets)
        {
            devices.Add(await DeviceAsync(target));
        }
        var show = await _api.CreateServiceAsync("show", "cli_commands", new { commands = "show clock" });
        // Every device logs in at "show"; the first one fails at "gate" and has no failure edge: its path ends there.
        var gate = await _api.CreateServiceAsync("gate", "test_step", new { failOn = targets[0].Name });
        var probe = await _api.CreateServiceAsync("probe", "test_step",
            new { emulatorSessionsAtMost = 2, emulatorHosts = string.Join(",", targets.Select(t => t.Host)) });
        var workflow = await _api.CreateWorkflowAsync("release", [("show", show), ("gate", gate), ("probe", probe)],
            ["show>gate", "gate>probe"], new { mode = "ServiceByService" });

        var results = await RunAsync(workflow, [.. devices]);

        Assert.All(results.Where(r => r.Node == "show"), r => Assert.True(r.Success, r.Error));
        Assert.All(results.Where(r => r.Node == "probe"), r => Assert.True(r.Success, r.Error));
        Assert.Equal(2, results.Count(r => r.Node == "probe"));
    }
}
