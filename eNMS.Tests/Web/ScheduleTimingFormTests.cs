using Bunit;
using eNMS.Core.Scheduling;
using eNMS.Web.Components.Shared;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace eNMS.Tests.Web;

public sealed class ScheduleTimingFormTests : WebTestContext
{
    private static readonly DateTime InAnHour = new(2026, 12, 5, 9, 30, 0, DateTimeKind.Unspecified);

    private static void Pick(IRenderedComponent<ScheduleTimingForm> form, string label) =>
        form.FindAll("[data-testid=schedule-kind] label").Single(l => l.TextContent.Contains(label, StringComparison.Ordinal)).QuerySelector("input")!.Click();

    [Fact]
    public void Every_N_minutes_starts_now_unless_the_user_sets_a_start()
    {
        var input = new ScheduleInput { Kind = ScheduleKind.Once, StartAt = InAnHour };
        var form = Render<ScheduleTimingForm>(p => p.Add(x => x.Input, input));

        // MudRadioGroup hands the choice on asynchronously: wait for the form's own render (a CI run read it early).
        Pick(form, "Every");
        form.WaitForAssertion(() => Assert.Equal(ScheduleKind.Interval, input.Kind));
        Assert.Null(input.StartAt);
        Assert.True(string.IsNullOrEmpty(form.Find("input[data-testid=schedule-start]").GetAttribute("value")));

        // Back to "once": the suggested time comes back, since a one-off needs one.
        Pick(form, "Once");
        form.WaitForAssertion(() => Assert.Equal(ScheduleKind.Once, input.Kind));
        Assert.Equal(InAnHour, input.StartAt);
    }

    [Fact]
    public void A_start_the_user_chose_survives_switching_kinds()
    {
        var input = new ScheduleInput { Kind = ScheduleKind.Once, StartAt = InAnHour };
        var form = Render<ScheduleTimingForm>(p => p.Add(x => x.Input, input));

        form.Find("input[data-testid=schedule-start]").Change("2026-12-24T06:00");
        Pick(form, "Cron");
        form.WaitForAssertion(() => Assert.Equal(ScheduleKind.Cron, input.Kind));

        Assert.Equal(new DateTime(2026, 12, 24, 6, 0, 0, DateTimeKind.Unspecified), input.StartAt);
    }
}

public sealed class SchedulesPageTests : WebTestContext
{
    public SchedulesPageTests()
    {
        Services.AddLogging();
        Services.AddQuartz();
        Services.AddSingleton<ScheduleEditor>();
    }

    [Fact]
    public async Task The_service_picker_starts_empty_with_a_hint_not_a_zero()
    {
        await SeedAsync(db => db.Services.Add(new eNMS.Core.Automation.Service { Name = "backup", Kind = "config_backup" }));

        var page = Render<eNMS.Web.Components.Pages.Automation.SchedulesPage>();

        var picker = page.WaitForElement("[data-testid=new-schedule]");
        Assert.True(string.IsNullOrEmpty(picker.GetAttribute("value")), picker.OuterHtml);
        Assert.Contains("Pick a service or workflow", page.Markup, StringComparison.Ordinal);
    }
}
