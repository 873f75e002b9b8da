using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Core.Inventory.Editing;
using eNMS.Core.Security;
using eNMS.Web.Components.Shared;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace eNMS.Web.Components.Pages;

public sealed partial class PoolsPage
{
    private static readonly IEqualityComparer<PoolRow> ById = new IdComparer<PoolRow>(p => p.Id);

    private List<PoolRow>? _pools;
    private HashSet<PoolRow> _selected = new(ById);
    private GridDeletion? _deletion;
    private string? _search;

    [Inject] private IDbContextFactory<EnmsDbContext> DbFactory { get; set; } = default!;
    [Inject] private InventoryEditor Editor { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private UserAccess Access { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        // Pools are few (hundreds at most); member counts are computed in the database.
        var pools = await db.Pools.AsNoTracking().InScope(await Access.PoolScopeAsync())
            .Select(p => new { p.Id, p.Name, p.Description, p.Mode, p.Criteria, Devices = p.Devices.Count, Links = p.Links.Count })
            .ToListAsync();
        _pools = pools.Select(p => new PoolRow(p.Id, p.Name, p.Description, p.Mode, Summary(p.Criteria), p.Devices, p.Links))
            .OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    private bool Matches(PoolRow pool) => string.IsNullOrWhiteSpace(_search)
        || pool.Name.Contains(_search.Trim(), StringComparison.OrdinalIgnoreCase)
        || pool.Description.Contains(_search.Trim(), StringComparison.OrdinalIgnoreCase);

    private void Open(TableRowClickEventArgs<PoolRow> args)
    {
        if (args.Item is { } pool)
        {
            Navigation.NavigateTo($"pools/{pool.Id}/edit");
        }
    }

    private GridDeletion Deletion => _deletion ??= new(Dialogs, Access, Snackbar,
        new("pool", "pools", name => $"Delete the pool {name}? Its devices and links stay.", n => $"Delete {n} pools? Their devices and links stay."),
        Editor.DeletePoolsAsync);

    private async Task DeleteOneAsync(PoolRow pool) => await AfterAsync(await Deletion.DeleteOneAsync(pool.Id, pool.Name));

    private async Task DeleteSelectedAsync() => await AfterAsync(await Deletion.DeleteManyAsync([.. _selected.Select(p => p.Id)]));

    private async Task AfterAsync(bool deleted)
    {
        if (deleted)
        {
            _selected = new HashSet<PoolRow>(ById);
            await LoadAsync();
        }
    }

    internal static string Summary(IEnumerable<PoolCriterion> criteria) => string.Join(" and ", criteria.Select(c =>
        $"{(c.Invert ? "not " : "")}{c.Target.ToString().ToLowerInvariant()}.{c.Property} {c.Operator.ToString().ToLowerInvariant()}{(c.Operator == CriterionOperator.Empty ? "" : $" '{c.Value}'")}"));

    private sealed record PoolRow(int Id, string Name, string Description, PoolMode Mode, string CriteriaSummary, int Devices, int Links);
}
