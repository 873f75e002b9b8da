using eNMS.Core.Inventory;
using eNMS.Core.Inventory.Querying;
using eNMS.Web.Components.Shared;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace eNMS.Web.Components.Pages;

public sealed partial class LinksPage : InventoryGridPage<Link>
{
    public LinksPage() : base(l => l.Id, l => l.Name, new("link", "links", name => $"Delete {name}?", n => $"Delete {n} links?"))
    {
    }

    private static readonly (string Column, string Label)[] Columns =
    [
        ("name", "Name"), ("source_name", "Source"), ("destination_name", "Destination"), ("vendor", "Vendor"),
        ("model", "Model"), ("subtype", "Subtype"), ("location", "Location"),
    ];

    private readonly GridFilters _filters = new();
    private MudTable<Link>? _table;

    private Task<TableData<Link>> LoadAsync(TableState state, CancellationToken ct) =>
        _filters.PageAsync(async request =>
        {
            await using var db = await Access.CreateScopedDbContextAsync(ct);
            var links = db.Links.AsNoTracking().Include(l => l.Source).Include(l => l.Destination);
            return await InventoryGrids.Links.PageAsync(db, links, request, ct);
        }, state);

    private async Task FilterAsync(string column, string? value)
    {
        _filters[column] = value ?? "";
        if (_table is not null)
        {
            await _table.ReloadServerData();
        }
    }

    private void Open(TableRowClickEventArgs<Link> args)
    {
        if (args.Item is { } link)
        {
            Navigation.NavigateTo($"links/{link.Id}/edit");
        }
    }

    protected override Task<int> DeleteRowsAsync(IReadOnlyCollection<int> ids, CancellationToken ct) => Editor.DeleteLinksAsync(ids, ct);

    protected override Task ReloadAsync() => _table?.ReloadServerData() ?? Task.CompletedTask;
}
