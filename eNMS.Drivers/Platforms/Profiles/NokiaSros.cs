using System.Text.RegularExpressions;
using eNMS.Drivers.Cli;

namespace eNMS.Drivers.Platforms.Profiles;

public static partial class PlatformProfiles
{
    /// <summary>Nokia SR OS, model-driven CLI: a two-line prompt (the context, <c>[/]</c> or <c>*[pr:/configure]</c>,
    /// above <c>A:admin@node-2# </c>); <c>edit-config private</c> opens a private candidate that <c>commit</c> applies
    /// all or nothing (see <see cref="NokiaSrosDriver"/>); <c>admin save</c> writes the startup configuration.</summary>
    public static PlatformProfile NokiaSros { get; } = new()
    {
        Key = "nokia_sros",
        NapalmDrivers = ["sros"],
        Cli = CliProfile.Default with
        {
            PromptEnds = "#",
            // Netmiko sends the same three: no pager, a wide console, no completion on space (which would rewrite
            // what was typed).
            SessionSetup = ["environment more false", "environment console width 512", "environment command-completion space false"],
            More = new(@"Press Q to quit, Enter to print next line or any other key to print next page\.?\s*$", RegexOptions.CultureInvariant),
            PromptContext = new(@"^\*?(\((ex|pr|gl|ro)\)\s*)?\[[^\n]*\]$", RegexOptions.CultureInvariant),
            // The context names the configuration mode: "[pr:/configure]" (newer releases), "(pr)[/configure]" (older).
            ConfigPrompt = new(@"^\*?(\((ex|pr|gl)\)\s*\[|\[(ex|pr|gl):)", RegexOptions.CultureInvariant),
            ConfigEnter = "edit-config private",
            ConfigExit = "quit-config",
            // "MINOR: CLI #2004: Unknown element - 'bogus'", "MINOR: MGMT_CORE #4001: configure ... - Missing mandatory
            // fields - prefix-length": a severity, an application, a number.
            Error = new(@"^\s*(MINOR|MAJOR|CRITICAL): [A-Z_]+ #\d+:[^\n]*", RegexOptions.Multiline | RegexOptions.CultureInvariant),
        },
        CommitModel = CommitModel.Candidate,
        Capabilities = DriverCapabilities.Commands | DriverCapabilities.Config | DriverCapabilities.ConfigMerge | DriverCapabilities.CommitConfirm,
        // The whole running configuration, in braces, between "#" comment lines (version, "# Generated <time>",
        // "# Finished <time>") that NokiaSrosDriver drops.
        RunningConfigCommand = "admin show configuration",
        RunningConfigShape = Config.ConfigShape.ClosedBraces,
        // A revert types absolute paths as `info flat` prints them ("/configure port 1/1/1 admin-state enable" sets,
        // "delete /configure router \"Base\" interface \"to-core\"" removes); "exit all" before the braces is no
        // configuration.
        PathNegation = new() { Set = "", PathPrefix = "/", Noise = l => l == "exit all" },
        // "Writing configuration to cf3:/config.cfg", "Saving configuration .... OK", "Completed."
        Save = new("admin save", new(@"^Completed\.\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant)),
        Driver = (session, profile) => new NokiaSrosDriver(session, profile),
    };
}
