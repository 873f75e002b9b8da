using System.Text.RegularExpressions;
using eNMS.Drivers.Cli;

namespace eNMS.Drivers.Platforms.Profiles;

public static partial class PlatformProfiles
{
    /// <summary>A Linux host's bash: commands only; checksums by sha256sum (see <see cref="LinuxDriver"/>).</summary>
    public static PlatformProfile Linux { get; } = new()
    {
        Key = "linux",
        Aliases = ["generic"],
        Cli = CliProfile.Default with
        {
            PromptEnds = "$#",
            Error = new(@"^[^\n]*: (command not found|No such file or directory|Permission denied)$",
                RegexOptions.Multiline | RegexOptions.CultureInvariant),
        },
        CommitModel = CommitModel.None,
        Capabilities = DriverCapabilities.Commands,
        FileChecksumCommand = "sha256sum FILE",
        Driver = (session, profile) => new LinuxDriver(session, profile),
    };
}
