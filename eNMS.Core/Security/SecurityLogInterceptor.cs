using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;

namespace eNMS.Core.Security;

/// <summary>
/// Copies the audit entries that concern security (sign-ins and sign-outs, accounts and their roles, API tokens, host
/// keys, log levels, backups and restores) to the log category <see cref="Category"/> once they are stored, so that
/// they can be shipped apart from the application log (the web layer writes them to their own file). Reads what the
/// audit log stores, already masked, so a secret cannot reach this log by a way the audit log does not have.
/// </summary>
public sealed partial class SecurityLogInterceptor(ILoggerFactory loggers) : SaveChangesInterceptor
{
    public const string Category = "eNMS.Security";

    /// <summary>Audit target kinds that belong in the security log.</summary>
    public static readonly IReadOnlySet<string> Kinds = new HashSet<string>(StringComparer.Ordinal)
    {
        "user", "user role", "api token", "host key", "log level", "backup",
    };

    private readonly ILogger _logger = loggers.CreateLogger(Category);
    private readonly ConditionalWeakTable<DbContext, List<AuditEntry>> _pending = [];

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Capture(eventData.Context);
        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Capture(eventData.Context);
        return base.SavingChanges(eventData, result);
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Flush(eventData.Context);
        return base.SavedChangesAsync(eventData, result, cancellationToken);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Flush(eventData.Context);
        return base.SavedChanges(eventData, result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData)
    {
        if (eventData.Context is { } context)
        {
            _pending.Remove(context);
        }
        base.SaveChangesFailed(eventData);
    }

    private void Capture(DbContext? context)
    {
        if (context is null)
        {
            return;
        }
        var entries = context.ChangeTracker.Entries<AuditEntry>()
            .Where(e => e.State == EntityState.Added && Kinds.Contains(e.Entity.TargetKind)).Select(e => e.Entity).ToList();
        if (entries.Count > 0)
        {
            _pending.AddOrUpdate(context, entries);
        }
    }

    private void Flush(DbContext? context)
    {
        if (context is null || !_pending.TryGetValue(context, out var entries))
        {
            return;
        }
        _pending.Remove(context);
        foreach (var entry in entries)
        {
            LogEntry(_logger, entry.Action, entry.TargetKind, entry.TargetName ?? entry.TargetId ?? "", entry.User, entry.Ip ?? "", entry.Before, entry.After);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Action} {TargetKind} {Target} by {Actor} from {ClientAddress}; before {Before}; after {After}")]
    private static partial void LogEntry(ILogger logger, string action, string targetKind, string target, string actor, string clientAddress, string? before, string? after);
}
