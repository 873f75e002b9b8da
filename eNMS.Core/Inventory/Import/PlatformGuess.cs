namespace eNMS.Core.Inventory.Import;

/// <summary>
/// Older eNMS sheets have no netmiko_driver column: derive the platform from napalm_driver or the operating
/// system so such inventories are usable at once. An explicit platform column always wins.
/// </summary>
internal static class PlatformGuess
{
    private static readonly Dictionary<string, string> FromNapalm = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ios"] = "cisco_ios",
        ["iosxr"] = "cisco_xr",
        ["nxos"] = "cisco_nxos",
        ["nxos_ssh"] = "cisco_nxos",
        ["eos"] = "arista_eos",
        ["junos"] = "juniper_junos",
    };

    private static readonly Dictionary<string, string> FromOperatingSystem = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ios"] = "cisco_ios",
        ["ios-xe"] = "cisco_ios",
        ["ios-xr"] = "cisco_xr",
        ["nx-os"] = "cisco_nxos",
        ["nxos"] = "cisco_nxos",
        ["eos"] = "arista_eos",
        ["junos"] = "juniper_junos",
        ["linux"] = "linux",
        ["frr"] = "frr",
    };

    public static string? From(IReadOnlyDictionary<string, Cell> cells)
    {
        if (cells.TryGetValue("napalm_driver", out var napalm) && FromNapalm.TryGetValue(napalm.Text.Trim(), out var p1))
        {
            return p1;
        }
        if (cells.TryGetValue("operating_system", out var os) && FromOperatingSystem.TryGetValue(os.Text.Trim(), out var p2))
        {
            return p2;
        }
        return null;
    }
}
