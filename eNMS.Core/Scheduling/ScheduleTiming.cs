using System.Globalization;
using Quartz;

namespace eNMS.Core.Scheduling;

/// <summary>The timing rules of a <see cref="Schedule"/>, in one place for the editor, the API and the scheduler:
/// what is wrong with it, the Quartz trigger it becomes, its next fire times and how it reads in words.</summary>
public static class ScheduleTiming
{
    /// <summary>Problems per field (empty: the timing is valid). <paramref name="now"/> decides what is in the past.</summary>
    public static Dictionary<string, string> Problems(Schedule schedule, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var errors = new Dictionary<string, string>();
        if (!TryFindZone(schedule.TimeZone, out var zone))
        {
            errors["timeZone"] = $"'{schedule.TimeZone}' is not a known time zone (use an IANA id such as Europe/Paris, or UTC).";
            return errors;
        }
        switch (schedule.Kind)
        {
            case ScheduleKind.Once when schedule.StartAt is null:
                errors["startAt"] = "A one-time schedule needs a date and time.";
                break;
            case ScheduleKind.Once when ToUtc(schedule.StartAt.Value, zone, out var problem) is not { } at:
                errors["startAt"] = problem!;
                break;
            case ScheduleKind.Once when ToUtc(schedule.StartAt!.Value, zone, out _) <= now:
                errors["startAt"] = $"{Format(schedule.StartAt.Value)} ({schedule.TimeZone}) is in the past.";
                break;
            case ScheduleKind.Interval when schedule.Every < 1:
                errors["every"] = "The interval is a whole number of at least 1.";
                break;
            case ScheduleKind.Interval when schedule.Unit == IntervalUnit.Seconds && schedule.Every > 86_400
                || schedule.Unit == IntervalUnit.Minutes && schedule.Every > 525_600
                || schedule.Unit == IntervalUnit.Hours && schedule.Every > 87_600
                || schedule.Unit == IntervalUnit.Days && schedule.Every > 3_650:
                errors["every"] = "The interval is longer than ten years.";
                break;
            case ScheduleKind.Cron when string.IsNullOrWhiteSpace(schedule.Cron):
                errors["cron"] = "A cron expression is required, e.g. 0 0 2 * * ? (every day at 02:00).";
                break;
            case ScheduleKind.Cron when CronProblem(schedule.Cron) is { } cronProblem:
                errors["cron"] = cronProblem;
                break;
            default:
                break;
        }
        if (schedule.Kind != ScheduleKind.Once)
        {
            DateTimeOffset? start = null, end = null;
            if (schedule.StartAt is { } s)
            {
                start = ToUtc(s, zone, out var problem);
                if (problem is not null)
                {
                    errors["startAt"] = problem;
                }
            }
            if (schedule.EndAt is { } e)
            {
                end = ToUtc(e, zone, out var problem);
                if (problem is not null)
                {
                    errors["endAt"] = problem;
                }
                else if (end <= now)
                {
                    errors["endAt"] = $"The end {Format(e)} ({schedule.TimeZone}) is in the past.";
                }
                else if (start is not null && end <= start)
                {
                    errors["endAt"] = "The end must be after the start.";
                }
            }
            if (errors.Count == 0 && NextFires(schedule, now, 1).Count == 0)
            {
                errors[schedule.Kind == ScheduleKind.Cron ? "cron" : "endAt"] = "This schedule would never fire between its start and its end.";
            }
        }
        return errors;
    }

    /// <summary>Why a cron expression is not valid for Quartz, or null when it is.</summary>
    public static string? CronProblem(string cron)
    {
        try
        {
            _ = new CronExpression(cron.Trim());
            return null;
        }
        catch (FormatException e)
        {
            return $"'{cron}' is not a valid cron expression: {e.Message} Quartz cron has six or seven fields: seconds minutes hours day-of-month month day-of-week [year], e.g. 0 30 2 ? * MON-FRI.";
        }
    }

