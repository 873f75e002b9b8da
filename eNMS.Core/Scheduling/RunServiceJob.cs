using System.Globalization;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Data;
using eNMS.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Quartz;

namespace eNMS.Core.Scheduling;

/// <summary>One fire of a schedule: starts a run of its service on its targets, recorded with the schedule's id and
/// the fire time. A schedule that is paused, disabled or whose service is gone stops its own trigger instead.</summary>
public sealed class RunServiceJob(IDbContextFactory<EnmsDbContext> dbFactory, RunLauncher launcher, Automation.RunInputs inputs, TimeProvider time, ILogger<RunServiceJob> logger) : IJob
{
    public const string Group = "schedules";
    public const string ScheduleIdKey = "scheduleId";

    public static JobKey KeyFor(int scheduleId) => new($"schedule-{scheduleId}", Group);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var scheduleId = int.Parse(context.MergedJobDataMap.GetString(ScheduleIdKey)!, CultureInfo.InvariantCulture);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var schedule = await db.Schedules.FirstOrDefaultAsync(s => s.Id == scheduleId, cancellationToken);
        if (schedule is null || !schedule.Active)
        {
            await context.Scheduler.UnscheduleJob(context.Trigger.Key, cancellationToken);
            return;
        }
        if (!await db.Services.AnyAsync(s => s.Id == schedule.ServiceId, cancellationToken))
        {
            schedule.DisabledReason = $"Its service '{schedule.ServiceName}' (#{schedule.ServiceId}) was deleted; disabled on {time.GetUtcNow():yyyy-MM-dd HH:mm} UTC.";
            await db.SaveChangesAsync(cancellationToken);
            await context.Scheduler.UnscheduleJob(context.Trigger.Key, cancellationToken);
            logger.LogWarning("Schedule {Schedule} disabled: its service #{ServiceId} was deleted", schedule.Name, schedule.ServiceId);
            return;
        }
        var fireTime = context.ScheduledFireTimeUtc ?? context.FireTimeUtc;
        var trigger = $"schedule '{schedule.Name}' ({fireTime.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC)";
        // This job requests recovery: when a node died after starting the run but before Quartz knew, do not start it twice.
        if (context.Recovering && await db.Runs.AnyAsync(r => r.ScheduleId == scheduleId && r.Trigger == trigger, cancellationToken))
        {
            return;
        }
        // A schedule runs with its creator's pools as they are now (checked at save time too): a user whose scope
        // shrank, or who was deleted, does not keep reaching devices through a schedule made earlier.
        if (await EffectiveAccess.ActorAsync(db, schedule.CreatedBy, cancellationToken) is not { } creator)
        {
            logger.LogWarning("Schedule {Schedule} did not start a run: its creator {User} no longer exists", schedule.Name, schedule.CreatedBy);
            return;
        }
        var (actor, access) = creator;
        var launch = await launcher.StartAsync(new RunRequest(schedule.ServiceId, schedule.DeviceIds, schedule.PoolIds, schedule.Variables,
            trigger, schedule.CreatedBy, schedule.Id)
        {
            ScopePoolIds = access.ScopePoolIds,
            // The run list of the service is checked against the schedule's creator, as they are now.
            Actor = actor,
            // Checked again at each fire: the service's declarations may have changed since the schedule was saved.
            Inputs = inputs.Unprotect(schedule.Inputs).Values,
            Rollout = schedule.Rollout,
        }, cancellationToken);
        if (!launch.Started)
        {
            logger.LogWarning("Schedule {Schedule} could not start a run: {Problems}", schedule.Name, string.Join(" ", launch.Problems));
        }
    }
}
