using System.Text.RegularExpressions;
using eNMS.Drivers.Cli;

namespace eNMS.Drivers.Platforms.Profiles;

public static partial class PlatformProfiles
{
    /// <summary>Fortinet FortiOS: no config mode, the lines themselves open blocks (<c>config system global</c> …
    /// <c>end</c>, tables with <c>edit</c>/<c>next</c>); a block applies (and is saved) on <c>next</c>/<c>end</c>, and
    /// <c>abort</c> drops it (see <see cref="FortinetDriver"/>). Prompt <c>FGT # </c>, <c>FGT (global) # </c> inside a
    /// block; <c>$</c> for a read-only administrator.</summary>
    public static PlatformProfile Fortinet { get; } = new()
    {
        Key = "fortinet",
        NapalmDrivers = ["fortios"],
        Cli = CliProfile.Default with
        {
            PromptEnds = "#$",
            // Paging is the configuration's "config system console / set output": FortinetDriver turns it off and back.
            // "--More-- " is what remains if it could not (a read-only administrator).
            More = new(@"--More--\s*$", RegexOptions.CultureInvariant),
            // Inside a block the prompt names it: "FGT (global) # ", "FGT (port1) # ".
            ConfigPrompt = new(@"\)\s*[#$]\s*$", RegexOptions.CultureInvariant),
            // "command parse error before 'bogus'", "value parse error before '9999'", "entry not found in datasource",
            // "node_check_object fail! for type", each followed by "Command fail. Return code -61" (or -651, -3, -56).
            Error = new(@"^\s*(Command fail\. Return code|command parse error|value parse error|entry not found|node_check_object fail|Unknown action)[^\n]*",
                RegexOptions.Multiline | RegexOptions.CultureInvariant),
        },
        CommitModel = CommitModel.Immediate,
        Capabilities = DriverCapabilities.Commands | DriverCapabilities.Config,
        AtomicSummary = "per block: a refused line aborts its block",
        SavedBy = "FortiOS saves each `end`",
        RunningConfigCommand = "show",
        // "#config-version=FGVM64-7.2.5-FW-build1517-230606:opmode=0:vdom=0:user=admin", "#conf_file_ver=…" (moves
        // with every change), "#buildno=1517", "#global_vdom=1".
        RunningConfigHeader = new(@"^#", RegexOptions.CultureInvariant),
        RunningConfigShape = Config.ConfigShape.EndsWith("end"),
        Driver = (session, profile) => new FortinetDriver(session, profile),
    };
}
