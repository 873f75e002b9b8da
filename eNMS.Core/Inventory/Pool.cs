namespace eNMS.Core.Inventory;

public enum PoolMode
{
    /// <summary>Members follow the criteria and are recomputed when devices, links or criteria change.</summary>
    Dynamic,
    /// <summary>Members are chosen by hand.</summary>
    Manual,
}

public sealed class Pool
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    public PoolMode Mode { get; set; }
    /// <summary>All AND-ed. An empty list matches nothing, so a new dynamic pool never grabs the whole network.</summary>
    public List<PoolCriterion> Criteria { get; set; } = [];
    public List<Device> Devices { get; set; } = [];
    public List<Link> Links { get; set; } = [];
    public List<Credential> Credentials { get; set; } = [];
}
