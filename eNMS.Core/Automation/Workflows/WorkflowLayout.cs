namespace eNMS.Core.Automation.Workflows;

/// <summary>A layered layout, left to right: each node sits one column after the furthest node that leads to it
/// (edges that close a cycle are ignored), nodes of one column are stacked, and unreachable nodes come last.</summary>
public static class WorkflowLayout
{
    public const double ColumnWidth = 260;
    public const double RowHeight = 120;

    public static void Arrange(WorkflowGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var ids = graph.Nodes.Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
        var forward = ForwardEdges(graph, ids);
        var incoming = ids.ToDictionary(id => id, _ => 0, StringComparer.Ordinal);
        foreach (var (_, to) in forward)
        {
            incoming[to]++;
        }
        // Longest path over the acyclic part (Kahn's order), so that every edge goes to a later column.
        var column = ids.ToDictionary(id => id, _ => 0, StringComparer.Ordinal);
        var ready = new Queue<string>(graph.Nodes.Select(n => n.Id).Where(id => incoming[id] == 0));
        while (ready.TryDequeue(out var id))
        {
            foreach (var (_, to) in forward.Where(e => e.From == id))
            {
                column[to] = Math.Max(column[to], column[id] + 1);
                if (--incoming[to] == 0)
                {
                    ready.Enqueue(to);
                }
            }
        }
        var rows = new Dictionary<int, int>();
        foreach (var node in graph.Nodes.OrderBy(n => column[n.Id]).ThenBy(n => n.Y).ThenBy(n => n.X))
        {
            var c = column[node.Id];
            var row = rows[c] = rows.GetValueOrDefault(c, -1) + 1;
            (node.X, node.Y) = (40 + c * ColumnWidth, 40 + row * RowHeight);
        }
    }

    /// <summary>The edges of a depth-first walk from the start (then from every other node) that do not go back to
    /// a node still on the walk's path.</summary>
    private static List<(string From, string To)> ForwardEdges(WorkflowGraph graph, HashSet<string> ids)
    {
        var edges = graph.Edges.Where(e => ids.Contains(e.From) && ids.Contains(e.To) && e.From != e.To)
            .Select(e => (e.From, e.To)).Distinct().ToList();
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var forward = new List<(string, string)>();
        void Visit(string id)
        {
            state[id] = 1;
            foreach (var (_, to) in edges.Where(e => e.From == id))
            {
                if (state.GetValueOrDefault(to) != 1)
                {
                    forward.Add((id, to));
                }
                if (state.GetValueOrDefault(to) == 0)
                {
                    Visit(to);
                }
            }
            state[id] = 2;
        }
        foreach (var id in new[] { graph.Start }.Concat(graph.Nodes.Select(n => n.Id)).Where(ids.Contains))
        {
            if (state.GetValueOrDefault(id) == 0)
            {
                Visit(id);
            }
        }
        return forward;
    }
}
