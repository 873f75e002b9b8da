using eNMS.Core.Inventory;
using eNMS.Core.Inventory.Querying;
using eNMS.Web.Components.Shared;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace eNMS.Web.Components.Pages;

public sealed partial class DevicesPage : InventoryGridPage<Device>
{
    public DevicesPage() : base(d => d.Id, d => d.Name,
        new("device", "devices", name => $"Delete {name}? Its links go with it.", n => $"Delete {n} devices? Their links go with them."))
    {
    }

    private static readonly (string Column, string Label)[] Columns =
    [
        ("name", "Name"), ("address", "Address"), ("platform", "Platform"), ("transport", "Transport"), ("vendor", "Vendor"),
        ("model", "Model"), ("os_version", "OS version"), ("location", "Location"),
    ];

    private readonly GridFilters _filters = new();
    private MudTable<Device>? _table;

    private Task<TableData<Device>> LoadAsync(TableState state, CancellationToken ct)
    {
        return _filters.PageAsync(async request =>
        {
            await using var db = await Access.CreateScopedDbContextAsync(ct);
            return await InventoryGrids.Devices.PageAsync(db, db.Devices.AsNoTracking(), request, ct);
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

    protected override Task<int> DeleteRowsAsync(IReadOnlyCollection<int> ids, CancellationToken ct) => Editor.DeleteDevicesAsync(ids, ct);

    protected override Task ReloadAsync() => _table?.ReloadServerData() ?? Task.CompletedTask;
}
