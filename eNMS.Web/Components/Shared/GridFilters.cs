using eNMS.Core.Export;
using eNMS.Core.Inventory.Querying;
using MudBlazor;

namespace eNMS.Web.Components.Shared;

/// <summary>
/// The per-column filters of a server-side table and the last filter error. Turns a MudTable's state into a
/// <see cref="GridRequest"/> and a bad filter (an invalid regex) into a message instead of an exception.
/// </summary>
public sealed class GridFilters
{
    public const string Help = "Contains, case-insensitive. =value: equals · /regex/: regular expression · !: inverts (!=x, !/re/, !text)";

    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    public string? Error { get; private set; }

    /// <summary>The table's last state (sort, page): an export follows its sort.</summary>
    public TableState? LastState { get; private set; }

    public IReadOnlyDictionary<string, string> Values => _values;

    public string this[string column]
    {
        get => _values.GetValueOrDefault(column, "");
        set => _values[column] = value;
    }

    public GridRequest Request(TableState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var sortBy = state.SortDirection == SortDirection.None ? null : state.SortLabel;
        return new GridRequest(new Dictionary<string, string>(_values), sortBy, state.SortDirection == SortDirection.Descending, state.Page, state.PageSize);
    }

    /// <summary>Runs one page query; a bad filter yields an empty page and sets <see cref="Error"/>.</summary>
    public async Task<TableData<T>> PageAsync<T>(Func<GridRequest, Task<GridPage<T>>> query, TableState state)
    {
        ArgumentNullException.ThrowIfNull(query);
        LastState = state;
        try
        {
            var page = await query(Request(state));
            Error = null;
            return new TableData<T> { Items = page.Items, TotalItems = page.Total };
        }
        catch (ArgumentException e)
        {
            Error = e.Message;
            return new TableData<T> { Items = [], TotalItems = 0 };
        }
    }

    /// <summary>Every row the filters select, in the grid's sort, page by page up to <see cref="TableExport.MaxRows"/>
    /// (the grid's filters and sort, not its page): what an export writes.</summary>
    /// <exception cref="ArgumentException">A filter is invalid.</exception>
    public async Task<GridRows> ExportAsync<T>(Func<GridRequest, Task<GridPage<T>>> query, Func<T, IReadOnlyDictionary<string, string>> row)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(row);
        var first = Request(LastState ?? new TableState()) with { Page = 0, PageSize = GridRequest.MaxPageSize };
        var rows = new List<IReadOnlyDictionary<string, string>>();
        var total = 0;
        for (var page = 0; rows.Count < TableExport.MaxRows; page++)
        {
            var result = await query(first with { Page = page });
            total = result.Total;
            rows.AddRange(result.Items.Select(row));
            if (result.Items.Count < GridRequest.MaxPageSize)
            {
                break;
            }
        }
        return new GridRows(rows.Take(TableExport.MaxRows).ToList(), total);
    }
}
