using System.Globalization;
using eNMS.Core.Automation;
using eNMS.Core.Data;
using eNMS.Core.Inventory.Editing;
using eNMS.Core.Scheduling;
using eNMS.Core.Security;
using eNMS.Web.Components.Shared;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace eNMS.Web.Components.Pages.Automation;

/// <summary>What will run when: schedules as a list (state, timing in words, next fire) or as the next seven days,
/// with pause, resume, edit (in the run dialog) and delete. Changes need automation.run.</summary>
public sealed partial class SchedulesPage
{
    private List<ScheduleView>? _views;
    private List<Service> _services = [];
    private List<(DateTimeOffset At, ScheduleView View)> _calendarFires = [];
    private List<(ChangeFreeze Freeze, FreezePeriod Period)> _freezePeriods = [];
    private bool _calendar;

    [Inject] private IDbContextFactory<EnmsDbContext> DbFactory { get; set; } = default!;
    [Inject] private ScheduleEditor Editor { get; set; } = default!;
    [Inject] private ChangeFreezes Freezes { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private UserAccess Access { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        var actor = await Access.ActorAsync();
        // Read lists: a service the user may not read is not offered, a schedule they may not read is not listed.
        _services = (await db.Services.AsNoTracking().Catalogue().OrderBy(s => s.Name).ToListAsync()).Readable(actor);
        var now = Time.GetUtcNow();
        await using var scoped = await Access.CreateScopedDbContextAsync();
        var schedules = (await scoped.Schedules.AsNoTracking().OrderBy(s => s.Name).ToListAsync()).Readable(actor);
        _views = schedules.Select(s => ScheduleView.Of(s, now)).ToList();
        var horizon = now.AddDays(7);
        _calendarFires = schedules.Where(s => s.Active && ScheduleTiming.Problems(s, now).Count == 0)
            .SelectMany(s =>
            {
                var view = _views.First(v => v.Schedule.Id == s.Id);
                return ScheduleTiming.NextFires(s, now, 500).TakeWhile(f => f < horizon).Select(f => (f, view));
            }).OrderBy(f => f.f).ToList();
        _freezePeriods = await Freezes.PeriodsAsync(now, horizon, CancellationToken.None);
    }

    /// <summary>The freezes holding at some time of this (local) day.</summary>
    private IEnumerable<(ChangeFreeze Freeze, FreezePeriod Period)> FreezesOn(DateTimeOffset day) =>
        _freezePeriods.Where(f => f.Period.Start < day.AddDays(1) && f.Period.End > day).Take(10);

    private IEnumerable<DateTimeOffset> Days()
    {
        var today = Time.GetLocalNow().Date;
        return Enumerable.Range(0, 7).Select(i => new DateTimeOffset(today.AddDays(i)));
    }

    private static string Local(DateTimeOffset at, Schedule schedule) =>
        TimeZoneInfo.ConvertTime(at, ScheduleTiming.FindZone(schedule.TimeZone)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + $" ({schedule.TimeZone})";

    private static Color StateColor(string state) => state switch
    {
        "active" => Color.Success,
        "paused" => Color.Warning,
        "disabled" => Color.Error,
        _ => Color.Default,
    };

    private async Task NewAsync(int? serviceId)
    {
        var service = _services.FirstOrDefault(s => s.Id == serviceId);
        if (service is null)
        {
            return;
        }
        await ShowAsync($"Schedule {service.Name}", new DialogParameters<RunDialog> { { d => d.ServiceId, service.Id }, { d => d.Schedule, true } });
    }

    private Task EditAsync(Schedule schedule) =>
        ShowAsync($"Schedule {schedule.Name}", new DialogParameters<RunDialog> { { d => d.ServiceId, schedule.ServiceId }, { d => d.ScheduleId, schedule.Id } });

    private async Task ShowAsync(string title, DialogParameters<RunDialog> parameters)
    {
        var dialog = await Dialogs.ShowAsync<RunDialog>(title, parameters, new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true });
        await dialog.Result;
        await LoadAsync();
    }

    private async Task PauseAsync(Schedule schedule, bool paused)
    {
        if (!await Access.CanAsync(Policies.AutomationRun))
        {
            Snackbar.Add("Your role may not change schedules.", Severity.Error);
            return;
        }
        EditResult result;
        try
        {
            result = await Editor.SetPausedAsync(schedule.Id, paused, await Access.PoolScopeAsync(), CancellationToken.None);
        }
        catch (AccessDeniedException e)
        {
            Snackbar.Add(e.Message, Severity.Error);
            return;
        }
        Snackbar.Add(result.Succeeded ? $"{schedule.Name} {(paused ? "paused" : "resumed")}." : string.Join(" ", result.Errors.Values),
            result.Succeeded ? Severity.Success : Severity.Error);
        await LoadAsync();
    }

    private async Task DeleteAsync(Schedule schedule)
    {
        if (!await Access.CanAsync(Policies.AutomationRun))
        {
            Snackbar.Add("Your role may not delete schedules.", Severity.Error);
            return;
        }
        if (await Dialogs.DeleteAsync("Delete schedule", $"Delete {schedule.Name}? The runs it fired are kept."))
        {
            try
            {
                await Editor.DeleteAsync([schedule.Id], await Access.PoolScopeAsync(), CancellationToken.None);
                Snackbar.Add($"Deleted {schedule.Name}.", Severity.Success);
            }
            catch (AccessDeniedException e)
            {
                Snackbar.Add(e.Message, Severity.Error);
            }
            await LoadAsync();
        }
    }
}
