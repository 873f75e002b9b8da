using Bunit;
using eNMS.Core.Scheduling;
using eNMS.Web.Components.Pages.Admin;
using eNMS.Web.Components.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace eNMS.Tests.Web;

/// <summary>The change freezes page, the freeze chips of the schedules calendar and the run dialog's notice, with the
/// real <see cref="ChangeFreezes"/> on the test database.</summary>
public sealed class FreezesPageTests : WebTestContext
{
    private static DateTime UtcWallClock(TimeSpan offset) => TimeProvider.System.GetUtcNow().Add(offset).UtcDateTime;

    [Fact]
    public async Task An_admin_creates_a_freeze_after_fixing_what_the_form_says_and_sees_it_in_force()
    {
        var page = Render<FreezesPage>();
        page.WaitForElement("[data-testid=freeze-form]");
        page.Find("input[data-testid=freeze-name]").Change("year end");
        page.Find("input[data-testid=freeze-zone]").Change("Mars/Olympus");

        await page.InvokeAsync(() => page.Find("button[data-testid=freeze-save]").Click());

        page.WaitForAssertion(() => Assert.Contains("is not a known time zone", page.Markup, StringComparison.Ordinal));
        await using (var db = await DbFactory.CreateDbContextAsync())
        {
            Assert.Empty(await db.ChangeFreezes.ToListAsync());
        }

        page.Find("input[data-testid=freeze-zone]").Change("UTC");
        page.Find("input[data-testid=freeze-reason]").Change("Year-end trading");
        page.Find("input[data-testid=freeze-start]").Change(UtcWallClock(TimeSpan.FromHours(-2)).ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture));
        page.Find("input[data-testid=freeze-end]").Change(UtcWallClock(TimeSpan.FromDays(3)).ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture));
        await page.InvokeAsync(() => page.Find("button[data-testid=freeze-save]").Click());

        page.WaitForAssertion(() => Assert.Equal("year end", page.Find("[data-testid=freeze-row-name]").FirstChild!.TextContent.Trim()));
        Assert.StartsWith("in force until", page.Find("[data-testid=freeze-state]").TextContent.Trim(), StringComparison.Ordinal);
        await using var check = await DbFactory.CreateDbContextAsync();
        var saved = await check.ChangeFreezes.SingleAsync();
        Assert.Equal(("Year-end trading", "tester", FreezeAction.Refuse), (saved.Reason, saved.CreatedBy, saved.Action));
    }

    [Fact]
    public async Task The_schedules_calendar_marks_the_days_a_freeze_holds()
    {
        Services.AddLogging();
        Services.AddQuartz();
        Services.AddSingleton<ScheduleEditor>();
        await SeedAsync(db => db.ChangeFreezes.Add(new ChangeFreeze
        {
            Name = "weekend",
            Reason = "No changes",
            StartAt = UtcWallClock(TimeSpan.FromDays(1)),
            EndAt = UtcWallClock(TimeSpan.FromDays(2)),
            Action = FreezeAction.Defer,
        }));

        var page = Render<eNMS.Web.Components.Pages.Automation.SchedulesPage>();
        await page.InvokeAsync(() => page.FindAll("[data-testid=schedule-view] .mud-toggle-item")[1].Click());

        page.WaitForAssertion(() => Assert.InRange(page.FindAll("[data-testid=calendar-freeze]").Count, 2, 3));
        Assert.Contains("deferred", page.Find("[data-testid=calendar-freeze]").GetAttribute("title"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_run_dialog_notice_says_what_each_freeze_will_do_and_offers_admins_an_override()
    {
        FreezeHit[] hits = [new(1, "stadium", "Stadium event", FreezeAction.Refuse, new DateTimeOffset(2026, 12, 20, 18, 0, 0, TimeSpan.Zero), [3, 4])];

        var admin = Render<FreezeNotice>(p => p.Add(n => n.Hits, hits).Add(n => n.MayOverride, true));
        var operatorView = Render<FreezeNotice>(p => p.Add(n => n.Hits, hits));

        Assert.Contains("holds 2 target device(s) until 2026-12-20 18:00 UTC: this run changes devices and will be refused.",
            System.Text.RegularExpressions.Regex.Replace(admin.Find("[data-testid=run-freeze]").TextContent, @"\s+", " "), StringComparison.Ordinal);
        Assert.Single(admin.FindAll("[data-testid=run-freeze-override]"));
        Assert.Empty(operatorView.FindAll("[data-testid=run-freeze-override]"));
    }
}
