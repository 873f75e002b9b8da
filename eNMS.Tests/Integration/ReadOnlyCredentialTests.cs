using System.Net;
using System.Net.Http.Json;
using eNMS.Core.Automation;
using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Integration;

/// <summary>A read-only credential on the demo network (simulated devices answer in process): commands and backups
/// run with it, a kind that changes the device is refused for that device before connecting, and the device's
/// configuration stays as it was.</summary>
public sealed class ReadOnlyCredentialTests : IAsyncLifetime
{
    private readonly EnmsAppFactory _app = new(seedDemo: true);
    private AutomationClient _admin = null!;
    private Dictionary<string, int> _devices = null!;

    public async Task InitializeAsync()
    {
        _admin = new AutomationClient(await _app.CreateClientAsync(Roles.Admin));
        await using var db = await Db().CreateDbContextAsync();
        _devices = await db.Devices.ToDictionaryAsync(d => d.Name, d => d.Id);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private IDbContextFactory<EnmsDbContext> Db() => _app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>();

    private async Task<int> CredentialAsync(string name, string access) =>
        (int)(await AutomationClient.Read(await _admin.Http.PostAsJsonAsync("/api/credentials",
            new { name, username = "auditor", password = "audit-pass", access }), HttpStatusCode.Created))["id"]!;

    private async Task<RunResult> RunAsync(int serviceId, string device)
    {
        var run = await _admin.WaitAsync(await _admin.RunAsync(serviceId, [_devices[device]]), seconds: 60);
        return Assert.Single(await _admin.ResultsAsync(run.Id));
    }

    [Fact]
    public async Task An_unknown_access_is_refused_and_the_access_round_trips_through_the_api()
    {
        var response = await _admin.Http.PostAsJsonAsync("/api/credentials", new { name = "odd", username = "u", password = "p", access = "Sometimes" });
        Assert.False(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());

        var id = await CredentialAsync("auditors", "ReadOnly");
        var view = await _admin.Http.GetStringAsync($"/api/credentials/{id}");
        Assert.Contains("\"access\":\"ReadOnly\"", view, StringComparison.Ordinal);
        Assert.DoesNotContain("audit-pass", view, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_only_credential_runs_commands_and_backups_and_refuses_a_config_change_before_connecting()
    {
        var readOnly = await CredentialAsync("auditors", "ReadOnly");
        await using (var db = await Db().CreateDbContextAsync())
        {
            await db.Devices.Where(d => d.Id == _devices["madrid-core"]).ExecuteUpdateAsync(s => s.SetProperty(d => d.CredentialId, readOnly));
        }
        var change = await _admin.CreateServiceAsync("ntp change", "cli_config", new { config = "ntp server 10.7.7.7" });
        var dryRun = await _admin.CreateServiceAsync("ntp dry run", "cli_config", new { config = "ntp server 10.7.7.7", dryRun = true });
        var version = await _admin.CreateServiceAsync("version", "cli_commands", new { commands = "show version" });
        var backup = await _admin.CreateServiceAsync("backup", "config_backup", new { });

        var refused = await RunAsync(change, "madrid-core");
        Assert.False(refused.Success);
        Assert.Equal("auditors is a read-only credential: cli_config changes the device", refused.Error);
        Assert.Equal("", refused.Output);
        foreach (var service in new[] { version, dryRun, backup })
        {
            var result = await RunAsync(service, "madrid-core");
            Assert.True(result.Success, result.Error);
        }
        Assert.DoesNotContain("ntp server 10.7.7.7", (await RunAsync(backup, "madrid-core")).Output, StringComparison.Ordinal);

        // A device logging in read-write takes the same change.
        var changed = await RunAsync(change, "london-core");
        Assert.True(changed.Success, changed.Error);
    }
}
