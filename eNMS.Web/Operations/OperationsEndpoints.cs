using System.Globalization;
using eNMS.Core.Automation;
using eNMS.Core.Data;
using eNMS.Core.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace eNMS.Web.Operations;

/// <summary>Admin-only: log levels while the app runs, backups of this instance, and the retention purge.</summary>
internal static class OperationsEndpoints
{
    public static RouteGroupBuilder MapOperationsEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapGet("/log-levels", GetLogLevels).WithTags("Operations").WithSummary("Log categories and their levels on this node (Default first)");
        admin.MapPut("/log-levels/{category}", SetLogLevelAsync)
            .WithTags("Operations").WithSummary($"Sets a category's level on this node until it restarts: {string.Join(", ", LogLevels.Names)}");
        admin.MapPost("/backups", CreateBackupAsync).WithTags("Operations").WithSummary("Writes a backup (database and key ring) into DATA_DIR/backups");
        admin.MapGet("/backups", GetBackups).WithTags("Operations").WithSummary("Backups in DATA_DIR/backups, newest first");
        admin.MapGet("/backups/{name}", DownloadBackup).WithTags("Operations").WithSummary("Downloads a backup");
        admin.MapGet("/retention", GetRetentionAsync).WithTags("Operations")
            .WithSummary("The retention policy (Retention:RunDays, Retention:RunsPerService, Retention:Cron) and what a purge would remove now");
        admin.MapPost("/retention/purge", PurgeAsync).WithTags("Operations")
            .WithSummary("Purges the finished runs the retention policy says are expired, with their results and logs, now");
        return admin;
    }

    private static Ok<IReadOnlyList<LogLevelSetting>> GetLogLevels(LogLevels levels) => TypedResults.Ok(levels.Current);

    private static async Task<Results<NoContent, ProblemHttpResult>> SetLogLevelAsync(string category, LogLevelChange change, OperationsActions actions,
        CancellationToken ct) =>
        await actions.SetLogLevelAsync(AuditActor.Current, category, change.Level, ct) is { } error
            ? TypedResults.Problem(error, statusCode: StatusCodes.Status400BadRequest)
            : TypedResults.NoContent();

    private static async Task<Ok<BackupFile>> CreateBackupAsync(OperationsActions actions, CancellationToken ct) =>
        TypedResults.Ok(await actions.BackupAsync(AuditActor.Current, ct));

    private static Ok<IReadOnlyList<BackupFile>> GetBackups(OperationsActions actions) => TypedResults.Ok(actions.Backups());

    private static Results<PhysicalFileHttpResult, ProblemHttpResult> DownloadBackup(string name, OperationsActions actions) =>
        actions.BackupPath(name) is { } path
            ? TypedResults.PhysicalFile(path, "application/zip", name)
            : TypedResults.Problem("No such backup.", statusCode: StatusCodes.Status404NotFound);

    private static async Task<Ok<RetentionStatus>> GetRetentionAsync(RunRetention retention, CancellationToken ct) =>
        TypedResults.Ok(RetentionStatus.From(retention.Policy, await retention.PreviewAsync(ct)));

    private static async Task<Ok<RetentionReport>> PurgeAsync(RunRetention retention, CancellationToken ct) =>
        TypedResults.Ok(await retention.PurgeAsync(AuditActor.Current, ct));
}

/// <summary>The policy in force and what it would purge now.</summary>
public sealed record RetentionStatus(int RunDays, int RunsPerService, string Cron, bool Enabled, RetentionReport Expired)
{
    public static RetentionStatus From(RetentionOptions policy, RetentionReport expired) =>
        new(policy.RunDays, policy.RunsPerService, policy.Cron, policy.Enabled, expired);
}

public sealed record LogLevelChange(string Level);

public sealed record BackupFile(string Name, long Bytes, DateTimeOffset CreatedAt);

/// <summary>What the admin API and the admin page share: each change is audited (and so in the security log).</summary>
public sealed class OperationsActions(LogLevels levels, InstanceBackup backup, AuditLog audit, TimeProvider time)
{
    /// <summary>Null when done, else why not.</summary>
    public async Task<string?> SetLogLevelAsync(AuditActor? actor, string category, string level, CancellationToken ct)
    {
        if (!levels.TrySet(category, level, out var previous))
        {
            return $"Unknown category '{category}' or level '{level}' (levels: {string.Join(", ", LogLevels.Names)}).";
        }
        await audit.WriteAsync(actor, "log level change", "log level", null, category, $"{previous} -> {level}", ct);
        return null;
    }

    public async Task<BackupFile> BackupAsync(AuditActor? actor, CancellationToken ct)
    {
        var name = $"enms-backup-{time.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.zip";
        var path = Path.Combine(backup.BackupDirectory, name);
        var manifest = await backup.WriteAsync(path, ct);
        await audit.WriteAsync(actor, "backup", "backup", null, name, $"{manifest.Provider}, {manifest.KeyFiles} key file(s), migration {manifest.LastMigration}", ct);
        return new BackupFile(name, new FileInfo(path).Length, manifest.CreatedAt);
    }

    public IReadOnlyList<BackupFile> Backups() =>
        Directory.Exists(backup.BackupDirectory)
            ? [.. new DirectoryInfo(backup.BackupDirectory).GetFiles("*.zip").OrderByDescending(f => f.LastWriteTimeUtc)
                .Select(f => new BackupFile(f.Name, f.Length, f.LastWriteTimeUtc))]
            : [];

    /// <summary>The file of a listed backup; null for any other name (no path leaves the backup directory).</summary>
    public string? BackupPath(string name) =>
        Backups().Any(b => b.Name == name) ? Path.Combine(backup.BackupDirectory, name) : null;
}
