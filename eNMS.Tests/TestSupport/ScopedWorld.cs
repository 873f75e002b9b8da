using eNMS.Core.Automation;
using eNMS.Core.Configurations;
using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Core.Scheduling;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Tests.TestSupport;

/// <summary>
/// Two pools with a device each ("inside" in the user's pool, "outside" not), and what could leak about the outside
/// one: runs on inside only, outside only, both, and no device, with per-device and device-less results and logs;
/// configuration versions of both devices; schedules targeting each. Rows are written directly, as the engine would.
/// What concerns the outside device is written first, so that it has the id 1 the authorization matrix puts in routes.
/// Every row a scoped user must not read names the outside device in its text, as real ones do (a rollback run is
/// titled by its device, a log line or a summary names the devices it speaks of, a schedule is named after its
/// target): a reader that forgets the scope shows <see cref="OutsideName"/>, whichever list or page it feeds.
/// </summary>
public sealed record ScopedWorld(int InsidePool, int OutsidePool, int Inside, int Outside, int InsideRun, int OutsideRun, int MixedRun,
    int UntargetedRun, long InsideVersion, long OutsideVersion, int InsideSchedule, int OutsideSchedule, int OutsidePoolSchedule)
{
    public const string OutsideName = "secret-outside-router";

    public IReadOnlyList<int> Scope => [InsidePool];

    public static async Task<ScopedWorld> SeedAsync(IDbContextFactory<EnmsDbContext> dbFactory)
    {
        ArgumentNullException.ThrowIfNull(dbFactory);
        await using var db = await dbFactory.CreateDbContextAsync();
        var inside = new Device { Name = "inside-router", Platform = "cisco_ios" };
        var outside = new Device { Name = OutsideName, Platform = "cisco_ios" };
        var (mine, theirs) = (new Pool { Name = "scope-mine", Devices = [inside] }, new Pool { Name = "scope-theirs", Devices = [outside] });
        db.Pools.AddRange(theirs, mine);
        var runs = Enumerable.Range(0, 4).Select(_ => new Run { ServiceName = "backup", Status = RunStatus.Completed }).ToArray();
        runs[0].ServiceName = $"Roll back {OutsideName} to version 1";
        db.Runs.AddRange(runs);
        await db.SaveChangesAsync();
        (runs[0].DeviceIds, runs[1].DeviceIds, runs[2].DeviceIds) = ([outside.Id], [inside.Id], [inside.Id, outside.Id]);
        foreach (var run in runs)
        {
            foreach (var device in new[] { outside, inside }.Where(d => run.DeviceIds.Contains(d.Id)))
            {
                db.RunResults.Add(new RunResult { RunId = run.Id, DeviceId = device.Id, DeviceName = device.Name, Output = $"show version on {device.Name}", Success = true });
            }
            var names = string.Join(", ", new[] { outside, inside }.Where(d => run.DeviceIds.Contains(d.Id)).Select(d => d.Name));
            db.RunResults.Add(new RunResult { RunId = run.Id, Node = "summary", DeviceName = "", Output = $"summary of run {run.Id}: {names}" });
            db.RunLogs.Add(new RunLogEntry { RunId = run.Id, Message = $"run {run.Id} started on {run.DeviceIds.Count} device(s): {names}" });
        }
        var versions = new[] { outside, inside }.Select(d => new ConfigVersion { DeviceId = d.Id, DeviceName = d.Name, Config = $"hostname {d.Name}\nsnmp-server community public RO", Hash = d.Name }).ToArray();
        db.ConfigVersions.AddRange(versions);
        var schedules = new[]
        {
            new Schedule { Name = $"{OutsideName} nightly", DeviceIds = [outside.Id], Kind = ScheduleKind.Cron, Cron = "0 0 3 * * ?" },
            new Schedule { Name = "inside nightly", DeviceIds = [inside.Id], PoolIds = [mine.Id], Kind = ScheduleKind.Cron, Cron = "0 0 3 * * ?" },
            new Schedule { Name = $"their pool nightly ({OutsideName})", PoolIds = [theirs.Id], Kind = ScheduleKind.Cron, Cron = "0 0 3 * * ?" },
        };
        db.Schedules.AddRange(schedules);
        await db.SaveChangesAsync();
        return new ScopedWorld(mine.Id, theirs.Id, inside.Id, outside.Id, runs[1].Id, runs[0].Id, runs[2].Id, runs[3].Id, versions[1].Id, versions[0].Id,
            schedules[1].Id, schedules[0].Id, schedules[2].Id);
    }
}
