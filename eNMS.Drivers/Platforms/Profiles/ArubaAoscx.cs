using System.Text.RegularExpressions;
using eNMS.Drivers.Cli;

namespace eNMS.Drivers.Platforms.Profiles;

public static partial class PlatformProfiles
{
    [GeneratedRegex(@"^interface \d+/\d+/\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex PhysicalAoscxPort();

    /// <summary>Aruba AOS-CX: <c>no page</c>, <c>configure terminal</c> / <c>end</c>, lines apply as they are typed
    /// (the plain <see cref="CliDriver"/> drives it), <c>write memory</c> to keep them.</summary>
    public static PlatformProfile ArubaAoscx { get; } = new()
    {
        Key = "aruba_aoscx",
        NapalmDrivers = ["aoscx"],
        Cli = CliProfile.Default with
        {
            PromptEnds = ">#",
            EnableCommand = "enable",
            SessionSetup = ["no page"],
            // "Invalid input: bogus", "Command incomplete.", "Unknown command."
            Error = new(@"^\s*(Invalid input:|Command incomplete|Unknown command|% ?(Invalid|Incomplete|Error))[^\n]*",
                RegexOptions.Multiline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant),
        },
        CommitModel = CommitModel.Immediate,
        Capabilities = DriverCapabilities.Commands | DriverCapabilities.Config,
        // "Current configuration:", then the configuration ("!Version ArubaOS-CX ...", "!export-password: default").
        RunningConfigHeader = new(@"^Current configuration:", RegexOptions.CultureInvariant),
        // "!Version ArubaOS-CX …", "!export-password: default": comments. A port (interface 1/1/1) and the management
        // interface cannot be removed, only emptied; a VLAN interface, loopback or LAG can ("no interface vlan10").
        Negation = new()
        {
            Permanent = l => l == "interface mgmt" || PhysicalAoscxPort().IsMatch(l),
        },
        // "Copying configuration: [Success]"
        Save = new("write memory", new(@"\[Success\]", RegexOptions.CultureInvariant)),
    };
}
