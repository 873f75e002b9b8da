using eNMS.Core.Data;
using eNMS.Core.Text;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Automation;

public enum ResultOutcome { Succeeded, Failed, Skipped }

/// <summary>Which results of a run: on devices whose name contains <paramref name="Device"/>, at nodes or services whose
/// name contains <paramref name="Node"/>, ended <paramref name="Outcome"/>.</summary>
public sealed record ResultFilter(string? Device = null, string? Node = null, ResultOutcome? Outcome = null)
{
    /// <summary>The same test in memory, for live results not stored yet.</summary>
    public bool Matches(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Contains(result.DeviceName, Device) && (Contains(result.Node, Node) || Contains(result.ServiceName, Node)) && Outcome switch
        {
            ResultOutcome.Succeeded => result.Success && !result.Skipped,
            ResultOutcome.Failed => !result.Success && !result.Skipped,
            ResultOutcome.Skipped => result.Skipped,
            _ => true,
        };
    }

    private static bool Contains(string value, string? part) => RunResultList.Clip(part) is not { Length: > 0 } text || value.Contains(text, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// A run's results a page at a time, in the order they were recorded, filtered by the database: a run with 100,000
/// results lists as the few rows in view (the run page's virtualised list), and outputs are read only for those.
/// </summary>
public static class RunResultList
{
    public const int MaxTake = 200;
    public const int MaxFilterLength = 200;

    internal static string? Clip(string? text) => text?.Trim() is { Length: > 0 } t ? t[..Math.Min(t.Length, MaxFilterLength)] : null;

    public static IQueryable<RunResult> Query(EnmsDbContext db, int runId, ResultFilter filter)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(filter);
        var rows = db.RunResults.AsNoTracking().Where(r => r.RunId == runId);
        // Lowered by the database (lower() in SQL, as the grids filter), so SQLite and PostgreSQL answer alike.
#pragma warning disable CA1304, CA1311 // translated to SQL, never run here
        if (Clip(filter.Device) is { } device)
        {
            var like = Like(device);
            rows = rows.Where(r => EF.Functions.Like(r.DeviceName.ToLower(), like, LikePattern.EscapeCharacter));
        }
        if (Clip(filter.Node) is { } node)
        {
            var like = Like(node);
            rows = rows.Where(r => EF.Functions.Like(r.Node.ToLower(), like, LikePattern.EscapeCharacter)
                || EF.Functions.Like(r.ServiceName.ToLower(), like, LikePattern.EscapeCharacter));
        }
#pragma warning restore CA1304, CA1311
        return filter.Outcome switch
        {
            ResultOutcome.Succeeded => rows.Where(r => r.Success && !r.Skipped),
            ResultOutcome.Failed => rows.Where(r => !r.Success && !r.Skipped),
            ResultOutcome.Skipped => rows.Where(r => r.Skipped),
            _ => rows,
        };
    }

    /// <summary>The matching rows from <paramref name="skip"/> (at most <see cref="MaxTake"/>) and how many match in all.</summary>
    public static async Task<(List<RunResult> Rows, int Total)> PageAsync(EnmsDbContext db, int runId, ResultFilter filter, int skip, int take, CancellationToken ct)
    {
        var rows = Query(db, runId, filter);
        var total = await rows.CountAsync(ct);
        var page = await rows.OrderBy(r => r.Id).Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 0, MaxTake)).ToListAsync(ct);
        return (page, total);
    }

    /// <summary>The API's page (<c>GET /api/runs/{id}/results</c>): results after id <paramref name="after"/>, in recorded
    /// order, optionally of one node (exactly) and one device, at most <paramref name="take"/>. A keyset page through
    /// IX_RunResults_RunId_Id: the last page of a 100,000-result run costs what the first does.</summary>
    public static IQueryable<RunResult> After(EnmsDbContext db, int runId, long after, string? node, int? deviceId, int take)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = db.RunResults.AsNoTracking().Where(r => r.RunId == runId && r.Id > after);
        rows = node is null ? rows : rows.Where(r => r.Node == node);
        rows = deviceId is int device ? rows.Where(r => r.DeviceId == device) : rows;
        return rows.OrderBy(r => r.Id).Take(Math.Max(1, take));
    }

    private static string Like(string text) => $"%{LikePattern.Escape(text.ToLowerInvariant())}%";
}
