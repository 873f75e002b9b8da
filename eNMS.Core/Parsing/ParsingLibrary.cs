using System.Collections.Concurrent;
using eNMS.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace eNMS.Core.Parsing;

/// <summary>No template fits, or one cannot be read or run; the message says which and why.</summary>
public sealed class ParsingException(string message) : Exception(message)
{
    public ParsingException() : this("parsing failed") { }

    public ParsingException(string message, Exception inner) : this(message) => _ = inner;
}

/// <summary>A template found for a command, and where it came from (stored, directory or built-in).</summary>
public sealed record ResolvedTemplate(string Name, string Source, TextFsmTemplate Template);

/// <summary>
/// Finds TextFSM templates by name or by platform + command, in this order: templates stored in eNMS, the admin's
/// directory (<see cref="ParsingOptions.TemplateDirectory"/>, ntc-templates layout with its <c>index</c>), then the
/// templates eNMS ships (<c>Parsing/Templates</c>). A stored template thus overrides a file of the same name or
/// command, so an admin can fix one template without touching the checkout.
/// </summary>
public sealed class ParsingLibrary(IDbContextFactory<EnmsDbContext> dbFactory, IOptionsMonitor<ParsingOptions> options)
{
    public const string Stored = "stored";
    public const string Directory = "directory";
    public const string BuiltIn = "built-in";

    private const string ResourcePrefix = "eNMS.Parsing.Templates.";
    private const int Cached = 500;
    private static readonly ConcurrentDictionary<string, TextFsmTemplate> Parsed = new(StringComparer.Ordinal);
    private static readonly Lazy<TemplateIndex> BuiltInIndex = new(() => TemplateIndex.Parse(BuiltInText("index") ?? ""));
    // A reference swapped whole, so concurrent runs never see half of an update.
    private volatile CachedIndex? _directoryIndex;

