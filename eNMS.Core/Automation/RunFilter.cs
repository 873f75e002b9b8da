using eNMS.Core.Data;

namespace eNMS.Core.Automation;

/// <summary>Which runs to list: by service, status, who started them, a target device and when they were created
/// (<paramref name="From"/> included, <paramref name="To"/> excluded, any offset: instants are compared). The one filter
/// behind the runs page, the device page's history and <c>GET /api/runs</c>.</summary>
public sealed record RunFilter(int? ServiceId = null, RunStatus? Status = null, string? User = null, int? DeviceId = null,
    DateTimeOffset? From = null, DateTimeOffset? To = null)
{
    public const int MaxTake = 1_000;

    public IQueryable<Run> Apply(IQueryable<Run> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        runs = ServiceId is int service ? runs.Where(r => r.ServiceId == service) : runs;
        runs = Status is RunStatus status ? runs.Where(r => r.Status == status) : runs;
        var user = User?.Trim() ?? "";
        runs = user.Length > 0 ? runs.Where(r => r.CreatedBy == user) : runs;
        runs = DeviceId is int device ? runs.Where(r => r.DeviceIds.Contains(device)) : runs;
        // SQLite stores a DateTimeOffset as text that it cannot compare: instants are compared as Unix milliseconds.
        runs = From is { } from ? runs.Where(r => StoredTime.UnixMilliseconds(r.CreatedAt) >= from.ToUnixTimeMilliseconds()) : runs;
        return To is { } to ? runs.Where(r => StoredTime.UnixMilliseconds(r.CreatedAt) < to.ToUnixTimeMilliseconds()) : runs;
    }

    /// <summary>Newest first, at most <paramref name="take"/> (bounded by <see cref="MaxTake"/>).</summary>
    public IQueryable<Run> Page(IQueryable<Run> runs, int? take) => Apply(runs).OrderByDescending(r => r.Id).Take(Math.Clamp(take ?? 100, 1, MaxTake));
}
