using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace eNMS.Core.Data;

/// <summary>What a backup archive says about itself (<c>manifest.json</c>).</summary>
public sealed record BackupManifest(int Format, string Provider, DateTimeOffset CreatedAt, string? LastMigration, int KeyFiles);

/// <summary>
/// One archive (zip) holding a consistent snapshot of an instance: the database — SQLite's online backup, which
/// copies a consistent state while the app keeps writing; <c>pg_dump</c> for PostgreSQL — and the Data Protection key
/// ring, without which no credential in that database can be read. Restored into a fresh instance only (no database
/// content, no key), so that a restore never mixes two instances' data or keys.
/// <para>The archive holds the key ring as it is on disk (in clear unless a certificate encrypts it at rest): keep
/// backups as safe as the data directory itself.</para>
/// </summary>
public sealed class InstanceBackup(IDbContextFactory<EnmsDbContext> dbFactory, DatabaseOptions database, DataPaths paths, TimeProvider time)
{
    public const int Format = 1;
    private const string ManifestEntry = "manifest.json";
    private const string SqliteEntry = "database/enms.db";
    private const string PostgresEntry = "database/enms.pgdump";
    private const string KeysFolder = "keys/";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Where the admin page writes its backups.</summary>
    public string BackupDirectory => Path.Combine(paths.DataDirectory, "backups");

