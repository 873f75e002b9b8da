using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Core.Inventory.Editing;
using eNMS.Core.Inventory.Querying;
using eNMS.Core.Security;
using eNMS.Web.Components.Shared;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace eNMS.Web.Components.Pages;

public sealed partial class LinksPage
{
    private static readonly (string Column, string Label)[] Columns =
    [
        ("name", "Name"), ("source_name", "Source"), ("destination_name", "Destination"), ("vendor", "Vendor"),
        ("model", "Model"), ("subtype", "Subtype"), ("location", "Location"),
    ];

    private static readonly IEqualityComparer<Link> ById = new IdComparer<Link>(l => l.Id);

    private readonly GridFilters _filters = new();
    private MudTable<Link>? _table;
    private HashSet<Link> _selected = new(ById);
    private GridDeletion? _deletion;

    [Inject] private IDbContextFactory<EnmsDbContext> DbFactory { get; set; } = default!;
    [Inject] private InventoryEditor Editor { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private UserAccess Access { get; set; } = default!;

    private Task<TableData<Link>> LoadAsync(TableState state, CancellationToken ct) =>
        _filters.PageAsync(async request =>
        {
            var scope = await Access.PoolScopeAsync();
            await using var db = await DbFactory.CreateDbContextAsync(ct);
            var links = db.Links.AsNoTracking().InScope(scope).Include(l => l.Source).Include(l => l.Destination);
            return await InventoryGrids.Links.PageAsync(links, request, ct);
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

    private GridDeletion Deletion => _deletion ??= new(Dialogs, Access, Snackbar,
        new("link", "links", name => $"Delete {name}?", n => $"Delete {n} links?"), Editor.DeleteLinksAsync);

    private async Task DeleteOneAsync(Link link) => await AfterAsync(await Deletion.DeleteOneAsync(link.Id, link.Name));

    private async Task DeleteSelectedAsync() => await AfterAsync(await Deletion.DeleteManyAsync([.. _selected.Select(l => l.Id)]));

    private async Task AfterAsync(bool deleted)
    {
        if (deleted)
        {
            _selected = new HashSet<Link>(ById);
            if (_table is not null)
            {
                await _table.ReloadServerData();
            }
        }
    }
}
