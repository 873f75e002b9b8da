using eNMS.Drivers.Cli;
using eNMS.Drivers.Platforms.Profiles;

namespace eNMS.Drivers;

/// <summary>Platform profiles by every name inventories give them: Netmiko's key (<c>cisco_ios</c>), its aliases
/// (<c>cisco_xe</c>), their <c>_ssh</c> and <c>_telnet</c> variants, and NAPALM's driver names (<c>ios</c>).</summary>
public sealed class DriverRegistry
{
    /// <summary>Netmiko's suffix for the Telnet variant of a platform key (<c>cisco_ios_telnet</c>): the same CLI,
    /// reached over Telnet (the transport is the device's own field).</summary>
    public const string TelnetSuffix = "_telnet";

    /// <summary>Netmiko registers every key once more with this suffix (<c>cisco_ios_ssh</c>): the same platform.</summary>
    public const string SshSuffix = "_ssh";

    private readonly Dictionary<string, PlatformProfile> _byKey = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, PlatformProfile> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, PlatformProfile> _byNapalmDriver = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every platform eNMS ships a profile for (<see cref="PlatformProfiles.All"/>).</summary>
    public static DriverRegistry CreateDefault()
    {
        var registry = new DriverRegistry();
        foreach (var profile in PlatformProfiles.All)
        {
            registry.Add(profile);
        }
        return registry;
    }

    /// <summary>The Netmiko keys, one per platform.</summary>
    public IReadOnlyCollection<string> Platforms => _byKey.Keys;

    public IReadOnlyCollection<PlatformProfile> Profiles => _byKey.Values;

    /// <summary>Every alias with the key it stands for.</summary>
    public IEnumerable<KeyValuePair<string, string>> Aliases =>
        _byName.Where(n => !_byKey.ContainsKey(n.Key)).Select(n => KeyValuePair.Create(n.Key, n.Value.Key));

    /// <summary>Registers a profile under its key, aliases and NAPALM driver names; a name already taken is refused,
    /// since one of the two platforms would silently become unreachable.</summary>
    public DriverRegistry Add(PlatformProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        foreach (var name in profile.Names)
        {
            if (name.EndsWith(TelnetSuffix, StringComparison.OrdinalIgnoreCase) || name.EndsWith(SshSuffix, StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"platform name '{name}': the {SshSuffix} and {TelnetSuffix} variants of every name are understood without being registered", nameof(profile));
            }
            if (_byName.TryGetValue(name, out var other))
            {
                throw new ArgumentException($"platform name '{name}' of '{profile.Key}' is already '{other.Key}''s", nameof(profile));
            }
        }
        foreach (var driver in profile.NapalmDrivers)
        {
            if (_byNapalmDriver.TryGetValue(driver, out var other))
            {
                throw new ArgumentException($"NAPALM driver '{driver}' of '{profile.Key}' is already '{other.Key}''s", nameof(profile));
            }
        }
        _byKey[profile.Key] = profile;
        foreach (var name in profile.Names)
        {
            _byName[name] = profile;
        }
        foreach (var driver in profile.NapalmDrivers)
        {
            _byNapalmDriver[driver] = profile;
        }
        return this;
    }

    /// <summary>The profile a Netmiko key, an alias or the <c>_ssh</c>/<c>_telnet</c> variant of either names; null
    /// when none.</summary>
    public PlatformProfile? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        name = name.Trim();
        return _byName.GetValueOrDefault(name)
            ?? (IsTelnetVariant(name) ? _byName.GetValueOrDefault(name[..^TelnetSuffix.Length])
                : HasSuffix(name, SshSuffix) ? _byName.GetValueOrDefault(name[..^SshSuffix.Length]) : null);
    }

    /// <summary>The profile of a NAPALM driver name (<c>ios</c>, <c>junos</c>); null when none.</summary>
    public PlatformProfile? FindByNapalmDriver(string driver)
    {
        ArgumentNullException.ThrowIfNull(driver);
        return _byNapalmDriver.GetValueOrDefault(driver.Trim());
    }

    /// <summary>Whether a name is Netmiko's Telnet variant of a platform (<c>cisco_ios_telnet</c>).</summary>
    public static bool IsTelnetVariant(string name) => HasSuffix(name, TelnetSuffix);

    private static bool HasSuffix(string name, string suffix) =>
        name is not null && name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase);

    public bool Supports(string platform) => Find(platform) is not null;

    /// <summary>The driver for a session (not yet logged in).</summary>
    public CliDriver Create(CliSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return Find(session.Target.Platform) is { } profile
            ? profile.CreateDriver(session)
            : throw new NotSupportedException($"{session.Target.Name}: no driver for platform " +
                $"'{session.Target.Platform}' (known: {string.Join(", ", _byKey.Keys.Order(StringComparer.Ordinal))})");
    }
}
