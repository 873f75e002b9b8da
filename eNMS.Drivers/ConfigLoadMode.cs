namespace eNMS.Drivers;

/// <summary>How a candidate configuration combines with the running one.</summary>
public enum ConfigLoadMode
{
    /// <summary>The candidate's lines are added to the running configuration.</summary>
    Merge,

    /// <summary>The candidate becomes the whole running configuration: what it lacks is removed.</summary>
    Replace,
}
