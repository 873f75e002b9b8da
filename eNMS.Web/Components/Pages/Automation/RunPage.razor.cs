using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Automation.Workflows;
using eNMS.Core.Configurations;
using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Web.Components.Diagram;
using eNMS.Web.Components.Shared;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web.Virtualization;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace eNMS.Web.Components.Pages.Automation;

/// <summary>One run, live: progress, results as they are recorded, log lines as they are written.</summary>
public sealed partial class RunPage
{
    private const int MaxLogLines = 2000;
    /// <summary>Pixels per result row: Virtualize needs the height to know how many rows fill the view.</summary>
    public const float ResultRowHeight = 36;
    /// <summary>The canvas starts from the latest this many results (their outputs included); the list reads every
    /// result a page at a time (<see cref="RunResultList"/>).</summary>
    internal const int MaxCanvasResults = 5_000;
    /// <summary>A result is published before its write lands (and results relayed from another cluster node never get
    /// an id here): the list reads the database only, once per live batch, and once more this long after the last one so
    /// that a write landing just after that read is listed too. The run's end comes after every write.</summary>
    private static readonly TimeSpan StoredResultsLag = TimeSpan.FromSeconds(1);
    private int _followUps;
    private bool _disposed;
    private int _listed;
    private ResultFilter _filter = new();
    private Virtualize<RunResult>? _rows;
    private Run? _run;
    private RunView _view = new(MaxLogLines);

    /// <summary>What ran, by name: a node's service (not its id, "n1"); an ad-hoc service's own name is only a key, so
    /// its results read as the run's title ("Roll back paris-core to version 3").</summary>
    private string ResultName(RunResult result) =>
        _run is not null && _services.TryGetValue(result.ServiceId, out var service) && service.IsAdHoc ? _run.ServiceName : result.ServiceName;
    private RunFeed? _feed;
    // The fan-out report the run published last, while it runs (FanOutPanel).
    private FanOutReport? _fanOut;
    // What the run waits for on this node (RunWaits), live; shown to those who see the whole run.
    private IReadOnlyList<string> _waitingFor = [];
    private WorkflowGraph? _graph;
    private string? _restartNode;
    private bool _restartFailedOnly;
    private Dictionary<int, Service> _services = [];
    private WorkflowCanvas? _canvas;
    private ServiceNodeModel? _selected;
    private bool _watching;
    private int _revertable;
    private bool _logHidden;
    private RunEventScope _events = RunEventScope.Everything;

    [Parameter] public int RunId { get; set; }

