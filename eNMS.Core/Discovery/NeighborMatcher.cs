using System.Net;
using eNMS.Core.Inventory;

namespace eNMS.Core.Discovery;

/// <summary>
/// Finds the inventory device an LLDP neighbour is: by chassis id (a device's <c>chassis_id</c> or <c>mac_address</c>
/// custom property), then management address, then system name. Names compare case-insensitively and without their
/// domain suffix (<c>R2.lab.example</c> is device <c>r2</c>), MAC addresses whatever their separators.
/// </summary>
public sealed class NeighborMatcher
{
    private static readonly string[] ChassisProperties = ["chassis_id", "mac_address"];
    private readonly Dictionary<string, Device> _byChassis = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Device> _byAddress = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Device> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Device?> _byShortName = new(StringComparer.OrdinalIgnoreCase);

    public NeighborMatcher(IEnumerable<Device> devices)
    {
        ArgumentNullException.ThrowIfNull(devices);
        foreach (var device in devices)
        {
            _byName.TryAdd(device.Name, device);
            // Two devices with one short name (r1.a, r1.b) make that short name ambiguous: it matches neither.
            var shortName = ShortName(device.Name);
            _byShortName[shortName] = _byShortName.ContainsKey(shortName) ? null : device;
            if (device.Address.Length > 0)
            {
                _byAddress.TryAdd(device.Address, device);
            }
            foreach (var property in device.CustomProperties.Where(p => ChassisProperties.Contains(p.Name, StringComparer.OrdinalIgnoreCase)))
            {
                if (Chassis(property.Value) is { Length: > 0 } chassis)
                {
                    _byChassis.TryAdd(chassis, device);
                }
            }
        }
    }

    /// <summary>The device the neighbour is, or null when none matches.</summary>
    public Device? Find(string hostname, string chassisId, string managementAddress)
    {
        if (Chassis(chassisId) is { Length: > 0 } chassis && _byChassis.TryGetValue(chassis, out var byChassis))
        {
            return byChassis;
        }
        if (managementAddress.Length > 0 && _byAddress.TryGetValue(managementAddress.Trim(), out var byAddress))
        {
            return byAddress;
        }
        if (hostname.Trim() is not { Length: > 0 } name)
        {
            return null;
        }
        if (_byName.TryGetValue(name, out var byName))
        {
            return byName;
        }
        // An address as a name is not shortened (10.0.0.1 is not "10").
        return !IPAddress.TryParse(name, out _) && _byShortName.TryGetValue(ShortName(name), out var byShortName) ? byShortName : null;
    }

    private static string ShortName(string name) =>
        IPAddress.TryParse(name, out _) ? name : name.Split('.', 2)[0];

    /// <summary>A MAC address as 12 lower-case hex digits (whatever the separators); any other chassis id as given,
    /// lower-case.</summary>
    internal static string Chassis(string value)
    {
        var trimmed = value.Trim().ToLowerInvariant();
        var hex = new string(trimmed.Where(Uri.IsHexDigit).ToArray());
        return hex.Length == 12 && trimmed.All(c => Uri.IsHexDigit(c) || c is ':' or '-' or '.') ? hex : trimmed;
    }
}

/// <summary>Interface names as vendors abbreviate them (<c>Gi0/1</c> in <c>show lldp neighbors</c>,
/// <c>GigabitEthernet0/1</c> in the configuration): compared in their long form.</summary>
public static class InterfaceNames
{
    private static readonly (string Short, string Long)[] Abbreviations =
    [
        ("hu", "hundredgige"), ("fo", "fortygigabitethernet"), ("twe", "twentyfivegige"), ("te", "tengigabitethernet"),
        ("gi", "gigabitethernet"), ("fa", "fastethernet"), ("eth", "ethernet"), ("et", "ethernet"), ("po", "port-channel"),
        ("lo", "loopback"), ("mgmt", "management"), ("ma", "management"),
    ];

    /// <summary>The name lower-case, its abbreviated type spelled out (<c>Gi0/1</c> → <c>gigabitethernet0/1</c>).</summary>
    public static string Canonical(string name)
    {
        var lower = (name ?? "").Trim().ToLowerInvariant();
        var type = new string(lower.TakeWhile(char.IsLetter).ToArray());
        // Only a type followed by its number is an abbreviation: "eth1" on Linux is eth1, "Eth1/1" is Ethernet1/1.
        if (type.Length == lower.Length || lower[type.Length] is not (>= '0' and <= '9'))
        {
            return lower;
        }
        var rest = lower[type.Length..];
        var known = Abbreviations.FirstOrDefault(a => a.Short == type || a.Long == type);
        return known.Long is { } full && !(type == "eth" && !rest.Contains('/', StringComparison.Ordinal)) ? full + rest : lower;
    }

    public static bool Same(string a, string b) => Canonical(a) == Canonical(b);
}
