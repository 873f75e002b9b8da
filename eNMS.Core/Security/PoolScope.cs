using eNMS.Core.Inventory;

namespace eNMS.Core.Security;

/// <summary>
/// Limits inventory queries to a user's pools (null scope: everything). A scoped user sees the devices of those pools,
/// the links whose two ends are such devices (a link to any other device would name it) and those pools themselves.
/// </summary>
public static class PoolScope
{
    public static IQueryable<Device> InScope(this IQueryable<Device> devices, IReadOnlyList<int>? scopePoolIds) =>
        scopePoolIds is null ? devices : devices.Where(d => d.Pools.Any(p => scopePoolIds.Contains(p.Id)));

    public static IQueryable<Link> InScope(this IQueryable<Link> links, IReadOnlyList<int>? scopePoolIds) =>
        scopePoolIds is null ? links : links.Where(l => l.Source!.Pools.Any(p => scopePoolIds.Contains(p.Id))
            && l.Destination!.Pools.Any(p => scopePoolIds.Contains(p.Id)));

    public static IQueryable<Pool> InScope(this IQueryable<Pool> pools, IReadOnlyList<int>? scopePoolIds) =>
        scopePoolIds is null ? pools : pools.Where(p => scopePoolIds.Contains(p.Id));
}
