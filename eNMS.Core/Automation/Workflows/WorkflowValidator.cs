namespace eNMS.Core.Automation.Workflows;

/// <summary>Checks a workflow before it runs: a start, edges between existing nodes, nodes whose services exist,
/// every node reachable, and no cycle unless an iteration bound allows it. Each problem is a sentence.</summary>
public static class WorkflowValidator
{
    public static List<string> Problems(WorkflowGraph? graph, IReadOnlyDictionary<int, Service> services, int selfId = 0)
    {
        if (graph is null || graph.Nodes.Count == 0)
        {
            return ["The workflow has no nodes."];
        }
        var problems = new List<string>();
        var nodes = new Dictionary<string, WorkflowNode>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes)
        {
            if (!nodes.TryAdd(node.Id, node))
            {
                problems.Add($"Two nodes have the id '{node.Id}'.");
            }
            if (node.ServiceId == selfId && selfId != 0)
            {
                problems.Add($"Node '{Name(node)}' runs the workflow itself.");
            }
            else if (!services.ContainsKey(node.ServiceId))
            {
                problems.Add($"Node '{Name(node)}' runs service #{node.ServiceId}, which does not exist.");
            }
        }
        if (string.IsNullOrEmpty(graph.Start))
        {
            problems.Add("The workflow has no start node.");
        }
        else if (!nodes.ContainsKey(graph.Start))
        {
            problems.Add($"The start node '{graph.Start}' is not in the workflow.");
        }
        foreach (var edge in graph.Edges)
        {
            foreach (var end in new[] { edge.From, edge.To }.Where(e => !nodes.ContainsKey(e)))
            {
                problems.Add($"A {edge.Kind.ToString().ToLowerInvariant()} edge {edge.From} → {edge.To} points to '{end}', which is not a node.");
            }
        }
        if (problems.Count > 0)
        {
            return problems;
        }
        var reachable = Reachable(graph);
        problems.AddRange(graph.Nodes.Where(n => !reachable.Contains(n.Id)).Select(n => $"Node '{Name(n)}' cannot be reached from the start."));
        if (graph.MaxIterations <= 0 && FindCycle(graph) is { } cycle)
        {
            problems.Add($"The workflow has a cycle ({string.Join(" → ", cycle.Select(id => Name(nodes[id])))}): remove it or set a maximum number of iterations.");
        }
        return problems;
    }

    private static string Name(WorkflowNode node) => node.Label.Length > 0 ? node.Label : node.Id;

    private static HashSet<string> Reachable(WorkflowGraph graph)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { graph.Start };
        var queue = new Queue<string>([graph.Start]);
        while (queue.TryDequeue(out var id))
        {
            foreach (var edge in graph.Edges.Where(e => e.From == id && seen.Add(e.To)))
            {
                queue.Enqueue(edge.To);
            }
        }
        return seen;
    }

    private static List<string>? FindCycle(WorkflowGraph graph)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var path = new List<string>();
        List<string>? Visit(string id)
        {
            state[id] = 1;
            path.Add(id);
            foreach (var next in graph.Edges.Where(e => e.From == id).Select(e => e.To))
            {
                if (state.GetValueOrDefault(next) == 1)
                {
                    return [.. path.Skip(path.IndexOf(next)), next];
                }
                if (state.GetValueOrDefault(next) == 0 && Visit(next) is { } found)
                {
                    return found;
                }
            }
            state[id] = 2;
            path.RemoveAt(path.Count - 1);
            return null;
        }
        return graph.Nodes.Select(n => n.Id).Where(id => state.GetValueOrDefault(id) == 0).Select(Visit).FirstOrDefault(c => c is not null);
    }
}
