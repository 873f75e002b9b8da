using eNMS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Automation;

/// <summary>A run as the dashboard's success rate counts it.</summary>
public sealed record RunOutcome(int Id, RunStatus Status, DateTimeOffset? EndedAt);

/// <summary>A device that failed in the latest runs, and how often.</summary>
public sealed record FailingDevice(int DeviceId, string DeviceName, int Failures);

/// <summary>
/// The dashboard's questions about the run history, each one bounded query through an index, so that a year of runs
/// (73,000 runs, their results) answers as fast as a week: the runs executing (IX_Runs_Status_Id), the latest finished
/// ones and the latest window of runs (the primary key, newest first), and the devices failing in that window
/// (IX_RunResults_RunId_Id from the window's oldest run). Through a scoped context, a user limited to pools gets theirs.
/// </summary>
public static class RunHistory
{
    /// <summary>Most runs listed as executing (a cluster can run more; the dashboard links to the runs page).</summary>
    public const int MaxActive = 200;
    /// <summary>Statistics look at this many latest runs: enough for two weeks of a busy team, bounded for the database.</summary>
    public const int RecentRunWindow = 2_000;

    /// <summary>Runs pending or running, oldest first.</summary>
    public static Task<List<Run>> ActiveAsync(EnmsDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Runs.AsNoTracking().Where(r => r.Status == RunStatus.Running || r.Status == RunStatus.Pending).OrderBy(r => r.Id).Take(MaxActive).Listed().ToListAsync(ct);
    }

    /// <summary>The latest <paramref name="count"/> runs no longer pending or running, newest first.</summary>
    public static Task<List<Run>> RecentAsync(EnmsDbContext db, int count, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Runs.AsNoTracking().Where(r => r.Status != RunStatus.Running && r.Status != RunStatus.Pending)
            .OrderByDescending(r => r.Id).Take(Math.Clamp(count, 1, MaxActive)).Listed().ToListAsync(ct);
    }

    /// <summary>The latest <see cref="RecentRunWindow"/> runs' outcomes, newest first. Dates are bucketed by the caller:
    /// SQLite cannot compare DateTimeOffset columns.</summary>
    public static Task<List<RunOutcome>> WindowAsync(EnmsDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Runs.AsNoTracking().OrderByDescending(r => r.Id).Take(RecentRunWindow).Select(r => new RunOutcome(r.Id, r.Status, r.EndedAt)).ToListAsync(ct);
    }

    /// <summary>The devices with the most failed results since run <paramref name="oldestRun"/>, at most <paramref name="count"/>.</summary>
    public static Task<List<FailingDevice>> FailingDevicesAsync(EnmsDbContext db, int oldestRun, int count, CancellationToken ct) =>
        FailingDevices(db, oldestRun, count).ToListAsync(ct);

    /// <summary>The query behind <see cref="FailingDevicesAsync"/>. "Has a device" is written so that no index can
    /// serve it (device ids start at 1): as "DeviceId IS NOT NULL" (also as a HAVING, which SQLite pushes down) SQLite
    /// reads it as a range of IX_RunResults_DeviceId_RunId — a year of results — instead of the window's runs.</summary>
    public static IQueryable<FailingDevice> FailingDevices(EnmsDbContext db, int oldestRun, int count)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.RunResults.AsNoTracking()
            .Where(r => r.RunId >= oldestRun && !r.Success && !r.Skipped && (r.DeviceId ?? 0) != 0)
            // By name first: grouped by the device id first, SQLite reads IX_RunResults_DeviceId_RunId whole for its order.
            .GroupBy(r => new { r.DeviceName, DeviceId = r.DeviceId!.Value })
            .Select(g => new { g.Key.DeviceId, g.Key.DeviceName, Failures = g.Count() })
            .OrderByDescending(f => f.Failures).ThenBy(f => f.DeviceName).Take(Math.Clamp(count, 1, MaxActive))
            .Select(f => new FailingDevice(f.DeviceId, f.DeviceName, f.Failures));
    }
}
