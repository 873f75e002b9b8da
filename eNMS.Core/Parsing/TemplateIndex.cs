using System.Text.RegularExpressions;

namespace eNMS.Core.Parsing;

/// <summary>One row of an index: the template file(s) (several joined by ':') for a platform and command.</summary>
public sealed record TemplateIndexEntry(IReadOnlyList<string> Templates, Regex Platform, Regex Command, Regex? Hostname);

/// <summary>
/// An ntc-templates (TextFSM clitable) <c>index</c> file: comments (<c>#</c>), a header row naming the columns
/// (<c>Template, Hostname, Platform, Command</c>), then one row per entry. Platform, Hostname and Command are regular
/// expressions matched at the start of the attribute, and <c>[[ow]]</c> in a command marks text the user may leave
/// out: <c>sh[[ow]] ver[[sion]]</c> matches <c>sh ver</c> and <c>show version</c>. The first matching row wins.
/// </summary>
public sealed partial class TemplateIndex(IReadOnlyList<TemplateIndexEntry> entries)
{
    public const int MaxEntries = 10_000;

    private static readonly string[] RequiredColumns = ["Template", "Platform", "Command"];

    public IReadOnlyList<TemplateIndexEntry> Entries { get; } = entries;

    /// <exception cref="FormatException">The index has no header, lacks the Template/Platform/Command columns or has
    /// an invalid regular expression (the message names the line).</exception>
    public static TemplateIndex Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[]? header = null;
        var entries = new List<TemplateIndexEntry>();
        var number = 0;
        foreach (var raw in text.Replace("\r", "", StringComparison.Ordinal).Split('\n'))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var cells = line.Split(',', StringSplitOptions.TrimEntries);
            if (header is null)
            {
                header = cells;
                if (!RequiredColumns.All(header.Contains))
                {
                    throw new FormatException($"index line {number}: the header must name the columns Template, Platform and Command");
                }
                continue;
            }
            if (entries.Count >= MaxEntries)
            {
                throw new FormatException($"the index has more than {MaxEntries:N0} entries");
            }
            string Cell(string column) => Array.IndexOf(header, column) is var i and >= 0 && i < cells.Length ? cells[i] : "";
            try
            {
                var hostname = Cell("Hostname");
                entries.Add(new TemplateIndexEntry(Cell("Template").Split(':', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                    PythonRegex.Create(Cell("Platform"), anchoredAtStart: true), CommandRegex(Cell("Command")),
                    hostname is "" or ".*" ? null : PythonRegex.Create(hostname, anchoredAtStart: true)));
            }
            catch (ArgumentException e)
            {
                throw new FormatException($"index line {number}: {e.Message}", e);
            }
        }
        return new TemplateIndex(entries);
    }

    /// <summary>A command pattern with its <c>[[...]]</c> completions expanded: <c>sh[[ow]]</c> → <c>sh(o(w)?)?</c>.</summary>
    public static Regex CommandRegex(string command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var expanded = Completion().Replace(command, m =>
            string.Concat(m.Groups[1].Value.Select(c => $"({c}")) + string.Concat(Enumerable.Repeat(")?", m.Groups[1].Value.Length)));
        return PythonRegex.Create(expanded, anchoredAtStart: true);
    }

    /// <summary>The first entry for this platform and command (and host name when the entry names one).</summary>
    public TemplateIndexEntry? Find(string platform, string command, string hostname = "") =>
        Entries.FirstOrDefault(e => e.Platform.IsMatch(platform) && e.Command.IsMatch(command) && (e.Hostname is null || e.Hostname.IsMatch(hostname)));

    [GeneratedRegex(@"\[\[(.+?)\]\]")]
    private static partial Regex Completion();
}
