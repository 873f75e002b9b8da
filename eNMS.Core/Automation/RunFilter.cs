using eNMS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Automation;

/// <summary>Which runs to list: by service, status, who started them, a target device and when they were created
/// (<paramref name="From"/> included, <paramref name="To"/> excluded, any offset: instants are compared). The one filter
/// behind the runs page, the device page's history and <c>GET /api/runs</c>.</summary>
/// <remarks>After a year of runs every filter reads through an index (the plans are checked by tests): service, status
/// and user through their (column, id) indexes, newest first; the device through the results recorded on it
/// (<c>IX_RunResults_DeviceId_RunId</c>) rather than every run's list of targets; dates through the creation time
/// (natively on PostgreSQL, as Unix milliseconds on SQLite, where an index on that expression exists).</remarks>
public sealed record RunFilter(int? ServiceId = null, RunStatus? Status = null, string? User = null, int? DeviceId = null,
    DateTimeOffset? From = null, DateTimeOffset? To = null)
{
    public const int MaxTake = 1_000;
    /// <summary>Every status but completed, as a list the (status, id) index can search.</summary>
    private static readonly RunStatus[] NotCompleted = [.. Enum.GetValues<RunStatus>().Where(s => s != RunStatus.Completed)];

    public IQueryable<Run> Apply(EnmsDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        var runs = db.Runs.AsNoTracking();
        runs = ServiceId is int service ? runs.Where(r => r.ServiceId == service) : runs;
        runs = Status is RunStatus status ? runs.Where(r => r.Status == status) : runs;
        var user = User?.Trim() ?? "";
        runs = user.Length > 0 ? runs.Where(r => r.CreatedBy == user) : runs;
        if (db.Database.IsNpgsql())
        {
            // PostgreSQL compares instants natively (timestamptz, IX_Runs_CreatedAt); Npgsql takes UTC bounds only.
            runs = From is { } start ? runs.Where(r => r.CreatedAt >= start.ToUniversalTime()) : runs;
            runs = To is { } stop ? runs.Where(r => r.CreatedAt < stop.ToUniversalTime()) : runs;
        }
        else
        {
            // SQLite stores a DateTimeOffset as text that it cannot compare: instants are compared as Unix milliseconds
            // (IX_Runs_CreatedAtUnixMs indexes that very expression).
            runs = From is { } from ? runs.Where(r => StoredTime.UnixMilliseconds(r.CreatedAt) >= from.ToUnixTimeMilliseconds()) : runs;
            runs = To is { } to ? runs.Where(r => StoredTime.UnixMilliseconds(r.CreatedAt) < to.ToUnixTimeMilliseconds()) : runs;
        }
        if (DeviceId is int device)
        {
            // A run that completed recorded a result on each device it targeted (or iterated over); one that did not
            // complete may have stopped before it reached the device, and is known by its targets. The two halves are
            // read as a union, each through its index, never as a scan of every run's targets.
            var recorded = db.RunResults.Where(x => x.DeviceId == device).Select(x => x.RunId);
            runs = runs.Where(r => recorded.Contains(r.Id))
                .Concat(runs.Where(r => NotCompleted.Contains(r.Status) && r.DeviceIds.Contains(device) && !recorded.Contains(r.Id)));
        }
        return runs;
    }

    /// <summary>Newest first, at most <paramref name="take"/> (bounded by <see cref="MaxTake"/>).</summary>
    public IQueryable<Run> Page(EnmsDbContext db, int? take) => Apply(db).OrderByDescending(r => r.Id).Take(Math.Clamp(take ?? 100, 1, MaxTake));
}
