using System.Text.RegularExpressions;
using eNMS.Drivers.Cli;

namespace eNMS.Drivers.Platforms.Profiles;

public static partial class PlatformProfiles
{
    /// <summary>Cisco IOS XR: a two-stage model, lines go into a target configuration private to the session and
    /// <c>commit</c> applies all of them or none (see <see cref="CiscoXrDriver"/>). No enable: the login's task
    /// groups decide. A commit is persistent: nothing to save.</summary>
    public static PlatformProfile CiscoXr { get; } = new()
    {
        Key = "cisco_xr",
        Aliases = ["iosxr", "ios-xr"],
        NapalmDrivers = ["iosxr"],
        Cli = CliProfile.Default with
        {
            SessionSetup = ["terminal length 0", "terminal width 511"],
            ConfigEnter = "configure terminal",
            // "% Failed to commit one or more configuration items ..." besides IOS's parser errors.
            Error = new(@"^\s*% ?(Invalid|Incomplete|Ambiguous|Unknown|Failed|Error|Bad)\b[^\n]*",
                RegexOptions.Multiline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant),
        },
        CommitModel = CommitModel.Candidate,
        Capabilities = DriverCapabilities.Commands | DriverCapabilities.Config | DriverCapabilities.ConfigMerge |
            DriverCapabilities.ConfigReplace | DriverCapabilities.Diff | DriverCapabilities.CommitConfirm |
            DriverCapabilities.Rollback,
        // XR prints the time before a show command's output, then "Building configuration...", the version and the
        // last change ("!! Last configuration change at ... by USER", which moves with every commit).
        RunningConfigHeader = new(@"^(Building configuration|!! |(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \w{3} +\d+ \d\d:\d\d:\d\d(\.\d+)? \S+$)",
            RegexOptions.CultureInvariant),
        RunningConfigShape = Config.ConfigShape.EndsWith("end"),
        Driver = (session, profile) => new CiscoXrDriver(session, profile),
    };
}
