using System.Text.RegularExpressions;
using eNMS.Drivers.Cli;

namespace eNMS.Drivers.Platforms.Profiles;

public static partial class PlatformProfiles
{
    /// <summary>Palo Alto PAN-OS: op mode <c>admin@PA-VM&gt;</c>, <c>configure</c> to <c>admin@PA-VM#</c> (each reply
    /// there ends with "[edit]"); <c>set</c>/<c>delete</c> lines change the device's candidate configuration, which
    /// <c>commit</c> applies all or nothing and <c>revert config</c> drops (see <see cref="PaloAltoPanosDriver"/>). No
    /// enable: the administrator's role decides. A commit is persistent.</summary>
    public static PlatformProfile PaloAltoPanos { get; } = new()
    {
        Key = "paloalto_panos",
        NapalmDrivers = ["panos"],
        Cli = CliProfile.Default with
        {
            PromptEnds = ">#",
            // Scripting mode: no interactive help or completion to trip over lines a script sends (Netmiko sends both).
            SessionSetup = ["set cli pager off", "set cli scripting-mode on"],
            // The pager's line counter at the bottom: "lines 1-23 ".
            More = new(@"^lines \d+-\d+\s*$", RegexOptions.CultureInvariant),
            ConfigEnter = "configure",
            ConfigExit = "exit",
            ConfigPrompt = new(@"^[^\s@]+@[^\s>#]+#\s*$", RegexOptions.CultureInvariant),
            // "Invalid syntax." (config mode), "Unknown command: bogus" (op mode), "Validation Error:" + "Commit failed".
            Error = new(@"^\s*(Invalid syntax\.|Unknown command:|Validation Error:|Commit failed|Server error\b)[^\n]*",
                RegexOptions.Multiline | RegexOptions.CultureInvariant),
        },
        CommitModel = CommitModel.Candidate,
        // PAN-OS has no commit timer, and going back means loading a saved version and committing it: neither is offered.
        Capabilities = DriverCapabilities.Commands | DriverCapabilities.Config | DriverCapabilities.ConfigMerge | DriverCapabilities.Diff,
        RunningConfigCommand = "show config running",
        RunningConfigShape = Config.ConfigShape.ClosedBraces,
        // A revert deletes and sets paths as the set format prints them, below the "config {" that wraps them all; a
        // leaf is deleted by its name, and a member list deleted and set whole (set adds members to a list).
        PathNegation = new() { Wrapper = "config" },
        Driver = (session, profile) => new PaloAltoPanosDriver(session, profile),
    };
}
