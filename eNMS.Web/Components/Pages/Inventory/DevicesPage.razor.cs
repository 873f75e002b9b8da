using eNMS.Core.Export;
using eNMS.Core.Inventory;
using eNMS.Core.Inventory.Editing;
using eNMS.Core.Inventory.Querying;
using eNMS.Core.Security;
using eNMS.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace eNMS.Web.Components.Pages.Inventory;

public sealed partial class DevicesPage : InventoryGridPage<Device>
{
    public DevicesPage() : base(d => d.Id, d => d.Name,
        new("device", "devices", name => $"Delete {name}? Its links go with it.", n => $"Delete {n} devices? Their links go with them."))
    {
    }

    /// <summary>Every column the grid can show (the chooser's list); the first eight are shown until the user chooses.</summary>
    private static readonly TableColumn[] AllColumns =
    [
        new("name", "Name"), new("address", "Address"), new("platform", "Platform"), new("transport", "Transport"), new("vendor", "Vendor"),
        new("model", "Model"), new("os_version", "OS version"), new("location", "Location"), new("operating_system", "Operating system"),
        new("description", "Description"), new("simulated", "Simulated"),
    ];

    private static readonly HashSet<string> Monospaced = ["address", "platform"];

    private readonly HashSet<string> _visible = [.. AllColumns.Take(8).Select(c => c.Key)];
    private bool _bulkOpen;
    private string? _bulkField;
    private string? _bulkValue;
    private string? _bulkError;

    [Inject] private DeviceBulkEditor BulkEditor { get; set; } = default!;

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

    private Task<GridRows> ExportRowsAsync(CancellationToken ct) =>
        _filters.ExportAsync(async request =>
        {
            await using var db = await Access.CreateScopedDbContextAsync(ct);
            return await InventoryGrids.Devices.PageAsync(db, db.Devices.AsNoTracking(), request, ct);
        }, device => AllColumns.ToDictionary(c => c.Key, c => InventoryFields.ValueOf(device, c.Key)));

    /// <summary>Sets the chosen field on the selected devices through the Core editor, which checks the value, the
    /// user's pools and writes one audit entry per device.</summary>
    private async Task BulkEditAsync()
    {
        if (_bulkField is null)
        {
            return;
        }
        if (!await Access.CanAsync(Policies.InventoryWrite))
        {
            _bulkError = "Your role may not change the inventory.";
            return;
        }
        var result = await BulkEditor.SetFieldAsync([.. Selected.Select(d => d.Id)], _bulkField, _bulkValue ?? "", await Access.PoolScopeAsync(), CancellationToken.None);
        if (!result.Succeeded)
        {
            _bulkError = result.Problem;
            return;
        }
        Snackbar.Add($"{_bulkField} set on {Selected.Count} device(s), {result.Changed} changed.", Severity.Success);
        (_bulkOpen, _bulkError, _bulkValue) = (false, null, null);
        await ReloadAsync();
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
