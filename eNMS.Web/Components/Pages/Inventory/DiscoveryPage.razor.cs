using eNMS.Core.Data;
using eNMS.Core.Discovery;
using eNMS.Core.Security;
using eNMS.Web.Components.Shared;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace eNMS.Web.Components.Pages.Inventory;

/// <summary>Seeds → preview (reads LLDP, writes nothing) → the chosen links committed, as the import page does for sheets.</summary>
public sealed partial class DiscoveryPage
{
    private readonly List<DeviceRef> _seeds = [];
    private MudAutocomplete<DeviceRef>? _picker;
    private DiscoveryPreview? _preview;
    private List<Row> _rows = [];
    private List<UnknownRow> _unknown = [];
    private bool _scoped;
    private DiscoveryCommitResult? _committed;
    private string? _error;
    private bool _busy;

    [Inject] private TopologyDiscovery Discovery { get; set; } = default!;
    [Inject] private IDbContextFactory<EnmsDbContext> DbFactory { get; set; } = default!;
    [Inject] private UserAccess Access { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    /// <summary>A proposed link and whether it is chosen for the commit (all are, at first).</summary>
    private sealed class Row(ProposedLink link)
    {
        public ProposedLink Link { get; } = link;

        public bool Chosen { get; set; } = true;
    }

    /// <summary>An unknown neighbour, not chosen at first, with the name, address and platform it would get (from what it
    /// advertised; editable).</summary>
    private sealed class UnknownRow(UnknownNeighbor neighbor)
    {
        public UnknownNeighbor Neighbor { get; } = neighbor;

        public bool Chosen { get; set; }

        public string Name { get; set; } = neighbor.Hostname.Length > 0 ? neighbor.Hostname : neighbor.ManagementAddress;

        public string Address { get; set; } = neighbor.ManagementAddress;

        public string Platform { get; set; } = neighbor.PlatformGuess;

        public NewDevice ToNewDevice() => new(Name, Address, Platform, Neighbor.SeenFromId, Neighbor.LocalInterface, Neighbor.Port, Neighbor.ChassisId);
    }

    private int ChosenCount => _rows.Count(r => r.Chosen) + _unknown.Count(r => r.Chosen);

    private async Task<IEnumerable<DeviceRef>> SearchDevices(string text, CancellationToken ct) =>
        await DeviceRef.SearchAsync(DbFactory, text, await Access.PoolScopeAsync(), ct);

    private async Task AddSeedAsync(DeviceRef? device)
    {
        if (device is not null && _seeds.All(d => d.Id != device.Id) && _seeds.Count < TopologyDiscovery.MaxSeeds)
        {
            _seeds.Add(device);
        }
        if (_picker is not null)
        {
            await _picker.ClearAsync();
        }
    }

    private async Task PreviewAsync()
    {
        (_busy, _error, _committed) = (true, null, null);
        try
        {
            var scope = await Access.PoolScopeAsync();
            _scoped = scope is not null;
            _preview = await Discovery.PreviewAsync(new DiscoveryRequest(_seeds.Select(s => s.Id).ToList()), scope, CancellationToken.None);
            _rows = [.. _preview.NewLinks.Concat(_preview.ChangedLinks).Select(l => new Row(l))];
            _unknown = [.. _preview.UnknownNeighbors.Select(n => new UnknownRow(n))];
        }
        catch (Exception e) when (e is DiscoveryRequestException or OutOfScopeException)
        {
            (_preview, _rows, _unknown, _error) = (null, [], [], e.Message);
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task CommitAsync()
    {
        if (!await Access.AllowsAsync(Policies.InventoryWrite, Snackbar))
        {
            return;
        }
        _busy = true;
        try
        {
            var chosen = _rows.Where(r => r.Chosen).Select(r => r.Link).ToList();
            var devices = _unknown.Where(r => r.Chosen).Select(r => r.ToNewDevice()).ToList();
            _committed = await Discovery.CommitAsync(new DiscoveryCommit(chosen, devices), await Access.PoolScopeAsync(), await Access.ActorAsync(), CancellationToken.None);
            _rows = [.. _rows.Where(r => !r.Chosen)];
            _unknown = [.. _unknown.Where(r => !r.Chosen)];
            Snackbar.Add($"Discovery committed: {_committed.Created.Count} links and {_committed.CreatedDevices.Count} devices created, {_committed.Changed.Count} links changed.", Severity.Success);
        }
        catch (Exception e) when (e is DiscoveryRequestException or OutOfScopeException)
        {
            _error = e.Message;
        }
        finally
        {
            _busy = false;
        }
    }
}