    /// <summary>The names of the templates eNMS ships.</summary>
    public static IReadOnlyList<string> BuiltInNames { get; } = typeof(ParsingLibrary).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".textfsm", StringComparison.Ordinal))
        .Select(n => n[ResourcePrefix.Length..]).Order(StringComparer.Ordinal).ToList();

    /// <summary>Parses the text with the named template (several joined by ':'), or with the template the indexes give
    /// for the platform and command when no name is given.</summary>
    /// <exception cref="ParsingException">No template fits, a template is not valid, or the text made it fail.</exception>
    public async Task<TextFsmTable> ParseAsync(string? templateName, string platform, string command, string text, CancellationToken ct)
    {
        var templates = await ResolveAsync(templateName, platform, command, ct);
        var tables = new List<(TextFsmTemplate Template, TextFsmTable Table)>();
        foreach (var template in templates)
        {
            try
            {
                tables.Add((template.Template, TextFsmRunner.Parse(template.Template, text)));
            }
            catch (TextFsmParseException e)
            {
                throw new ParsingException($"template {template.Name}: {e.Message}", e);
            }
        }
        return Join(tables);
    }

    /// <exception cref="ParsingException">No template fits, or one is not valid (its name and line are given).</exception>
    public async Task<IReadOnlyList<ResolvedTemplate>> ResolveAsync(string? templateName, string platform, string command, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(templateName))
        {
            var found = new List<ResolvedTemplate>();
            foreach (var name in templateName.Split(':', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                found.Add(await FindByNameAsync(name, ct) ?? throw new ParsingException($"no template named '{name}'"));
            }
            return found;
        }
        command = command.Trim();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var stored = await db.ParsingTemplates.AsNoTracking().Where(t => t.Platform == platform && t.Command != "").OrderBy(t => t.Name).ToListAsync(ct);
            if (stored.FirstOrDefault(t => Matches(t.Command, command)) is { } match)
            {
                return [Resolve(match.Name, Stored, match.Text)];
            }
        }
        if (DirectoryIndex()?.Find(platform, command) is { } entry)
        {
            return entry.Templates.Select(name => Resolve(name, Directory, DirectoryText(name) ?? throw new ParsingException($"the index names '{name}', which is not in {options.CurrentValue.TemplateDirectory}"))).ToList();
        }
        if (BuiltInIndex.Value.Find(platform, command) is { } builtIn)
        {
            return builtIn.Templates.Select(name => Resolve(name, BuiltIn, BuiltInText(name) ?? "")).ToList();
        }
        throw new ParsingException($"no template for platform '{platform}' command '{command}'");
    }

    /// <summary>A template by name: stored, then a file of the directory, then built-in.</summary>
    public async Task<ResolvedTemplate?> FindByNameAsync(string name, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.ParsingTemplates.AsNoTracking().FirstOrDefaultAsync(t => t.Name == name, ct) is { } stored)
        {
            return Resolve(stored.Name, Stored, stored.Text);
        }
        if (DirectoryText(name) is { } file)
        {
            return Resolve(name, Directory, file);
        }
        return BuiltInText(name) is { } builtIn ? Resolve(name, BuiltIn, builtIn) : null;
    }

    /// <summary>The template parsed (cached by its text), or an error naming the template and line.</summary>
    public static ResolvedTemplate Resolve(string name, string source, string text)
    {
        if (!Parsed.TryGetValue(text, out var template))
        {
            try
            {
                template = TextFsmTemplate.Parse(text);
            }
            catch (TextFsmTemplateException e)
            {
                throw new ParsingException($"template {name} {e.Message}", e);
            }
            if (Parsed.Count >= Cached)
            {
                Parsed.Clear();
            }
            Parsed[text] = template;
        }
        return new ResolvedTemplate(name, source, template);
    }

    private static bool Matches(string commandPattern, string command)
    {
        try
        {
            return TemplateIndex.CommandRegex(commandPattern).IsMatch(command);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>A built-in template's text (or the built-in index), or null.</summary>
    public static string? BuiltInText(string name)
    {
        using var stream = typeof(ParsingLibrary).Assembly.GetManifestResourceStream(ResourcePrefix + name);
        return stream is null ? null : new StreamReader(stream).ReadToEnd();
    }

    private TemplateIndex? DirectoryIndex()
    {
        var directory = options.CurrentValue.TemplateDirectory;
        var path = directory.Length == 0 ? "" : Path.Combine(directory, "index");
        if (path.Length == 0 || !File.Exists(path))
        {
            return null;
        }
        var written = File.GetLastWriteTimeUtc(path);
        if (_directoryIndex is { } cached && cached.Path == path && cached.Written == written)
        {
            return cached.Index;
        }
        try
        {
            var index = TemplateIndex.Parse(ReadBounded(path));
            _directoryIndex = new CachedIndex(path, written, index);
            return index;
        }
        catch (FormatException e)
        {
            throw new ParsingException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>A template file of the directory; only a plain file name is accepted (no path leaves the directory).</summary>
    private string? DirectoryText(string name)
    {
        var directory = options.CurrentValue.TemplateDirectory;
        if (directory.Length == 0 || name != Path.GetFileName(name) || name is "." or "..")
        {
            return null;
        }
        var path = Path.Combine(directory, name);
        return File.Exists(path) ? ReadBounded(path) : null;
    }

    private static string ReadBounded(string path) =>
        new FileInfo(path).Length > TextFsmTemplate.MaxLength * 4L
            ? throw new ParsingException($"{path} is larger than {TextFsmTemplate.MaxLength * 4L:N0} bytes")
            : File.ReadAllText(path);

    /// <summary>Several templates' tables as one (TextFSM clitable's joining): columns of later tables are added to
    /// the rows of the first whose shared Key values are equal (by position when they share no Key).</summary>
    private static TextFsmTable Join(List<(TextFsmTemplate Template, TextFsmTable Table)> tables)
    {
        var (first, result) = tables[0];
        var header = result.Header.ToList();
        var rows = result.Rows.Select(r => r.ToList()).ToList();
        foreach (var (template, table) in tables.Skip(1))
        {
            var added = table.Header.Where(h => !header.Contains(h)).ToList();
            var keys = template.Values.Where(v => v.Has(TextFsmOption.Key) && first.Values.Any(f => f.Name == v.Name && f.Has(TextFsmOption.Key))).Select(v => v.Name).ToList();
            for (var i = 0; i < rows.Count; i++)
            {
                var row = rows[i];
                var other = keys.Count == 0
                    ? table.Rows.ElementAtOrDefault(i)
                    : table.Rows.FirstOrDefault(o => keys.All(k => Equals(o[IndexOf(table.Header, k)], row[header.IndexOf(k)])));
                row.AddRange(added.Select(h => other is null ? "" : other[IndexOf(table.Header, h)]));
            }
            header.AddRange(added);
        }
        return new TextFsmTable(header, rows);
    }

    private static int IndexOf(IReadOnlyList<string> header, string name) => header.ToList().IndexOf(name);

    private sealed record CachedIndex(string Path, DateTime Written, TemplateIndex Index);
}
