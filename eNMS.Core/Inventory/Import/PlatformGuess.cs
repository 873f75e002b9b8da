namespace eNMS.Core.Inventory.Import;

/// <summary>
/// Older eNMS sheets have no netmiko_driver column (or leave it empty): derive the platform from napalm_driver (through
/// the profiles' NAPALM driver names) or the operating system so such inventories are usable at once. A platform the
/// sheet names but eNMS has no driver for is said, with its row, rather than silently dropped. An explicit platform
/// always wins.
/// </summary>
internal static class PlatformGuess
{
    /// <summary>Operating system names as eNMS and NAPALM inventories write them, with the Netmiko key they mean (some
    /// without a driver here: those are reported).</summary>
    private static readonly Dictionary<string, string> FromOperatingSystem = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ios"] = "cisco_ios",
        ["ios-xe"] = "cisco_ios",
        ["iosxe"] = "cisco_ios",
        ["ios-xr"] = "cisco_xr",
        ["iosxr"] = "cisco_xr",
        ["nx-os"] = "cisco_nxos",
        ["nxos"] = "cisco_nxos",
        ["eos"] = "arista_eos",
        ["exos"] = "extreme_exos",
        ["extremexos"] = "extreme_exos",
        ["junos"] = "juniper_junos",
        ["linux"] = "linux",
        ["frr"] = "frr",
        ["asa"] = "cisco_asa",
        ["pan-os"] = "paloalto_panos",
        ["vrp"] = "huawei",
        ["huawei vrp"] = "huawei",
        ["comware"] = "hp_comware",
        ["procurve"] = "hp_procurve",
        ["arubaos-switch"] = "hp_procurve",
        ["vyos"] = "vyos",
        ["aos-cx"] = "aruba_aoscx",
        ["aoscx"] = "aruba_aoscx",
        ["arubaos-cx"] = "aruba_aoscx",
        ["fortios"] = "fortinet",
        ["os10"] = "dell_os10",
        ["routeros"] = "mikrotik_routeros",
        ["edgeswitch"] = "ubiquiti_edge",
        // EdgeRouter's EdgeOS (VyOS's family) is another CLI than EdgeSwitch's: no driver here, so reported.
        ["edgeos"] = "ubiquiti_edgerouter",
        ["sr os"] = "nokia_sros",
        ["sros"] = "nokia_sros",
        ["timos"] = "nokia_sros",
    };

    /// <summary>The platform key the row's napalm_driver or operating_system means, or null; <paramref name="unsupported"/>
    /// says why a value that names a platform gave none (no driver for it).</summary>
    public static string? From(IReadOnlyDictionary<string, Cell> cells, out string? unsupported)
    {
        unsupported = null;
        if (cells.TryGetValue("napalm_driver", out var napalm) && napalm.Text.Trim() is { Length: > 0 } driver)
        {
            if (InventoryFields.PlatformNames.FindByNapalmDriver(driver) is { } profile)
            {
                return profile.Key;
            }
            unsupported = $"napalm_driver '{driver}' is not a NAPALM driver of a platform eNMS has a driver for " +
                $"({string.Join(", ", InventoryFields.PlatformNames.Profiles.SelectMany(p => p.NapalmDrivers).Order(StringComparer.Ordinal))})";
        }
        if (cells.TryGetValue("operating_system", out var os) && FromOperatingSystem.TryGetValue(os.Text.Trim(), out var meant))
        {
            if (InventoryFields.CanonicalPlatform(meant) is { } platform)
            {
                return platform;
            }
            unsupported ??= $"operating_system '{os.Text.Trim()}' means platform '{meant}', which eNMS has no driver for";
        }
        return null;
    }
}
