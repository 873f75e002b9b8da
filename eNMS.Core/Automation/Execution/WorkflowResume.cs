using eNMS.Core.Automation.Handlers;
using eNMS.Core.Automation.Workflows;

namespace eNMS.Core.Automation.Execution;

/// <summary>How a device's workflow path goes on after the cluster node running it died (or stopped) midway.</summary>
public enum ResumeFrom
{
    /// <summary>At <see cref="WorkflowResume.Node"/>, the first node of its path without a stored result (the engine's
    /// restart from a node, for this device, the results before it preloaded).</summary>
    Node,
    /// <summary>Its path had ended: the outcome is its last stored result's (<see cref="WorkflowResume.Outcome"/>).</summary>
    Ended,
    /// <summary>From the workflow's start, the results stored before removed (<see cref="WorkflowResume.Why"/> says why).</summary>
    Start,
}

/// <summary>
/// Where a device's path through a workflow goes on when a batch of a run split across the cluster finds results of
/// this run for the device but no outcome (the node that ran it died): the path is retraced from the workflow's start
/// along the stored results, each taking its node's success or failure edge, and resumes at the first node without
/// one. A path that cannot be retraced unambiguously — a node with two results (a loop), a node with several edges
/// for its outcome (branches running side by side), a nested workflow or an iteration cut midway, a result off the
/// retraced path — is run again from the start.
/// </summary>
/// <remarks>A node whose result the dead node had not written yet (the recorder writes within a second) is run again:
/// the device may see that node's work twice, its result is stored once.</remarks>
public sealed record WorkflowResume(ResumeFrom From, string Node, bool Outcome, string Why)
{
    /// <param name="workflow">The run's workflow (device by device).</param>
    /// <param name="services">The run's services (<see cref="ServiceGraph"/>).</param>
    /// <param name="stored">The device's node results this run stored (not its run-level outcome).</param>
    public static WorkflowResume Find(Service workflow, IReadOnlyDictionary<int, Service> services, IReadOnlyCollection<RunResult> stored)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(stored);
        var graph = workflow.Graph ?? throw new InvalidOperationException($"Workflow '{workflow.Name}' has no graph.");
        var byNode = stored.Where(r => !r.IsRunLevel).GroupBy(r => r.Node, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var retraced = new List<string>();
        var at = graph.Start;
        // Each step takes a node not taken before: at most one step per node of the graph.
        while (retraced.Count <= graph.Nodes.Count)
        {
            var node = graph.Nodes.FirstOrDefault(n => n.Id == at);
            if (node is null)
            {
                return Start($"node '{at}' of its path is not in the workflow");
            }
            if (retraced.Contains(at, StringComparer.Ordinal))
            {
                return Start($"its path comes back to node '{at}' (a loop)");
            }
            if (!byNode.TryGetValue(at, out var results))
            {
                if (services.TryGetValue(node.ServiceId, out var service) && service.Kind == ServiceHandlers.WorkflowKind
                    && byNode.Keys.Any(k => k.StartsWith(at + "/", StringComparison.Ordinal)))
                {
                    return Start($"it was inside the nested workflow '{at}', whose own outcome is not stored");
                }
                return OffPath(byNode.Keys, retraced) is { } off ? Start(off) : new WorkflowResume(ResumeFrom.Node, at, false, "");
            }
            if (results.Count > 1)
            {
                return Start($"node '{at}' has {results.Count} results");
            }
            retraced.Add(at);
            var kind = results[0].Success ? EdgeKind.Success : EdgeKind.Failure;
            var next = graph.Edges.Where(e => e.From == at && e.Kind == kind).Select(e => e.To).Distinct(StringComparer.Ordinal).ToList();
            if (next.Count > 1)
            {
                return Start($"node '{at}' goes on to {next.Count} nodes at once");
            }
            if (next.Count == 0)
            {
                return OffPath(byNode.Keys, retraced) is { } off ? Start(off) : new WorkflowResume(ResumeFrom.Ended, at, results[0].Success, "");
            }
            at = next[0];
        }
        return Start("its path is longer than the workflow");
    }

    /// <summary>A stored result that is neither a retraced node's nor one of its iterations (<c>NODE[i]</c>), or null.</summary>
    private static string? OffPath(IEnumerable<string> stored, List<string> retraced)
    {
        var off = stored.Where(k => !retraced.Any(n => k == n || k.StartsWith(n + "[", StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal).FirstOrDefault();
        return off is null ? null : $"the result of '{off}' is not on the path its other results retrace";
    }

    private static WorkflowResume Start(string why) => new(ResumeFrom.Start, "", false, why);
}
