using eNMS.Core.Automation.Execution;
using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Core.Views;
using eNMS.Web.Components.Shared;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.JSInterop;
using MudBlazor;

namespace eNMS.Web.Components.Views;

/// <summary>
/// A canvas view of the network (the world map or the topology, by <see cref="Module"/>) with graphical selection.
/// The browser module fetches the devices from /api/views/network (scoped to the user's pools) and reports
/// selections back; run results recolour devices live through <see cref="RunNotifier"/>.
/// </summary>
public sealed partial class NetworkView
{
    private static readonly (string Tool, string Label, string Icon, string Hint)[] Tools =
    [
        ("pan", "Pan", Icons.Material.Filled.PanTool, "Drag to pan, click to select"),
        ("box", "Box", Icons.Material.Filled.HighlightAlt, "Drag a rectangle to select (or shift-drag with any tool)"),
        ("lasso", "Lasso", Icons.Material.Filled.Gesture, "Draw around devices to select (or alt-drag with any tool)"),
    ];

    /// <summary>Recolouring is batched (a run over thousands of devices must not send one message per result): one
    /// held result per device, as many as a large inventory has.</summary>
    private static readonly RunFeedOptions Recolouring = RunFeedOptions.Frame with
    {
        Capacity = 20_000,
        Wants = e => e is ResultRecorded { Recorded: { DeviceId: not null, Skipped: false } } or RunProgressed { Status: Core.Automation.RunStatus.Running },
        Merge = e => e is ResultRecorded { Recorded.DeviceId: { } device } ? device : RunFeed.MergeKey(e),
    };

    private readonly HashSet<int> _runsSeen = [];
    private ElementReference _host;
    private IJSObjectReference? _module;
    private IJSObjectReference? _view;
    private DotNetObjectReference<NetworkView>? _dotnet;
    private RunFeed? _feed;
    private List<PoolChoice> _pools = [];
    private int? _pool;
    private bool _filtered;
    private string _tool = "pan";
    private string _summaryText = "Loading…";
    private string? _error;
    private List<int> _pendingSelection = [];
    private int _selectionVersion;
    private List<int> _selectionIds = [];
    private List<DeviceRef> _selection = [];
    private bool _disposed;

    /// <summary>The browser module under wwwroot/dist: "worldmap" or "topology".</summary>
    [Parameter, EditorRequired] public string Module { get; set; } = "";

    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private IDbContextFactory<EnmsDbContext> DbFactory { get; set; } = default!;
    [Inject] private UserAccess Access { get; set; } = default!;
    [Inject] private RunNotifier Notifier { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;
    [Inject] private IConfiguration Configuration { get; set; } = default!;

    private IReadOnlyList<int>? _scope;

    private sealed record PoolChoice(int Id, string Name);

    private NetworkLegend? _legend;

    private sealed record ViewSummary(int Devices, int Placed, int Links, NetworkLegend? Legend);

    protected override async Task OnInitializedAsync()
    {
        _scope = await Access.PoolScopeAsync();
        await using var db = await DbFactory.CreateScopedAsync(_scope, CancellationToken.None);
        _pools = await db.Pools.AsNoTracking().OrderBy(p => p.Name).Select(p => new PoolChoice(p.Id, p.Name)).ToListAsync();
        _feed = Notifier.Feed(null, await RunEventScope.ForAllRunsAsync(db, CancellationToken.None), RecolourAsync, Recolouring);
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }
        try
        {
            _dotnet = DotNetObjectReference.Create(this);
            _module = await JS.InvokeAsync<IJSObjectReference>("import", $"./dist/{Module}.js");
            var options = new { tileUrl = Configuration["Views:TileServerUrl"] ?? "" };
            _view = await _module.InvokeAsync<IJSObjectReference>("create", _host, _dotnet, options);
            var summary = await _view.InvokeAsync<ViewSummary>("load", "api/views/network");
            _legend = summary.Legend;
            _summaryText = Module == "worldmap" && summary.Placed < summary.Devices
                ? $"{summary.Devices} devices ({summary.Devices - summary.Placed} without coordinates are not on the map), {summary.Links} links"
                : $"{summary.Devices} devices, {summary.Links} links";
        }
        catch (JSException e)
        {
            _error = $"The view could not be drawn: {e.Message}";
        }
        catch (JSDisconnectedException)
        {
            return;
        }
        StateHasChanged();
    }

