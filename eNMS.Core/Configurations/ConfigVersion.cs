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

/// <summary>A version without its text, for timelines.</summary>
public sealed record ConfigVersionInfo(long Id, int DeviceId, string DeviceName, DateTimeOffset CreatedAt, int? RunId, string Hash, int Length);

/// <summary>A backup that found a change: the new version and the one it replaced.</summary>
public sealed record ConfigChange(long VersionId, long PreviousVersionId, int DeviceId, string DeviceName, DateTimeOffset CreatedAt, int? RunId);
