using eNMS.Core.Automation.Workflows;

namespace eNMS.Tests.Core.Automation;

public sealed class WorkflowLayoutTests
{
    [Fact]
    public void Every_edge_goes_right_except_those_closing_a_cycle_and_no_two_nodes_overlap()
    {
        var graph = new WorkflowGraph
        {
            Start = "a",
            Nodes = [.. new[] { "d", "c", "b", "a", "e" }.Select(id => new WorkflowNode { Id = id, X = 500, Y = 500 })],
            Edges =
            [
                new() { From = "a", To = "b" }, new() { From = "a", To = "c", Kind = EdgeKind.Failure }, new() { From = "b", To = "d" },
                new() { From = "c", To = "d" }, new() { From = "d", To = "a", Kind = EdgeKind.Failure },
            ],
        };
        WorkflowLayout.Arrange(graph);

        var at = graph.Nodes.ToDictionary(n => n.Id, n => (n.X, n.Y));
        Assert.All(graph.Edges.Where(e => e.To != "a"), e => Assert.True(at[e.To].X > at[e.From].X, $"{e.From} → {e.To}"));
        Assert.Equal(at["a"].X, at["e"].X); // unreachable nodes start a column too
        Assert.Equal(graph.Nodes.Count, at.Values.Distinct().Count());
        Assert.Equal(at["b"].X, at["c"].X);
    }
}
