using System.Text.RegularExpressions;
using eNMS.Drivers.Cli;

namespace eNMS.Drivers.Platforms.Profiles;

public static partial class PlatformProfiles
{
    /// <summary>FRRouting's vtysh: lines apply at once; the driver computes transactions (see <see cref="FrrDriver"/>).</summary>
    public static PlatformProfile Frr { get; } = new()
    {
        Key = "frr",
        Cli = CliProfile.Default with
        {
            SessionSetup = ["terminal length 0"],
            Error = new(@"^\s*% ?(Unknown command|Command incomplete|Ambiguous command|Invalid|Configuration failed|Can't|Cannot|Malformed|There is no)[^\n]*",
                RegexOptions.Multiline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant),
        },
        CommitModel = CommitModel.Immediate,
        Capabilities = DriverCapabilities.Commands | DriverCapabilities.Config | DriverCapabilities.ConfigMerge |
            DriverCapabilities.ConfigReplace | DriverCapabilities.Diff | DriverCapabilities.Rollback,
        // vtysh's integrated configuration (8.4): "Integrated configuration saved to …/frr.conf"; older vtysh "[OK]".
        // A file it cannot write: "% Error: failed to open configuration file …: Permission denied".
        Save = new("write memory", new(@"^(Integrated configuration saved to |\[OK\])", RegexOptions.Multiline | RegexOptions.CultureInvariant)),
        RunningConfigHeader = new(@"^(Building configuration|Current configuration)", RegexOptions.CultureInvariant),
        RunningConfigShape = Config.ConfigShape.EndsWith("end"),
        Driver = (session, profile) => new FrrDriver(session, profile),
    };
}
