using System.Text.RegularExpressions;
using eNMS.Drivers.Cli;

namespace eNMS.Drivers.Platforms.Profiles;

public static partial class PlatformProfiles
{
    /// <summary>Cisco ASA (single context): enable, <c>terminal pager 0</c>, lines apply as they are typed (no
    /// candidate: the plain <see cref="CliDriver"/> drives it), <c>write memory</c> to keep them.</summary>
    public static PlatformProfile CiscoAsa { get; } = new()
    {
        Key = "cisco_asa",
        Cli = CliProfile.Default with
        {
            EnableCommand = "enable",
            SessionSetup = ["terminal pager 0"],
            // "ERROR: % Invalid input detected at '^' marker.", "ERROR: % Incomplete command", "%Error writing ...".
            Error = new(@"^\s*(ERROR:|% ?(Invalid|Incomplete|Ambiguous|Error))[^\n]*",
                RegexOptions.Multiline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant),
        },
        CommitModel = CommitModel.Immediate,
        Capabilities = DriverCapabilities.Commands | DriverCapabilities.Config,
        // ": Saved", ":", ": Serial Number: …", ": Hardware: …" before "ASA Version …".
        RunningConfigHeader = new(@"^:( |$)", RegexOptions.CultureInvariant),
        RunningConfigShape = Config.ConfigShape.EndsWith(": end"),
        // ": end", "ASA Version 9.16(4)" are not configuration; a physical interface cannot be removed, only emptied.
        Negation = new()
        {
            Noise = l => l.StartsWith(':') || l.StartsWith("ASA Version ", StringComparison.Ordinal),
            Permanent = l => l.StartsWith("interface ", StringComparison.Ordinal) && !l.Contains('.', StringComparison.Ordinal),
        },
        // "Building configuration...", "Cryptochecksum: …", "N bytes copied in S secs", "[OK]".
        Save = new("write memory", new(@"^\[OK\]", RegexOptions.Multiline | RegexOptions.CultureInvariant)),
    };
}
