using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Security;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web.Virtualization;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace eNMS.Web.Components.Pages.Automation;

/// <summary>
/// A workflow run as devices × nodes: identical outcomes grouped above ("succeeded on all but 3", per node with the
/// failed devices named), then one row per device, read from the database a page at a time as the grid scrolls
/// (<see cref="RunMatrix"/>), so that 10,000 devices render as the few rows in view. A cell opens its result. While
/// the run goes on, the node a device is at shows as running (live events) and the counts are re-read every few seconds.
/// </summary>
public sealed partial class ResultMatrix : IDisposable
{
    /// <summary>Pixels per row: Virtualize needs the height to know how many rows fill the view.</summary>
    public const float RowHeight = 28;
    /// <summary>Re-read at most every few seconds: a result a millisecond on 10,000 devices must not mean a query each.</summary>
    private static readonly RunFeedOptions Refreshing = new(TimeSpan.FromSeconds(2),
        Wants: e => e is NodeStarted { DeviceId: not null } or ResultRecorded { Recorded.DeviceId: not null } or RunProgressed);
    private static readonly MatrixOutcome[] Filterable = [MatrixOutcome.Succeeded, MatrixOutcome.Failed, MatrixOutcome.Skipped, MatrixOutcome.NotReached];

    private MatrixSummary? _summary;
    private MatrixQuery _query = new();
    private int _total;
    private Virtualize<MatrixRow>? _rows;
    private RunFeed? _feed;
    private readonly CancellationTokenSource _disposed = new();
    /// <summary>Where each device is now, from live events: the top-level node it started and has no result for yet.</summary>
    private readonly Dictionary<int, string> _runningAt = [];

    [Parameter] public int RunId { get; set; }

    /// <summary>Opens a result (the run page shows it, masked as it masks every result).</summary>
    [Parameter] public EventCallback<RunResult> ResultPicked { get; set; }

    [Inject] private RunNotifier Notifier { get; set; } = default!;
    [Inject] private UserAccess Access { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;

    private bool Filtering => _query != new MatrixQuery();

    protected override async Task OnParametersSetAsync()
    {
        _feed?.Dispose();
        await using var db = await Access.CreateScopedDbContextAsync();
        _feed = Notifier.Feed(RunId, await RunEventScope.ForRunAsync(db, RunId, CancellationToken.None), b => InvokeAsync(() => ApplyAsync(b)), Refreshing);
        _summary = await RunMatrix.SummaryAsync(db, RunId, CancellationToken.None);
    }

    /// <summary>Virtualize asks for the rows in view (plus overscan): one page from the database, capped.</summary>
    private async ValueTask<ItemsProviderResult<MatrixRow>> RowsAsync(ItemsProviderRequest request)
    {
        await using var db = await Access.CreateScopedDbContextAsync();
        var query = _query with { Skip = request.StartIndex, Take = Math.Min(request.Count, RunMatrix.MaxTake) };
        var page = await RunMatrix.PageAsync(db, RunId, query, request.CancellationToken);
        if (page is not null && page.Total != _total)
        {
            _total = page.Total;
            _ = InvokeAsync(StateHasChanged);
        }
        return page is null ? new ItemsProviderResult<MatrixRow>([], 0) : new ItemsProviderResult<MatrixRow>(page.Rows, page.Total);
    }

    private async Task FilterAsync(MatrixQuery query)
    {
        _query = query with { Device = string.IsNullOrWhiteSpace(query.Device) ? null : query.Device };
        if (_rows is not null)
        {
            await _rows.RefreshDataAsync();
        }
    }

    private (MatrixOutcome Outcome, MatrixCell? Cell) CellOf(MatrixRow row, string node) =>
        row.Cells.TryGetValue(node, out var cell) ? (cell.Outcome, (MatrixCell?)cell)
        : _runningAt.TryGetValue(row.DeviceId, out var at) && at == node ? (MatrixOutcome.Running, null)
        : (MatrixOutcome.NotReached, null);

    private async Task OpenAsync(MatrixCell? cell)
    {
        if (cell is null)
        {
            return;
        }
        await using var db = await Access.CreateScopedDbContextAsync();
        if (await db.RunResults.AsNoTracking().FirstOrDefaultAsync(r => r.Id == cell.ResultId && r.RunId == RunId) is { } result)
        {
            await ResultPicked.InvokeAsync(result);
        }
    }

    private async Task ApplyAsync(RunEventBatch batch)
    {
        if (batch.Reload)
        {
            // Events were dropped: the markers may be stale, the re-read below has the results.
            _runningAt.Clear();
        }
        foreach (var runEvent in batch.Events)
        {
            if (runEvent is NodeStarted { DeviceId: int device } started)
            {
                _runningAt[device] = TopLevel(started.Node);
            }
            else if (runEvent is ResultRecorded { Recorded: { DeviceId: int done } recorded } && _runningAt.GetValueOrDefault(done) == TopLevel(recorded.Node))
            {
                _runningAt.Remove(done);
            }
        }
        try
        {
            await using (var db = await Access.CreateScopedDbContextAsync())
            {
                _summary = await RunMatrix.SummaryAsync(db, RunId, _disposed.Token);
            }
            if (_rows is not null)
            {
                await _rows.RefreshDataAsync();
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }
        StateHasChanged();
    }

    /// <summary>The matrix's column of a node path: a nested workflow's "outer/inner" and an iteration's "node[2]" are "outer" and "node".</summary>
    internal static string TopLevel(string node)
    {
        var end = node.IndexOfAny(['/', '[']);
        return end < 0 ? node : node[..end];
    }

    private static string Words(MatrixOutcome outcome) => outcome switch
    {
        MatrixOutcome.Succeeded => "succeeded",
        MatrixOutcome.Failed => "failed",
        MatrixOutcome.Skipped => "skipped",
        MatrixOutcome.Running => "running",
        _ => "not reached",
    };

    private static string IconOf(MatrixOutcome outcome) => outcome switch
    {
        MatrixOutcome.Succeeded => Icons.Material.Filled.CheckCircle,
        MatrixOutcome.Failed => Icons.Material.Filled.Cancel,
        MatrixOutcome.Skipped => Icons.Material.Filled.SkipNext,
        MatrixOutcome.Running => Icons.Material.Filled.Autorenew,
        _ => Icons.Material.Outlined.Circle,
    };

    private static Color ColorOf(MatrixOutcome outcome) => outcome switch
    {
        MatrixOutcome.Succeeded => Color.Success,
        MatrixOutcome.Failed => Color.Error,
        MatrixOutcome.Skipped => Color.Warning,
        MatrixOutcome.Running => Color.Info,
        _ => Color.Default,
    };

    public void Dispose()
    {
        _feed?.Dispose();
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
