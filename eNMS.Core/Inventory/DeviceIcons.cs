namespace eNMS.Core.Inventory;

/// <summary>One built-in device icon: an SVG path in a 24×24 box, filled (even-odd) in white over the device's status
/// colour. The map and the topology draw it from this path (a canvas <c>Path2D</c>), the legend and the device form as
/// inline SVG, so the shape has one owner.</summary>
public sealed record DeviceIcon(string Key, string Label, string Path);

/// <summary>
/// The icons a device can show, and which one it shows: its <see cref="Device.Icon"/> when that names a built-in icon
/// (or one of the original eNMS's names for it: <c>host</c>, <c>optical_switch</c>, <c>antenna</c>…), otherwise a guess
/// from its platform, then its model and vendor, otherwise <see cref="Unknown"/>. The one place that decides it.
/// </summary>
public static class DeviceIcons
{
    public const string Unknown = "unknown";

    public static IReadOnlyList<DeviceIcon> All { get; } =
    [
        new("router", "Router", "M12 3.5 15.5 7.5H13V11H11V7.5H8.5Z M12 20.5 8.5 16.5H11V13H13V16.5H15.5Z M3.5 12 7.5 8.5V11H11V13H7.5V15.5Z M20.5 12 16.5 15.5V13H13V11H16.5V8.5Z"),
        new("switch", "Switch", "M4 7.5H14V4.5L19 8.5 14 12.5V9.5H4Z M20 14.5H10V11.5L5 15.5 10 19.5V16.5H20Z"),
        new("firewall", "Firewall", "M4 5.5H11.5V9H4Z M12.5 5.5H20V9H12.5Z M4 10H7.5V13.5H4Z M8.5 10H15.5V13.5H8.5Z M16.5 10H20V13.5H16.5Z M4 14.5H11.5V18H4Z M12.5 14.5H20V18H12.5Z"),
        new("server", "Server / host", "M6 4H18V8.8H6Z M14.5 5.6H16.3V7.2H14.5Z M6 9.6H18V14.4H6Z M14.5 11.2H16.3V12.8H14.5Z M6 15.2H18V20H6Z M14.5 16.8H16.3V18.4H14.5Z"),
        new("access_point", "Access point", "M14 16A2 2 0 1 1 10 16 2 2 0 1 1 14 16Z M8.46 12.46A5 5 0 0 1 15.54 12.46L16.81 11.19A6.8 6.8 0 0 0 7.19 11.19Z M6 9.99A8.5 8.5 0 0 1 18 9.99L19.28 8.72A10.3 10.3 0 0 0 4.72 8.72Z"),
        new("load_balancer", "Load balancer", "M5 6.5H19V8H5Z M11.25 8H12.75V18H11.25Z M8 18H16V19.5H8Z M3.5 14 6.5 9 9.5 14Z M14.5 14 17.5 9 20.5 14Z"),
        new("optical", "Optical switch", "M12 3.5 20.5 12 12 20.5 3.5 12Z M12 7.5 16.5 12 12 16.5 7.5 12Z M12 10 14 12 12 14 10 12Z"),
        new("site", "Site", "M5.5 20.5V7L12 3.5 18.5 7V20.5Z M8 8.5H10.5V11H8Z M13.5 8.5H16V11H13.5Z M8 13H10.5V15.5H8Z M13.5 13H16V15.5H13.5Z M10.5 17H13.5V20.5H10.5Z"),
        new("cloud", "Cloud", "M7.5 18.5A4 4 0 0 1 6.6 10.6 5.5 5.5 0 0 1 17.1 9.6 4.5 4.5 0 0 1 17 18.5Z"),
        new(Unknown, "Other", "M7 7H17V17H7Z M9.5 9.5H14.5V14.5H9.5Z"),
    ];

    private static readonly Dictionary<string, string> Keys = All.ToDictionary(i => i.Key, i => i.Key, StringComparer.OrdinalIgnoreCase);

