using System.Net;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;

namespace eNMS.Tests.Integration.Operations;

/// <summary>The PostgreSQL path of <see cref="BackupRestoreTests"/>: a backup (pg_dump snapshot and key ring) taken
/// through the admin API, restored by the <c>restore</c> command into a fresh database and data directory, gives the
/// same inventory, services and runs, and its credentials still decrypt.</summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresBackupRestoreTests(PostgresServer postgres) : IDisposable
{
    private readonly string _restored = Directory.CreateTempSubdirectory("enms-pg-restored-").FullName;

    public void Dispose() => Directory.Delete(_restored, recursive: true);

    [RequiresFact("postgres")]
    public async Task A_postgres_backup_restored_into_a_fresh_database_has_the_same_inventory_services_runs_and_readable_credentials()
    {
        await using var source = new EnmsAppFactory(postgres.NewDatabase(), seedDemo: true);
        using var admin = await source.CreateClientAsync(Roles.Admin);
        const string secret = "restored-postgres-secret";
        var before = await BackupRestoreTests.PrepareAsync(source, admin, secret);

        var backup = await AutomationClient.Read(await admin.PostAsync("/api/admin/backups", null), HttpStatusCode.OK);
        var file = Path.Combine(_restored, "download.zip");
        await File.WriteAllBytesAsync(file, await admin.GetByteArrayAsync($"/api/admin/backups/{(string)backup["name"]!}"));
        using (var zip = System.IO.Compression.ZipFile.OpenRead(file))
        {
            Assert.Contains(zip.Entries, e => e.FullName == "database/enms.pgdump");
            Assert.Contains(zip.Entries, e => e.FullName.StartsWith("keys/key-", StringComparison.Ordinal));
        }

        var database = postgres.NewDatabase();
        var target = Path.Combine(_restored, "data");
        string[] restore = ["restore", file, $"--Enms:DataDirectory={target}", "--Database:Provider=Postgres", $"--Database:ConnectionString={database}"];
        var (exit, output) = await BackupRestoreTests.RunCommandAsync(restore);
        Assert.True(exit == 0, output);
        // Restoring again over it is refused: a restore never mixes two instances.
        var (again, refusal) = await BackupRestoreTests.RunCommandAsync(restore);
        Assert.Equal(1, again);
        Assert.Contains("fresh", refusal, StringComparison.Ordinal);

        await using var restored = new EnmsAppFactory(database, dataDirectory: target);
        using var client = restored.CreateClient();
        await BackupRestoreTests.AssertRestoredAsync(before, restored, secret);
    }
}
