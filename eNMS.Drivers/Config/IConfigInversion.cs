namespace eNMS.Drivers.Config;

/// <summary>
/// How a platform that cannot replace its configuration is turned back into an earlier one: the one seam a revert
/// calls, chosen by the platform's profile. <see cref="CliNegation"/> negates indented lines (<c>no …</c>, ASA,
/// NX-OS, ProCurve); <see cref="PathNegation"/> deletes and sets configuration paths (VyOS, PAN-OS, SR OS). All three
/// take configurations as the platform's running-configuration command prints them.
/// </summary>
public interface IConfigInversion
{
    /// <summary>True where the lines go into a candidate committed once (a refused line or commit applies none of
    /// them); false where each line applies as it is sent.</summary>
    bool CommitsOnce { get; }

    /// <summary>The lines, in order, that turn <paramref name="running"/> into <paramref name="target"/>.</summary>
    IReadOnlyList<string> Commands(string running, string target);

    /// <summary>A readable diff of <paramref name="running"/> against <paramref name="target"/>: <c>- </c> what the
    /// revert takes away, <c>+ </c> what it brings back; empty when equal.</summary>
    string Diff(string running, string target);

    /// <summary>What still differs from <paramref name="target"/>, empty when the two are the same configuration:
    /// what a fresh backup is checked with after a revert.</summary>
    string Residual(string running, string target);
}
