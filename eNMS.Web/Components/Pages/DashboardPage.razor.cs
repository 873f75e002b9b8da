using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace eNMS.Web.Components.Pages;

/// <summary>
/// What the team needs at a glance, kept current for every viewer: run events from <see cref="RunNotifier"/> patch
/// the progress bars in place and, when a run starts or ends, the rest is reloaded — once per batch of its
/// <see cref="RunFeed"/> (a frame at most), however many events arrive.
/// </summary>
public sealed partial class DashboardPage
{
    public const int Days = 14;
    // Statistics look at this many latest runs: enough for two weeks of a busy team, bounded for the database.
    private const int RecentRunWindow = 2000;
    private const string WorkflowKind = "workflow";

    private List<(string Label, int Count, string Href, string Icon)> _counts = [];
    private List<Run> _active = [];
    private List<Run> _recent = [];
    private List<ChartSeries<double>> _rateSeries = [];
    private string[] _rateLabels = [];
    private string _todayRate = "";
    private bool _hasFinishedRuns;
    private List<FailingDevice> _failing = [];
    private List<ConfigChange> _changes = [];
    private List<eNMS.Core.Configurations.ConfigVersionInfo> _flagged = [];
    private RunFeed? _feed;

    [Inject] private IDbContextFactory<EnmsDbContext> DbFactory { get; set; } = default!;
    [Inject] private RunNotifier Notifier { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;
    [Inject] private UserAccess Access { get; set; } = default!;
    [Inject] private eNMS.Core.Configurations.ConfigStore Configs { get; set; } = default!;

    private sealed record FailingDevice(int DeviceId, string DeviceName, int Failures);

    private sealed record ConfigChange(int DeviceId, string DeviceName, DateTimeOffset CreatedAt);

    protected override async Task OnInitializedAsync()
    {
        await LoadAsync();
        await using var db = await Access.CreateScopedDbContextAsync();
        _feed = Notifier.Feed(null, await RunEventScope.ForAllRunsAsync(db, CancellationToken.None), b => InvokeAsync(() => ApplyAsync(b)),
            RunFeedOptions.Frame with { Wants = e => e is RunProgressed });
    }

    private async Task LoadAsync()
    {
        var scope = await Access.PoolScopeAsync();
        await using var db = await Access.CreateScopedDbContextAsync();
        _counts =
        [
            ("Devices", await db.Devices.CountAsync(), "devices", Icons.Material.Filled.Router),
            ("Links", await db.Links.CountAsync(), "links", Icons.Material.Filled.Timeline),
            ("Pools", await db.Pools.CountAsync(), "pools", Icons.Material.Filled.Workspaces),
            ("Services", await db.Services.Catalogue().CountAsync(s => s.Kind != WorkflowKind), "services", Icons.Material.Filled.Build),
            ("Workflows", await db.Services.Catalogue().CountAsync(s => s.Kind == WorkflowKind), "services", Icons.Material.Filled.AccountTree),
        ];
        _active = await db.Runs.AsNoTracking().Where(r => r.Status == RunStatus.Running || r.Status == RunStatus.Pending).OrderBy(r => r.Id).Listed().ToListAsync();
        _recent = await db.Runs.AsNoTracking().Where(r => r.Status != RunStatus.Running && r.Status != RunStatus.Pending)
            .OrderByDescending(r => r.Id).Take(10).Listed().ToListAsync();

        // Dates are bucketed here rather than in SQL: SQLite cannot compare DateTimeOffset columns.
        var window = await db.Runs.OrderByDescending(r => r.Id).Take(RecentRunWindow)
            .Select(r => new { r.Id, r.Status, r.EndedAt }).ToListAsync();
        BuildSuccessRate(window.Select(r => (r.Status, r.EndedAt)));

        var oldestRun = window.Count == 0 ? 0 : window[^1].Id;
        _failing = await db.RunResults
            .Where(r => r.RunId >= oldestRun && !r.Success && !r.Skipped && r.DeviceId != null)
            .GroupBy(r => new { DeviceId = r.DeviceId!.Value, r.DeviceName })
            .Select(g => new { g.Key.DeviceId, g.Key.DeviceName, Failures = g.Count() })
            .OrderByDescending(f => f.Failures).ThenBy(f => f.DeviceName).Take(8)
            .Select(f => new FailingDevice(f.DeviceId, f.DeviceName, f.Failures)).ToListAsync();
        _changes = await db.ConfigVersions.Where(c => c.Flag == null).OrderByDescending(c => c.Id).Take(8)
            .Select(c => new ConfigChange(c.DeviceId, c.DeviceName, c.CreatedAt)).ToListAsync();
        _flagged = await Configs.FlaggedAsync(8, scope, CancellationToken.None);
    }

    private void BuildSuccessRate(IEnumerable<(RunStatus Status, DateTimeOffset? EndedAt)> runs)
    {
        var today = DateOnly.FromDateTime(Time.GetUtcNow().UtcDateTime);
        var days = Enumerable.Range(0, Days).Select(i => today.AddDays(i - Days + 1)).ToList();
        var finished = runs.Where(r => r.EndedAt is not null && r.Status is RunStatus.Completed or RunStatus.Failed)
            .GroupBy(r => DateOnly.FromDateTime(r.EndedAt!.Value.UtcDateTime))
            .ToDictionary(g => g.Key, g => (Completed: g.Count(r => r.Status == RunStatus.Completed), Total: g.Count()));
        // A day without finished runs has no rate: the line skips it instead of dropping to zero.
        var rates = days.Select(d => finished.TryGetValue(d, out var f) ? Math.Round(100.0 * f.Completed / f.Total, 1) : (double?)null).ToList();
        _hasFinishedRuns = rates.Any(r => r is not null);
        _todayRate = finished.TryGetValue(today, out var t)
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Today: {rates[^1]} % of {t.Total} finished runs")
            : "Today: no run finished yet";
        _rateLabels = [.. days.Select(d => d.ToString("MM-dd", System.Globalization.CultureInfo.InvariantCulture))];
        _rateSeries = [new ChartSeries<double> { Name = "Success %", Data = new ChartData<double>(rates) }];
    }

    private async Task ApplyAsync(RunEventBatch batch)
    {
        var reload = batch.Reload;
        foreach (var progress in batch.Events.OfType<RunProgressed>())
        {
            var run = _active.FirstOrDefault(r => r.Id == progress.RunId);
            if (run is null || progress.Status is not (RunStatus.Pending or RunStatus.Running))
            {
                reload = true;
            }
            else
            {
                (run.Status, run.DevicesDone, run.DevicesFailed, run.DevicesTotal) = (progress.Status, progress.DevicesDone, progress.DevicesFailed, progress.DevicesTotal);
            }
        }
        if (reload)
        {
            await LoadAsync();
        }
        StateHasChanged();
    }

    private static double Percent(Run run) => run.DevicesTotal == 0 ? 0 : 100.0 * run.DevicesDone / run.DevicesTotal;

    public void Dispose() => _feed?.Dispose();
}
