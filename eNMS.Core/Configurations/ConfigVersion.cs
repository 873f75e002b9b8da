namespace eNMS.Core.Configurations;

/// <summary>One distinct running configuration of a device, kept when a backup found it changed.</summary>
public sealed class ConfigVersion
{
    public long Id { get; set; }
    public int DeviceId { get; set; }
    public string DeviceName { get; set; } = "";
    public int? RunId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string Config { get; set; } = "";
    /// <summary>SHA-256 of the normalized configuration: equal hashes mean no change.</summary>
    public string Hash { get; set; } = "";
}
