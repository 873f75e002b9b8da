using eNMS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Security;

/// <summary>Who is acting on this logical call (an HTTP request, or one event of a Blazor circuit), for the audit
/// log. Set by the web layer; work with no actor (startup, scheduled runs) is recorded as "system".</summary>
public sealed record AuditActor(string User, string? Ip)
{
    private static readonly AsyncLocal<AuditActor?> Ambient = new();

    /// <summary>The actor holds the admin role: what admin-only service kinds (<c>python_script</c>) ask.</summary>
    public bool IsAdmin { get; init; }

    /// <summary>The actor's user groups (by name): what access lists name besides users (<see cref="ObjectAccess"/>).</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    public static AuditActor? Current
    {
        get => Ambient.Value;
        set => Ambient.Value = value;
    }
}

/// <summary>An action as the audit log records it: what was done, to what (for a use case that starts a run as its
/// means, such as a rollback, the action is the rollback, not "run start").</summary>
public sealed record AuditedAction(string Action, string TargetKind, string? TargetId, string? TargetName);

/// <summary>
/// The audit log's one writer for actions (a run started, an import, a host key forgotten): Core's use cases call
/// <see cref="WriteAsync(AuditActor?, string, string, string?, string?, string?, CancellationToken)"/> with the actor
/// their caller hands them, so an action is recorded once whichever page or endpoint started it; pages and endpoints
/// never write entries themselves. Saved entity changes are still recorded by <see cref="AuditInterceptor"/>.
/// </summary>
public sealed class AuditLog(IDbContextFactory<EnmsDbContext> dbFactory, TimeProvider time)
{
    /// <remarks>actor: Who acts (null: "system", as for schedules and startup).
    /// details: Free text or JSON kept in the entry's After column.</remarks>
    public async Task WriteAsync(AuditActor? actor, string action, string targetKind, string? targetId, string? targetName, string? details,
        CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        Add(db, actor, action, targetKind, targetId, targetName, details);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>A change of one object's attribute as one entry, <paramref name="before"/> → <paramref name="after"/> (JSON
    /// objects as the entity entries hold theirs, or a short text; no before for something new).</summary>
    public async Task WriteChangeAsync(AuditActor? actor, string action, string targetKind, string? targetId, string? targetName,
        string? before, string after, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        Add(db, actor, action, targetKind, targetId, targetName, after, before);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Adds an entry to a context the caller saves, so that it lands in the same transaction as the change.</summary>
    public void Add(EnmsDbContext db, AuditActor? actor, string action, string targetKind, string? targetId, string? targetName, string? details,
        string? before = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        db.AuditEntries.Add(new AuditEntry
        {
            At = time.GetUtcNow(),
            User = Cut(actor?.User ?? "system", 256),
            Action = Cut(action, 64),
            TargetKind = targetKind,
            TargetId = targetId is null ? null : Cut(targetId, 64),
            TargetName = targetName is null ? null : Cut(targetName, 256),
            Before = before,
            After = details,
            Ip = actor?.Ip,
        });
    }

    /// <summary>With the ambient actor (<see cref="AuditActor.Current"/>), or that actor's address under another user name.</summary>
    public Task WriteAsync(string action, string targetKind, string? targetId = null, string? targetName = null,
        string? after = null, string? user = null, CancellationToken ct = default)
    {
        var actor = AuditActor.Current;
        return WriteAsync(user is null ? actor : new AuditActor(user, actor?.Ip), action, targetKind, targetId, targetName, after, ct);
    }

    private static string Cut(string value, int length) => value.Length > length ? value[..length] : value;
}
