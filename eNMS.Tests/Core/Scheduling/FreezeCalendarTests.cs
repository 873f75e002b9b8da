using eNMS.Core.Scheduling;

namespace eNMS.Tests.Core.Scheduling;

/// <summary>When a change freeze holds: one-off and recurring windows, time zones across daylight saving, joined
/// windows, bounds, and timing that is refused with the field and the reason.</summary>
public sealed class FreezeCalendarTests
{
    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void A_one_off_freeze_holds_from_its_start_to_its_end_in_its_time_zone()
    {
        // 20 Dec 18:00 to 4 Jan 08:00 in Paris (UTC+1 in winter): 17:00 UTC to 07:00 UTC.
        var freeze = new ChangeFreeze { Name = "year end", TimeZone = "Europe/Paris", StartAt = new DateTime(2026, 12, 20, 18, 0, 0), EndAt = new DateTime(2027, 1, 4, 8, 0, 0) };

        Assert.Null(FreezeCalendar.InForce(freeze, Utc(12, 20, 16, 59)));
        Assert.Equal(new FreezePeriod(Utc(12, 20, 17), new DateTimeOffset(2027, 1, 4, 7, 0, 0, TimeSpan.Zero)), FreezeCalendar.InForce(freeze, Utc(12, 20, 17)));
        Assert.Null(FreezeCalendar.InForce(freeze, new DateTimeOffset(2027, 1, 4, 7, 0, 0, TimeSpan.Zero)));
        freeze.Enabled = false;
        Assert.Null(FreezeCalendar.InForce(freeze, Utc(12, 24, 12)));
    }

    [Fact]
    public void A_recurring_freeze_keeps_its_local_hour_across_daylight_saving()
    {
        // Every Friday 18:00 in Paris for the weekend (62 hours): 16:00 UTC in summer, 17:00 UTC in winter.
        var freeze = new ChangeFreeze { Name = "weekends", TimeZone = "Europe/Paris", Cron = "0 0 18 ? * FRI", DurationMinutes = 62 * 60 };

        var periods = FreezeCalendar.Periods(freeze, Utc(10, 19, 12), Utc(11, 7, 0));

        Assert.Equal([Utc(10, 23, 16), Utc(10, 30, 17), Utc(11, 6, 17)], periods.Select(p => p.Start));
        Assert.All(periods, p => Assert.Equal(TimeSpan.FromHours(62), p.End - p.Start));
        Assert.Equal(Utc(10, 26, 6), FreezeCalendar.InForce(freeze, Utc(10, 25, 12))!.Value.End);
        Assert.Null(FreezeCalendar.InForce(freeze, Utc(10, 27, 12)));
    }

    [Fact]
    public void Windows_that_overlap_or_abut_are_one_freeze_until_the_last_ends()
    {
        // Every day at 00:00 for 24 hours, from 1 to 4 March: in force without a gap until 4 March 00:00.
        var freeze = new ChangeFreeze { Name = "chained", Cron = "0 0 0 * * ?", DurationMinutes = 24 * 60, StartAt = new DateTime(2026, 3, 1, 0, 0, 0), EndAt = new DateTime(2026, 3, 4, 0, 0, 0) };

        Assert.Equal(new FreezePeriod(Utc(3, 1, 0), Utc(3, 4, 0)), FreezeCalendar.InForce(freeze, Utc(3, 1, 10)));
    }

    [Fact]
    public void A_cron_firing_every_second_is_enumerated_within_the_bound()
    {
        var freeze = new ChangeFreeze { Name = "storm", Cron = "* * * * * ?", DurationMinutes = 1 };

        Assert.Equal(FreezeCalendar.MaxPeriods, FreezeCalendar.Periods(freeze, Utc(1, 1, 0), Utc(12, 31, 0)).Count);
        Assert.NotNull(FreezeCalendar.InForce(freeze, Utc(6, 1, 0)));
    }

    [Fact]
    public void Unusable_timing_is_refused_with_the_field_and_why()
    {
        Assert.Contains("time zone", FreezeCalendar.Problems(new ChangeFreeze { Name = "x", TimeZone = "Mars/Olympus", StartAt = new DateTime(2026, 1, 1), EndAt = new DateTime(2026, 1, 2) })["timeZone"], StringComparison.Ordinal);
        Assert.Contains("cron", FreezeCalendar.Problems(new ChangeFreeze { Name = "x", Cron = "every friday", DurationMinutes = 60 })["cron"], StringComparison.Ordinal);
        Assert.True(FreezeCalendar.Problems(new ChangeFreeze { Name = "x", Cron = "0 0 18 ? * FRI" }).ContainsKey("durationMinutes"));
        var oneOff = FreezeCalendar.Problems(new ChangeFreeze { Name = "x" });
        Assert.True(oneOff.ContainsKey("startAt") && oneOff.ContainsKey("endAt"));
        Assert.Contains("must come after", FreezeCalendar.Problems(new ChangeFreeze { Name = "x", StartAt = new DateTime(2026, 1, 2), EndAt = new DateTime(2026, 1, 1) })["endAt"], StringComparison.Ordinal);
        // 29 March 2026 02:30 does not exist in Paris (clocks jump from 02:00 to 03:00).
        Assert.Contains("does not exist", FreezeCalendar.Problems(new ChangeFreeze { Name = "x", TimeZone = "Europe/Paris", StartAt = new DateTime(2026, 3, 29, 2, 30, 0), EndAt = new DateTime(2026, 3, 30) })["startAt"], StringComparison.Ordinal);
        Assert.Empty(FreezeCalendar.Periods(new ChangeFreeze { Name = "x" }, Utc(1, 1, 0), Utc(2, 1, 0)));
    }
}
