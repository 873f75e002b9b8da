using eNMS.Core.Inventory;
using eNMS.Core.Inventory.Editing;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace eNMS.Web.Components.Pages.Inventory;

public sealed partial class DeviceEditPage : InventoryEditPage
{
    private static readonly string[] Shown = ["name", "address", "platform", "transport", "port", "gatewayIds", "latitude", "longitude", "credentialId", "customProperties"];

    private DeviceInput _input = new() { Port = 22 };
    private List<(int Id, string Name)> _credentials = [];
    private int _credentialId;
    private string _gateways = "";

    protected override async Task OnParametersSetAsync()
    {
        await using var db = await Access.CreateScopedDbContextAsync();
        _credentials = (await db.Credentials.AsNoTracking().OrderBy(c => c.Name).Select(c => new { c.Id, c.Name }).ToListAsync())
            .Select(c => (c.Id, c.Name)).ToList();
        BreadcrumbItem? crumb = null;
        if (Id is int id)
        {
            var device = await db.Devices.AsNoTracking()
                .Include(d => d.Gateways).ThenInclude(g => g.Gateway).FirstOrDefaultAsync(d => d.Id == id);
            NotFound = device is null;
            if (device is not null)
            {
                _input = DeviceInput.From(device);
                OriginalName = device.Name;
                _credentialId = device.CredentialId ?? 0;
                _gateways = string.Join(", ", device.Gateways.OrderBy(g => g.Priority).Select(g => g.Gateway?.Name).OfType<string>());
                crumb = new(device.Name, $"devices/{id}");
            }
        }
        SetCrumbs("Devices", "devices", crumb);
    }

    /// <summary>A port that was the old transport's usual one follows the transport (22 ↔ 23); any other stays.</summary>
    private void TransportChanged(string transport)
    {
        if (_input.Port is null || _input.Port == DeviceTransports.DefaultPort(_input.Transport))
        {
            _input.Port = DeviceTransports.DefaultPort(transport);
        }
        _input.Transport = transport;
    }

    private async Task SaveAsync()
    {
        _input.CredentialId = _credentialId == 0 ? null : _credentialId;
        var names = _gateways.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        await using (var db = await Access.CreateScopedDbContextAsync())
        {
            var ids = await db.Devices.AsNoTracking().Where(d => names.Contains(d.Name))
                .ToDictionaryAsync(d => d.Name, d => d.Id);
            if (names.FirstOrDefault(n => !ids.ContainsKey(n)) is { } unknown)
            {
                Errors.Set(EditResult.Invalid(new Dictionary<string, string> { ["gatewayIds"] = $"No device is named '{unknown}'." }));
                return;
            }
            _input.GatewayIds = [.. names.Select(n => ids[n])];
        }
        await SaveDeviceAsync();
    }

    private Task SaveDeviceAsync()
    {
        return SaveAsync(_input.Name, ct => Editor.SaveDeviceAsync(_input, ct), result =>
        {
            Navigation.NavigateTo($"devices/{result.Id}");
            return Task.CompletedTask;
        });
    }
}
