using System.Runtime.CompilerServices;
using System.Text.Json;
using eNMS.Core.Automation;
using eNMS.Core.Inventory;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata;

namespace eNMS.Core.Security;

/// <summary>
/// Records every create, update and delete of inventory, automation and account objects, whichever path saved it
/// (API, UI, import), with the acting user from <see cref="AuditActor.Current"/>. Before/after hold scalar properties
/// only, secrets masked. A save touching more than <see cref="DetailLimit"/> objects (an import) is summarized as one
/// entry per kind and action.
/// </summary>
public sealed class AuditInterceptor(TimeProvider time) : SaveChangesInterceptor
{
    public const int DetailLimit = 100;
    private const string Masked = "******";

    private static readonly Dictionary<Type, string> Kinds = new()
    {
        [typeof(Device)] = "device",
        [typeof(Link)] = "link",
        [typeof(Pool)] = "pool",
        [typeof(Credential)] = "credential",
        [typeof(Service)] = "service",
        [typeof(EnmsUser)] = "user",
        [typeof(IdentityUserRole<string>)] = "user role",
        [typeof(UserGroup)] = "user group",
        [typeof(ApiToken)] = "api token",
        [typeof(Scheduling.Schedule)] = "schedule",
        [typeof(Scheduling.ChangeFreeze)] = "change freeze",
        [typeof(Ansible.Playbook)] = "playbook",
        [typeof(Ansible.PlaybookVersion)] = "playbook version",
        [typeof(Configurations.ComplianceRule)] = "compliance rule",
        [typeof(Parsing.ParsingTemplate)] = "parsing template",
        [typeof(Automation.Approvals.ApprovalDecision)] = "approval",
    };

    // Many-to-many collections whose change is a change of their owner (not of each member).
    private static readonly HashSet<(Type, string)> MembershipOwners =
        [(typeof(Pool), nameof(Pool.Devices)), (typeof(Pool), nameof(Pool.Links)), (typeof(Credential), nameof(Credential.Pools))];

    // Columns that change as a side effect of use (every API call, every sign-in attempt): not changes worth a line.
    private static readonly HashSet<string> Bookkeeping = ["LastUsedAt", "ConcurrencyStamp", "AccessFailedCount", "DirectoryCheckedAt"];

    private static readonly string[] SecretWords = ["password", "secret", "key", "passphrase", "hash", "stamp"];

    private readonly ConditionalWeakTable<DbContext, List<Pending>> _pending = [];

    private static readonly AsyncLocal<bool> Recorded = new();

    /// <summary>While the returned scope lives, saves on this logical call are not recorded here: the use case that
    /// makes them writes the one entry that says what changed (a user's role, pools, lock: <see cref="UserAdministration"/>),
    /// where the saved rows would give several that name ids (a role is two join rows, a removed and an added one).</summary>
    public static IDisposable RecordedByCaller()
    {
        var outer = Recorded.Value;
        Recorded.Value = true;
        return new Restore(() => Recorded.Value = outer);
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }

