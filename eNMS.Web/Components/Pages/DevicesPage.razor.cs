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

public sealed partial class DevicesPage
{
    private static readonly (string Column, string Label)[] Columns =
    [
        ("name", "Name"), ("address", "Address"), ("platform", "Platform"), ("vendor", "Vendor"),
        ("model", "Model"), ("os_version", "OS version"), ("location", "Location"),
    ];

    private static readonly IEqualityComparer<Device> ById = new IdComparer<Device>(d => d.Id);

    private readonly GridFilters _filters = new();
    private MudTable<Device>? _table;
    private HashSet<Device> _selected = new(ById);
    private GridDeletion? _deletion;

    [Inject] private IDbContextFactory<EnmsDbContext> DbFactory { get; set; } = default!;
    [Inject] private InventoryEditor Editor { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private UserAccess Access { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    private Task<TableData<Device>> LoadAsync(TableState state, CancellationToken ct)
    {
        return _filters.PageAsync(async request =>
        {
            var scope = await Access.PoolScopeAsync();
            await using var db = await DbFactory.CreateDbContextAsync(ct);
            return await InventoryGrids.Devices.PageAsync(db.Devices.AsNoTracking().InScope(scope), request, ct);
        }, state);
    }

    private async Task FilterAsync(string column, string? value)
    {
        _filters[column] = value ?? "";
        if (_table is not null)
        {
            await _table.ReloadServerData();
        }
    }

    private void OpenAsync(TableRowClickEventArgs<Device> args)
    {
        if (args.Item is { } device)
        {
            Navigation.NavigateTo($"devices/{device.Id}");
        }
    }

    private GridDeletion Deletion => _deletion ??= new(Dialogs, Access, Snackbar,
        new("device", "devices", name => $"Delete {name}? Its links go with it.", n => $"Delete {n} devices? Their links go with them."),
        Editor.DeleteDevicesAsync);

    private async Task DeleteOneAsync(Device device) => await AfterAsync(await Deletion.DeleteOneAsync(device.Id, device.Name));

    private async Task DeleteSelectedAsync() => await AfterAsync(await Deletion.DeleteManyAsync([.. _selected.Select(d => d.Id)]));

    private async Task AfterAsync(bool deleted)
    {
        if (deleted)
        {
            _selected = new HashSet<Device>(ById);
            if (_table is not null)
            {
                await _table.ReloadServerData();
            }
        }
    }
}
