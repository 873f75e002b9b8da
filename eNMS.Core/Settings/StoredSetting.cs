namespace eNMS.Core.Settings;

/// <summary>A setting changed in the admin page or API: the lowest-priority configuration source, under whatever
/// appsettings, the environment and the command line set. A secret's <see cref="Value"/> is encrypted with the
/// instance's key ring; a list is stored one entry per line.</summary>
public sealed class StoredSetting
{
    /// <summary>The configuration key, e.g. <c>Automation:Smtp:Host</c>.</summary>
    public string Key { get; set; } = "";
    public string Value { get; set; } = "";
    public DateTimeOffset ChangedAt { get; set; }
    public string ChangedBy { get; set; } = "";
}
