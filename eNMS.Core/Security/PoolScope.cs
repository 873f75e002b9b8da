using eNMS.Core.Inventory;

namespace eNMS.Core.Security;

/// <summary>Limits device queries to a user's pools (null scope: every device).</summary>
public static class PoolScope
{
    public static IQueryable<Device> InScope(this IQueryable<Device> devices, IReadOnlyList<int>? scopePoolIds) =>
        scopePoolIds is null ? devices : devices.Where(d => d.Pools.Any(p => scopePoolIds.Contains(p.Id)));
}
