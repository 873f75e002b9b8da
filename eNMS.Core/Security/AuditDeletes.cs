using eNMS.Core.Data;

namespace eNMS.Core.Security;

/// <summary>Bulk deletes run as one SQL statement (<c>ExecuteDelete</c>) and bypass the change tracker, so the
/// interceptor cannot see them: the editors record them here, after the delete, in the same way.</summary>
public static class AuditDeletes
{
    public static async Task RecordAsync(EnmsDbContext db, string kind, IReadOnlyCollection<(int Id, string Name)> deleted, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(deleted);
        if (deleted.Count == 0)
        {
            return;
        }
        var actor = AuditActor.Current;
        var now = TimeProvider.System.GetUtcNow();
        if (deleted.Count > AuditInterceptor.DetailLimit)
        {
            db.AuditEntries.Add(new AuditEntry
            {
                At = now,
                User = actor?.User ?? "system",
                Ip = actor?.Ip,
                Action = "bulk delete",
                TargetKind = kind,
                TargetName = $"{deleted.Count} objects",
            });
        }
        else
        {
            db.AuditEntries.AddRange(deleted.Select(d => new AuditEntry
            {
                At = now,
                User = actor?.User ?? "system",
                Ip = actor?.Ip,
                Action = "delete",
                TargetKind = kind,
                TargetId = d.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                TargetName = d.Name.Length > 256 ? d.Name[..256] : d.Name,
            }));
        }
        await db.SaveChangesAsync(ct);
    }
}
