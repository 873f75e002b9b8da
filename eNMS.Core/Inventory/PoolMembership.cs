using eNMS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Inventory;

/// <summary>Keeps dynamic pools' members equal to what their criteria select.</summary>
public static class PoolMembership
{
    /// <summary>Device criteria select devices, link criteria select links; a pool with no criteria for a kind
    /// has no members of that kind.</summary>
    public static void Recompute(Pool pool, IEnumerable<Device> devices, IEnumerable<Link> links)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (pool.Mode != PoolMode.Dynamic)
        {
            return;
        }
        var deviceCriteria = pool.Criteria.Where(c => c.Target == PoolTarget.Device).ToList();
        var linkCriteria = pool.Criteria.Where(c => c.Target == PoolTarget.Link).ToList();
        pool.Devices = deviceCriteria.Count == 0 ? [] : devices.Where(d => Matches(deviceCriteria, d)).ToList();
        pool.Links = linkCriteria.Count == 0 ? [] : links.Where(l => linkCriteria.All(c => c.Matches(InventoryFields.ValueOf(l, c.Property)))).ToList();
    }

    public static bool Matches(IEnumerable<PoolCriterion> criteria, Device device) =>
        criteria.All(c => c.Matches(InventoryFields.ValueOf(device, c.Property)));

    /// <summary>Recomputes every dynamic pool within the caller's context (and transaction), then saves.</summary>
    public static async Task RecomputeAllAsync(EnmsDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var dynamicPools = await db.Pools.Where(p => p.Mode == PoolMode.Dynamic)
            .Include(p => p.Devices).Include(p => p.Links).ToListAsync(ct);
        if (dynamicPools.Count == 0)
        {
            return;
        }
        var devices = await db.Devices.ToListAsync(ct);
        var links = await db.Links.Include(l => l.Source).Include(l => l.Destination).ToListAsync(ct);
        foreach (var pool in dynamicPools)
        {
            Recompute(pool, devices, links);
        }
        await db.SaveChangesAsync(ct);
    }

    public static async Task RecomputeAllAsync(IDbContextFactory<EnmsDbContext> dbFactory, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dbFactory);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await RecomputeAllAsync(db, ct);
    }

    /// <summary>Puts one device into exactly the dynamic pools that select it (its <c>Pools</c> must be loaded).
    /// Cheap enough to call on every device save, unlike a full recompute over 100,000 devices.</summary>
    public static async Task RefreshAsync(EnmsDbContext db, Device device, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(device);
        Refresh(device, await db.Pools.Where(p => p.Mode == PoolMode.Dynamic).ToListAsync(ct));
    }

    /// <summary><see cref="RefreshAsync(EnmsDbContext, Device, CancellationToken)"/> with the dynamic pools already
    /// loaded (tracked by the device's context), for many devices in one go.</summary>
    public static void Refresh(Device device, IEnumerable<Pool> dynamicPools)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(dynamicPools);
        foreach (var pool in dynamicPools.Where(p => p.Mode == PoolMode.Dynamic))
        {
            var criteria = pool.Criteria.Where(c => c.Target == PoolTarget.Device).ToList();
            var member = criteria.Count > 0 && Matches(criteria, device);
            var current = device.Pools.FirstOrDefault(p => p.Id == pool.Id);
            if (member && current is null)
            {
                device.Pools.Add(pool);
            }
            else if (!member && current is not null)
            {
                device.Pools.Remove(current);
            }
        }
    }

    public static async Task RefreshAsync(EnmsDbContext db, Link link, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(link);
        var dynamicPools = await db.Pools.Where(p => p.Mode == PoolMode.Dynamic).ToListAsync(ct);
        foreach (var pool in dynamicPools)
        {
            var criteria = pool.Criteria.Where(c => c.Target == PoolTarget.Link).ToList();
            var member = criteria.Count > 0 && criteria.All(c => c.Matches(InventoryFields.ValueOf(link, c.Property)));
            var current = link.Pools.FirstOrDefault(p => p.Id == pool.Id);
            if (member && current is null)
            {
                link.Pools.Add(pool);
            }
            else if (!member && current is not null)
            {
                link.Pools.Remove(current);
            }
        }
    }
}
