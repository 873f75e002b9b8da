using System.Text.RegularExpressions;
using eNMS.Drivers.Cli;

namespace eNMS.Drivers.Platforms.Profiles;

public static partial class PlatformProfiles
{
    /// <summary>Cisco NX-OS: lines apply at once; the driver guards each push with a checkpoint (see
    /// <see cref="CiscoNxosDriver"/>). No commit timer.</summary>
    public static PlatformProfile CiscoNxos { get; } = new()
    {
        Key = "cisco_nxos",
        NapalmDrivers = ["nxos", "nxos_ssh"],
        Cli = CliProfile.Default with
        {
            SessionSetup = ["terminal length 0", "terminal width 511"],
        },
        CommitModel = CommitModel.Immediate,
        Capabilities = DriverCapabilities.Commands | DriverCapabilities.Config | DriverCapabilities.ConfigMerge |
            DriverCapabilities.Diff | DriverCapabilities.Rollback,
        // A progress bar, then "Copy complete."
        Save = new("copy running-config startup-config", new(@"^Copy complete", RegexOptions.Multiline | RegexOptions.CultureInvariant)),
        RunningConfigHeader = new(@"^(!Command:|!Running configuration|!Time:)", RegexOptions.CultureInvariant),
        // A physical port (Ethernet1/1, mgmt0) cannot be removed, only emptied.
        Negation = new() { Permanent = l => l.StartsWith("interface Ethernet", StringComparison.Ordinal) || l.StartsWith("interface mgmt", StringComparison.Ordinal) },
        // "show file FILE md5sum" prints the digest alone on its line (bootflash: by default).
        FileMd5 = new(p => $"show file {p} md5sum",
            new(@"^\s*(?<md5>[0-9a-fA-F]{32})\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant)),
        Driver = (session, profile) => new CiscoNxosDriver(session, profile),
    };
}
