namespace eNMS.Drivers.Config;

/// <summary>
/// The changes that turn a running configuration back into an earlier one on a CLI without configuration replace,
/// computed from the two configurations' indented trees: lines the earlier one lacks are negated (last first, so
/// what references a line goes before it), lines it has are typed back under their sections (in its order). A
/// single-valued setting (<c>hostname</c>, <c>description</c>, <c>ip address</c>) is not negated when the earlier
/// value is typed back, since typing it replaces the current one.
/// </summary>
public static class ConfigInverse
{
    /// <summary>Parses a running configuration for the comparison (without the platform's noise lines).</summary>
    public static IReadOnlyList<ConfigNode> Parse(string config, CliNegation negation)
    {
        ArgumentNullException.ThrowIfNull(negation);
        return ConfigTree.Parse(negation.ExitClosed is { } opens ? IndentExitClosed(config, opens) : config,
            negation.Noise, negation.Separator);
    }

    /// <summary>The lines of each section <paramref name="opens"/> starts indented under it, up to its <c>exit</c>.</summary>
    private static string IndentExitClosed(string config, Func<string, bool> opens)
    {
        var lines = new List<string>();
        int depth = 0;
        foreach (var raw in config.Replace("\r", "", StringComparison.Ordinal).Split('\n'))
        {
            var line = raw.Trim();
            if (line == "exit" && depth > 0)
            {
                depth--;
                continue;
            }
            lines.Add(new string(' ', depth) + line);
            if (opens(line))
            {
                depth++;
            }
        }
        return string.Join('\n', lines);
    }

    /// <summary>The lines to send in config mode, section headers entered and left with <paramref name="exitSection"/>
    /// (the platform's <see cref="CliNegation.Exit"/> when not given).</summary>
    public static IReadOnlyList<string> Commands(IReadOnlyList<ConfigNode> current, IReadOnlyList<ConfigNode> target,
        CliNegation negation, string? exitSection = null)
    {
        ArgumentNullException.ThrowIfNull(negation);
        var commands = new List<string>();
        Into(commands, current, target, negation, exitSection ?? negation.Exit, []);
        return commands;
    }

    /// <summary>What still differs from <paramref name="target"/> (the readable diff of <see cref="ConfigTree.Diff"/>),
    /// plus the access lists whose entries are in another order (an ACL's order is its meaning); empty when equal.</summary>
    public static string Residual(IReadOnlyList<ConfigNode> current, IReadOnlyList<ConfigNode> target)
    {
        var diff = ConfigTree.Diff(current, target);
        var reordered = AccessLists(target).Where(acl =>
        {
            var now = Order(current, acl);
            var before = Order(target, acl).Where(now.Contains).ToList();
            return !now.Where(before.Contains).SequenceEqual(before);
        }).Select(acl => $"~ {acl}: its entries are in another order than before");
        return string.Join('\n', new[] { diff }.Where(d => d.Length > 0).Concat(reordered));
    }

    private static IEnumerable<string> AccessLists(IReadOnlyList<ConfigNode> nodes) => nodes
        .Where(n => n.Line.StartsWith("access-list ", StringComparison.Ordinal))
        .Select(n => string.Join(' ', n.Line.Split(' ', 3)[..2])).Distinct(StringComparer.Ordinal);

    private static List<string> Order(IReadOnlyList<ConfigNode> nodes, string acl) =>
        [.. nodes.Select(n => n.Line).Where(l => l.StartsWith(acl + " ", StringComparison.Ordinal))];

    private static void Into(List<string> commands, IReadOnlyList<ConfigNode> current, IReadOnlyList<ConfigNode> target,
        CliNegation negation, string exitSection, List<string> path)
    {
        // Removals, last line first: an access-group goes before its access list, a NAT rule before its object.
        foreach (var old in current.Reverse())
        {
            if (target.Any(t => t.Line == old.Line))
            {
                continue;
            }
            if (old.Children.Count > 0 && negation.Permanent?.Invoke(old.Line) == true)
            {
                Into(commands, old.Children, [], negation, exitSection, [.. path, old.Line]);
            }
            else if (Negate(old.Line, target, negation) is { } undo)
            {
                Send(commands, path, [undo], exitSection);
            }
        }
        foreach (var node in target)
        {
            var old = current.FirstOrDefault(o => o.Line == node.Line);
            if (old is null)
            {
                Send(commands, path, ConfigTree.Flatten([node], exitSection), exitSection);
            }
            else if (old.Children.Count > 0 || node.Children.Count > 0)
            {
                Into(commands, old.Children, node.Children, negation, exitSection, [.. path, node.Line]);
            }
        }
    }

    /// <summary>The line that takes <paramref name="line"/> back, or null when typing the earlier configuration's
    /// lines back does it (a single-valued setting replaced, a <c>no X</c> that becomes <c>X …</c> again).</summary>
    private static string? Negate(string line, IReadOnlyList<ConfigNode> target, CliNegation negation)
    {
        var prefix = negation.Prefix + " ";
        string undo;
        if (line.StartsWith(prefix, StringComparison.Ordinal))
        {
            undo = line[prefix.Length..];
            if (target.Any(t => t.Line == undo || t.Line.StartsWith(undo + " ", StringComparison.Ordinal)))
            {
                return null;
            }
        }
        else
        {
            var key = CliMerge.KeyOf(line);
            if (key is not null && target.Any(t => CliMerge.KeyOf(t.Line) == key))
            {
                return null;
            }
            var bare = negation.Bare.FirstOrDefault(b => line.StartsWith(b + " ", StringComparison.Ordinal));
            undo = prefix + (bare is not null && !CliMerge.IsSecondary(line) ? bare : line);
        }
        // The earlier configuration holds the negation itself ("no shutdown"): it is typed back with the additions.
        return target.Any(t => t.Line == undo) ? null : undo;
    }

    private static void Send(List<string> commands, List<string> path, IEnumerable<string> lines, string exitSection)
    {
        commands.AddRange(path);
        commands.AddRange(lines);
        commands.AddRange(path.Select(_ => exitSection));
    }
}
