using System.Text.RegularExpressions;
using eNMS.Drivers.Cli;

namespace eNMS.Drivers.Platforms.Profiles;

public static partial class PlatformProfiles
{
    /// <summary>Arista EOS: named configure sessions are the candidate (see <see cref="AristaEosDriver"/>).</summary>
    public static PlatformProfile AristaEos { get; } = new()
    {
        Key = "arista_eos",
        NapalmDrivers = ["eos"],
        Cli = CliProfile.Default with
        {
            EnableCommand = "enable",
            SessionSetup = ["terminal length 0", "terminal width 32767"],
        },
        CommitModel = CommitModel.Candidate,
        Capabilities = DriverCapabilities.Commands | DriverCapabilities.Config | DriverCapabilities.ConfigMerge |
            DriverCapabilities.ConfigReplace | DriverCapabilities.Diff | DriverCapabilities.CommitConfirm |
            DriverCapabilities.Rollback,
        Save = new("write memory", new(@"^Copy completed successfully", RegexOptions.Multiline | RegexOptions.CultureInvariant)),
        RunningConfigShape = Config.ConfigShape.EndsWith("end"),
        // IOS's command, with the same reply (flash: by default).
        FileMd5 = new(p => $"verify /md5 {p}",
            new(@"^verify /md5 \([^)\n]*\) = (?<md5>[0-9a-fA-F]{32})\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant)),
        Driver = (session, profile) => new AristaEosDriver(session, profile),
    };
}
