using System.Text.RegularExpressions;
using eNMS.Drivers.Cli;

namespace eNMS.Drivers.Platforms.Profiles;

public static partial class PlatformProfiles
{
    /// <summary>Cisco IOS and IOS-XE: lines apply at once; the driver makes pushes all-or-nothing with
    /// <c>configure replace</c> (see <see cref="CiscoIosDriver"/>).</summary>
    public static PlatformProfile CiscoIos { get; } = new()
    {
        Key = "cisco_ios",
        Aliases = ["cisco_xe"],
        NapalmDrivers = ["ios"],
        Cli = CliProfile.Default with
        {
            EnableCommand = "enable",
            SessionSetup = ["terminal length 0", "terminal width 511"],
        },
        CommitModel = CommitModel.Immediate,
        Capabilities = DriverCapabilities.Commands | DriverCapabilities.Config | DriverCapabilities.ConfigMerge |
            DriverCapabilities.ConfigReplace | DriverCapabilities.Diff | DriverCapabilities.CommitConfirm |
            DriverCapabilities.Rollback,
        // "Building configuration...", then "[OK]" once NVRAM holds it.
        Save = new("write memory", new(@"^\[OK\]", RegexOptions.Multiline | RegexOptions.CultureInvariant)),
        RunningConfigHeader = new(@"^(Building configuration|Current configuration)", RegexOptions.CultureInvariant),
        RunningConfigShape = Config.ConfigShape.EndsWith("end"),
        // Dots while it reads, then "verify /md5 (flash:FILE) = DIGEST"; a name without a file system is on flash:.
        FileMd5 = new(p => $"verify /md5 {p}",
            new(@"^verify /md5 \([^)\n]*\) = (?<md5>[0-9a-fA-F]{32})\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant)),
        Driver = (session, profile) => new CiscoIosDriver(session, profile),
    };
}
