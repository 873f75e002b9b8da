using eNMS.Core.Data;
using eNMS.Core.Inventory.Querying;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Web.Components.Shared;

/// <summary>A link as pickers show it.</summary>
public sealed record LinkRef(int Id, string Name)
{
    public override string ToString() => Name;

    /// <summary>Up to 20 links whose name matches the text (the grid filter syntax), searched in the database
    /// among those the user's pool scope allows (null: all).</summary>
    public static async Task<IEnumerable<LinkRef>> SearchAsync(IDbContextFactory<EnmsDbContext> dbFactory, string? text, IReadOnlyList<int>? scope, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dbFactory);
        await using var db = await dbFactory.CreateScopedAsync(scope, ct);
        var filters = new Dictionary<string, string> { ["name"] = text ?? "" };
        try
        {
            var page = await InventoryGrids.Links.PageAsync(db, db.Links.AsNoTracking(), new GridRequest(filters, "name", PageSize: 20), ct);
            return page.Items.Select(l => new LinkRef(l.Id, l.Name)).ToList();
        }
        catch (ArgumentException)
        {
            return [];
        }
    }
}
