using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Data;

/// <summary>Contexts limited to a user's pools: what pages, endpoints and exports read through.</summary>
public static class ScopedContexts
{
    /// <summary>A context whose queries see only what a user limited to these pools may see (null: everything, as
    /// <c>CreateDbContextAsync</c>). Writes are not filtered: use cases check a scoped user's writes themselves
    /// (<see cref="Security.ScopeRules"/>).</summary>
    public static async Task<EnmsDbContext> CreateScopedAsync(this IDbContextFactory<EnmsDbContext> dbFactory, IReadOnlyList<int>? scopePoolIds,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dbFactory);
        var db = await dbFactory.CreateDbContextAsync(ct);
        db.ScopePoolIds = scopePoolIds;
        return db;
    }
}