    /// <summary>Writes a backup to <paramref name="file"/> (replaced if it exists, only once complete).</summary>
    public async Task<BackupManifest> WriteAsync(string file, CancellationToken ct)
    {
        var target = Path.GetFullPath(file);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var work = Directory.CreateTempSubdirectory("enms-backup-").FullName;
        try
        {
            string? lastMigration;
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                lastMigration = (await db.Database.GetAppliedMigrationsAsync(ct)).LastOrDefault();
            }
            var databaseFile = Path.Combine(work, "database");
            if (database.Provider == DatabaseProvider.Postgres)
            {
                await PgToolAsync("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", "--file", databaseFile], ct);
            }
            else
            {
                // The online backup API copies pages under SQLite's own locking, WAL included: a consistent snapshot
                // while runs keep writing (a file copy of enms.db could catch half a transaction, or miss the WAL).
                await Task.Run(() =>
                {
                    using var source = new SqliteConnection(database.EffectiveConnectionString(paths.DataDirectory));
                    using var destination = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databaseFile, Pooling = false }.ToString());
                    source.Open();
                    source.BackupDatabase(destination);
                }, ct);
            }
            var keys = Directory.Exists(paths.KeyDirectory) ? Directory.GetFiles(paths.KeyDirectory, "*.xml") : [];
            var manifest = new BackupManifest(Format, database.Provider.ToString(), time.GetUtcNow(), lastMigration, keys.Length);
            var partial = target + ".partial";
            await using (var stream = File.Create(partial))
            await using (var zip = new ZipArchive(stream, ZipArchiveMode.Create))
            {
                await zip.CreateEntryFromFileAsync(databaseFile, database.Provider == DatabaseProvider.Postgres ? PostgresEntry : SqliteEntry, CompressionLevel.Optimal, ct);
                foreach (var key in keys)
                {
                    await zip.CreateEntryFromFileAsync(key, KeysFolder + Path.GetFileName(key), CompressionLevel.Optimal, ct);
                }
                await using var manifestStream = await zip.CreateEntry(ManifestEntry).OpenAsync(ct);
                await JsonSerializer.SerializeAsync(manifestStream, manifest, Json, ct);
            }
            File.Move(partial, target, overwrite: true);
            return manifest;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Restores <paramref name="file"/> into this instance, which must be fresh: run while the app is stopped,
    /// before its first start on this data directory and database. The next start applies the migrations that this
    /// build has and the backup lacks.</summary>
    public async Task<BackupManifest> RestoreAsync(string file, CancellationToken ct)
    {
        await using var stream = File.OpenRead(file);
        await using var zip = new ZipArchive(stream, ZipArchiveMode.Read);
        var manifest = await ReadManifestAsync(zip, ct);
        if (!string.Equals(manifest.Provider, database.Provider.ToString(), StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"This backup is of a {manifest.Provider} database; this instance is configured for {database.Provider} (Database:Provider).");
        }
        if (Directory.Exists(paths.KeyDirectory) && Directory.EnumerateFiles(paths.KeyDirectory, "*.xml").Any())
        {
            throw new InvalidOperationException($"The key directory {paths.KeyDirectory} already holds keys: a backup is restored into a fresh instance only.");
        }
        await EnsureEmptyDatabaseAsync(ct);

        var work = Directory.CreateTempSubdirectory("enms-restore-").FullName;
        try
        {
            var databaseEntry = zip.GetEntry(database.Provider == DatabaseProvider.Postgres ? PostgresEntry : SqliteEntry)
                ?? throw new InvalidOperationException("The backup holds no database.");
            var databaseFile = Path.Combine(work, "database");
            await databaseEntry.ExtractToFileAsync(databaseFile, overwrite: false, ct);
            if (database.Provider == DatabaseProvider.Postgres)
            {
                await PgToolAsync("pg_restore", ["--no-owner", "--no-privileges", "--exit-on-error", databaseFile], ct);
            }
            else
            {
                var target = SqliteFile();
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(databaseFile, target, overwrite: false);
            }
            Directory.CreateDirectory(paths.KeyDirectory);
            foreach (var key in zip.Entries.Where(e => e.FullName.StartsWith(KeysFolder, StringComparison.Ordinal) && e.Name.EndsWith(".xml", StringComparison.Ordinal)))
            {
                await key.ExtractToFileAsync(Path.Combine(paths.KeyDirectory, key.Name), overwrite: false, ct);
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
        return manifest;
    }

    private static async Task<BackupManifest> ReadManifestAsync(ZipArchive zip, CancellationToken ct)
    {
        var entry = zip.GetEntry(ManifestEntry) ?? throw new InvalidOperationException("Not an eNMS backup: it has no manifest.json.");
        await using var manifestStream = await entry.OpenAsync(ct);
        var manifest = await JsonSerializer.DeserializeAsync<BackupManifest>(manifestStream, Json, ct)
            ?? throw new InvalidOperationException("Not an eNMS backup: its manifest is empty.");
        return manifest.Format == Format ? manifest
            : throw new InvalidOperationException($"This backup has format {manifest.Format}; this build reads format {Format}.");
    }

    /// <summary>Refuses a database that already has tables of eNMS (or of anything else on PostgreSQL's public schema).</summary>
    private async Task EnsureEmptyDatabaseAsync(CancellationToken ct)
    {
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            var target = SqliteFile();
            if (File.Exists(target) && new FileInfo(target).Length > 0)
            {
                throw new InvalidOperationException($"{target} exists: a backup is restored into a fresh instance only (move it away first).");
            }
            return;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Database.CanConnectAsync(ct))
        {
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", connection);
            if (Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) > 0)
            {
                throw new InvalidOperationException("The database already has tables: a backup is restored into a fresh (empty) database only.");
            }
        }
        else
        {
            // pg_restore restores into a database that exists: make the empty one it names.
            await db.GetService<IRelationalDatabaseCreator>().CreateAsync(ct);
        }
    }

    private string SqliteFile() =>
        Path.GetFullPath(new SqliteConnectionStringBuilder(database.EffectiveConnectionString(paths.DataDirectory)).DataSource);

    /// <summary>Runs pg_dump or pg_restore (from PATH, else Debian's /usr/lib/postgresql/N/bin) on the configured
    /// database; the password goes through the environment, never the command line (visible to every local user).</summary>
    private async Task PgToolAsync(string tool, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var connection = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        var start = new ProcessStartInfo(FindPgTool(tool)) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "--host", connection.Host ?? "localhost", "--port", connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--username", connection.Username ?? "postgres", "--dbname", connection.Database ?? "" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["PGPASSWORD"] = connection.Password ?? "";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} could not be started.");
        var errors = process.StandardError.ReadToEndAsync(ct);
        var output = process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} failed ({process.ExitCode}): {(await errors).Trim()} {(await output).Trim()}");
        }
    }

    private static string FindPgTool(string tool)
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);
        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => d, StringComparer.Ordinal).Select(d => Path.Combine(d, "bin", tool)).FirstOrDefault(File.Exists)
            : null;
        return onPath ?? debian ?? throw new InvalidOperationException($"{tool} is not installed (Debian: apt-get install postgresql-client): it is what backs up and restores a PostgreSQL database.");
    }
}
