using System.Text.RegularExpressions;
using eNMS.Drivers.Cli;

namespace eNMS.Drivers.Platforms;

/// <summary>A Linux host's bash (commands only, see its profile): a class of its own for checksums by sha256sum.</summary>
public sealed class LinuxDriver(CliSession session, PlatformProfile platform) : CliDriver(session, platform)
{
    /// <summary><c>sha256sum</c>; a missing file is told apart from an unreadable one (which fails the command with
    /// bash's "Permission denied").</summary>
    public override async Task<FileChecksum?> FileChecksumAsync(string path, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(path);
        var quoted = ShellQuote(path);
        var output = await SendCommandAsync($"if [ -e {quoted} ]; then sha256sum -- {quoted}; else echo enms-no-such-file; fi", ct);
        if (output.Trim() == "enms-no-such-file")
        {
            return null;
        }
        var digest = Sha256Line.Match(output);
        return digest.Success ? new FileChecksum("sha256", digest.Groups[1].Value.ToLowerInvariant())
            : throw new DeviceCommandException(Target.Name, "sha256sum " + path, output);
    }

    private static readonly Regex Sha256Line = new(@"^\\?([0-9a-fA-F]{64})\s", RegexOptions.Multiline | RegexOptions.CultureInvariant);

    /// <summary>A single-quoted word for bash: nothing in it is expanded.</summary>
    internal static string ShellQuote(string text) => "'" + text.Replace("'", @"'\''", StringComparison.Ordinal) + "'";
}
