using eNMS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Security;

/// <summary>Who is acting on this logical call (an HTTP request, or one event of a Blazor circuit), for the audit
/// log. Set by the web layer; work with no actor (startup, scheduled runs) is recorded as "system".</summary>
public sealed record AuditActor(string User, string? Ip)
{
    private static readonly AsyncLocal<AuditActor?> Ambient = new();

    public static AuditActor? Current
    {
        get => Ambient.Value;
        set => Ambient.Value = value;
    }
}

/// <summary>Writes audit entries for events that are not a saved entity (sign-in, runs, imports).</summary>
public sealed class AuditLog(IDbContextFactory<EnmsDbContext> dbFactory, TimeProvider time)
{
    public async Task WriteAsync(string action, string targetKind, string? targetId = null, string? targetName = null,
        string? after = null, string? user = null, CancellationToken ct = default)
    {
        var actor = AuditActor.Current;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.AuditEntries.Add(new AuditEntry
        {
            At = time.GetUtcNow(),
            User = (user ?? actor?.User ?? "system") is { Length: > 256 } longName ? longName[..256] : user ?? actor?.User ?? "system",
            Action = action.Length > 64 ? action[..64] : action,
            TargetKind = targetKind,
            TargetId = targetId is { Length: > 64 } ? targetId[..64] : targetId,
            TargetName = targetName is { Length: > 256 } ? targetName[..256] : targetName,
            After = after,
            Ip = actor?.Ip,
        });
        await db.SaveChangesAsync(ct);
    }
}
