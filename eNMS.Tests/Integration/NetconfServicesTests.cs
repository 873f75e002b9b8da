using System.Net;
using System.Net.Http.Json;
using eNMS.Core.Automation;
using eNMS.Core.Data;
using eNMS.Drivers;
using eNMS.Drivers.Netconf;
using eNMS.Tests.TestSupport;
using eNMS.Tests.TestSupport.Lab;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Integration;

/// <summary>netconf_get, netconf_edit and config_backup over NETCONF through the real app, against the lab's netconfd.</summary>
[Collection(LabGroup.Name)]
public sealed class NetconfServicesTests(LabFixture lab) : IAsyncLifetime
{
    private const string Interfaces = "urn:ietf:params:xml:ns:yang:ietf-interfaces";
    private readonly EnmsAppFactory _app = new();
    private AutomationClient _api = null!;

    public async Task InitializeAsync() => _api = new AutomationClient(await _app.CreateClientAsync("admin"));

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static string Interface(string name, string description, string extra = "") =>
        $"<interfaces xmlns=\"{Interfaces}\"><interface><name>{name}</name>" +
        "<type xmlns:ianaift=\"urn:ietf:params:xml:ns:yang:iana-if-type\">ianaift:ethernetCsmacd</type>" +
        $"<description>{description}</description>{extra}</interface></interfaces>";

    private static string Delete(string name) =>
        $"<interfaces xmlns=\"{Interfaces}\"><interface xmlns:nc=\"urn:ietf:params:xml:ns:netconf:base:1.0\" nc:operation=\"delete\"><name>{name}</name></interface></interfaces>";

