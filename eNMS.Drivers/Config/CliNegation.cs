namespace eNMS.Drivers.Config;

/// <summary>
/// How a CLI whose lines apply as they are typed (ASA, NX-OS, ProCurve…) takes a configuration line back: what turns
/// the running configuration back into an earlier one where the platform cannot replace it (see
/// <see cref="ConfigInverse"/>). Null on a platform whose configuration is not indented <c>no</c>-style lines.
/// </summary>
public sealed partial record CliNegation
{
    /// <summary>The word that negates a line (<c>no</c>).</summary>
    public string Prefix { get; init; } = "no";

    /// <summary>Lines of the running configuration that are not configuration (ASA's <c>: end</c>, ProCurve's
    /// <c>;</c> comments): left out of the comparison.</summary>
    public Func<string, bool>? Noise { get; init; }

    /// <summary>Sections that cannot be removed, only emptied (a physical port: <c>no interface 9</c> is refused):
    /// their settings are negated one by one instead.</summary>
    public Func<string, bool>? Permanent { get; init; }

    /// <summary>Settings whose negation takes no arguments (<c>no description</c>, <c>no ip address</c>): the
    /// documented forms, also where the full line would be refused.</summary>
    public IReadOnlyList<string> Bare { get; init; } =
        ["description", "ip address", "nameif", "security-level", "speed", "duplex", "bandwidth", "switchport mode",
         "switchport access vlan"];
}
