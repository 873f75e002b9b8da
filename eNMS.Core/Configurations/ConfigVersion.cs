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
    /// <summary>Why this backup is not a complete configuration (cut, garbled, shrunk, no end marker); null for a
    /// good version. A flagged attempt is kept so it can be seen, but never becomes the device's current version.</summary>
    public string? Flag { get; set; }
}

/// <summary>A version without its text, for timelines.</summary>
public sealed record ConfigVersionInfo(long Id, int DeviceId, string DeviceName, DateTimeOffset CreatedAt, int? RunId, string Hash, int Length, string? Flag = null)
{
    /// <summary>The version's place in its device's history (1 for the oldest kept), what people call it: the id is
    /// global, so one device's versions would read #23, #31, #58. Computed from the order, not stored.</summary>
    public int Number { get; init; }
}

/// <summary>What a backup did: <paramref name="Stored"/> is the new version, the unchanged current one, or the flagged
/// attempt (then <paramref name="Flag"/> says why and <paramref name="Previous"/> is the good version that stays current).</summary>
public sealed record BackupOutcome(bool Changed, ConfigVersion Stored, ConfigVersion? Previous, string? Flag);

/// <summary>A backup that found a change: the new version and the one it replaced.</summary>
public sealed record ConfigChange(long VersionId, long PreviousVersionId, int DeviceId, string DeviceName, DateTimeOffset CreatedAt, int? RunId);
