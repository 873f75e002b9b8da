using System.Text;

namespace eNMS.Drivers.Platforms.Profiles;

/// <summary>README's platforms × operations table, made from the profiles alone (a test keeps README equal to it):
/// what each platform does, as eNMS drives it.</summary>
public static class PlatformTable
{
    public const string Begin = "<!-- platform-table:begin (generated from eNMS.Drivers/Platforms/Profiles by PlatformTableTests) -->";

    public const string End = "<!-- platform-table:end -->";

    private static readonly string[] Header =
        ["platform", "other names", "commands", "config push", "atomic", "rollback", "commit confirmed", "backup", "save", "file transfer", "Telnet"];

    /// <summary>The table for <paramref name="profiles"/> (every shipped platform by default), in key order.</summary>
    public static string Markdown(IEnumerable<PlatformProfile>? profiles = null)
    {
        var text = new StringBuilder();
        text.Append("| ").AppendJoin(" | ", Header).Append(" |\n");
        text.Append('|').Append(string.Concat(Header.Select(_ => "---|"))).Append('\n');
        foreach (var p in (profiles ?? PlatformProfiles.All).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append("| ").AppendJoin(" | ", Row(p)).Append(" |\n");
        }
        return text.ToString();
    }

    private static IEnumerable<string> Row(PlatformProfile p)
    {
        bool config = p.Capabilities.HasFlag(DriverCapabilities.Config);
        yield return Code(p.Key);
        yield return string.Join("; ", new[]
        {
            string.Join(", ", p.Aliases.Select(Code)),
            p.NapalmDrivers.Count > 0 ? "NAPALM " + string.Join(", ", p.NapalmDrivers.Select(Code)) : "",
        }.Where(s => s.Length > 0)) is { Length: > 0 } names ? names : "—";
        yield return Yes(p.Capabilities.HasFlag(DriverCapabilities.Commands));
        yield return !config ? "—" : p.CommitModel is CommitModel.Candidate ? "candidate, then commit" : "line by line";
        yield return !config ? "—"
            : p.AtomicSummary is { } atomic ? atomic
            : p.CommitModel is CommitModel.Candidate ? "yes (the device's commit)"
            : p.Capabilities.HasFlag(DriverCapabilities.ConfigMerge) ? "yes (undone by the driver on failure)" : "no";
        yield return Yes(p.Capabilities.HasFlag(DriverCapabilities.Rollback));
        yield return Yes(p.Capabilities.HasFlag(DriverCapabilities.CommitConfirm));
        yield return config ? Code(p.RunningConfigCommand) : "—";
        yield return p.SaveSummary;
        yield return "SFTP, SCP; checksum " + (p.FileMd5 is { } md5 ? Code(md5.Command("FILE"))
            : p.FileChecksumCommand is { } other ? Code(other) : "—");
        yield return $"yes ({Code(p.Key + DriverRegistry.TelnetSuffix)})";
    }

    private static string Yes(bool value) => value ? "yes" : "—";

    private static string Code(string text) => $"`{text.Replace("|", "\\|", StringComparison.Ordinal)}`";
}
