using System.Diagnostics.CodeAnalysis;
using eNMS.Drivers.Cli;
using eNMS.Drivers.Platforms;

namespace eNMS.Drivers;

/// <summary>Netmiko platform keys ("cisco_ios") mapped to driver classes. One line per platform.</summary>
public sealed class DriverRegistry
{
    private readonly Dictionary<string, Func<CliSession, CliDriver>> _drivers = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every platform eNMS ships a driver for.</summary>
    public static DriverRegistry CreateDefault()
    {
        var registry = new DriverRegistry();
        registry.Add<FrrDriver>("frr");
        registry.Add<LinuxDriver>("linux");
        registry.Add<CiscoIosDriver>("cisco_ios");
        registry.Add<CiscoNxosDriver>("cisco_nxos");
        registry.Add<AristaEosDriver>("arista_eos");
        registry.Add<JuniperJunosDriver>("juniper_junos");
        return registry;
    }

    public IReadOnlyCollection<string> Platforms => _drivers.Keys;

    /// <summary>Registers <typeparamref name="T"/> (constructed with a <see cref="CliSession"/>) for a platform key.</summary>
    public DriverRegistry Add<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>(
        string platform) where T : CliDriver
    {
        _drivers[platform] = session => (T)Activator.CreateInstance(typeof(T), session)!;
        return this;
    }

    public bool Supports(string platform) => _drivers.ContainsKey(platform);

    /// <summary>The driver for a session (not yet logged in).</summary>
    public CliDriver Create(CliSession session) =>
        _drivers.TryGetValue(session.Target.Platform, out var create)
            ? create(session)
            : throw new NotSupportedException($"{session.Target.Name}: no driver for platform " +
                $"'{session.Target.Platform}' (known: {string.Join(", ", _drivers.Keys.Order())})");
}
