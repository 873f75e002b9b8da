using System.Text.RegularExpressions;
using eNMS.Drivers.Cli;

namespace eNMS.Drivers.Platforms.Profiles;

public static partial class PlatformProfiles
{
    /// <summary>Juniper Junos: a native shared candidate (see <see cref="JuniperJunosDriver"/>).</summary>
    public static PlatformProfile JuniperJunos { get; } = new()
    {
        Key = "juniper_junos",
        Aliases = ["juniper"],
        NapalmDrivers = ["junos"],
        Cli = CliProfile.Default with
        {
            PromptEnds = ">#%",
            SessionSetup = ["set cli screen-length 0", "set cli screen-width 0", "set cli complete-on-space off"],
            ConfigEnter = "configure",
            ConfigExit = "exit configuration-mode",
            ConfigPrompt = new(@"#\s*$", RegexOptions.CultureInvariant),
            Error = new(@"^\s*(syntax error|error:|unknown command|missing argument|invalid (value|command|interface))[^\n]*",
                RegexOptions.Multiline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant),
        },
        CommitModel = CommitModel.Candidate,
        Capabilities = DriverCapabilities.Commands | DriverCapabilities.Config | DriverCapabilities.ConfigMerge |
            DriverCapabilities.ConfigReplace | DriverCapabilities.Diff | DriverCapabilities.CommitConfirm |
            DriverCapabilities.Rollback,
        RunningConfigCommand = "show configuration | no-more",
        RunningConfigShape = Config.ConfigShape.ClosedBraces,
        // FreeBSD's "MD5 (PATH) = DIGEST", or "md5: PATH: No such file or directory".
        FileMd5 = new(p => $"file checksum md5 {p}",
            new(@"^MD5 \([^\n]*\) = (?<md5>[0-9a-fA-F]{32})\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant)),
        Driver = (session, profile) => new JuniperJunosDriver(session, profile),
    };
}
