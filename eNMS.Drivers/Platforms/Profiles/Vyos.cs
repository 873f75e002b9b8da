using System.Text.RegularExpressions;
using eNMS.Drivers.Cli;

namespace eNMS.Drivers.Platforms.Profiles;

public static partial class PlatformProfiles
{
    /// <summary>VyOS: <c>configure</c> opens a working configuration private to the session; <c>set</c>/<c>delete</c>
    /// lines change it, <c>commit</c> applies all of them or none, <c>save</c> writes <c>/config/config.boot</c> (see
    /// <see cref="VyosDriver"/>). Op mode <c>vyos@vyos:~$</c>, configuration mode <c>vyos@vyos#</c>.</summary>
    public static PlatformProfile Vyos { get; } = new()
    {
        Key = "vyos",
        Aliases = ["vyatta_vyos", "brocade_vyos"],
        NapalmDrivers = ["vyos"],
        Cli = CliProfile.Default with
        {
            PromptEnds = "$#",
            SessionSetup = ["set terminal length 0", "set terminal width 512"],
            // The op-mode pager is less: its prompt is a colon alone on the last line.
            More = new(@"^:\s*$", RegexOptions.CultureInvariant),
            ConfigEnter = "configure",
            ConfigExit = "exit",
            // user@host# (op mode is user@host:~$, with a colon).
            ConfigPrompt = new(@"^[^\s:]+#\s*$", RegexOptions.CultureInvariant),
            // "Invalid command: [bogus]", "Configuration path: [x y] is not valid" + "Set failed", "Commit failed".
            Error = new(@"^\s*(Invalid command:|Configuration path: |Set failed|Delete failed|Commit failed|Value validation failed|Nothing to delete)[^\n]*",
                RegexOptions.Multiline | RegexOptions.CultureInvariant),
        },
        CommitModel = CommitModel.Candidate,
        // rollback N and commit-confirm revert by rebooting the router: not something a push may do behind the
        // user's back, so neither is offered.
        Capabilities = DriverCapabilities.Commands | DriverCapabilities.Config | DriverCapabilities.ConfigMerge | DriverCapabilities.Diff,
        RunningConfigCommand = "show configuration",
        RunningConfigShape = Config.ConfigShape.ClosedBraces,
        // A revert deletes and sets paths as `show configuration commands` prints them; a leaf's value is part of its
        // path ("delete interfaces ethernet eth0 address 192.0.2.9/24" removes that one address).
        PathNegation = new() { ValuesInPath = true, Noise = l => l.StartsWith("//", StringComparison.Ordinal) || l.StartsWith("/*", StringComparison.Ordinal) },
        // "Saving configuration to '/config/config.boot'...", then "Done".
        Save = new("save", new(@"^Done\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant)),
        Driver = (session, profile) => new VyosDriver(session, profile),
    };
}
