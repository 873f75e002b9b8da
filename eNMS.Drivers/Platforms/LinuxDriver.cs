using System.Text.RegularExpressions;
using eNMS.Drivers.Cli;

namespace eNMS.Drivers.Platforms;

/// <summary>A Linux host's bash: commands only.</summary>
public sealed class LinuxDriver(CliSession session) : CliDriver(session)
{
    private static readonly CliProfile LinuxProfile = CliProfile.Default with
    {
        PromptEnds = "$#",
        Error = new(@"^[^\n]*: (command not found|No such file or directory|Permission denied)$",
            RegexOptions.Multiline | RegexOptions.CultureInvariant),
    };

    public override DriverCapabilities Capabilities => DriverCapabilities.Commands;

    protected internal override CliProfile Profile => LinuxProfile;

    public override Task<string> SendConfigAsync(IEnumerable<string> lines, CancellationToken ct) =>
        throw Unsupported(DriverCapabilities.Config);

    public override Task<string> GetRunningConfigAsync(CancellationToken ct) =>
        throw Unsupported(DriverCapabilities.Config);
}
