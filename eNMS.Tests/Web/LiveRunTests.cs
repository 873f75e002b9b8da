using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Automation.Workflows;
using eNMS.Web.Components.Diagram;

namespace eNMS.Tests.Web;

public sealed class LiveRunTests
{
    [Fact]
    public void Counts_per_node_taken_edges_and_a_devices_path_follow_the_events()
    {
        var live = new LiveRun();
        live.Apply(new NodeStarted(1, "check", 1, "a"));
        live.Apply(new NodeStarted(1, "check", 2, "b"));
        Assert.Equal(new NodeTally(2, 0, 0, 0), live.Tally("check"));
        Assert.Equal("running", live.Tally("check").State);

        live.Apply(new ResultRecorded(1, new RunResult { Node = "check", DeviceName = "a", Success = true }));
        live.Apply(new ResultRecorded(1, new RunResult { Node = "check", DeviceName = "b", Success = false }));
        live.Apply(new NodeStarted(1, "deploy", 1, "a"));
        live.Apply(new NodeStarted(1, "repair/fix", 2, "b"));
        live.Apply(new ResultRecorded(1, new RunResult { Node = "repair/fix", DeviceName = "b", Success = true }));

        Assert.Equal(new NodeTally(0, 1, 1, 0), live.Tally("check"));
        Assert.Equal("failure", live.Tally("check").State);
        Assert.Equal("running", live.Tally("deploy").State);
        Assert.Equal("success", live.Tally("repair").State);
        Assert.Equal("idle", live.Tally("never").State);
        Assert.Equal([("check", "deploy", EdgeKind.Success), ("check", "repair", EdgeKind.Failure)], live.TakenEdges().Order());
        Assert.Equal(["check", "repair"], live.PathOf("b"));
        Assert.Equal([("check", "repair", EdgeKind.Failure)], live.TakenEdges("b"));
        Assert.Equal(["a", "b"], live.ResultsAt("check").Select(r => r.DeviceName));
    }
}