    private async Task SetToolAsync(string tool)
    {
        _tool = tool;
        if (_view is not null)
        {
            await _view.InvokeVoidAsync("setTool", tool);
        }
    }

    private async Task SelectPoolAsync()
    {
        if (_view is not null && _pool is { } pool)
        {
            await _view.InvokeVoidAsync("selectPool", pool, false);
        }
    }

    private async Task FilterAsync(int? pool)
    {
        if (_view is not null)
        {
            _filtered = pool is not null;
            await _view.InvokeVoidAsync("filterPool", pool);
        }
    }

    /// <summary>The browser's selection, in chunks (Blazor limits message sizes); <paramref name="version"/> drops stale ones.</summary>
    [JSInvokable]
    public async Task SelectionChanged(int version, int[] ids, bool first, bool last)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (first)
        {
            _selectionVersion = version;
            _pendingSelection = [];
        }
        if (version != _selectionVersion)
        {
            return;
        }
        _pendingSelection.AddRange(ids);
        if (last)
        {
            _selectionIds = _pendingSelection;
            await LoadSelectionAsync();
            StateHasChanged();
        }
    }

    private async Task LoadSelectionAsync()
    {
        var ids = _selectionIds;
        await using var db = await Access.CreateScopedDbContextAsync();
        _selection = await db.Devices.AsNoTracking().Where(d => ids.Contains(d.Id)).OrderBy(d => d.Name)
            .Select(d => new DeviceRef(d.Id, d.Name, d.Address)).ToListAsync();
        _selectionIds = [.. _selection.Select(d => d.Id)];
    }

    private async Task RemoveAsync(DeviceRef device)
    {
        _selectionIds = [.. _selectionIds.Where(id => id != device.Id)];
        _selection = [.. _selection.Where(d => d.Id != device.Id)];
        if (_view is not null)
        {
            await _view.InvokeVoidAsync("setSelection", _selectionIds);
        }
    }

    private async Task ClearAsync()
    {
        _selectionIds = [];
        _selection = [];
        if (_view is not null)
        {
            await _view.InvokeVoidAsync("setSelection", Array.Empty<int>());
        }
    }

    /// <summary>Works out the colours off the circuit (on the feed's thread), then sends them in one message; a feed that
    /// overflowed draws the view again from the server instead.</summary>
    private async Task RecolourAsync(RunEventBatch batch)
    {
        if (_view is null || _disposed)
        {
            return;
        }
        if (batch.Reload)
        {
            await InvokeAsync(() => _view.InvokeVoidAsync("load", "api/views/network").AsTask());
        }
        var statuses = new Dictionary<int, DeviceRunStatus>();
        foreach (var runEvent in batch.Events)
        {
            if (runEvent is ResultRecorded { Recorded: { DeviceId: { } deviceId } result })
            {
                statuses[deviceId] = result.Success ? DeviceRunStatus.Succeeded : DeviceRunStatus.Failed;
            }
            else if (runEvent is RunProgressed progress && _runsSeen.Add(progress.RunId))
            {
                // The devices a run starts on turn "running" until their result comes.
                await using var db = await DbFactory.CreateScopedAsync(_scope, CancellationToken.None);
                var targets = await db.Runs.AsNoTracking().Where(r => r.Id == progress.RunId).Select(r => r.DeviceIds).FirstOrDefaultAsync() ?? [];
                foreach (var id in await db.Devices.Select(d => d.Id).Where(id => targets.Contains(id)).ToListAsync())
                {
                    statuses.TryAdd(id, DeviceRunStatus.Running);
                }
            }
        }
        int[] flat = [.. statuses.SelectMany(p => new[] { p.Key, (int)p.Value })];
        if (flat.Length > 0 && !_disposed)
        {
            await InvokeAsync(() => _view.InvokeVoidAsync("setStatuses", flat).AsTask());
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        _feed?.Dispose();
        try
        {
            if (_view is not null)
            {
                await _view.InvokeVoidAsync("dispose");
                await _view.DisposeAsync();
            }
            if (_module is not null)
            {
                await _module.DisposeAsync();
            }
        }
        catch (JSDisconnectedException)
        {
            // The browser is gone: nothing left to clean up there.
        }
        _dotnet?.Dispose();
    }
}
