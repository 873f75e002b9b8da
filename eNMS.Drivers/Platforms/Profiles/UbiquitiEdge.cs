using System.Text.RegularExpressions;
using eNMS.Drivers.Cli;

namespace eNMS.Drivers.Platforms.Profiles;

public static partial class PlatformProfiles
{
    /// <summary>Ubiquiti EdgeSwitch (not EdgeRouter): Cisco-like with its hostname in parentheses, <c>(host) &gt;</c>
    /// then <c>enable</c> to <c>(host) #</c>, <c>terminal length 0</c>, <c>configure</c> to <c>(host) (Config)#</c>,
    /// <c>exit</c> up one level (there is no <c>end</c>); lines apply as they are typed (the plain
    /// <see cref="CliDriver"/> drives it); <c>write memory</c> asks before it saves.</summary>
    public static PlatformProfile UbiquitiEdge { get; } = new()
    {
        Key = "ubiquiti_edge",
        Aliases = ["ubiquiti_edgeswitch"],
        Cli = CliProfile.Default with
        {
            PromptEnds = ">#",
            EnableCommand = "enable",
            SessionSetup = ["terminal length 0"],
            ConfigEnter = "configure",
            ConfigExit = "exit",
            // A mode follows the hostname in parentheses of its own: (host) (Config)#, (host) (Interface 0/1)#.
            ConfigPrompt = new(@"\)\s*\([^)\n]+\)\s*#\s*$", RegexOptions.CultureInvariant),
            // "% Invalid input detected at '^' marker.", "Command not found / Incomplete command. Use ? to list
            // commands.", "An invalid interface has been used for this function."
            Error = new(@"^\s*(% ?(Invalid|Incomplete|Ambiguous|Unknown|Error)\b|Command not found|An invalid )[^\n]*",
                RegexOptions.Multiline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant),
        },
        CommitModel = CommitModel.Immediate,
        Capabilities = DriverCapabilities.Commands | DriverCapabilities.Config,
        // "!Current Configuration:", "!System Description ...", "!System Up Time ..." (moves every second), "!".
        RunningConfigHeader = new(@"^!", RegexOptions.CultureInvariant),
        // A port (interface 0/1) cannot be removed, only emptied. The running configuration does not indent a
        // section's lines but closes it with "exit" (interface 0/1, description 'uplink', exit; line console, exit;
        // vlan database, exit), and its global lines follow a "configure" that is not a setting.
        Negation = new()
        {
            Permanent = l => l.StartsWith("interface ", StringComparison.Ordinal),
            Noise = l => l == "configure",
            ExitClosed = l => l.StartsWith("interface ", StringComparison.Ordinal) || l.StartsWith("line ", StringComparison.Ordinal)
                || l == "vlan database",
        },
        // "Are you sure you want to save? (y/n)", then "Config file 'startup-config' created successfully ." and
        // "Configuration Saved!" ("Configuration Not Saved!" otherwise).
        Save = new("write memory", new(@"^\s*Configuration Saved!", RegexOptions.Multiline | RegexOptions.CultureInvariant))
        {
            Answers = [new CliAnswer(new(@"Are you sure you want to save\?\s*\(y/n\)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant), "y")],
        },
    };
}