    // The original eNMS's icon names (its spreadsheets carry them) and common words for the same shapes.
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["host"] = "server",
        ["multilayer_switch"] = "switch",
        ["optical_switch"] = "optical",
        ["regenerator"] = "optical",
        ["antenna"] = "access_point",
        ["wifi"] = "access_point",
        ["ap"] = "access_point",
        ["central_office"] = "site",
        ["loadbalancer"] = "load_balancer",
        ["load-balancer"] = "load_balancer",
    };

    // Platform keys as the driver registry names them; one that is not here falls through to the model and vendor.
    private static readonly Dictionary<string, string> ByPlatform = new(StringComparer.OrdinalIgnoreCase)
    {
        ["cisco_asa"] = "firewall",
        ["fortinet"] = "firewall",
        ["paloalto_panos"] = "firewall",
        ["cisco_ios"] = "router",
        ["cisco_xr"] = "router",
        ["juniper_junos"] = "router",
        ["frr"] = "router",
        ["vyos"] = "router",
        ["mikrotik_routeros"] = "router",
        ["nokia_sros"] = "router",
        ["huawei"] = "router",
        ["ubiquiti_edge"] = "router",
        ["cisco_nxos"] = "switch",
        ["arista_eos"] = "switch",
        ["aruba_aoscx"] = "switch",
        ["hp_procurve"] = "switch",
        ["hp_comware"] = "switch",
        ["dell_os10"] = "switch",
        ["extreme_exos"] = "switch",
        ["linux"] = "server",
    };

    // Words in a model or vendor name that say what the box is, checked in this order (a "firewall switch" is a firewall).
    private static readonly (string Word, string Key)[] ByModel =
    [
        ("firewall", "firewall"), ("fortigate", "firewall"), ("asa", "firewall"), ("srx", "firewall"), ("palo alto", "firewall"),
        ("load balancer", "load_balancer"), ("big-ip", "load_balancer"), ("f5", "load_balancer"), ("netscaler", "load_balancer"),
        ("access point", "access_point"), ("aironet", "access_point"), ("wireless", "access_point"),
        ("switch", "switch"), ("catalyst", "switch"), ("nexus", "switch"),
        ("router", "router"), ("asr", "router"), ("isr", "router"),
        ("optical", "optical"), ("ciena", "optical"),
        ("server", "server"), ("linux", "server"),
    ];

    private static readonly Dictionary<string, DeviceIcon> ByKey = All.ToDictionary(i => i.Key, StringComparer.Ordinal);

    /// <summary>The built-in icon named <paramref name="key"/> (a key <see cref="Resolve"/> gave), else <see cref="Unknown"/>'s.</summary>
    public static DeviceIcon Get(string key) => ByKey.GetValueOrDefault(key) ?? ByKey[Unknown];

    /// <summary>The built-in icon a value names (its key or an alias), or null when it names none ("" means "guess").</summary>
    public static string? Named(string? icon)
    {
        var value = (icon ?? "").Trim();
        return Keys.GetValueOrDefault(value) ?? Aliases.GetValueOrDefault(value);
    }

    /// <summary>The key of the icon a device shows: its own icon when built in, else guessed from what it is.</summary>
    public static string Resolve(string? icon, string? platform, string? model = "", string? vendor = "")
    {
        if (Named(icon) is { } named)
        {
            return named;
        }
        if (ByPlatform.GetValueOrDefault((platform ?? "").Trim()) is { } byPlatform)
        {
            return byPlatform;
        }
        var words = $" {model} {vendor} ".ToLowerInvariant();
        foreach (var (word, key) in ByModel)
        {
            // Whole words only: "asa" must not match "Nasa", "asr" not "laser".
            for (var at = words.IndexOf(word, StringComparison.Ordinal); at > 0; at = words.IndexOf(word, at + 1, StringComparison.Ordinal))
            {
                if (!char.IsLetter(words[at - 1]) && !char.IsLetter(words[at + word.Length]))
                {
                    return key;
                }
            }
        }
        return Unknown;
    }
}
