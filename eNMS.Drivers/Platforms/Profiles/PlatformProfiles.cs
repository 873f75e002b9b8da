namespace eNMS.Drivers.Platforms.Profiles;

/// <summary>Every platform eNMS drives, one profile per file in this folder; adding a platform is its file plus one
/// line here.</summary>
public static partial class PlatformProfiles
{
    public static IReadOnlyList<PlatformProfile> All { get; } =
    [
        Frr,
        Linux,
        CiscoIos,
        CiscoNxos,
        AristaEos,
        JuniperJunos,
        CiscoXr,
        CiscoAsa,
    ];
}