    /// <summary>The netconfd as an inventory device: SSH port 22 in the inventory (it has none), NETCONF on
    /// <paramref name="port"/> through the <c>netconf_port</c> property, marked <c>netconf</c> for backups.</summary>
    private async Task<int> DeviceAsync(string name, int port = 830)
    {
        var credential = await AutomationClient.Read(await _api.Http.PostAsJsonAsync("/api/credentials", new
        {
            name = $"cred-{name}",
            username = "enmsnc",
            password = LabFixture.Password,
        }), HttpStatusCode.Created);
        var device = await AutomationClient.Read(await _api.Http.PostAsJsonAsync("/api/devices", new
        {
            name,
            address = "10.255.0.200",
            platform = "linux",
            credentialId = (int)credential["id"]!,
            customProperties = new object[]
            {
                new { name = "netconf", kind = 2, value = "true" },
                new { name = "netconf_port", kind = 1, value = port.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            },
        }), HttpStatusCode.Created);
        return (int)device["id"]!;
    }

    private async Task<RunResult> RunAsync(int serviceId, int device)
    {
        var run = await _api.WaitAsync(await _api.RunAsync(serviceId, [device]), seconds: 60);
        return Assert.Single(await _api.ResultsAsync(run.Id));
    }

    private async Task<string> RunningAsync(string name)
    {
        await using var session = await new DriverFactory(DriverRegistry.CreateDefault(), lab.KnownHosts).ConnectNetconfAsync(LabFixture.NetconfServer(), default);
        return NetconfXml.Indented(await session.GetConfigAsync(NetconfDatastore.Running,
            new NetconfFilter(NetconfFilterType.Subtree, $"<interfaces xmlns=\"{Interfaces}\"><interface><name>{name}</name></interface></interfaces>"), default));
    }

    [LabFact]
    public async Task Netconf_get_returns_the_data_as_xml_and_as_json_for_later_nodes()
    {
        lab.RequireLab();
        var device = await DeviceAsync("nc-get");
        var get = await _api.CreateServiceAsync("get", "netconf_get", new
        {
            source = "Running",
            filterType = "Subtree",
            filter = "<system xmlns=\"urn:ietf:params:xml:ns:yang:ietf-system\"><hostname/></system>",
        });

        var result = await RunAsync(get, device);

        Assert.True(result.Success, result.Error);
        Assert.Equal("<system xmlns=\"urn:ietf:params:xml:ns:yang:ietf-system\">\n  <hostname>nc-candidate</hostname>\n</system>", result.Output.Trim());
        Assert.Contains("\"hostname\":\"nc-candidate\"", result.Data.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [LabFact]
    public async Task Netconf_edit_dry_run_shows_the_diff_and_commits_nothing_then_a_commit_is_seen_by_a_netconf_backup()
    {
        lab.RequireLab();
        var device = await DeviceAsync("nc-edit");
        var backup = await _api.CreateServiceAsync("nc-backup", "config_backup", new { });
        var dryRun = await _api.CreateServiceAsync("nc-dry", "netconf_edit", new { config = Interface("eth-{{ device.name }}", "dry"), dryRun = true });
        var commit = await _api.CreateServiceAsync("nc-commit", "netconf_edit", new { config = Interface("eth-{{ device.name }}", "committed"), confirmTimeoutSeconds = 60 });
        var cleanup = await _api.CreateServiceAsync("nc-cleanup", "netconf_edit", new { config = Delete("eth-nc-edit"), defaultOperation = "None" });
        try
        {
            var first = await RunAsync(backup, device);
            Assert.True(first.Success, first.Error);
            Assert.Contains("<hostname>nc-candidate</hostname>", first.Output, StringComparison.Ordinal);

            var dry = await RunAsync(dryRun, device);
            Assert.True(dry.Success, dry.Error);
            Assert.False(dry.Changed);
            Assert.Contains("+     <description>dry</description>", dry.Diff, StringComparison.Ordinal);
            Assert.Contains("candidate was discarded", dry.Output, StringComparison.Ordinal);
            Assert.Equal("", await RunningAsync("eth-nc-edit"));
            Assert.False((await RunAsync(backup, device)).Changed);

            var committed = await RunAsync(commit, device);
            Assert.True(committed.Success, committed.Error);
            Assert.True(committed.Changed);
            Assert.Contains("confirmed", committed.Output, StringComparison.Ordinal);
            Assert.Contains("+     <description>committed</description>", committed.Diff, StringComparison.Ordinal);
            Assert.Contains("committed", await RunningAsync("eth-nc-edit"), StringComparison.Ordinal);

            var after = await RunAsync(backup, device);
            Assert.True(after.Changed);
            Assert.Contains("+     <name>eth-nc-edit</name>", after.Diff, StringComparison.Ordinal);
            await using var db = await _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
            var versions = await db.ConfigVersions.Where(v => v.DeviceId == device).OrderBy(v => v.Id).ToListAsync();
            Assert.Equal(2, versions.Count);
            Assert.StartsWith("<interfaces xmlns=\"urn:ietf:params:xml:ns:yang:ietf-interfaces\"", versions[1].Config, StringComparison.Ordinal);
        }
        finally
        {
            Assert.True((await RunAsync(cleanup, device)).Success);
        }
    }

    [LabFact]
    public async Task A_refused_payload_fails_with_the_servers_message_and_leaves_the_candidate_discarded_and_unlocked()
    {
        lab.RequireLab();
        var device = await DeviceAsync("nc-bad");
        var bad = await _api.CreateServiceAsync("nc-bad", "netconf_edit", new { config = Interface("eth-bad", "x", "<enabled>maybe</enabled>") });

        var result = await RunAsync(bad, device);

        Assert.False(result.Success);
        Assert.Contains("NETCONF edit-config refused: invalid value (path /nc:rpc/nc:edit-config/nc:config/if:interfaces/if:interface[if:name='eth-bad']/if:enabled, tag invalid-value)",
            result.Error, StringComparison.Ordinal);
        Assert.Contains("the candidate was discarded", result.Error, StringComparison.Ordinal);
        // Nothing left behind: another session can lock the candidate and it holds no trace of the edit.
        await using var session = await new DriverFactory(DriverRegistry.CreateDefault(), lab.KnownHosts).ConnectNetconfAsync(LabFixture.NetconfServer(), default);
        await session.LockAsync(NetconfDatastore.Candidate, default);
        Assert.DoesNotContain("eth-bad", NetconfXml.Indented(await session.GetConfigAsync(NetconfDatastore.Candidate, null, default)), StringComparison.Ordinal);
        await session.UnlockAsync(NetconfDatastore.Candidate, default);
    }

    [LabFact]
    public async Task An_edit_while_another_session_holds_the_lock_fails_saying_so_and_changes_nothing()
    {
        lab.RequireLab();
        var device = await DeviceAsync("nc-locked");
        var edit = await _api.CreateServiceAsync("nc-locked", "netconf_edit", new { config = Interface("eth-locked", "x") });
        await using var holder = await new DriverFactory(DriverRegistry.CreateDefault(), lab.KnownHosts).ConnectNetconfAsync(LabFixture.NetconfServer(), default);
        await holder.LockAsync(NetconfDatastore.Candidate, default);

        var result = await RunAsync(edit, device);

        Assert.False(result.Success);
        Assert.Contains("NETCONF lock refused", result.Error, StringComparison.Ordinal);
        Assert.Contains("tag lock-denied", result.Error, StringComparison.Ordinal);
        Assert.Contains($"session-id {holder.SessionId}", result.Error, StringComparison.Ordinal);
        Assert.Equal("", await RunningAsync("eth-locked"));
        await holder.UnlockAsync(NetconfDatastore.Candidate, default);
    }

    [LabFact]
    public async Task A_server_without_candidate_fails_a_candidate_edit_clearly_and_accepts_a_running_edit()
    {
        lab.RequireLab();
        var device = await DeviceAsync("nc-running", port: 1830);
        var candidate = await _api.CreateServiceAsync("nc-cand", "netconf_edit", new { config = Interface("eth-r", "direct") });
        var running = await _api.CreateServiceAsync("nc-run", "netconf_edit", new { config = Interface("eth-r", "direct"), target = "Running" });
        var cleanup = await _api.CreateServiceAsync("nc-run-cleanup", "netconf_edit", new { config = Delete("eth-r"), target = "Running", defaultOperation = "None" });

        var refused = await RunAsync(candidate, device);
        var applied = await RunAsync(running, device);
        var removed = await RunAsync(cleanup, device);

        Assert.False(refused.Success);
        Assert.Equal("The NETCONF server does not announce :candidate (urn:ietf:params:netconf:capability:candidate:1.0): it has no candidate " +
            "datastore; it announces :writable-running, so set the target to Running (no dry run there). Nothing was sent.", refused.Error);
        Assert.True(applied.Success, applied.Error);
        Assert.True(applied.Changed);
        Assert.Contains("+     <description>direct</description>", applied.Diff, StringComparison.Ordinal);
        Assert.True(removed.Success, removed.Error);
    }
}
