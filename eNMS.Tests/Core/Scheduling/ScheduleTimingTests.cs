using eNMS.Core.Scheduling;

namespace eNMS.Tests.Core.Scheduling;

public sealed class ScheduleTimingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static Schedule Cron(string cron, string zone = "UTC") => new() { Name = "s", Kind = ScheduleKind.Cron, Cron = cron, TimeZone = zone };

    [Theory]
    [InlineData("0 30 2 ? * MON-FRI", "At 02:30, on Monday through Friday")]
    [InlineData("0 */15 * * * ?", "Every 15 minutes")]
    [InlineData("0/2 * * * * ?", "Every 2 seconds")]
    [InlineData("0 0 * * * ?", "At minute 0, every hour")]
    [InlineData("0 0 6 L * ?", "At 06:00, on the last day of the month")]
    [InlineData("0 0 8 ? * 2#1", "At 08:00, on the first Monday of the month")]
    [InlineData("0 15 10 ? * 6L", "At 10:15, on the last Friday of the month")]
    [InlineData("0 0 12 1,15 * ?", "At 12:00, on day 1 and 15 of the month")]
    [InlineData("0 0 9-17 ? * SAT,SUN", "At minute 0, at hour 9 through 17, on Saturday and Sunday")]
    [InlineData("0 0 0 1 JAN ?", "At 00:00, on day 1 of the month, in January")]
    public void A_cron_expression_reads_in_words(string cron, string words) => Assert.Equal(words, CronText.Describe(cron));

    [Theory]
    [InlineData("* * * *")]
    [InlineData("0 0 25 * * ?")]
    [InlineData("0 61 * * * ?")]
    [InlineData("every day")]
    public void An_invalid_cron_expression_is_refused_with_the_reason_and_the_expected_format(string cron)
    {
        var problems = ScheduleTiming.Problems(Cron(cron), Now);
        Assert.Contains(cron, problems["cron"], StringComparison.Ordinal);
        Assert.Contains("seconds minutes hours day-of-month month day-of-week", problems["cron"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_cron_schedule_fires_at_its_wall_clock_time_in_its_time_zone()
    {
        var schedule = Cron("0 0 9 ? * MON-FRI", "America/New_York");
        Assert.Empty(ScheduleTiming.Problems(schedule, Now));
        // Wednesday 25 November 2026, 12:00 UTC is 07:00 in New York (EST, UTC-5): next at 09:00 EST = 14:00 UTC, skipping the weekend.
        Assert.Equal(
            [
                new DateTimeOffset(2026, 11, 25, 14, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 26, 14, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(2026, 11, 27, 14, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 30, 14, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(2026, 12, 1, 14, 0, 0, TimeSpan.Zero),
            ],
            ScheduleTiming.NextFires(schedule, Now, 5));
    }

    [Fact]
    public void A_daily_interval_keeps_its_hour_across_a_daylight_saving_change()
    {
        // Paris leaves summer time on Sunday 25 October 2026 at 03:00: 02:00 local is 00:00 UTC until then, 01:00 UTC after.
        var schedule = new Schedule
        {
            Name = "s",
            Kind = ScheduleKind.Interval,
            Every = 1,
            Unit = IntervalUnit.Days,
            TimeZone = "Europe/Paris",
            StartAt = new DateTime(2026, 10, 23, 2, 0, 0),
        };
        var from = new DateTimeOffset(2026, 10, 22, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(
            [
                new DateTimeOffset(2026, 10, 23, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 10, 24, 0, 0, 0, TimeSpan.Zero),
                new DateTimeOffset(2026, 10, 25, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 10, 26, 1, 0, 0, TimeSpan.Zero),
            ],
            ScheduleTiming.NextFires(schedule, from, 4));
        Assert.Equal("Every day, from 2026-10-23 02:00 (Europe/Paris)", ScheduleTiming.Describe(schedule));
    }

    [Fact]
    public void An_interval_stops_at_its_end()
    {
        var schedule = new Schedule
        {
            Name = "s",
            Kind = ScheduleKind.Interval,
            Every = 20,
            Unit = IntervalUnit.Minutes,
            TimeZone = "UTC",
            StartAt = new DateTime(2026, 11, 25, 12, 10, 0),
            EndAt = new DateTime(2026, 11, 25, 13, 0, 0),
        };
        Assert.Equal(3, ScheduleTiming.NextFires(schedule, Now, 5).Count);
        Assert.Equal("Every 20 minutes, from 2026-11-25 12:10, until 2026-11-25 13:00 (UTC)", ScheduleTiming.Describe(schedule));
    }

    [Fact]
    public void Dates_in_the_past_an_end_before_the_start_an_unknown_zone_and_a_skipped_local_time_are_refused()
    {
        var past = new Schedule { Name = "s", Kind = ScheduleKind.Once, StartAt = new DateTime(2026, 11, 25, 11, 0, 0), TimeZone = "UTC" };
        Assert.Contains("is in the past", ScheduleTiming.Problems(past, Now)["startAt"], StringComparison.Ordinal);

        var backwards = new Schedule
        {
            Name = "s",
            Kind = ScheduleKind.Interval,
            Every = 1,
            Unit = IntervalUnit.Hours,
            TimeZone = "UTC",
            StartAt = new DateTime(2026, 12, 2, 0, 0, 0),
            EndAt = new DateTime(2026, 12, 1, 0, 0, 0),
        };
        Assert.Equal("The end must be after the start.", ScheduleTiming.Problems(backwards, Now)["endAt"]);

        var zone = new Schedule { Name = "s", Kind = ScheduleKind.Once, StartAt = new DateTime(2026, 12, 1, 0, 0, 0), TimeZone = "Mars/Olympus" };
        Assert.Contains("'Mars/Olympus' is not a known time zone", ScheduleTiming.Problems(zone, Now)["timeZone"], StringComparison.Ordinal);

        // Paris skips 02:00-03:00 on Sunday 28 March 2027.
        var skipped = new Schedule { Name = "s", Kind = ScheduleKind.Once, StartAt = new DateTime(2027, 3, 28, 2, 30, 0), TimeZone = "Europe/Paris" };
        Assert.Contains("does not exist in Europe/Paris", ScheduleTiming.Problems(skipped, Now)["startAt"], StringComparison.Ordinal);

        var never = Cron("0 0 0 1 1 ? 2020");
        Assert.Equal("This schedule would never fire between its start and its end.", ScheduleTiming.Problems(never, Now)["cron"]);
    }

    [Fact]
    public void A_one_time_schedule_fires_once_at_its_local_time()
    {
        var once = new Schedule { Name = "s", Kind = ScheduleKind.Once, StartAt = new DateTime(2026, 12, 24, 18, 0, 0), TimeZone = "Asia/Tokyo" };
        Assert.Equal([new DateTimeOffset(2026, 12, 24, 9, 0, 0, TimeSpan.Zero)], ScheduleTiming.NextFires(once, Now, 5));
        Assert.Equal("Once, on 2026-12-24 18:00 (Asia/Tokyo)", ScheduleTiming.Describe(once));
    }
}
