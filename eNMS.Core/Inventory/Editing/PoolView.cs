using System.Linq.Expressions;

namespace eNMS.Core.Inventory.Editing;

/// <summary>A pool with its current members' ids.</summary>
public sealed record PoolView(int Id, string Name, string Description, PoolMode Mode, List<PoolCriterion> Criteria,
    List<int> DeviceIds, List<int> LinkIds)
{
    public static Expression<Func<Pool, PoolView>> Projection { get; } = p =>
        new PoolView(p.Id, p.Name, p.Description, p.Mode, p.Criteria, p.Devices.Select(d => d.Id).ToList(), p.Links.Select(l => l.Id).ToList());
}
