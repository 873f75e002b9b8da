using eNMS.Core.Inventory.Editing;
using eNMS.Core.Security;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace eNMS.Web.Components.Pages;

public sealed partial class DeviceEditPage : InventoryEditPage
{
    private static readonly string[] Shown = ["name", "address", "platform", "port", "latitude", "longitude", "credentialId", "customProperties"];

    private DeviceInput _input = new();
    private List<(int Id, string Name)> _credentials = [];
    private int _credentialId;

    protected override async Task OnParametersSetAsync()
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        _credentials = (await db.Credentials.AsNoTracking().OrderBy(c => c.Name).Select(c => new { c.Id, c.Name }).ToListAsync())
            .Select(c => (c.Id, c.Name)).ToList();
        BreadcrumbItem? crumb = null;
        if (Id is int id)
        {
            var device = await db.Devices.AsNoTracking().InScope(await Access.PoolScopeAsync()).FirstOrDefaultAsync(d => d.Id == id);
            NotFound = device is null;
            if (device is not null)
            {
                _input = DeviceInput.From(device);
                OriginalName = device.Name;
                _credentialId = device.CredentialId ?? 0;
                crumb = new(device.Name, $"devices/{id}");
            }
        }
        SetCrumbs("Devices", "devices", crumb);
    }

    private Task SaveAsync()
    {
        _input.CredentialId = _credentialId == 0 ? null : _credentialId;
        return SaveAsync(_input.Name, ct => Editor.SaveDeviceAsync(_input, ct), result =>
        {
            Navigation.NavigateTo($"devices/{result.Id}");
            return Task.CompletedTask;
        });
    }
}