    private sealed record Pending(EntityEntry Entry, string Action, string Kind, string? Before);

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

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context && Flush(context))
        {
            await context.SaveChangesAsync(cancellationToken);
        }
        return await base.SavedChangesAsync(eventData, result, cancellationToken);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context is { } context && Flush(context))
        {
            context.SaveChanges();
        }
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
        if (context is null || Recorded.Value)
        {
            return;
        }
        context.ChangeTracker.DetectChanges();
        var pending = new List<Pending>();
        foreach (var entry in context.ChangeTracker.Entries())
        {
            // An ad-hoc service is eNMS's own means for an action (a rollback, a remediation) that its use case audits
            // as that action: recording the service too would give the action two entries.
            // A device reaching an approval gate is the engine's doing, told in the run's log: only decisions are actions.
            if (!Kinds.TryGetValue(entry.Metadata.ClrType, out var kind) || entry.Entity is Service { IsAdHoc: true }
                || entry is { Entity: Automation.Approvals.ApprovalDecision, State: EntityState.Added })
            {
                continue;
            }
            var action = entry.State switch
            {
                EntityState.Added => "create",
                EntityState.Modified => "update",
                EntityState.Deleted => "delete",
                // Many-to-many members (a manual pool's devices, a credential's pools) live in join rows: changing
                // only them leaves the object itself unmodified, yet it is a change of that object.
                // Recorded on the side that owns the membership (the pool, the credential), not on every member.
                EntityState.Unchanged when entry.Collections.Any(c => c.Metadata is ISkipNavigation && c.IsModified
                    && MembershipOwners.Contains((entry.Metadata.ClrType, c.Metadata.Name))) => "membership update",
                _ => null,
            };
            if (action is null || (action == "update" && !entry.Properties.Any(p => p.IsModified && !Bookkeeping.Contains(p.Metadata.Name))))
            {
                continue;
            }
            pending.Add(new Pending(entry, action, kind, entry.State == EntityState.Added ? null : Snapshot(entry, original: true)));
        }
        if (pending.Count > 0)
        {
            _pending.AddOrUpdate(context, pending);
        }
    }

    private bool Flush(DbContext context)
    {
        if (!_pending.TryGetValue(context, out var pending))
        {
            return false;
        }
        _pending.Remove(context);
        var actor = AuditActor.Current;
        var now = time.GetUtcNow();
        var entries = new List<AuditEntry>();
        if (pending.Count > DetailLimit)
        {
            foreach (var group in pending.GroupBy(p => (p.Kind, p.Action)))
            {
                entries.Add(new AuditEntry
                {
                    At = now,
                    User = actor?.User ?? "system",
                    Ip = actor?.Ip,
                    Action = "bulk " + group.Key.Action,
                    TargetKind = group.Key.Kind,
                    TargetName = $"{group.Count()} objects",
                });
            }
        }
        else
        {
            foreach (var p in pending)
            {
                var after = p.Action == "delete" ? null : Snapshot(p.Entry, original: false);
                if (p.Action == "update" && after == p.Before)
                {
                    continue;
                }
                entries.Add(new AuditEntry
                {
                    At = now,
                    User = actor?.User ?? "system",
                    Ip = actor?.Ip,
                    Action = p.Action,
                    TargetKind = p.Kind,
                    TargetId = Truncate(KeyOf(p.Entry), 64),
                    TargetName = Truncate(NameOf(p.Entry.Entity), 256),
                    Before = p.Before,
                    After = after,
                });
            }
        }
        if (entries.Count == 0)
        {
            return false;
        }
        context.Set<AuditEntry>().AddRange(entries);
        return true;
    }

    private static string? KeyOf(EntityEntry entry) =>
        entry.Metadata.FindPrimaryKey() is { } key
            ? string.Join("/", key.Properties.Select(p => Convert.ToString(entry.Property(p.Name).CurrentValue, System.Globalization.CultureInfo.InvariantCulture)))
            : null;

    private static string? Truncate(string? value, int length) => value is null || value.Length <= length ? value : value[..length];

    private static string? NameOf(object entity) => entity switch
    {
        Device d => d.Name,
        Link l => l.Name,
        Pool p => p.Name,
        Credential c => c.Name,
        Service s => s.Name,
        EnmsUser u => u.UserName,
        UserGroup g => g.Name,
        ApiToken t => t.Name,
        Scheduling.Schedule s => s.Name,
        Scheduling.ChangeFreeze f => f.Name,
        Parsing.ParsingTemplate t => t.Name,
        Configurations.ComplianceRule r => r.Name,
        Ansible.Playbook p => p.Name,
        Automation.Approvals.ApprovalDecision a => $"run #{a.RunId} {a.Node} · {a.DeviceName}",
        _ => null,
    };

    /// <summary>Scalar properties as JSON; anything that looks like a secret is masked (or left out when empty).</summary>
    internal static string Snapshot(EntityEntry entry, bool original)
    {
        var values = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in entry.Properties)
        {
            var value = original ? property.OriginalValue : property.CurrentValue;
            var name = property.Metadata.Name;
            if (SecretWords.Any(w => name.Contains(w, StringComparison.OrdinalIgnoreCase)))
            {
                value = value is null ? null : Masked;
            }
            values[name] = value;
        }
        return JsonSerializer.Serialize(values);
    }
}
