using eNMS.Core.Data;
using eNMS.Core.Inventory.Editing;
using eNMS.Core.Security;
using eNMS.Web.Components.Shared;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace eNMS.Web.Components.Pages;

public sealed partial class DeviceEditPage
{
    private static readonly string[] Shown = ["name", "port", "latitude", "longitude", "credentialId", "customProperties"];

    private readonly FormErrors _errors = new();
    private DeviceInput _input = new();
    private List<(int Id, string Name)> _credentials = [];
    private List<BreadcrumbItem> _crumbs = [];
    private string _originalName = "";
    private int _credentialId;
    private bool _notFound;
    private bool _saving;

    [Parameter] public int? Id { get; set; }

    [Inject] private IDbContextFactory<EnmsDbContext> DbFactory { get; set; } = default!;
    [Inject] private InventoryEditor Editor { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private UserAccess Access { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        _credentials = (await db.Credentials.AsNoTracking().OrderBy(c => c.Name).Select(c => new { c.Id, c.Name }).ToListAsync())
            .Select(c => (c.Id, c.Name)).ToList();
        _crumbs = [new("Devices", "devices")];
        if (Id is int id)
        {
            var device = await db.Devices.AsNoTracking().InScope(await Access.PoolScopeAsync()).FirstOrDefaultAsync(d => d.Id == id);
            _notFound = device is null;
            if (device is not null)
            {
                _input = DeviceInput.From(device);
                _originalName = device.Name;
                _credentialId = device.CredentialId ?? 0;
                _crumbs.Add(new(device.Name, $"devices/{id}"));
            }
        }
        _crumbs.Add(new(Id is null ? "New" : "Edit", null, disabled: true));
    }

    private async Task SaveAsync()
    {
        if (!await Access.AllowsAsync(Policies.InventoryWrite, Snackbar))
        {
            return;
        }
        _saving = true;
        try
        {
            _input.CredentialId = _credentialId == 0 ? null : _credentialId;
            var result = await Editor.SaveDeviceAsync(_input, CancellationToken.None);
            _errors.Set(result);
            if (result.Succeeded)
            {
                Snackbar.Add($"Saved {_input.Name.Trim()}.", Severity.Success);
                Navigation.NavigateTo($"devices/{result.Id}");
            }
        }
        finally
        {
            _saving = false;
        }
    }
}
