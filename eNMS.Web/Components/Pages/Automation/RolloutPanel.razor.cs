using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Security;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace eNMS.Web.Components.Pages.Automation;

/// <summary>A run's staged rollout: its plan, its batches (devices, done, failed, outcome) and why it stopped. Live: read
/// again when the rollout logs a step or the run ends (not on every device, which a 10,000-device run publishes).</summary>
public sealed partial class RolloutPanel : IDisposable
{
    /// <summary>Device names shown per batch; the rest are counted.</summary>
    private const int ShownNames = 10;

    private RolloutPlan? _plan;
    private RolloutProgress? _progress;
    private RunFeed? _subscription;

    [Parameter] public int RunId { get; set; }

    [Inject] private RunNotifier Notifier { get; set; } = default!;
    [Inject] private UserAccess Access { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        _subscription?.Dispose();
        await using (var db = await Access.CreateScopedDbContextAsync())
        {
            var scope = await RunEventScope.ForRunAsync(db, RunId, CancellationToken.None);
            _subscription = Notifier.Feed(RunId, scope, _ => InvokeAsync(LoadAsync), RunFeedOptions.Frame with
            {
                Wants = e => e is RunLogged { Entry.Message: var m } && m.StartsWith(StagedRollout.LogPrefix, StringComparison.Ordinal) || e is RunProgressed { Status: not RunStatus.Running },
            });
        }
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        await using var db = await Access.CreateScopedDbContextAsync();
        var run = await db.Runs.AsNoTracking().Where(r => r.Id == RunId).Select(r => new { r.Rollout, r.RolloutProgress, r.DeviceIds }).FirstOrDefaultAsync();
        if (run?.RolloutProgress is { } progress && db.ScopePoolIds is not null)
        {
            progress.KeepOnly(await db.Devices.Where(d => run.DeviceIds.Contains(d.Id)).Select(d => d.Name).ToHashSetAsync(StringComparer.Ordinal));
        }
        (_plan, _progress) = (run?.Rollout, run?.RolloutProgress);
        StateHasChanged();
    }

    private static string Names(RolloutBatch batch) =>
        string.Join(", ", batch.Devices.Take(ShownNames)) + (batch.Devices.Count > ShownNames ? $" … ({batch.Devices.Count - ShownNames} more)" : "");

    private static Color ColorOf(RolloutBatch batch) => batch.Outcome switch
    {
        "succeeded" => Color.Success,
        "failed" => Color.Error,
        "running" => Color.Info,
        _ => Color.Default,
    };

    public void Dispose() => _subscription?.Dispose();
}
