using System.Text.RegularExpressions;
using eNMS.Drivers.Cli;

namespace eNMS.Drivers.Platforms.Profiles;

public static partial class PlatformProfiles
{
    /// <summary>MikroTik RouterOS: prompt <c>[admin@MikroTik] &gt; </c>, no config mode and no paging to turn off (the
    /// terminal options on the user name set a height that never pages); every command applies at once, so a push runs
    /// in safe mode, which undoes it on failure (see <see cref="MikrotikRouterOsDriver"/>). Changes are saved as they
    /// are made.</summary>
    public static PlatformProfile MikrotikRouterOs { get; } = new()
    {
        Key = "mikrotik_routeros",
        NapalmDrivers = ["ros"],
        // c: no colours, t: no terminal detection (the router would wait for the answer to ESC[6n), 511w 4098h: as
        // Netmiko does.
        LoginSuffix = "+ct511w4098h",
        Cli = CliProfile.Default with
        {
            PromptEnds = ">",
            // Without a height on the user name: "-- [Q quit|D dump|down]".
            More = new(@"-- \[Q quit\|D dump\|down\]\s*$", RegexOptions.CultureInvariant),
            // Safe mode is the nearest thing to a config mode: "[admin@MikroTik] <SAFE> ".
            ConfigPrompt = new(@"<SAFE>\s*$", RegexOptions.CultureInvariant),
            // "bad command name x (line 1 column 1)", "expected end of command (line 1 column 12)", "failure: already
            // have such address", "input does not match any value of interface", "invalid value for argument address".
            Error = new(@"^\s*(bad command name|expected end of command|expected command name|syntax error|failure:|input does not match|invalid value for argument|no such item|ambiguous value)[^\n]*",
                RegexOptions.Multiline | RegexOptions.CultureInvariant),
        },
        CommitModel = CommitModel.Immediate,
        Capabilities = DriverCapabilities.Commands | DriverCapabilities.Config,
        AtomicSummary = "yes (safe mode: undone on failure)",
        SavedBy = "RouterOS saves each change",
        RunningConfigCommand = "/export",
        // "# 2026-11-25 11:00:00 by RouterOS 7.12" (the time of the export), "# software id = …", "# model = …".
        RunningConfigHeader = new(@"^#", RegexOptions.CultureInvariant),
        Driver = (session, profile) => new MikrotikRouterOsDriver(session, profile),
    };
}
