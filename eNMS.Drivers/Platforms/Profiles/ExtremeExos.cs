using System.Text.RegularExpressions;
using eNMS.Drivers.Cli;

namespace eNMS.Drivers.Platforms.Profiles;

public static partial class PlatformProfiles
{
    /// <summary>Extreme Networks EXOS: prompt <c>X440G2-48t.1 # </c>, whose number counts the session's commands and
    /// which a <c>* </c> leads while the configuration is unsaved; no config mode and no transaction: every line applies
    /// as it is sent, so a push is not atomic (a refused line stops it: the lines before it stay applied, the lines
    /// after it are never sent). <c>save configuration</c> asks before it overwrites <c>primary.cfg</c>.</summary>
    public static PlatformProfile ExtremeExos { get; } = new()
    {
        Key = "extreme_exos",
        Aliases = ["extreme"],
        Cli = CliProfile.Default with
        {
            PromptEnds = "#>",
            PromptHost = new(@"^(\*\s)?(?<host>\S+?)\.\d+\s?[#>]\s*$", RegexOptions.CultureInvariant),
            SessionSetup = ["disable clipaging"],
            More = new(@"Press <SPACE> to continue or <Q> to quit:\s*$", RegexOptions.CultureInvariant),
            ConfigEnter = "",
            // Never in a config mode: there is none.
            ConfigPrompt = new("(?!)", RegexOptions.CultureInvariant),
            RenameCommand = "configure snmp sysName",
            // "%% Invalid input detected at '^' marker.", "%% Incomplete command entered, ...", "Error: VLAN ... does
            // not exist.".
            Error = new(@"^\s*(%% ?(Invalid|Incomplete|Ambiguous|Unrecognized)|Error:)[^\n]*",
                RegexOptions.Multiline | RegexOptions.CultureInvariant),
        },
        CommitModel = CommitModel.Immediate,
        Capabilities = DriverCapabilities.Commands | DriverCapabilities.Config,
        AtomicSummary = "no: a refused line stops the push, the lines before it stay",
        RunningConfigCommand = "show configuration",
        Save = new("save configuration", new(@"saved to \S+ successfully", RegexOptions.CultureInvariant))
        {
            Answers = [new CliAnswer(new(@"overwrite it\? \(y/N\)\s*$", RegexOptions.CultureInvariant), "y")],
        },
    };
}
