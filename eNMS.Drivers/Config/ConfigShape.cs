namespace eNMS.Drivers.Config;

/// <summary>
/// How a platform's complete running configuration ends, so a backup cut short (a dropped session, an output cap, a
/// pager that swallowed the tail) is told apart from a real configuration. Each driver declares its platform's
/// shape; <see cref="Unknown"/> is for platforms whose output has no end marker (NX-OS prints none).
/// </summary>
public sealed class ConfigShape
{
    private readonly Func<string[], string?> _problem;

    private ConfigShape(string description, Func<string[], string?> problem)
    {
        Description = description;
        _problem = problem;
    }

    /// <summary>No end marker is known: only the checks every platform shares apply.</summary>
    public static ConfigShape Unknown { get; } = new("no end marker", _ => null);

    /// <summary>IOS, EOS and FRR end <c>show running-config</c> with a line <c>end</c>.</summary>
    public static ConfigShape EndsWith(string lastLine) => new($"ends with '{lastLine}'", lines =>
        lines.LastOrDefault(l => l.Trim().Length > 0)?.Trim() == lastLine
            ? null
            : $"the output does not end with the platform's end marker '{lastLine}'");

    /// <summary>Junos: braces balance and the last statement closes a block or ends with ';'.</summary>
    public static ConfigShape ClosedBraces { get; } = new("braces closed", lines =>
    {
        int depth = 0;
        foreach (var line in lines.Select(l => l.Trim()).Where(l => !l.StartsWith('#') && !l.StartsWith("/*", StringComparison.Ordinal)))
        {
            depth += line.Count(c => c == '{') - line.Count(c => c == '}');
        }
        var last = lines.LastOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "";
        return depth != 0 ? $"{depth} brace(s) left open: the configuration stops inside a block"
            : last.EndsWith('}') || last.EndsWith(';') ? null
            : "the output does not end with a closing brace or a statement";
    });

    public string Description { get; }

    /// <summary>Why the text is not a complete configuration of this shape; null when it is.</summary>
    public string? Problem(string config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return _problem(config.Replace("\r", "", StringComparison.Ordinal).Split('\n'));
    }
}
