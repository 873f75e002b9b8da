namespace eNMS.Drivers.Config;

/// <summary>One configuration statement and the statements indented under it.</summary>
public sealed record ConfigNode(string Line, IReadOnlyList<ConfigNode> Children);

/// <summary>
/// Indentation-structured CLI configuration (IOS/FRR style): parsed into a tree so two configurations can be
/// compared section by section, and the commands turning one into the other can be computed for platforms
/// without a native candidate (what frr-reload does).
/// </summary>
public static class ConfigTree
{
    /// <summary>Parses a configuration; blank lines, <c>!</c> comments, <c>end</c> and <c>exit</c> are dropped, as
    /// are lines <paramref name="ignore"/> matches (version banners and the like); a line <paramref name="separator"/>
    /// matches (VRP's <c>#</c>) is dropped too and closes every open section, so what follows it starts at the top
    /// whatever its indent.</summary>
    public static IReadOnlyList<ConfigNode> Parse(string config, Func<string, bool>? ignore = null, Func<string, bool>? separator = null)
    {
        var stack = new Stack<(int Indent, List<ConfigNode> Children)>();
        var top = new List<ConfigNode>();
        stack.Push((-1, top));
        foreach (var raw in config.Replace("\r", "", StringComparison.Ordinal).Split('\n'))
        {
            var line = raw.TrimEnd();
            var trimmed = line.TrimStart();
            if (trimmed.Length > 0 && separator?.Invoke(trimmed) == true)
            {
                while (stack.Count > 1)
                {
                    stack.Pop();
                }
                continue;
            }
            if (trimmed.Length == 0 || trimmed.StartsWith('!') || trimmed is "end" or "exit" or "exit-vrf"
                or "exit-address-family" || ignore?.Invoke(trimmed) == true)
            {
                continue;
            }
            int indent = line.Length - trimmed.Length;
            while (stack.Peek().Indent >= indent)
            {
                stack.Pop();
            }
            var children = new List<ConfigNode>();
            stack.Peek().Children.Add(new ConfigNode(trimmed, children));
            stack.Push((indent, children));
        }
        return top;
    }

    /// <summary>A readable diff: <c>+ line</c> added, <c>- line</c> removed, unchanged section headers as
    /// context, children indented under their section. Empty when equal.</summary>
    public static string Diff(IReadOnlyList<ConfigNode> running, IReadOnlyList<ConfigNode> candidate)
    {
        var lines = new List<string>();
        DiffInto(lines, running, candidate, 0);
        return string.Join('\n', lines);
    }

    /// <summary>Commands that turn <paramref name="running"/> into <paramref name="candidate"/>: removals first
    /// (<paramref name="negate"/>d, deepest first), then additions in the candidate's order.</summary>
    public static IReadOnlyList<string> ReplaceCommands(IReadOnlyList<ConfigNode> running,
        IReadOnlyList<ConfigNode> candidate, Func<string, string> negate, string exitSection = "exit")
    {
        var commands = new List<string>();
        Removals(commands, running, candidate, negate, exitSection, []);
        Additions(commands, running, candidate, exitSection, []);
        return commands;
    }

    /// <summary>The configuration as lines in order, children after their section (what a merge sends).</summary>
    public static IReadOnlyList<string> Flatten(IReadOnlyList<ConfigNode> nodes, string exitSection = "exit")
    {
        var commands = new List<string>();
        Additions(commands, [], nodes, exitSection, []);
        return commands;
    }

    /// <summary>The running configuration after merging <paramref name="candidate"/> into it.</summary>
    public static IReadOnlyList<ConfigNode> Merge(IReadOnlyList<ConfigNode> running, IReadOnlyList<ConfigNode> candidate)
    {
        var result = running.ToList();
        foreach (var node in candidate)
        {
            int i = result.FindIndex(n => n.Line == node.Line);
            result = i < 0
                ? [.. result, node]
                : [.. result[..i], result[i] with { Children = Merge(result[i].Children, node.Children) }, .. result[(i + 1)..]];
        }
        return result;
    }

    private static void DiffInto(List<string> lines, IReadOnlyList<ConfigNode> running,
        IReadOnlyList<ConfigNode> candidate, int depth)
    {
        var pad = new string(' ', depth);
        foreach (var old in running.Where(o => !candidate.Any(n => n.Line == o.Line)))
        {
            Write(lines, "- ", old, depth);
        }
        foreach (var node in candidate)
        {
            var old = running.FirstOrDefault(o => o.Line == node.Line);
            if (old is null)
            {
                Write(lines, "+ ", node, depth);
                continue;
            }
            var inner = new List<string>();
            DiffInto(inner, old.Children, node.Children, depth + 1);
            if (inner.Count > 0)
            {
                lines.Add("  " + pad + node.Line);
                lines.AddRange(inner);
            }
        }
    }

    private static void Write(List<string> lines, string sign, ConfigNode node, int depth)
    {
        lines.Add(sign + new string(' ', depth) + node.Line);
        foreach (var child in node.Children)
        {
            Write(lines, sign, child, depth + 1);
        }
    }

    private static void Removals(List<string> commands, IReadOnlyList<ConfigNode> running,
        IReadOnlyList<ConfigNode> candidate, Func<string, string> negate, string exitSection, List<string> path)
    {
        foreach (var old in running)
        {
            var kept = candidate.FirstOrDefault(n => n.Line == old.Line);
            if (kept is null)
            {
                Enter(commands, path);
                commands.Add(negate(old.Line));
                Leave(commands, path, exitSection);
            }
            else if (old.Children.Count > 0)
            {
                Removals(commands, old.Children, kept.Children, negate, exitSection, [.. path, old.Line]);
            }
        }
    }

    private static void Additions(List<string> commands, IReadOnlyList<ConfigNode> running,
        IReadOnlyList<ConfigNode> candidate, string exitSection, List<string> path)
    {
        foreach (var node in candidate)
        {
            var old = running.FirstOrDefault(o => o.Line == node.Line);
            if (old is null)
            {
                Enter(commands, path);
                AddWhole(commands, node, exitSection);
                Leave(commands, path, exitSection);
            }
            else if (node.Children.Count > 0)
            {
                Additions(commands, old.Children, node.Children, exitSection, [.. path, node.Line]);
            }
        }
    }

    private static void AddWhole(List<string> commands, ConfigNode node, string exitSection)
    {
        commands.Add(node.Line);
        foreach (var child in node.Children)
        {
            AddWhole(commands, child, exitSection);
        }
        if (node.Children.Count > 0)
        {
            commands.Add(exitSection);
        }
    }

    private static void Enter(List<string> commands, List<string> path) => commands.AddRange(path);

    private static void Leave(List<string> commands, List<string> path, string exitSection) =>
        commands.AddRange(path.Select(_ => exitSection));
}
