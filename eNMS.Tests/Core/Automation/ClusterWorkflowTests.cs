using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Automation.Workflows;

namespace eNMS.Tests.Core.Automation;

/// <summary>Which workflows a cluster splits into batches (and why the others stay on one node), and where a device's
/// path goes on when the node running it died midway (<see cref="WorkflowResume"/>).</summary>
public sealed class ClusterWorkflowTests
{
    private static readonly Service Step = new() { Id = 1, Name = "step", Kind = "wait" };
    private static readonly Service Other = new() { Id = 2, Name = "other", Kind = "wait" };
    private static readonly Service Inner = Workflow(3, "inner", ["x"], []);

    /// <summary>Nodes run the service <c>step</c> (id 1) unless named <c>sub…</c> (the nested workflow <c>inner</c>);
    /// edges "a&gt;b" (success), "a!b" (failure).</summary>
    private static Service Workflow(int id, string name, string[] nodes, string[] edges, WorkflowMode mode = WorkflowMode.DeviceByDevice) => new()
    {
        Id = id,
        Name = name,
        Kind = "workflow",
        Graph = new WorkflowGraph
        {
            Start = nodes[0],
            Mode = mode,
            MaxIterations = 3,
            Nodes = [.. nodes.Select(n => new WorkflowNode { Id = n, ServiceId = n.StartsWith("sub", StringComparison.Ordinal) ? 3 : 1 })],
            Edges = [.. edges.Select(e =>
            {
                var failure = e.Contains('!', StringComparison.Ordinal);
                var parts = e.Split(failure ? '!' : '>');
                return new WorkflowEdge { From = parts[0], To = parts[1], Kind = failure ? EdgeKind.Failure : EdgeKind.Success };
            })],
        },
    };

    private static Dictionary<int, Service> Services(Service workflow, params Service[] more) =>
        new[] { workflow, Step, Inner }.Concat(more).DistinctBy(s => s.Id).ToDictionary(s => s.Id);

    private static RunResult Result(string node, bool success) => new() { Node = node, DeviceId = 7, Success = success, ExecutedOn = "a" };

    private static WorkflowResume Resume(Service workflow, params RunResult[] stored) => WorkflowResume.Find(workflow, Services(workflow), stored);

    [Fact]
    public void A_workflow_device_by_device_is_split_what_needs_the_whole_run_stays_on_one_node_saying_why()
    {
        var workflow = Workflow(10, "wf", ["check", "fix"], ["check!fix"]);
        Assert.Null(ClusterBatches.KeptOnOneNode(new Run(), workflow, Services(workflow)));
        Assert.Null(ClusterBatches.KeptOnOneNode(new Run(), Step, Services(Step)));

        Assert.Contains("service by service", ClusterBatches.KeptOnOneNode(new Run(), Workflow(10, "wf", ["check"], [], WorkflowMode.ServiceByService),
            Services(workflow)), StringComparison.Ordinal);
        Assert.Contains("staged rollout", ClusterBatches.KeptOnOneNode(new Run { Rollout = new RolloutPlan { Stages = "1" } }, workflow, Services(workflow)),
            StringComparison.Ordinal);
        Assert.Contains("restart from a node", ClusterBatches.KeptOnOneNode(new Run { RestartOfRunId = 3 }, Step, Services(Step)), StringComparison.Ordinal);
        Assert.Equal("its service 'gate' is an approval gate: devices wait there for people (hours), their turns given back to the run's other devices on the same node",
            ClusterBatches.KeptOnOneNode(new Run(), workflow, Services(workflow, new Service { Id = 4, Name = "gate", Kind = "approval" })));
        Assert.Contains("'notify' runs once for the whole run", ClusterBatches.KeptOnOneNode(new Run(), workflow,
            Services(workflow, new Service { Id = 4, Name = "notify", Kind = "rest_call", TargetMode = TargetMode.Once })), StringComparison.Ordinal);
        Assert.Contains("'neighbours' iterates over derived devices", ClusterBatches.KeptOnOneNode(new Run(), workflow,
            Services(workflow, new Service { Id = 4, Name = "neighbours", Kind = "wait", IterateDevices = "{{ results.lldp.data }}" })), StringComparison.Ordinal);
    }

    [Fact]
    public void A_path_cut_after_a_node_resumes_at_the_next_node_on_the_edge_its_result_took()
    {
        var workflow = Workflow(10, "wf", ["check", "deploy", "fix", "verify"], ["check>deploy", "check!fix", "fix>verify"]);

        Assert.Equal(new WorkflowResume(ResumeFrom.Node, "fix", false, ""), Resume(workflow, Result("check", false)));
        Assert.Equal(new WorkflowResume(ResumeFrom.Node, "deploy", false, ""), Resume(workflow, Result("check", true)));
        Assert.Equal(new WorkflowResume(ResumeFrom.Node, "verify", false, ""), Resume(workflow, Result("check", false), Result("fix", true)));
        // Iterations of a node whose own result is stored belong to it.
        Assert.Equal(new WorkflowResume(ResumeFrom.Node, "verify", false, ""),
            Resume(workflow, Result("check", false), Result("fix[1]", true), Result("fix[2]", true), Result("fix", true)));
    }

    [Fact]
    public void A_path_whose_last_node_was_stored_ends_with_that_nodes_outcome()
    {
        var workflow = Workflow(10, "wf", ["check", "fix"], ["check!fix"]);

        Assert.Equal(new WorkflowResume(ResumeFrom.Ended, "check", true, ""), Resume(workflow, Result("check", true)));
        Assert.Equal(new WorkflowResume(ResumeFrom.Ended, "fix", false, ""), Resume(workflow, Result("check", false), Result("fix", false)));
    }

    [Theory]
    [InlineData("node 'check' has 2 results", "check-", "check-")]
    [InlineData("the result of 'deploy' is not on the path its other results retrace", "check-", "deploy+")]
    [InlineData("the result of 'fix[1]' is not on the path its other results retrace", "check-", "fix[1]+")]
    [InlineData("node 'check' goes on to 2 nodes at once", "check+")]
    [InlineData("it was inside the nested workflow 'sub', whose own outcome is not stored", "check-", "fix+", "sub/x+")]
    public void A_path_that_cannot_be_retraced_is_run_again_from_the_start_saying_why(string why, params string[] stored)
    {
        var workflow = Workflow(10, "wf", ["check", "deploy", "fix", "sub", "audit"], ["check>deploy", "check>audit", "check!fix", "fix>sub"]);

        var resume = Resume(workflow, [.. stored.Select(s => Result(s[..^1], s[^1] == '+'))]);

        Assert.Equal(new WorkflowResume(ResumeFrom.Start, "", false, why), resume);
    }

    [Fact]
    public void A_loop_back_to_a_node_already_retraced_is_run_again_from_the_start()
    {
        var workflow = Workflow(10, "wf", ["check", "fix"], ["check!fix", "fix>check"]);

        Assert.Equal("its path comes back to node 'check' (a loop)", Resume(workflow, Result("check", false), Result("fix", true)).Why);
    }
}
