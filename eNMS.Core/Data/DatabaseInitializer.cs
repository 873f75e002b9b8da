using System.Text.Json.Nodes;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Demo;
using eNMS.Core.Inventory;
using eNMS.Core.Scheduling;
using eNMS.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace eNMS.Core.Data;

/// <summary>Applies the provider's migrations at startup, creates the roles and the first admin, and seeds the demo
/// network and its starter services, workflows and schedule into an empty database; then applies the stored settings.</summary>
public sealed class DatabaseInitializer(
    IDbContextFactory<EnmsDbContext> dbFactory, HostKeyStore hostKeys, IOptions<EnmsOptions> options, AccountSeeder accounts,
    ServiceSecrets secrets, AuditLog audit, ScheduleEditor schedules, Settings.RuntimeSettings settings, TimeProvider time, ILogger<DatabaseInitializer> logger)
{
    public async Task InitializeAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (db.Database.IsSqlite())
        {
            // WAL lets the UI read while a run or an import writes.
            await db.Database.OpenConnectionAsync(ct);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
        // The migrations were squashed into one per provider before the first release: a database made by an earlier
        // development build has history rows this build does not know, and migrating it would fail half-way.
        // The database and the history table are made here, quietly, before EF looks at them: EF's migrator opens a
        // database that may not exist yet and reads a history table before creating it, and logs each failure as an
        // error — two "fail:" lines at every first PostgreSQL start although nothing is wrong.
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (!await creator.ExistsAsync(ct))
        {
            try
            {
                await creator.CreateAsync(ct);
            }
            catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.DuplicateDatabase)
            {
                // Another node created it between our look and our create: it is there, which is all we wanted.
            }
        }
        // Nodes of a cluster start together (docker compose up): one migrates and seeds while the others wait for it,
        // so that none reads a half-made schema, and the roles, the admin and the demo network are made once.
        var postgres = db.Database.IsNpgsql();
        if (postgres)
        {
            await db.Database.OpenConnectionAsync(ct);
            // The wait lasts as long as another node's migration, which on a loaded machine can pass the 30 s command
            // timeout: a node that gave up there would exit. Bounded all the same, by the host's startup token and this.
            var timeout = db.Database.GetCommandTimeout();
            db.Database.SetCommandTimeout(StartupLockWait);
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_lock(1699630419)", ct);
            db.Database.SetCommandTimeout(timeout);
        }
        try
        {
            await MigrateAndSeedAsync(db, ct);
        }
        finally
        {
            if (postgres)
            {
                await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_unlock(1699630419)", CancellationToken.None);
            }
        }
        // The settings changed in the admin page apply from the first request on (the refresher keeps them current).
        await settings.ReloadAsync(ct);
    }

    /// <summary>The PostgreSQL advisory lock that startups take while they migrate and seed (0x654E4D53, "eNMS" in ASCII).</summary>
    public const long StartupLockKey = 1699630419;

    /// <summary>How long a start waits for another node's migration and seeding before it fails.</summary>
    public static readonly TimeSpan StartupLockWait = TimeSpan.FromMinutes(10);

    private async Task MigrateAndSeedAsync(EnmsDbContext db, CancellationToken ct)
    {
        await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(ct);
        var unknown = (await db.Database.GetAppliedMigrationsAsync(ct)).Except(db.Database.GetMigrations()).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException($"This database was created by a pre-release build of eNMS (migrations {string.Join(", ", unknown)}); "
                + "its schema cannot be upgraded. Export the inventory with that build, then start with an empty database and import it.");
        }
        await db.Database.MigrateAsync(ct);
        await hostKeys.LoadAsync(ct);
        await accounts.SeedAsync(ct);
        await EncryptClearSecretParametersAsync(db, ct);
        // Ad-hoc services used to be told by a name prefix; the flag replaces it (idempotent: nothing left after the first start).
        await db.Services.Where(s => !s.IsAdHoc && s.Name.StartsWith(ServiceCatalogue.LegacyAdHocPrefix))
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.IsAdHoc, true), ct);
        if (options.Value.SeedDemo && !await db.Devices.AnyAsync(ct))
        {
            var (devices, links, demoPools) = DemoNetwork.Build();
            db.Devices.AddRange(devices);
            db.Links.AddRange(links);
            db.Pools.AddRange(demoPools);
            await db.SaveChangesAsync(ct);
            await PoolMembership.RecomputeAllAsync(db, ct);
            var nightlyBackup = await StarterContent.SeedAsync(db, devices, time.GetUtcNow(), ct);
            await schedules.SyncAsync(nightlyBackup, ct);
            logger.LogInformation("Seeded the demo network: {Devices} devices, {Links} links, starter services, workflows and a nightly backup",
                devices.Count, links.Count);
        }
    }

    /// <summary>Services saved before secret parameters were encrypted still hold them in clear: encrypt them once, at
    /// start, rather than waiting for each service to be saved again. Idempotent: a value already encrypted is kept as
    /// it is, so a later start finds nothing to do.</summary>
    private async Task EncryptClearSecretParametersAsync(EnmsDbContext db, CancellationToken ct)
    {
        var services = await db.Services.AsNoTracking().Select(s => new { s.Id, s.Name, s.Parameters, s.SecretParameters }).ToListAsync(ct);
        var encrypted = new List<string>();
        foreach (var service in services.Where(s => ServiceSecrets.HasClearSecrets(s.Parameters, s.SecretParameters)))
        {
            var parameters = secrets.Protect(JsonNode.Parse(service.Parameters) as JsonObject, service.Parameters, service.SecretParameters);
            // ExecuteUpdate rather than SaveChanges: the audit interceptor would copy the clear value it replaces into
            // the audit log as the "before" of the change.
            await db.Services.Where(s => s.Id == service.Id).ExecuteUpdateAsync(u => u.SetProperty(s => s.Parameters, parameters), ct);
            encrypted.Add(service.Name);
        }
        if (encrypted.Count > 0)
        {
            await audit.WriteAsync((AuditActor?)null, "encrypt secret parameters", "service", null, $"{encrypted.Count} service(s)",
                $"Secret parameters stored in clear were encrypted at startup: {string.Join(", ", encrypted)}", ct);
            logger.LogWarning("Encrypted the secret parameters stored in clear of {Count} service(s): {Services}", encrypted.Count, string.Join(", ", encrypted));
        }
    }
}
