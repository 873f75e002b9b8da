using System.Text.RegularExpressions;
using eNMS.Drivers.Cli;

namespace eNMS.Drivers.Platforms.Profiles;

public static partial class PlatformProfiles
{
    /// <summary>Huawei VRP (V5, as on AR routers and S switches): user view <c>&lt;HUAWEI&gt;</c>, <c>system-view</c>
    /// to <c>[HUAWEI]</c> and its sub-views, <c>return</c> back; lines apply as they are typed (the plain
    /// <see cref="CliDriver"/> drives it); <c>save</c> asks before it writes.</summary>
    public static PlatformProfile Huawei { get; } = new()
    {
        Key = "huawei",
        Aliases = ["huawei_vrp"],
        NapalmDrivers = ["huawei_vrp"],
        Cli = VrpFamily with
        {
            SessionSetup = ["screen-length 0 temporary"],
            // An expiring or initial password: "The password needs to be changed. Change now? [Y/N]:" — not now (a
            // new password is the operator's decision, not a run's).
            LoginAnswers = [new CliAnswer(new(@"Change now\? ?\[Y/N\]:?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant), "N")],
            // "Error: Unrecognized command found at '^' position.", "Error:Incomplete command found at '^' position."
            Error = new(@"^\s*Error:[^\n]*", RegexOptions.Multiline | RegexOptions.CultureInvariant),
        },
        CommitModel = CommitModel.Immediate,
        Capabilities = DriverCapabilities.Commands | DriverCapabilities.Config,
        RunningConfigCommand = "display current-configuration",
        // "!Software Version V200R010C00SPC600", "!Last configuration was updated at ..." (moves with every change).
        RunningConfigHeader = new(@"^!", RegexOptions.CultureInvariant),
        RunningConfigShape = Config.ConfigShape.EndsWith("return"),
        // "Warning: The current configuration will be written to the device. Continue? [Y/N]:" (older releases:
        // "Are you sure to continue?[Y/N]"), then "Info: Save the configuration successfully." or "Configuration file
        // had been saved successfully".
        Save = new("save", new(@"saved? (the configuration )?successfully", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant))
        {
            Answers = [new CliAnswer(new(@"\[Y/N\]:?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant), "y")],
        },
    };

    /// <summary>What Huawei VRP and HP Comware share: prompts bracketed by view, <c>system-view</c> / <c>return</c>,
    /// <c>sysname</c>.</summary>
    private static CliProfile VrpFamily => CliProfile.Default with
    {
        PromptEnds = ">]",
        ConfigEnter = "system-view",
        ConfigExit = "return",
        ConfigPrompt = new(@"^\[[^\n]*\]\s*$", RegexOptions.CultureInvariant),
        RenameCommand = "sysname",
    };
}
