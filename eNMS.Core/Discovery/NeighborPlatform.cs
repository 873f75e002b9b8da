using eNMS.Core.Inventory;

namespace eNMS.Core.Discovery;

/// <summary>
/// The platform an unknown neighbour likely runs, from what it advertises: LLDP's system description, CDP's platform and
/// version. Only a guess for the preview (the user settles it before the commit); a key without a driver in this build
/// is no guess. More specific words first: "Cisco IOS XR" is not IOS, a Nexus is not IOS.
/// </summary>
public static class NeighborPlatform
{
    private static readonly (string Word, string Platform)[] Words =
    [
        ("IOS XR", "cisco_xr"), ("IOS-XR", "cisco_xr"), ("NX-OS", "cisco_nxos"), ("Nexus", "cisco_nxos"), ("N9K-", "cisco_nxos"),
        ("Adaptive Security Appliance", "cisco_asa"), ("Cisco IOS", "cisco_ios"), ("IOS-XE", "cisco_ios"), ("IOS XE", "cisco_ios"),
        ("Arista", "arista_eos"), ("Junos", "juniper_junos"), ("Juniper", "juniper_junos"), ("FRRouting", "frr"), ("VyOS", "vyos"),
        ("RouterOS", "mikrotik_routeros"), ("MikroTik", "mikrotik_routeros"), ("Huawei Versatile Routing Platform", "huawei"),
        ("ArubaOS-CX", "aruba_aoscx"), ("ProCurve", "hp_procurve"), ("Comware", "hp_comware"), ("FortiGate", "fortinet"),
        ("PAN-OS", "paloalto_panos"), ("TiMOS", "nokia_sros"), ("OS10", "dell_os10"), ("ExtremeXOS", "extreme_exos"),
        ("EdgeSwitch", "ubiquiti_edge"), ("Linux", "linux"),
    ];

    /// <summary>The platform key the texts suggest, or "" when none does.</summary>
    public static string Guess(params string[] advertised)
    {
        var text = string.Join(' ', advertised ?? []);
        return Words.Where(w => text.Contains(w.Word, StringComparison.OrdinalIgnoreCase))
            .Select(w => InventoryFields.CanonicalPlatform(w.Platform)).FirstOrDefault(p => p is not null) ?? "";
    }
}
