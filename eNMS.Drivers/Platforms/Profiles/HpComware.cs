using System.Text.RegularExpressions;
using eNMS.Drivers.Cli;

namespace eNMS.Drivers.Platforms.Profiles;

public static partial class PlatformProfiles
{
    /// <summary>HP (H3C) Comware 7: Huawei VRP's family (<c>&lt;HPE&gt;</c>, <c>system-view</c>, <c>return</c>), paging
    /// off with <c>screen-length disable</c>, errors prefixed with %, <c>save force</c> saves without asking.</summary>
    public static PlatformProfile HpComware { get; } = new()
    {
        Key = "hp_comware",
        Aliases = ["h3c_comware"],
        Cli = VrpFamily with
        {
            SessionSetup = ["screen-length disable"],
            // A login banner that asks to go on: "Press Y or ENTER to continue, N to exit."
            LoginAnswers = [new CliAnswer(new(@"Press Y or ENTER to continue, N to exit\.?\s*$", RegexOptions.CultureInvariant), "Y")],
            // "% Unrecognized command found at '^' position.", "% Incomplete command found at '^' position.",
            // "% Wrong parameter found at '^' position.", "% Too many parameters found at '^' position."
            Error = new(@"^\s*% ?(Unrecognized|Incomplete|Wrong|Too many|Ambiguous|Invalid|Error)[^\n]*",
                RegexOptions.Multiline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant),
        },
        CommitModel = CommitModel.Immediate,
        Capabilities = DriverCapabilities.Commands | DriverCapabilities.Config,
        RunningConfigCommand = "display current-configuration",
        RunningConfigShape = Config.ConfigShape.EndsWith("return"),
        Negation = VrpNegation,
        // "Validating file. Please wait...", then "Saved the current configuration to mainboard device successfully."
        Save = new("save force", new(@"^\s*Saved the current configuration[^\n]*successfully", RegexOptions.Multiline | RegexOptions.CultureInvariant)),
    };
}
