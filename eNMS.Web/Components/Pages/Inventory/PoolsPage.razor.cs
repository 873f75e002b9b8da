using eNMS.Core.Inventory;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace eNMS.Web.Components.Pages.Inventory;

public sealed partial class PoolsPage : InventoryGridPage<PoolsPage.PoolRow>
{
    public PoolsPage() : base(p => p.Id, p => p.Name,
        new("pool", "pools", name => $"Delete the pool {name}? Its devices and links stay.", n => $"Delete {n} pools? Their devices and links stay."))
    {
    }

    private List<PoolRow>? _pools;
    private string? _search;

    protected override Task OnInitializedAsync() => ReloadAsync();

    protected override async Task ReloadAsync()
    {
        await using var db = await Access.CreateScopedDbContextAsync();
        // Pools are few (hundreds at most); member counts are computed in the database.
        var pools = await db.Pools.AsNoTracking()
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

    protected override async Task<int> DeleteRowsAsync(IReadOnlyCollection<int> ids, CancellationToken ct) =>
        await Editor.DeletePoolsAsync(ids, await Access.PoolScopeAsync(), ct);

    internal static string Summary(IEnumerable<PoolCriterion> criteria) => string.Join(" and ", criteria.Select(c =>
        $"{(c.Invert ? "not " : "")}{c.Target.ToString().ToLowerInvariant()}.{c.Property} {c.Operator.ToString().ToLowerInvariant()}{(c.Operator == CriterionOperator.Empty ? "" : $" '{c.Value}'")}"));

    public sealed record PoolRow(int Id, string Name, string Description, PoolMode Mode, string CriteriaSummary, int Devices, int Links);
}
