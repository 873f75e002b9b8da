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
        Negation = VrpNegation,
        // "Warning: The current configuration will be written to the device. Continue? [Y/N]:" (older releases:
        // "Are you sure to continue?[Y/N]"), then "Info: Save the configuration successfully." or "Configuration file
        // had been saved successfully".
        Save = new("save", new(@"saved? (the configuration )?successfully", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant))
        {
            Answers = [new CliAnswer(new(@"\[Y/N\]:?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant), "y")],
        },
    };

    /// <summary>How VRP and Comware take a line back: <c>undo</c> it (<c>undo description</c>, <c>undo ip address</c>,
    /// <c>undo vlan 10</c>, <c>undo interface Vlanif10</c>; <c>shutdown</c> goes by <c>undo shutdown</c>), <c>quit</c> out
    /// of a view. <c>display current-configuration</c> closes each section with a <c>#</c> line and indents global
    /// settings by one space like a section's (<c>#</c>, <c> sysname R1</c>, <c>#</c>, <c>interface …</c>): <c>#</c>
    /// separates, <c>return</c> ends, Comware's <c> version 7.1.064, …</c> is not a setting. A physical port (and
    /// <c>NULL0</c>) cannot be removed, only emptied: every interface but the logical kinds below and sub-interfaces.
    /// The bare <c>undo</c> forms are the command references' (the address, description, MTU, speed, duplex, link
    /// type, access VLAN and VLAN name take no argument to be undone).</summary>
    private static Config.CliNegation VrpNegation => new()
    {
        Prefix = "undo",
        Exit = "quit",
        Separator = l => l == "#",
        Noise = l => l == "return" || l.StartsWith("version ", StringComparison.Ordinal),
        Permanent = l => l.StartsWith("interface ", StringComparison.Ordinal)
            && !l.Contains('.', StringComparison.Ordinal)
            && !LogicalVrpInterfaces.Any(k => l.StartsWith("interface " + k, StringComparison.Ordinal)),
        Bare = ["description", "ip address", "mtu", "speed", "duplex", "port link-type", "port link-mode",
                "port default vlan", "port access vlan", "name"],
    };

    /// <summary>VRP's (<c>Vlanif10</c>, <c>Eth-Trunk1</c>…) and Comware's (<c>Vlan-interface10</c>,
    /// <c>Bridge-Aggregation1</c>…) interfaces that <c>interface</c> creates and <c>undo interface</c> removes.</summary>
    private static readonly string[] LogicalVrpInterfaces =
        ["Vlanif", "Vlan-interface", "LoopBack", "Tunnel", "Eth-Trunk", "Bridge-Aggregation", "Route-Aggregation",
         "Dialer", "Virtual-Template", "Nve"];

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
