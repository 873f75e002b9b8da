namespace eNMS.Core.Configurations;

/// <summary>Bound from "Configurations".</summary>
public sealed class ConfigurationOptions
{
    /// <summary>A backup smaller than the device's last good version by more than this share (0.5: half) is flagged
    /// instead of kept: a configuration rarely loses half its lines, an output cut short often does. 1 turns it off.</summary>
    public double MaxShrinkShare { get; set; } = 0.5;
}
