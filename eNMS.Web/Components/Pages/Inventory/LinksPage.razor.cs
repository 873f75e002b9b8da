using eNMS.Core.Export;
using eNMS.Core.Inventory;
using eNMS.Core.Inventory.Querying;
using eNMS.Web.Components.Shared;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace eNMS.Web.Components.Pages.Inventory;

public sealed partial class LinksPage : InventoryGridPage<Link>
{
    public LinksPage() : base(l => l.Id, l => l.Name, new("link", "links", name => $"Delete {name}?", n => $"Delete {n} links?"))
    {
    }

    /// <summary>Every column the grid can show (the chooser's list); the first seven are shown until the user chooses.</summary>
    private static readonly TableColumn[] AllColumns =
    [
        new("name", "Name"), new("source_name", "Source"), new("destination_name", "Destination"), new("vendor", "Vendor"),
        new("model", "Model"), new("subtype", "Subtype"), new("location", "Location"), new("description", "Description"),
    ];

    private readonly HashSet<string> _visible = [.. AllColumns.Take(7).Select(c => c.Key)];

    private readonly GridFilters _filters = new();
    private MudTable<Link>? _table;

    private Task<TableData<Link>> LoadAsync(TableState state, CancellationToken ct) =>
        _filters.PageAsync(async request =>
        {
            await using var db = await Access.CreateScopedDbContextAsync(ct);
            var links = db.Links.AsNoTracking().Include(l => l.Source).Include(l => l.Destination);
            return await InventoryGrids.Links.PageAsync(db, links, request, ct);
        }, state);

    /// <summary>The export writes interfaces beside the device names, as the grid shows them together.</summary>
    private Task<GridRows> ExportRowsAsync(CancellationToken ct) =>
        _filters.ExportAsync(async request =>
        {
            await using var db = await Access.CreateScopedDbContextAsync(ct);
            var links = db.Links.AsNoTracking().Include(l => l.Source).Include(l => l.Destination);
            return await InventoryGrids.Links.PageAsync(db, links, request, ct);
        }, link => AllColumns.ToDictionary(c => c.Key, c => c.Key switch
        {
            "source_name" => $"{link.Source?.Name} {link.SourceInterface}".Trim(),
            "destination_name" => $"{link.Destination?.Name} {link.DestinationInterface}".Trim(),
            _ => InventoryFields.ValueOf(link, c.Key),
        }));

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
