using eNMS.Core.Export;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace eNMS.Web.Components.Shared;

/// <summary>The rows a grid shows now (its filters and sort applied), by column key, and how many there are in all.</summary>
public sealed record GridRows(IReadOnlyList<IReadOnlyDictionary<string, string>> Rows, int Total);

/// <summary>
/// The column chooser and the export of one grid. The visible columns are kept in the browser's local storage under
/// the grid's and the user's names; the grid renders only the columns in <see cref="Visible"/>. The export writes the
/// visible columns of the rows <see cref="RowsAsync"/> gives (at most <see cref="TableExport.MaxRows"/>; secret-looking
/// columns never) and hands the file to the browser.
/// </summary>
public sealed partial class GridTools : IAsyncDisposable
{
    private const string StorageKeyPrefix = "enms.columns:";
    private IJSObjectReference? _download;

    [Parameter, EditorRequired] public string Grid { get; set; } = "";
    [Parameter, EditorRequired] public IReadOnlyList<TableColumn> Columns { get; set; } = [];
    /// <summary>The keys of the columns shown (the grid owns the set; this component changes it and says so).</summary>
    [Parameter, EditorRequired] public HashSet<string> Visible { get; set; } = [];
    [Parameter] public EventCallback VisibleChanged { get; set; }
    /// <summary>The rows to export, as the grid shows them now.</summary>
    [Parameter, EditorRequired] public Func<CancellationToken, Task<GridRows>> RowsAsync { get; set; } = default!;

    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private UserAccess Access { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    private async Task<string> StorageKeyAsync() => $"{StorageKeyPrefix}{(await Access.UserAsync()).Identity?.Name}:{Grid}";

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // After-render runs only once the circuit is interactive (never while prerendering): local storage is there.
        if (!firstRender)
        {
            return;
        }
        var stored = await JS.InvokeAsync<string?>("localStorage.getItem", await StorageKeyAsync());
        if (stored is null)
        {
            return;
        }
        var keys = stored.Split(',', StringSplitOptions.RemoveEmptyEntries).Where(k => Columns.Any(c => c.Key == k)).ToHashSet(StringComparer.Ordinal);
        // A stored choice from a build whose columns all went away shows the defaults rather than an empty grid.
        if (keys.Count > 0 && !keys.SetEquals(Visible))
        {
            Visible.Clear();
            Visible.UnionWith(keys);
            await VisibleChanged.InvokeAsync();
        }
    }

    private async Task ToggleAsync(string key)
    {
        if (!Visible.Remove(key))
        {
            Visible.Add(key);
        }
        else if (Visible.Count == 0)
        {
            // A grid with no column at all shows nothing to click to get them back.
            Visible.Add(key);
            return;
        }
        await JS.InvokeVoidAsync("localStorage.setItem", await StorageKeyAsync(), string.Join(",", Columns.Select(c => c.Key).Where(Visible.Contains)));
        await VisibleChanged.InvokeAsync();
    }

    private async Task ExportAsync(TableExportFormat format)
    {
        GridRows rows;
        try
        {
            rows = await RowsAsync(CancellationToken.None);
        }
        catch (ArgumentException e)
        {
            // A bad filter (an invalid regex) exports nothing and says why, as the grid does.
            Snackbar.Add(e.Message, Severity.Error);
            return;
        }
        var file = TableExport.Write(Grid, format, [.. Columns.Where(c => Visible.Contains(c.Key))], rows.Rows, rows.Total);
        _download ??= await JS.InvokeAsync<IJSObjectReference>("import", "./dist/download.js");
        using var stream = new MemoryStream(file.Content);
        using var reference = new DotNetStreamReference(stream);
        await _download.InvokeVoidAsync("save", file.FileName, file.ContentType, reference);
        if (file.Truncated)
        {
            Snackbar.Add($"Exported the first {file.Rows} of {rows.Total} rows (at most {TableExport.MaxRows}): narrow the filters for the rest.", Severity.Warning);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_download is not null)
        {
            try
            {
                await _download.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone, and the module with it.
            }
        }
    }
}