    /// <summary>The Quartz trigger (for <paramref name="job"/>) that fires this schedule. The schedule must be valid.</summary>
    public static ITrigger Trigger(Schedule schedule, JobKey job, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var zone = FindZone(schedule.TimeZone);
        var builder = TriggerBuilder.Create().WithIdentity(TriggerKeyFor(schedule.Id)).ForJob(job);
        var start = schedule.StartAt is { } s ? ToUtc(s, zone, out _) : null;
        var end = schedule.EndAt is { } e && schedule.Kind != ScheduleKind.Once ? ToUtc(e, zone, out _) : null;
        // An interval keeps the phase of its start (resuming does not shift it); a cron expression has its own phase.
        builder = builder.StartAt(start is { } from && (schedule.Kind != ScheduleKind.Cron || from > now) ? from : now);
        if (end is { } until)
        {
            builder = builder.EndAt(until);
        }
        var skip = schedule.Misfire == MisfirePolicy.Skip;
        return schedule.Kind switch
        {
            ScheduleKind.Once => builder.WithSimpleSchedule(x => x.WithRepeatCount(0)
                .WithMisfireInstruction(skip ? SimpleTriggerMisfireInstruction.NextWithRemainingCount : SimpleTriggerMisfireInstruction.FireNow)).Build(),
            ScheduleKind.Interval => builder.WithCalendarIntervalSchedule(x => x.WithInterval(schedule.Every, schedule.Unit switch
            {
                IntervalUnit.Seconds => Quartz.IntervalUnit.Second,
                IntervalUnit.Minutes => Quartz.IntervalUnit.Minute,
                IntervalUnit.Hours => Quartz.IntervalUnit.Hour,
                _ => Quartz.IntervalUnit.Day,
            }).InTimeZone(zone).PreserveHourOfDayAcrossDaylightSavings(schedule.Unit == IntervalUnit.Days)
                .WithMisfireInstruction(skip ? CalendarIntervalTriggerMisfireInstruction.DoNothing : CalendarIntervalTriggerMisfireInstruction.FireAndProceed)).Build(),
            _ => builder.WithCronSchedule(schedule.Cron.Trim(), x => x.InTimeZone(zone)
                .WithMisfireInstruction(skip ? CronTriggerMisfireInstruction.DoNothing : CronTriggerMisfireInstruction.FireAndProceed)).Build(),
        };
    }

    /// <summary>The next <paramref name="count"/> fire times after <paramref name="now"/> (fewer when the schedule ends).</summary>
    public static IReadOnlyList<DateTimeOffset> NextFires(Schedule schedule, DateTimeOffset now, int count)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var trigger = Trigger(schedule, new JobKey("preview"), now);
        var fires = new List<DateTimeOffset>();
        DateTimeOffset? after = now.AddTicks(-1);
        while (fires.Count < count && trigger.GetFireTimeAfter(after) is { } next)
        {
            fires.Add(next.ToUniversalTime());
            after = next;
        }
        return fires;
    }

    public static TriggerKey TriggerKeyFor(int scheduleId) => new($"schedule-{scheduleId}", "schedules");

    /// <summary>The schedule in words, e.g. "Every 15 minutes from 2026-12-01 08:00 until 2026-12-31 18:00 (Europe/Paris)".</summary>
    public static string Describe(Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var when = schedule.Kind switch
        {
            ScheduleKind.Once => schedule.StartAt is { } at ? $"Once, on {Format(at)}" : "Once (no date set)",
            ScheduleKind.Interval => schedule.Every == 1 ? $"Every {Singular(schedule.Unit)}" : $"Every {schedule.Every} {schedule.Unit.ToString().ToLowerInvariant()}",
            _ => CronText.Describe(schedule.Cron),
        };
        if (schedule.Kind != ScheduleKind.Once)
        {
            when += schedule.StartAt is { } from ? $", from {Format(from)}" : "";
            when += schedule.EndAt is { } until ? $", until {Format(until)}" : "";
        }
        return $"{when} ({schedule.TimeZone})";
    }

    public static bool TryFindZone(string id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id))
        {
            return false;
        }
        return TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out zone!);
    }

    public static TimeZoneInfo FindZone(string id) => TryFindZone(id, out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>A wall-clock time in <paramref name="zone"/> as an instant; null with a reason when that time does
    /// not exist there (skipped by a daylight saving change).</summary>
    public static DateTimeOffset? ToUtc(DateTime local, TimeZoneInfo zone, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(unspecified))
        {
            problem = $"{Format(local)} does not exist in {zone.Id} (the clocks skip it for daylight saving).";
            return null;
        }
        problem = null;
        return new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified)).ToUniversalTime();
    }

    public static string Format(DateTime local) => local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Singular(IntervalUnit unit) => unit switch
    {
        IntervalUnit.Seconds => "second",
        IntervalUnit.Minutes => "minute",
        IntervalUnit.Hours => "hour",
        _ => "day",
    };
}
