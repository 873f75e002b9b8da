using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Core.Inventory.Editing;
using eNMS.Web.Components.Shared;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace eNMS.Web.Components.Pages.Inventory;

public sealed partial class PoolEditPage : InventoryEditPage
{
    private const int MembersShown = 200;
    private static readonly string[] Shown = ["name"];

    private PoolInput _input = new() { Mode = PoolMode.Dynamic };
    private List<DeviceRef> _devices = [];
    private List<LinkRef> _links = [];
    private List<DeviceRef> _memberDevices = [];
    private List<LinkRef> _memberLinks = [];
    private int _memberDeviceCount;
    private int _memberLinkCount;
    private List<string> _customDeviceProperties = [];
    private List<string> _customLinkProperties = [];

    protected override async Task OnParametersSetAsync()
    {
        BreadcrumbItem? crumb = null;
        if (Id is int id)
        {
            await using var db = await Access.CreateScopedDbContextAsync();
            var pool = await db.Pools.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id);
            NotFound = pool is null;
            if (pool is not null)
            {
                OriginalName = pool.Name;
                _input = new PoolInput
                {
                    Id = pool.Id,
                    Name = pool.Name,
                    Description = pool.Description,
                    Mode = pool.Mode,
                    Criteria = pool.Criteria.Select(c => new PoolCriterion { Target = c.Target, Property = c.Property, Operator = c.Operator, Value = c.Value, Invert = c.Invert }).ToList(),
                };
                await LoadMembersAsync(db, id);
                if (pool.Mode == PoolMode.Manual)
                {
                    // The manual picker starts from all current members, not only the ones shown.
                    _devices = await db.Pools.Where(p => p.Id == id).SelectMany(p => p.Devices).OrderBy(d => d.Name)
                        .Select(d => new DeviceRef(d.Id, d.Name, d.Address)).ToListAsync();
                    _links = await db.Pools.Where(p => p.Id == id).SelectMany(p => p.Links).OrderBy(l => l.Name)
                        .Select(l => new LinkRef(l.Id, l.Name)).ToListAsync();
                }
                crumb = new(pool.Name, null, disabled: true);
            }
        }
        SetCrumbs("Pools", "pools", crumb);
    }

    private async Task LoadMembersAsync(EnmsDbContext db, int id)
    {
        var members = db.Pools.Where(p => p.Id == id);
        _memberDeviceCount = await members.SelectMany(p => p.Devices).CountAsync();
        _memberLinkCount = await members.SelectMany(p => p.Links).CountAsync();
        _memberDevices = await members.SelectMany(p => p.Devices).OrderBy(d => d.Name).Take(MembersShown)
            .Select(d => new DeviceRef(d.Id, d.Name, d.Address)).ToListAsync();
        _memberLinks = await members.SelectMany(p => p.Links).OrderBy(l => l.Name).Take(MembersShown)
            .Select(l => new LinkRef(l.Id, l.Name)).ToListAsync();
    }

    private void AddCriterion() => _input.Criteria.Add(new PoolCriterion { Property = "name", Operator = CriterionOperator.Contains });

    /// <summary>Built-in field names, then custom property names seen in the inventory (sampled, so the list stays cheap).</summary>
    private async Task<IEnumerable<string>> PropertiesAsync(PoolTarget target, string? text)
    {
        if (_customDeviceProperties.Count == 0 && _customLinkProperties.Count == 0)
        {
            await using var db = await DbFactory.CreateDbContextAsync();
            _customDeviceProperties = (await db.Devices.AsNoTracking().Select(d => d.CustomProperties).Take(1000).ToListAsync())
                .SelectMany(ps => ps.Select(p => p.Name)).Distinct(StringComparer.OrdinalIgnoreCase).Order().ToList();
            _customLinkProperties = (await db.Links.AsNoTracking().Select(l => l.CustomProperties).Take(1000).ToListAsync())
                .SelectMany(ps => ps.Select(p => p.Name)).Distinct(StringComparer.OrdinalIgnoreCase).Order().ToList();
        }
        var names = target == PoolTarget.Device
            ? InventoryFields.Device.Names.Concat(_customDeviceProperties)
            : InventoryFields.Link.Names.Append("source").Append("destination").Concat(_customLinkProperties);
        var typed = text?.Trim() ?? "";
        var matches = names.Where(n => n.Contains(typed, StringComparison.OrdinalIgnoreCase)).ToList();
        // A name that is not listed is a custom property the user is about to use: offer it as typed.
        if (typed.Length > 0 && !matches.Contains(typed, StringComparer.OrdinalIgnoreCase))
        {
            matches.Add(typed);
        }
        return matches;
    }

    private async Task<IEnumerable<DeviceRef>> SearchDevicesAsync(string? text, CancellationToken ct) => await DeviceRef.SearchAsync(DbFactory, text, await Access.PoolScopeAsync(), ct);

    private async Task<IEnumerable<LinkRef>> SearchLinksAsync(string? text, CancellationToken ct) => await LinkRef.SearchAsync(DbFactory, text, await Access.PoolScopeAsync(), ct);

    private void AddDevice(DeviceRef? device)
    {
        if (device is not null && _devices.All(d => d.Id != device.Id))
        {
            _devices.Add(device);
        }
    }

    private void AddLink(LinkRef? link)
    {
        if (link is not null && _links.All(l => l.Id != link.Id))
        {
            _links.Add(link);
        }
    }

    private Task SaveAsync()
    {
        _input.DeviceIds = _devices.Select(d => d.Id).ToList();
        _input.LinkIds = _links.Select(l => l.Id).ToList();
        return SaveAsync(_input.Name, async ct => await Editor.SavePoolAsync(_input, await Access.PoolScopeAsync(), ct), async result =>
        {
            if (_input.Id == 0)
            {
                Navigation.NavigateTo($"pools/{result.Id}/edit");
                return;
            }
            await using var db = await DbFactory.CreateDbContextAsync();
            OriginalName = _input.Name.Trim();
            await LoadMembersAsync(db, result.Id);
        });
    }
}