    [Inject] private IDbContextFactory<EnmsDbContext> DbFactory { get; set; } = default!;
    [Inject] private RunNotifier Notifier { get; set; } = default!;
    [Inject] private RunLauncher Launcher { get; set; } = default!;
    [Inject] private ConfigActions Actions { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private UserAccess Access { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;
    [Inject] private RunWaits Waits { get; set; } = default!;

    /// <summary>"1.5 MiB / 4.0 MiB (37 %)", or the bytes alone when the total is unknown.</summary>
    internal static string TransferText(TransferProgressed transfer) =>
        transfer.Total is > 0 and var total
            ? $"{ByteSize(transfer.Bytes)} / {ByteSize(total)} ({100 * transfer.Bytes / total} %)"
            : ByteSize(transfer.Bytes);

    private static string ByteSize(long bytes) => bytes switch
    {
        >= 1 << 30 => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes / (double)(1 << 30):0.0} GiB"),
        >= 1 << 20 => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes / (double)(1 << 20):0.0} MiB"),
        >= 1 << 10 => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes / (double)(1 << 10):0.0} KiB"),
        _ => $"{bytes} bytes",
    };

    private double Percent => _run is null || _run.DevicesTotal == 0 ? 0 : 100.0 * _run.DevicesDone / _run.DevicesTotal;

    protected override async Task OnParametersSetAsync()
    {
        _feed?.Dispose();
        _fanOut = null;
        // Subscribe first, then load: events that land in between wait in the view and are merged once (see RunView).
        // A user limited to pools sees the results of their devices only; the log only if every target is theirs.
        _view = new RunView(MaxLogLines);
        await using var db = await Access.CreateScopedDbContextAsync();
        _events = await RunEventScope.ForRunAsync(db, RunId, CancellationToken.None);
        _feed = Notifier.Feed(RunId, _events, b => InvokeAsync(() => ApplyAsync(b)));
        _run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == RunId);
        _logHidden = _run is not null && !_events.ShowsWholeRun;
        _waitingFor = _events.ShowsWholeRun ? Waits.Of(RunId) : [];
        await LoadViewAsync(db);
        // A workflow run is also shown on its graph (as the workflow is now), live.
        _services = _run is null ? [] : await ServiceGraph.LoadAsync(db, _run.ServiceId, CancellationToken.None);
        _graph = _run is not null && _services.TryGetValue(_run.ServiceId, out var workflow) ? workflow.Graph : null;
        _revertable = _run is null ? 0 : await ConfigActions.Revertable(db, RunId).CountAsync();
        _watching = false;
    }

    /// <summary>The log's latest lines; results are read by the list as it scrolls, live ones join it as they come.</summary>
    private async Task LoadViewAsync(EnmsDbContext db)
    {
        var log = await db.RunLogs.AsNoTracking().Where(l => l.RunId == RunId).OrderByDescending(l => l.Id).Take(MaxLogLines).OrderBy(l => l.Id).ToListAsync();
        _view.Load([], log);
    }

    private Task<List<RunResult>> StoredResultsAsync(EnmsDbContext db) =>
        db.RunResults.AsNoTracking().Where(r => r.RunId == RunId).OrderByDescending(r => r.Id).Take(MaxCanvasResults).OrderBy(r => r.Id).ToListAsync();

    /// <summary>Virtualize asks for the rows in view: read from the database, a page at a time.</summary>
    private async ValueTask<ItemsProviderResult<RunResult>> ResultRowsAsync(ItemsProviderRequest request)
    {
        await using var db = await Access.CreateScopedDbContextAsync();
        var (stored, total) = await RunResultList.PageAsync(db, RunId, _filter, request.StartIndex, request.Count, request.CancellationToken);
        if (total != _listed)
        {
            _listed = total;
            _ = InvokeAsync(StateHasChanged);
        }
        return new ItemsProviderResult<RunResult>(stored, total);
    }

    /// <summary>Reads the list again <see cref="StoredResultsLag"/> after the latest live batch (one pending at a time).</summary>
    private async Task FollowUpAsync()
    {
        var mine = Interlocked.Increment(ref _followUps);
        await Task.Delay(StoredResultsLag, Time);
        if (mine == Volatile.Read(ref _followUps) && !_disposed && _rows is not null)
        {
            await InvokeAsync(_rows.RefreshDataAsync);
        }
    }

    private async Task FilterAsync(ResultFilter filter)
    {
        _filter = filter;
        if (_rows is not null)
        {
            await _rows.RefreshDataAsync();
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_canvas is not null && !_watching)
        {
            _watching = true;
            // The canvas reads the stored results again once it follows the run: what was recorded since this page's
            // load is then either stored or still to come as an event.
            await _canvas.Watch(RunId, _events, async () =>
            {
                await using var db = await Access.CreateScopedDbContextAsync();
                return await StoredResultsAsync(db);
            });
        }
    }

    /// <summary>One batch, one render; a batch that overflowed reads the results and log again, then applies what came after.</summary>
    private async Task ApplyAsync(RunEventBatch batch)
    {
        if (batch.Reload)
        {
            _view = new RunView(MaxLogLines);
            await using var db = await Access.CreateScopedDbContextAsync();
            await LoadViewAsync(db);
        }
        // Results are the database's to list (ResultRowsAsync): the view keeps none.
        _view.Results.Clear();
        var results = false;
        foreach (var runEvent in batch.Events)
        {
            results |= runEvent is ResultRecorded;
            if (runEvent is FanOutChanged fanOut)
            {
                _fanOut = fanOut.Report;
            }
            if (runEvent is RunWaitsChanged waits)
            {
                _waitingFor = waits.WaitingFor;
            }
            if (runEvent is RunProgressed p && _run is not null)
            {
                (_run.Status, _run.DevicesDone, _run.DevicesFailed, _run.DevicesRecovered, _run.DevicesTotal) =
                    (p.Status, p.DevicesDone, p.DevicesFailed, p.DevicesRecovered, p.DevicesTotal);
            }
            else
            {
                _view.Apply(runEvent);
            }
        }
        _view.Results.Clear();
        if ((results || batch.Reload || batch.Events.Any(e => e is RunProgressed)) && _rows is not null)
        {
            await _rows.RefreshDataAsync();
            _ = FollowUpAsync();
        }
        StateHasChanged();
    }

    /// <summary>Shows a result; configuration secrets in it are masked unless the user may read secrets.</summary>
    private async Task ShowAsync(RunResult result)
    {
        var shown = await Access.CanAsync(Policies.SecretsRead) ? result : ConfigMasking.Masked(result);
        await Dialogs.ShowAsync<ResultDialog>($"{result.ServiceName} · {result.DeviceName}",
            new DialogParameters<ResultDialog> { { d => d.Shown, shown } },
            new DialogOptions { MaxWidth = MaxWidth.Large, FullWidth = true, CloseButton = true });
    }

    /// <summary>Compares a result with the same node's result on the same device in another run.</summary>
    private async Task CompareAsync(RunResult result) =>
        await Dialogs.ShowAsync<ResultCompareDialog>($"Compare · {result.ServiceName} · {result.DeviceName}",
            new DialogParameters<ResultCompareDialog> { { d => d.Result, result } },
            new DialogOptions { MaxWidth = MaxWidth.ExtraLarge, FullWidth = true, CloseButton = true });

    private async Task CancelAsync()
    {
        // _run is null for a run outside the user's pools: nothing to act on.
        if (_run is null || !await Access.CanAsync(Policies.AutomationRun))
        {
            Snackbar.Add("Your role may not cancel runs.", Severity.Error);
            return;
        }
        if (!await Launcher.CancelAsync(RunId, await Access.ActorAsync(), CancellationToken.None))
        {
            Snackbar.Add("That run is not executing on this server.", Severity.Warning);
        }
    }

    private async Task ResumeAsync()
    {
        // _run is null for a run outside the user's pools: nothing to act on.
        if (_run is null || !await Access.CanAsync(Policies.AutomationRun))
        {
            Snackbar.Add("Your role may not run services.", Severity.Error);
            return;
        }
        var launch = await Launcher.ResumeAsync(RunId, await Access.ActorAsync(), await Access.PoolScopeAsync(), CancellationToken.None);
        if (launch.Started)
        {
            Navigation.NavigateTo($"runs/{launch.RunId}");
        }
        else
        {
            Snackbar.Add(string.Join(" ", launch.Problems), Severity.Warning);
        }
    }

    private string NodeLabel(WorkflowNode node) =>
        node.Label.Length > 0 ? node.Label : _services.TryGetValue(node.ServiceId, out var service) ? $"{node.Id} · {service.Name}" : node.Id;

    /// <summary>A new run of this workflow from the chosen node, reusing this run's earlier results (templates see them),
    /// on all its devices or only those that failed.</summary>
    private async Task RestartAsync()
    {
        if (_run is null || _restartNode is null || !await Access.CanAsync(Policies.AutomationRun))
        {
            Snackbar.Add("Your role may not run services.", Severity.Error);
            return;
        }
        List<int>? devices = null;
        if (_restartFailedOnly)
        {
            await using var db = await Access.CreateScopedDbContextAsync();
            devices = await db.RunResults.AsNoTracking().Where(r => r.RunId == RunId && r.Node == RunResult.RunLevel && r.DeviceId != null && !r.Success)
                .Select(r => r.DeviceId!.Value).Distinct().ToListAsync();
            if (devices.Count == 0)
            {
                Snackbar.Add("No device failed in this run.", Severity.Info);
                return;
            }
        }
        var launch = await Launcher.RestartAsync(RunId, _restartNode, devices, await Access.ActorAsync(), await Access.PoolScopeAsync(), CancellationToken.None);
        if (launch.Started)
        {
            Navigation.NavigateTo($"runs/{launch.RunId}");
        }
        else
        {
            Snackbar.Add(string.Join(" ", launch.Problems), Severity.Warning);
        }
    }

    /// <summary>Puts the devices this run changed back as they were before it (a preview is the dry run), as a new run.</summary>
    private async Task RevertAsync(bool preview)
    {
        if (_run is null || !await Access.CanAsync(Policies.AutomationRun))
        {
            Snackbar.Add("Your role may not run services.", Severity.Error);
            return;
        }
        var force = false;
        if (!preview)
        {
            var answer = await Dialogs.ShowMessageBoxAsync("Revert this run",
                $"Put the {_revertable} device(s) this run changed back as they were just before it? A device that a later run changed again is left as it is, unless you revert over later changes (they are undone too).",
                yesText: "Revert", noText: "Revert over later changes", cancelText: "Cancel");
            if (answer is null)
            {
                return;
            }
            force = answer == false;
        }
        var launch = await Actions.RevertRunAsync(RunId, preview, force, await Access.ActorAsync(), await Access.PoolScopeAsync(), CancellationToken.None);
        if (launch.Started)
        {
            Navigation.NavigateTo($"runs/{launch.RunId}");
        }
        else
        {
            Snackbar.Add(string.Join(" ", launch.Problems), Severity.Warning);
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _feed?.Dispose();
    }
}
