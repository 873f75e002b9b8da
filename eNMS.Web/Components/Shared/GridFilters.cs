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
}
