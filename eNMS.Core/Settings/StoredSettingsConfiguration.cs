using Microsoft.Extensions.Configuration;

namespace eNMS.Core.Settings;

/// <summary>The database's settings as a configuration source. Added first, so every other source (appsettings,
/// environment, command line) wins over it. It starts empty: <see cref="RuntimeSettings"/> fills it once the database
/// is migrated, and again whenever a setting changes here or on another node, which fires the reload token that
/// <c>IOptionsMonitor</c> listens to.</summary>
public sealed class StoredSettingsConfigurationSource : IConfigurationSource
{
    public StoredSettingsConfigurationProvider Provider { get; } = new();

    // The same provider whenever the configuration is rebuilt (a source added later rebuilds every provider).
    public IConfigurationProvider Build(IConfigurationBuilder builder) => Provider;
}

public sealed class StoredSettingsConfigurationProvider : ConfigurationProvider
{
    /// <summary>Replaces every value and signals the change.</summary>
    public void Publish(IDictionary<string, string?> values)
    {
        Data = new Dictionary<string, string?>(values, StringComparer.OrdinalIgnoreCase);
        OnReload();
    }

    public override string ToString() => "eNMS settings (database)";
}
