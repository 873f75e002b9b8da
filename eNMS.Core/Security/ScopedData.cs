using eNMS.Core.Automation;
using eNMS.Core.Configurations;
using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Core.Scheduling;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Security;

/// <summary>
/// What a user may read, as queries already limited to the user's pools (null scope: everything). Pages and endpoints
/// that show device data start from here instead of the DbContext's sets, so the limit is applied where the query is
/// built. The rules, for a user scoped to pools:
/// <list type="bullet">
/// <item>a run is listed when one of its targets is in scope, or when it has no device target;</item>
/// <item>a result is shown when its device is in scope; a result with no device, and the run's log, name no device
/// but may speak of all of them, so they are shown only when every target of the run is in scope ("whole" runs);</item>
/// <item>a configuration version is shown when its device is in scope;</item>
/// <item>a schedule is listed when all its explicit targets (devices and pools) are in scope.</item>
/// </list>
/// Out-of-scope items are simply absent: pages and endpoints answer 404, as for a missing one.
/// </summary>
public sealed class ScopedData(EnmsDbContext db, IReadOnlyList<int>? scopePoolIds)
{
    public IReadOnlyList<int>? ScopePoolIds => scopePoolIds;

    /// <summary>False for a user who sees every device.</summary>
    public bool Limited => scopePoolIds is not null;

    public IQueryable<Device> Devices => db.Devices.AsNoTracking().InScope(scopePoolIds);

    public IQueryable<int> DeviceIds => Devices.Select(d => d.Id);

    public IQueryable<Run> Runs
    {
        get
        {
            var visible = DeviceIds;
            return scopePoolIds is null ? db.Runs.AsNoTracking()
                : db.Runs.AsNoTracking().Where(r => r.DeviceIds.Count == 0 || r.DeviceIds.Any(id => visible.Contains(id)));
        }
    }

    /// <summary>Runs whose every target is in scope: their log and device-less results are visible too.</summary>
    public IQueryable<Run> WholeRuns
    {
        get
        {
            var visible = DeviceIds;
            return scopePoolIds is null ? db.Runs.AsNoTracking() : db.Runs.AsNoTracking().Where(r => r.DeviceIds.All(id => visible.Contains(id)));
        }
    }

    public IQueryable<RunResult> RunResults
    {
        get
        {
            if (scopePoolIds is null)
            {
                return db.RunResults.AsNoTracking();
            }
            var (visible, whole) = (DeviceIds, WholeRuns.Select(r => r.Id));
            return db.RunResults.AsNoTracking().Where(r => r.DeviceId == null ? whole.Contains(r.RunId) : visible.Contains(r.DeviceId.Value));
        }
    }

    public IQueryable<RunLogEntry> RunLogs
    {
        get
        {
            if (scopePoolIds is null)
            {
                return db.RunLogs.AsNoTracking();
            }
            var whole = WholeRuns.Select(r => r.Id);
            return db.RunLogs.AsNoTracking().Where(l => whole.Contains(l.RunId));
        }
    }

    public IQueryable<ConfigVersion> ConfigVersions
    {
        get
        {
            var visible = DeviceIds;
            return scopePoolIds is null ? db.ConfigVersions.AsNoTracking() : db.ConfigVersions.AsNoTracking().Where(v => visible.Contains(v.DeviceId));
        }
    }

    public IQueryable<Schedule> Schedules
    {
        get
        {
            if (scopePoolIds is not { } scope)
            {
                return db.Schedules.AsNoTracking();
            }
            var visible = DeviceIds;
            return db.Schedules.AsNoTracking().Where(s => s.DeviceIds.All(id => visible.Contains(id)) && s.PoolIds.All(id => scope.Contains(id)));
        }
    }

    /// <summary>Whether the user sees a run at all (an unknown run: false).</summary>
    public Task<bool> SeesRunAsync(int runId, CancellationToken ct) => Runs.AnyAsync(r => r.Id == runId, ct);

    /// <summary>Whether the device exists and is in scope.</summary>
    public Task<bool> SeesDeviceAsync(int deviceId, CancellationToken ct) => Devices.AnyAsync(d => d.Id == deviceId, ct);
}

public static class ScopedDataExtensions
{
    /// <summary>This context's data as a user limited to these pools (null: every device) may read it.</summary>
    public static ScopedData Scoped(this EnmsDbContext db, IReadOnlyList<int>? scopePoolIds) => new(db, scopePoolIds);
}
