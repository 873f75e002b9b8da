using eNMS.Core.Data;
using eNMS.Core.Inventory.Editing;
using eNMS.Core.Security;
using eNMS.Web.Components.Shared;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace eNMS.Web.Components.Pages;

public sealed partial class LinkEditPage
{
    private static readonly string[] Shown = ["name", "sourceId", "destinationId", "customProperties"];

    private readonly FormErrors _errors = new();
    private LinkInput _input = new();
    private DeviceRef? _source;
    private DeviceRef? _destination;
    private List<BreadcrumbItem> _crumbs = [];
    private string _originalName = "";
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
        _crumbs = [new("Links", "links")];
        if (Id is int id)
        {
            await using var db = await DbFactory.CreateDbContextAsync();
            var link = await db.Links.AsNoTracking().InScope(await Access.PoolScopeAsync()).Include(l => l.Source).Include(l => l.Destination).FirstOrDefaultAsync(l => l.Id == id);
            _notFound = link is null;
            if (link is not null)
            {
                _input = LinkInput.From(link);
                _originalName = link.Name;
                _source = link.Source is { } s ? new DeviceRef(s.Id, s.Name, s.Address) : null;
                _destination = link.Destination is { } d ? new DeviceRef(d.Id, d.Name, d.Address) : null;
                _crumbs.Add(new(link.Name, null, disabled: true));
            }
        }
        _crumbs.Add(new(Id is null ? "New" : "Edit", null, disabled: true));
    }

    private async Task<IEnumerable<DeviceRef>> SearchDevicesAsync(string? text, CancellationToken ct) => await DeviceRef.SearchAsync(DbFactory, text, await Access.PoolScopeAsync(), ct);

    private async Task SaveAsync()
    {
        if (!await Access.AllowsAsync(Policies.InventoryWrite, Snackbar))
        {
            return;
        }
        _saving = true;
        try
        {
            (_input.SourceId, _input.DestinationId) = (_source?.Id ?? 0, _destination?.Id ?? 0);
            var result = await Editor.SaveLinkAsync(_input, CancellationToken.None);
            _errors.Set(result);
            if (result.Succeeded)
            {
                Snackbar.Add($"Saved {_input.Name.Trim()}.", Severity.Success);
                Navigation.NavigateTo("links");
            }
        }
        finally
        {
            _saving = false;
        }
    }
}
