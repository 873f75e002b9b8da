using System.Text.RegularExpressions;
using eNMS.Drivers.Cli;

namespace eNMS.Drivers.Platforms.Profiles;

public static partial class PlatformProfiles
{
    /// <summary>Dell SmartFabric OS10: <c>OS10#</c>, <c>terminal length 0</c>, <c>configure terminal</c> (interface
    /// prompts <c>(conf-if-eth1/1/1)</c>), errors <c>% Error: ...</c>. A push runs in OS10's transaction mode, so a
    /// refused line leaves nothing behind (see <see cref="DellOs10Driver"/>); <c>write memory</c> to keep it.</summary>
    public static PlatformProfile DellOs10 { get; } = new()
    {
        Key = "dell_os10",
        NapalmDrivers = ["dellos10"],
        Cli = CliProfile.Default with
        {
            PromptEnds = ">#",
            SessionSetup = ["terminal length 0"],
            // "% Error: Unrecognized command.", "% Error: Incomplete command.", "% Error: Interface ethernet1/1/99 does
            // not exist." ("% Warning: ..." is not a refusal).
            Error = new(@"^\s*% ?Error:[^\n]*", RegexOptions.Multiline | RegexOptions.CultureInvariant),
        },
        CommitModel = CommitModel.Immediate,
        Capabilities = DriverCapabilities.Commands | DriverCapabilities.Config,
        AtomicSummary = "yes (a transaction: committed whole, or discarded)",
        RunningConfigCommand = "show running-configuration",
        // "! Version 10.5.2.3", "! Last configuration change at ..." (moves with every change), "!".
        RunningConfigHeader = new(@"^!", RegexOptions.CultureInvariant),
        // Sections closed by "!" (a comment). A port (interface ethernet1/1/1) and the management interface cannot be
        // removed, only emptied; a VLAN interface, loopback or port channel can ("no interface vlan10"). A revert's
        // lines go through the push's transaction: a refused one leaves the switch as it was.
        Negation = new()
        {
            Permanent = l => l.StartsWith("interface ethernet", StringComparison.Ordinal) || l.StartsWith("interface mgmt", StringComparison.Ordinal),
        },
        // A save that worked prints nothing: any reply is the switch saying why it did not.
        Save = new("write memory", new(@"\A\s*\z", RegexOptions.CultureInvariant)),
        Driver = (session, profile) => new DellOs10Driver(session, profile),
    };
}
