using eNMS.Core.Automation;
using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Core.Terminal;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Integration;

/// <summary>A fresh install's demo network runs every device service through the in-process simulator: no lab, no
/// packet to its documentation addresses.</summary>
public sealed class DemoNetworkTests : IAsyncLifetime
{
    private readonly EnmsAppFactory _app = new(seedDemo: true);
    private AutomationClient _api = null!;
    private Dictionary<string, int> _devices = null!;

    public async Task InitializeAsync()
    {
        _api = new AutomationClient(await _app.CreateClientAsync("admin"));
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        _devices = await db.Devices.ToDictionaryAsync(d => d.Name, d => d.Id);
        Assert.True(await db.Devices.AllAsync(d => d.Simulated), "every demo device is seeded as simulated");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<List<RunResult>> RunAsync(int serviceId, params string[] devices)
    {
        var run = await _api.WaitAsync(await _api.RunAsync(serviceId, devices.Select(d => _devices[d])), seconds: 60);
        var results = await _api.ResultsAsync(run.Id);
        Assert.Equal(devices.Length, results.Count);
        return results;
    }

    [Fact]
    public async Task Commands_ping_and_tcp_port_answer_on_every_demo_platform()
    {
        string[] devices = ["paris-core", "london-core", "berlin-core", "rome-core", "amsterdam-core"];
        var version = await _api.CreateServiceAsync("version", "cli_commands", new { commands = "show version" });
        var ping = await _api.CreateServiceAsync("ping", "ping", new { count = 2 });
        var ssh = await _api.CreateServiceAsync("ssh open", "tcp_port", new { port = 22 });
        var telnet = await _api.CreateServiceAsync("telnet open", "tcp_port", new { port = 23 });

        Assert.All(await RunAsync(version, devices), r => Assert.True(r.Success && r.Output.Length > 0, $"{r.DeviceName}: {r.Error}"));
        Assert.All(await RunAsync(ping, devices), r => Assert.True(r.Success && r.Output.Contains("2 received", StringComparison.Ordinal), $"{r.DeviceName}: {r.Error}"));
        Assert.All(await RunAsync(ssh, devices), r => Assert.True(r.Success, $"{r.DeviceName}: {r.Error}"));
        Assert.All(await RunAsync(telnet, devices), r => Assert.False(r.Success, $"{r.DeviceName}: telnet is not open"));
    }

    [Fact]
    public async Task Backup_deploy_and_rollback_change_the_simulated_device()
    {
        var backup = await _api.CreateServiceAsync("backup", "config_backup", new { });
        var deploy = await _api.CreateServiceAsync("deploy", "config_deploy", new
        {
            config = "snmp-server location {{ device.location }}",
            validationCommands = "show running-config",
            validationPattern = "snmp-server location Madrid",
        });
        var failing = await _api.CreateServiceAsync("failing deploy", "config_deploy", new
        {
            config = "ntp server 10.9.9.9",
            validationCommands = "show running-config",
            validationPattern = "this-never-appears",
        });

        Assert.True((await RunAsync(backup, "madrid-core")).Single().Changed);
        Assert.False((await RunAsync(backup, "madrid-core")).Single().Changed);
        var deployed = (await RunAsync(deploy, "madrid-core")).Single();
        Assert.True(deployed.Success, deployed.Error);
        Assert.Equal("+ snmp-server location Madrid", deployed.Diff);
        var rolledBack = (await RunAsync(failing, "madrid-core")).Single();
        Assert.False(rolledBack.Success);
        Assert.Contains("rolled back", rolledBack.Error, StringComparison.Ordinal);

        var afterDeploy = (await RunAsync(backup, "madrid-core")).Single();
        Assert.True(afterDeploy.Changed);
        Assert.Contains("snmp-server location Madrid", afterDeploy.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("ntp server 10.9.9.9", afterDeploy.Output, StringComparison.Ordinal);

        var rollback = await _api.CreateServiceAsync("rollback", "config_rollback", new { });
        Assert.True((await RunAsync(rollback, "madrid-core")).Single().Success);
        Assert.DoesNotContain("snmp-server location", (await RunAsync(backup, "madrid-core")).Single().Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_device_at_a_documentation_address_that_is_not_simulated_fails_without_being_dialled()
    {
        var real = (await _api.CreateDevicesAsync("not-simulated")).Single();
        var ping = await _api.CreateServiceAsync("ping", "ping", new { count = 1 });
        var ssh = await _api.CreateServiceAsync("ssh open", "tcp_port", new { });

        foreach (var service in new[] { ping, ssh })
        {
            var run = await _api.WaitAsync(await _api.RunAsync(service, [real]));
            var result = Assert.Single(await _api.ResultsAsync(run.Id));
            Assert.False(result.Success);
            Assert.Contains("never dialled", result.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_web_terminal_on_a_simulated_device_is_answered_in_process_recorded_and_audited_even_at_a_real_address()
    {
        var factory = _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            // A loopback port nothing listens on: a dial would fail as "refused", so an answer proves nothing was dialled.
            await db.Devices.Where(d => d.Id == _devices["paris-core"]).ExecuteUpdateAsync(s => s.SetProperty(d => d.Address, "127.0.0.1").SetProperty(d => d.Port, 9));
        }
        var terminals = _app.Services.GetRequiredService<WebTerminals>();
        var screen = new System.Text.StringBuilder();
        var shown = new SemaphoreSlim(0);
        Task Show(string text)
        {
            lock (screen)
            {
                screen.Append(text);
            }
            shown.Release();
            return Task.CompletedTask;
        }
        string Screen()
        {
            lock (screen)
            {
                return screen.ToString();
            }
        }

        await using (var terminal = await terminals.OpenAsync(_devices["paris-core"], new AuditActor("admin", null) { IsAdmin = true }, null, 80, 24, Show, CancellationToken.None))
        {
            await terminal.SendAsync("show running-config\r", CancellationToken.None);
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (!Screen().Contains("router ospf 1", StringComparison.Ordinal) || !Screen().EndsWith("paris-core#", StringComparison.Ordinal))
            {
                await shown.WaitAsync(bound.Token);
            }
        }

        Assert.Contains("hostname paris-core", Screen(), StringComparison.Ordinal);
        await using var check = await factory.CreateDbContextAsync();
        var session = await check.TerminalSessions.SingleAsync();
        Assert.NotNull(session.EndedAt);
        Assert.Contains("show running-config", session.Transcript, StringComparison.Ordinal);
        Assert.Contains("hostname paris-core", session.Transcript, StringComparison.Ordinal);
        // Recorded as every transcript is: the configuration's secrets masked.
        Assert.DoesNotContain("$9$enmsDemo$AdminSecret", session.Transcript, StringComparison.Ordinal);
        var audited = await check.AuditEntries.Where(e => e.TargetKind == "terminal session").OrderBy(e => e.Id).Select(e => e.Action).ToListAsync();
        Assert.Equal(["terminal open", "terminal close"], audited);
    }
}
