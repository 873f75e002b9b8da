using eNMS.Core.Inventory;
using eNMS.Core.Inventory.Editing;
using eNMS.Web.Components.Shared;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace eNMS.Web.Components.Pages.Inventory;

public sealed partial class LinkEditPage : InventoryEditPage
{
    private static readonly string[] Shown = ["name", "color", "sourceId", "destinationId", "customProperties"];

    private LinkInput _input = new();
    private DeviceRef? _source;
    private DeviceRef? _destination;

    protected override async Task OnParametersSetAsync()
    {
        BreadcrumbItem? crumb = null;
        if (Id is int id)
        {
            await using var db = await Access.CreateScopedDbContextAsync();
            var link = await db.Links.AsNoTracking().Include(l => l.Source).Include(l => l.Destination).FirstOrDefaultAsync(l => l.Id == id);
            NotFound = link is null;
            if (link is not null)
            {
                _input = LinkInput.From(link);
                OriginalName = link.Name;
                _source = link.Source is { } s ? new DeviceRef(s.Id, s.Name, s.Address) : null;
                _destination = link.Destination is { } d ? new DeviceRef(d.Id, d.Name, d.Address) : null;
                crumb = new(link.Name, null, disabled: true);
            }
        }
        SetCrumbs("Links", "links", crumb);
    }

    /// <summary>The colour picker's value: the field's colour in the form it will be stored (#rrggbb), by the field's
    /// own rule, so a CSS name typed in the field shows too; black while the text is no colour.</summary>
    private string Swatch
    {
        get
        {
            var probe = new Link { Name = "" };
            return InventoryFields.Link.Find("color")!.Set(probe, _input.Color) is null ? probe.Color.ToLowerInvariant() : "#000000";
        }
    }

    private async Task<IEnumerable<DeviceRef>> SearchDevicesAsync(string? text, CancellationToken ct) => await DeviceRef.SearchAsync(DbFactory, text, await Access.PoolScopeAsync(), ct);

    private Task SaveAsync()
    {
        (_input.SourceId, _input.DestinationId) = (_source?.Id ?? 0, _destination?.Id ?? 0);
        return SaveAsync(_input.Name, ct => Editor.SaveLinkAsync(_input, ct), _ =>
        {
            Navigation.NavigateTo("links");
            return Task.CompletedTask;
        });
    }
}
