using System.Text.RegularExpressions;
using eNMS.Drivers.Cli;

namespace eNMS.Drivers.Platforms.Profiles;

public static partial class PlatformProfiles
{
    /// <summary>HP ProCurve / ArubaOS-Switch: a banner that waits for a key, the manager prompt <c>HP-2530#</c>,
    /// <c>no page</c>, contexts named after what they configure (<c>(config)</c>, <c>(eth-9)</c>, <c>(vlan-1)</c>),
    /// lines that apply as they are typed (a failed push is undone by <see cref="HpProcurveDriver"/>), <c>write
    /// memory</c> to keep them.</summary>
    public static PlatformProfile HpProcurve { get; } = new()
    {
        Key = "hp_procurve",
        Aliases = ["aruba_osswitch", "aruba_procurve"],
        NapalmDrivers = ["procurve"],
        Cli = CliProfile.Default with
        {
            PromptEnds = ">#",
            EnableCommand = "enable",
            SessionSetup = ["no page"],
            // After the product banner, before any prompt: "Press any key to continue".
            LoginAnswers = [new CliAnswer(new(@"Press any key to continue\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant), "")],
            // A context prompt names the context, not "config": HP-2530(eth-9)#, HP-2530(vlan-1)#.
            ConfigPrompt = new(@"\([\w\-/.]+\)\s*#\s*$", RegexOptions.CultureInvariant),
            // "Invalid input: bogus", "Incomplete input: hostname", "Ambiguous input: s", "Module not present for port or
            // invalid port: 99".
            Error = new(@"^\s*(Invalid input|Incomplete input|Ambiguous input|Module not present)\b[^\n]*",
                RegexOptions.Multiline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant),
        },
        CommitModel = CommitModel.Immediate,
        Capabilities = DriverCapabilities.Commands | DriverCapabilities.Config,
        AtomicSummary = "yes (undone by the driver on failure)",
        // "Running configuration:" and empty lines, then the configuration ("; J9773A Configuration Editor; ...").
        RunningConfigHeader = new(@"^Running configuration:", RegexOptions.CultureInvariant),
        // "; J9773A Configuration Editor; ...": comments. A port's context cannot be removed ("no interface 9" is
        // refused): it leaves the configuration once its settings are back to their defaults.
        Negation = new()
        {
            Noise = l => l.StartsWith(';'),
            Permanent = l => l.StartsWith("interface ", StringComparison.Ordinal),
        },
        // A save that worked prints nothing: any reply is the switch saying why it did not.
        Save = new("write memory", new(@"\A\s*\z", RegexOptions.CultureInvariant)),
        Driver = (session, profile) => new HpProcurveDriver(session, profile),
    };
}
