using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using eNMS.Core.Automation;
using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using eNMS.Web.Operations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Integration.Operations;

/// <summary>A backup taken from a running instance (the admin API, as the admin page does) restored by the
/// <c>restore</c> command into a new data directory gives the same inventory, services and runs, and its credentials
/// still decrypt.</summary>
public sealed class BackupRestoreTests : IAsyncDisposable
{
    private readonly EnmsAppFactory _source = new(seedDemo: true);
    private readonly string _restored = Directory.CreateTempSubdirectory("enms-restored-").FullName;

    public async ValueTask DisposeAsync()
    {
        await _source.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_restored, recursive: true);
    }

    internal sealed record Snapshot(List<string> Devices, List<string> Links, List<string> Pools, List<string> Services, List<string> Runs, int Results);

    /// <summary>What a restore must bring back: inventory, services, runs and their results.</summary>
    internal static async Task<Snapshot> SnapshotAsync(EnmsAppFactory app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        return new Snapshot(
            await db.Devices.OrderBy(d => d.Name).Select(d => $"{d.Name} {d.Address} {d.Platform}").ToListAsync(),
            await db.Links.OrderBy(l => l.Name).Select(l => l.Name).ToListAsync(),
            await db.Pools.OrderBy(p => p.Name).Select(p => p.Name).ToListAsync(),
            await db.Services.OrderBy(s => s.Name).Select(s => $"{s.Name} {s.Kind} {s.Parameters}").ToListAsync(),
            (await db.Runs.OrderBy(r => r.Id).Select(r => new { r.Id, r.Status, r.DevicesDone }).ToListAsync()).Select(r => $"{r.Id} {r.Status} {r.DevicesDone}").ToList(),
            await db.RunResults.CountAsync());
    }

    /// <summary>Runs the built app with an operator command (backup, restore) and waits for it to exit.</summary>
    internal static async Task<(int ExitCode, string Output)> RunCommandAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.Combine(AppProcess.RepositoryRoot, "eNMS.Web"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "eNMS.Web.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var hang = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(hang.Token);
        return (process.ExitCode, await output + await error);
    }

    [Fact]
    public async Task A_backup_restored_into_a_new_data_directory_has_the_same_inventory_services_runs_and_readable_credentials()
    {
        using var admin = await _source.CreateClientAsync(Roles.Admin);
        const string secret = "restored-secret-password";
        var before = await PrepareAsync(_source, admin, secret);

        var backup = await AutomationClient.Read(await admin.PostAsync("/api/admin/backups", null), HttpStatusCode.OK);
        var name = (string)backup["name"]!;
        var listed = await admin.GetFromJsonAsync<List<BackupFile>>("/api/admin/backups");
        Assert.Equal(name, Assert.Single(listed!).Name);
        var file = Path.Combine(_restored, "download.zip");
        await File.WriteAllBytesAsync(file, await admin.GetByteArrayAsync($"/api/admin/backups/{name}"));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/admin/backups/..%2Fenms.db")).StatusCode);
        using var viewer = await _source.CreateClientAsync(Roles.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync("/api/admin/backups", null)).StatusCode);

        var target = Path.Combine(_restored, "data");
        var (exit, output) = await RunCommandAsync("restore", file, $"--Enms:DataDirectory={target}", "--Database:Provider=Sqlite");
        Assert.True(exit == 0, output);
        // Restoring again over it is refused: a restore never mixes two instances.
        var (again, refusal) = await RunCommandAsync("restore", file, $"--Enms:DataDirectory={target}", "--Database:Provider=Sqlite");
        Assert.Equal(1, again);
        Assert.Contains("fresh instance", refusal, StringComparison.Ordinal);

        await using var restored = new EnmsAppFactory(dataDirectory: target);
        using var client = restored.CreateClient();
        await AssertRestoredAsync(before, restored, secret);
    }

    /// <summary>Gives the (demo) instance a credential and a finished run on two devices; returns its snapshot.</summary>
    internal static async Task<Snapshot> PrepareAsync(EnmsAppFactory source, HttpClient admin, string secret)
    {
        var api = new AutomationClient(admin);
        await AutomationClient.Read(await admin.PostAsJsonAsync("/api/credentials", new { name = "lab login", username = "netops", password = secret }), HttpStatusCode.Created);
        await using (var db = await source.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync())
        {
            var devices = await db.Devices.Where(d => d.Name == "paris-core" || d.Name == "rome-core").Select(d => d.Id).ToListAsync();
            var service = await api.CreateServiceAsync("version", "cli_commands", new { commands = "show version" });
            Assert.Equal(RunStatus.Completed, (await api.WaitAsync(await api.RunAsync(service, devices), seconds: 120)).Status);
        }
        var before = await SnapshotAsync(source);
        Assert.NotEmpty(before.Devices);
        Assert.NotEmpty(before.Runs);
        return before;
    }

    /// <summary>The restored instance has what the snapshot holds, and decrypts the credential with the restored key ring.</summary>
    internal static async Task AssertRestoredAsync(Snapshot before, EnmsAppFactory restored, string secret)
    {
        var after = await SnapshotAsync(restored);
        Assert.Equal(before.Devices, after.Devices);
        Assert.Equal(before.Links, after.Links);
        Assert.Equal(before.Pools, after.Pools);
        Assert.Equal(before.Services, after.Services);
        Assert.Equal(before.Runs, after.Runs);
        Assert.Equal(before.Results, after.Results);
        await using var restoredDb = await restored.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        var credential = await restoredDb.Credentials.SingleAsync(c => c.Name == "lab login");
        Assert.Equal(secret, restored.Services.GetRequiredService<SecretProtector>().Unprotect(credential.ProtectedPassword!));
    }

    [Fact]
    public async Task The_backup_command_writes_a_snapshot_of_an_instance_and_refuses_an_unknown_file_on_restore()
    {
        using var client = _source.CreateClient();
        // The readiness check encrypts a probe: the key ring has its first key.
        Assert.True((await client.GetAsync("/health/ready")).IsSuccessStatusCode);
        var file = Path.Combine(_restored, "by-command.zip");
        var (exit, output) = await RunCommandAsync("backup", file, $"--Enms:DataDirectory={_source.DataDirectory}", "--Database:Provider=Sqlite");
        Assert.True(exit == 0, output);
        Assert.Contains("Backed up the Sqlite database", output, StringComparison.Ordinal);
        using (var zip = System.IO.Compression.ZipFile.OpenRead(file))
        {
            Assert.Contains(zip.Entries, e => e.FullName == "database/enms.db");
            Assert.Contains(zip.Entries, e => e.FullName.StartsWith("keys/key-", StringComparison.Ordinal));
        }

        var notBackup = Path.Combine(_restored, "not-a-backup.zip");
        await File.WriteAllBytesAsync(notBackup, [0x50, 0x4B, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        var (refused, message) = await RunCommandAsync("restore", notBackup, $"--Enms:DataDirectory={Path.Combine(_restored, "other")}", "--Database:Provider=Sqlite");
        Assert.Equal(1, refused);
        Assert.Contains("Not an eNMS backup", message, StringComparison.Ordinal);
    }
}
