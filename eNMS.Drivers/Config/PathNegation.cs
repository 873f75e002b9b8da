namespace eNMS.Drivers.Config;

/// <summary>
/// The inverse for platforms whose configuration is a set of paths changed with <c>set</c> and <c>delete</c> in a
/// candidate (VyOS, PAN-OS, SR OS's MD-CLI). Both configurations are read in the braces the running-configuration
/// command prints (what a backup and a change snapshot hold) and seen as paths: each leaf line with the sections it is
/// in (<c>interfaces ethernet eth1 address 10.1.1.1/24</c>, what <c>show configuration commands</c>, PAN-OS's set
/// format and MD-CLI's <c>info flat</c> print). A section or leaf present now but not before is deleted at its
/// shortest path (<c>delete interfaces ethernet eth1</c>, not every leaf under it), then each leaf missing now or with
/// another value is set back, in the earlier configuration's order.
/// </summary>
public sealed record PathNegation : IConfigInversion
{
    /// <summary>The word before a path that sets it (<c>set</c>); empty where a path typed alone sets it (MD-CLI).</summary>
    public string Set { get; init; } = "set";

    /// <summary>The word before a path that removes it and everything under it.</summary>
    public string Delete { get; init; } = "delete";

    /// <summary>Written before every path (<c>/</c> on SR OS, whose paths start at <c>configure</c>: absolute, so no
    /// line depends on where the one before it left the session).</summary>
    public string PathPrefix { get; init; } = "";

    /// <summary>The outer section that wraps the whole configuration and is no part of a path (PAN-OS's
    /// <c>config {</c>); null when there is none.</summary>
    public string? Wrapper { get; init; }

    /// <summary>True where a leaf's value is part of its path (VyOS: <c>delete system host-name r2</c>, and one value of
    /// a multi-valued leaf is deleted alone): a changed value is deleted, then the old one set. False where a leaf is
    /// deleted by its name alone and setting it replaces its value (PAN-OS, MD-CLI); a member list
    /// (<c>[ a b ]</c>, to which PAN-OS's <c>set</c> adds) is then deleted and set whole.</summary>
    public bool ValuesInPath { get; init; }

    /// <summary>Lines of the running configuration that are not configuration (VyOS's <c>//</c> comments, SR OS's
    /// <c>exit all</c>): left out.</summary>
    public Func<string, bool>? Noise { get; init; }

    public bool CommitsOnce => true;

    public IReadOnlyList<string> Commands(string running, string target)
    {
        var current = Parse(running);
        var earlier = Parse(target);
        var commands = new List<string>();
        Deletes(commands, current, earlier, []);
        Sets(commands, current, earlier, []);
        return [.. commands.Distinct(StringComparer.Ordinal)];
    }

    public string Diff(string running, string target)
    {
        var now = Paths(Parse(running));
        var before = Paths(Parse(target));
        var gone = new HashSet<string>(before, StringComparer.Ordinal);
        var kept = new HashSet<string>(now, StringComparer.Ordinal);
        return string.Join('\n', now.Where(p => !gone.Contains(p)).Select(p => "- " + p)
            .Concat(before.Where(p => !kept.Contains(p)).Select(p => "+ " + p)));
    }

    public string Residual(string running, string target) => Diff(running, target);

    /// <summary>The configuration's paths, one a leaf (or an empty section), as <see cref="Commands"/> writes them
    /// after its verb.</summary>
    public IReadOnlyList<string> Paths(string config) => Paths(Parse(config));

    private List<string> Paths(IReadOnlyList<PathNode> nodes)
    {
        var paths = new List<string>();
        foreach (var node in nodes)
        {
            Leaves(paths, node, []);
        }
        return paths;
    }

    private void Deletes(List<string> commands, IReadOnlyList<PathNode> current, IReadOnlyList<PathNode> target, List<string> path)
    {
        foreach (var node in current)
        {
            if (target.FirstOrDefault(t => t.Line == node.Line && t.IsSection == node.IsSection) is { } kept)
            {
                if (node.IsSection)
                {
                    Deletes(commands, node.Children, kept.Children, [.. path, node.Line]);
                }
                continue;
            }
            if (node.IsSection || ValuesInPath)
            {
                commands.Add(Write(Delete, [.. path, node.Line]));
                continue;
            }
            // A leaf deleted by its name: unless the earlier value is set over it (a member list is set whole, after it).
            var name = NameOf(node.Line);
            var before = target.Where(t => !t.IsSection && NameOf(t.Line) == name).ToList();
            if (before.Count == 0 || IsList(node.Line) || before.Any(t => IsList(t.Line)))
            {
                commands.Add(Write(Delete, [.. path, name]));
            }
        }
    }

    private void Sets(List<string> commands, IReadOnlyList<PathNode> current, IReadOnlyList<PathNode> target, List<string> path)
    {
        foreach (var node in target)
        {
            var old = current.FirstOrDefault(c => c.Line == node.Line && c.IsSection == node.IsSection);
            if (old is null)
            {
                var leaves = new List<string>();
                Leaves(leaves, node, path);
                commands.AddRange(leaves.Select(l => Word(Set) + l));
            }
            else if (node.IsSection)
            {
                Sets(commands, old.Children, node.Children, [.. path, node.Line]);
            }
        }
    }

    private void Leaves(List<string> paths, PathNode node, List<string> path)
    {
        if (!node.IsSection || node.Children.Count == 0)
        {
            paths.Add(PathPrefix + string.Join(' ', [.. path, node.Line]));
            return;
        }
        foreach (var child in node.Children)
        {
            Leaves(paths, child, [.. path, node.Line]);
        }
    }

    private string Write(string verb, List<string> path) => Word(verb) + PathPrefix + string.Join(' ', path);

    private static string Word(string verb) => verb.Length == 0 ? "" : verb + " ";

    private static string NameOf(string line) => line.Split(' ', 2)[0];

    private static bool IsList(string line) => line.Split(' ', 2) is [_, var value] && value.StartsWith('[');

    /// <summary>The braces as a tree: <c>name … {</c> opens a section, <c>}</c> closes it, any other line is a leaf
    /// (PAN-OS's closing <c>;</c> dropped). A section named twice under the same parent is one section.</summary>
    private List<PathNode> Parse(string config)
    {
        var top = new List<PathNode>();
        var stack = new Stack<List<PathNode>>();
        stack.Push(top);
        foreach (var raw in config.Replace("\r", "", StringComparison.Ordinal).Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || Noise?.Invoke(line) == true)
            {
                continue;
            }
            if (line is "}" or "};")
            {
                if (stack.Count > 1)
                {
                    stack.Pop();
                }
                continue;
            }
            if (line.EndsWith('{'))
            {
                var name = line[..^1].TrimEnd();
                if (stack.Count == 1 && name == Wrapper)
                {
                    stack.Push(top);
                    continue;
                }
                var siblings = stack.Peek();
                var section = siblings.FirstOrDefault(n => n.IsSection && n.Line == name);
                if (section is null)
                {
                    section = new PathNode(name, true, []);
                    siblings.Add(section);
                }
                stack.Push(section.Children);
                continue;
            }
            stack.Peek().Add(new PathNode(line.TrimEnd(';').TrimEnd(), false, []));
        }
        return top;
    }

    private sealed record PathNode(string Line, bool IsSection, List<PathNode> Children);
}
