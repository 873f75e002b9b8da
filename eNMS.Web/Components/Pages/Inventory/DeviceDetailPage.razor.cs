using eNMS.Core.Automation;
using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Core.Inventory.Editing;
using eNMS.Core.Security;
using eNMS.Web.Components.Shared;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace eNMS.Web.Components.Pages.Inventory;

public sealed partial class DeviceDetailPage
{
    private Device? _device;
    private Credential? _credential;
    private List<Link> _links = [];
    private List<RunResult> _history = [];
    private const int HistorySize = 15;
    private List<BreadcrumbItem> _crumbs = [];
    private bool _loaded;

    [Parameter] public int Id { get; set; }

    [Inject] private IDbContextFactory<EnmsDbContext> DbFactory { get; set; } = default!;
    [Inject] private InventoryEditor Editor { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private UserAccess Access { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        // A user limited to some pools sees neither the devices outside them, nor the links that reach such devices, nor
        // the other pools a device is in.
        await using (var scoped = await Access.CreateScopedDbContextAsync())
        {
            _device = await scoped.Devices.AsNoTracking().Include(d => d.Pools)
                .Include(d => d.Gateways).ThenInclude(g => g.Gateway).FirstOrDefaultAsync(d => d.Id == Id);
            _links = _device is null ? [] : await scoped.Links.AsNoTracking().Include(l => l.Source).Include(l => l.Destination)
                .Where(l => l.SourceId == Id || l.DestinationId == Id).OrderBy(l => l.Name).ToListAsync();
            // What ran on it: each run's outcome on this device (its run-level result), newest first.
            _history = _device is null ? [] : await scoped.RunResults.AsNoTracking().Where(r => r.DeviceId == Id && r.Node == RunResult.RunLevel)
                .OrderByDescending(r => r.Id).Take(HistorySize).ToListAsync();
        }
        // The credential a run would use, resolved as the engine does (unscoped: by every pool the device is in). The
        // resolver returns a tracked entity whose secrets never reach the markup: only name and username are shown.
        await using var db = await DbFactory.CreateDbContextAsync();
        _credential = _device is null ? null : await CredentialResolver.ResolveAsync(db, Id, CancellationToken.None);
        _crumbs = [new("Devices", "devices"), new(_device?.Name ?? $"#{Id}", null, disabled: true)];
        _loaded = true;
    }

    private async Task DeleteAsync()
    {
        if (!await Access.AllowsAsync(Policies.InventoryWrite, Snackbar))
        {
            return;
        }
        if (_device is { } device && await Dialogs.DeleteAsync("Delete device", $"Delete {device.Name}? Its links go with it."))
        {
            await Editor.DeleteDevicesAsync([device.Id], CancellationToken.None);
            Snackbar.Add($"Deleted {device.Name}.", Severity.Success);
            Navigation.NavigateTo("devices");
        }
    }
}
