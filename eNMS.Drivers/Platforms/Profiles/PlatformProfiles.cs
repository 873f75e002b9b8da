namespace eNMS.Drivers.Platforms.Profiles;

/// <summary>Every platform eNMS drives, one profile per file in this folder; adding a platform is its file plus one
/// line here.</summary>
public static partial class PlatformProfiles
{
    private static IReadOnlyList<PlatformProfile>? _all;

    /// <summary>Built on first use: static initializers of a partial class run in file order, and a profile in a file
    /// after this one (Vyos.cs) would still be null here.</summary>
    public static IReadOnlyList<PlatformProfile> All => _all ??=
    [
        Frr,
        Linux,
        CiscoIos,
        CiscoNxos,
        AristaEos,
        JuniperJunos,
        CiscoXr,
        CiscoAsa,
        DellOs10,
        Vyos,
        Huawei,
        HpComware,
        HpProcurve,
        ArubaAoscx,
        Fortinet,
        PaloAltoPanos,
        MikrotikRouterOs,
        UbiquitiEdge,
        NokiaSros,
        ExtremeExos,
    ];
}
