namespace eNMS.Drivers.Config;

/// <summary>
/// How a CLI whose lines apply as they are typed (ASA, NX-OS, ProCurve…) takes a configuration line back: what turns
/// the running configuration back into an earlier one where the platform cannot replace it (see
/// <see cref="ConfigInverse"/>). Null on a platform whose configuration is not indented <c>no</c>-style lines
/// (or <c>undo</c>-style: Huawei VRP, HP Comware).
/// </summary>
public sealed partial record CliNegation
{
    /// <summary>The word that negates a line (<c>no</c>; <c>undo</c> on VRP and Comware).</summary>
    public string Prefix { get; init; } = "no";

    /// <summary>What leaves a section's view, one level up (<c>exit</c>; <c>quit</c> on VRP and Comware).</summary>
    public string Exit { get; init; } = "exit";

    /// <summary>Lines that close every open section (VRP's and Comware's <c>#</c>, after which a global setting is
    /// indented by one space like a section's): not configuration either.</summary>
    public Func<string, bool>? Separator { get; init; }

    /// <summary>Section headers whose lines the running configuration does not indent, each section closed by an
    /// <c>exit</c> line (EdgeSwitch's <c>interface 0/1</c>, <c>description 'uplink'</c>, <c>exit</c>): their lines are
    /// read as the section's.</summary>
    public Func<string, bool>? ExitClosed { get; init; }

    /// <summary>Lines of the running configuration that are not configuration (ASA's <c>: end</c>, ProCurve's
    /// <c>;</c> comments): left out of the comparison.</summary>
    public Func<string, bool>? Noise { get; init; }

    /// <summary>Sections that cannot be removed, only emptied (a physical port: <c>no interface 9</c> is refused):
    /// their settings are negated one by one instead.</summary>
    public Func<string, bool>? Permanent { get; init; }

    /// <summary>Settings whose negation takes no arguments (<c>no description</c>, <c>no ip address</c>): the
    /// documented forms, also where the full line would be refused. A secondary address (<c>secondary</c>, VRP's and
    /// Comware's <c>sub</c>) is negated whole.</summary>
    public IReadOnlyList<string> Bare { get; init; } =
        ["description", "ip address", "nameif", "security-level", "speed", "duplex", "bandwidth", "switchport mode",
         "switchport access vlan"];
}
