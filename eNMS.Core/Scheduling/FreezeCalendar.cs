using Quartz;

namespace eNMS.Core.Scheduling;

/// <summary>An interval of time during which a freeze holds (UTC instants, end excluded).</summary>
public readonly record struct FreezePeriod(DateTimeOffset Start, DateTimeOffset End);

/// <summary>When a <see cref="ChangeFreeze"/> holds: its periods, whether it is in force at an instant, and why its
/// timing is unusable. Recurring windows use Quartz's cron (in the freeze's time zone, so "every Friday 18:00 Paris"
/// stays 18:00 across daylight saving changes).</summary>
public static class FreezeCalendar
{
    /// <summary>Bound on the periods enumerated in one call: a cron firing every second must not loop for ever.</summary>
    public const int MaxPeriods = 2_000;

    /// <summary>A week at most between two starts of a window is usual; a year is the longest window we accept.</summary>
    public const int MaxDurationMinutes = 366 * 24 * 60;

    /// <summary>Field → problem; empty when the freeze's timing is usable.</summary>
    public static Dictionary<string, string> Problems(ChangeFreeze freeze)
    {
        ArgumentNullException.ThrowIfNull(freeze);
        var errors = new Dictionary<string, string>();
        if (!ScheduleTiming.TryFindZone(freeze.TimeZone, out var zone))
        {
            errors["timeZone"] = $"'{freeze.TimeZone}' is not a known time zone (use an IANA id such as Europe/Paris, or UTC).";
            return errors;
        }
        if (freeze.Recurring)
        {
            if (ScheduleTiming.CronProblem(freeze.Cron) is { } cronProblem)
            {
                errors["cron"] = cronProblem;
            }
            if (freeze.DurationMinutes is < 1 or > MaxDurationMinutes)
            {
                errors["durationMinutes"] = $"A recurring freeze lasts from 1 minute to {MaxDurationMinutes} minutes (a year) after each start.";
            }
        }
        else
        {
            if (freeze.StartAt is null)
            {
                errors["startAt"] = "A one-off freeze needs its start (or give a cron expression for a recurring one).";
            }
            if (freeze.EndAt is null)
            {
                errors["endAt"] = "A one-off freeze needs its end.";
            }
        }
        foreach (var (field, value) in new[] { ("startAt", freeze.StartAt), ("endAt", freeze.EndAt) })
        {
            if (value is { } local && ScheduleTiming.ToUtc(local, zone, out var problem) is null)
            {
                errors.TryAdd(field, problem!);
            }
        }
        if (freeze is { StartAt: { } start, EndAt: { } end } && end <= start)
        {
            errors.TryAdd("endAt", $"The end {ScheduleTiming.Format(end)} must come after the start {ScheduleTiming.Format(start)}.");
        }
        return errors;
    }

    /// <summary>The periods overlapping [from, to), in order, at most <see cref="MaxPeriods"/>; none when the timing is unusable.</summary>
    public static IReadOnlyList<FreezePeriod> Periods(ChangeFreeze freeze, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(freeze);
        if (Problems(freeze).Count > 0 || to <= from)
        {
            return [];
        }
        var zone = ScheduleTiming.FindZone(freeze.TimeZone);
        var lower = freeze.StartAt is { } s ? ScheduleTiming.ToUtc(s, zone, out _)!.Value : DateTimeOffset.MinValue;
        var upper = freeze.EndAt is { } e ? ScheduleTiming.ToUtc(e, zone, out _)!.Value : DateTimeOffset.MaxValue;
        if (!freeze.Recurring)
        {
            return lower < to && upper > from ? [new FreezePeriod(lower, upper)] : [];
        }
        var cron = new CronExpression(freeze.Cron.Trim(), zone);
        var duration = TimeSpan.FromMinutes(freeze.DurationMinutes);
        var periods = new List<FreezePeriod>();
        // A window that started before `from` may still hold: look back one duration.
        var after = Max(from - duration, lower).AddSeconds(-1);
        while (periods.Count < MaxPeriods && cron.GetNextValidTimeAfter(after) is { } start && start < to && start < upper)
        {
            var end = Min(start + duration, upper);
            if (end > from)
            {
                periods.Add(new FreezePeriod(start, end));
            }
            after = start;
        }
        return periods;
    }

    /// <summary>The period holding at <paramref name="at"/>, windows that overlap or abut it joined (the freeze only
    /// ends when none holds); null when the freeze is not in force then. Disabled freezes never are.</summary>
    public static FreezePeriod? InForce(ChangeFreeze freeze, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(freeze);
        if (!freeze.Enabled)
        {
            return null;
        }
        var periods = Periods(freeze, at, at.AddTicks(1));
        if (periods.Count == 0)
        {
            return null;
        }
        var current = new FreezePeriod(periods.Min(p => p.Start), periods.Max(p => p.End));
        // Joins the windows that start before the current one ends (bounded like Periods).
        for (var joined = 0; joined < MaxPeriods && current.End < DateTimeOffset.MaxValue; joined++)
        {
            var next = Periods(freeze, current.End, current.End.AddTicks(1));
            if (next.Count == 0 || next.Max(p => p.End) <= current.End)
            {
                break;
            }
            current = current with { End = next.Max(p => p.End) };
        }
        return current;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
