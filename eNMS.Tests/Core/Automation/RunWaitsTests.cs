using eNMS.Core.Automation.Execution;
using Microsoft.Extensions.Logging.Abstractions;

namespace eNMS.Tests.Core.Automation;

/// <summary>The one owner of a run's waits: what each run waits for, and the node's bound on runs that give their slot back.</summary>
public sealed class RunWaitsTests
{
    private readonly RunNotifier _notifier = new(NullLogger<RunNotifier>.Instance);

    [Fact]
    public void At_most_the_nodes_bound_of_waiting_runs_give_their_slot_back_and_a_run_keeps_its_choice_until_its_last_wait_ends()
    {
        var waits = new RunWaits(_notifier);
        var first = Enumerable.Range(1, RunSlots.WaitingRuns).Select(run => waits.Begin(run, "approval at 'gate'")).ToList();
        Assert.All(first, w => Assert.True(w.GivesBack));

        using var beyond = waits.Begin(RunSlots.WaitingRuns + 1, "approval at 'gate'");
        Assert.False(beyond.GivesBack);
        // A run already among those released stays so for its next waits, the bound reached or not.
        using var again = waits.Begin(1, "change freeze 'q4' to end (2026-12-24 18:00 UTC)");
        Assert.True(again.GivesBack);
        Assert.Equal((RunSlots.WaitingRuns + 1, RunSlots.WaitingRuns), waits.Counts);

        first[1].Dispose();
        first[1].Dispose();
        Assert.Equal((RunSlots.WaitingRuns, RunSlots.WaitingRuns - 1), waits.Counts);
        using var next = waits.Begin(RunSlots.WaitingRuns + 2, "approval of rollout batch 2");
        Assert.True(next.GivesBack);
        first.ForEach(w => w.Dispose());
        Assert.Equal(["change freeze 'q4' to end (2026-12-24 18:00 UTC)"], waits.Of(1));
    }

    [Fact]
    public void A_run_keeps_a_bounded_list_of_reasons_and_publishes_each_change()
    {
        var waits = new RunWaits(_notifier);
        var seen = new List<IReadOnlyList<string>>();
        using var subscription = _notifier.Subscribe(7, eNMS.Core.Security.RunEventScope.Everything, e =>
        {
            if (e is RunWaitsChanged changed)
            {
                seen.Add(changed.WaitingFor);
            }
            return Task.CompletedTask;
        });
        var many = Enumerable.Range(0, RunWaits.MaxReasonsPerRun + 5).Select(i => waits.Begin(7, $"approval at 'gate {i:D2}'")).ToList();
        Assert.Equal(RunWaits.MaxReasonsPerRun + 1, waits.Of(7).Count);
        Assert.Contains("other waits (5 devices)", waits.Of(7));
        many.ForEach(w => w.Dispose());
        Assert.Empty(waits.Of(7));
        Assert.Equal(2 * many.Count, seen.Count);
        Assert.Empty(seen[^1]);
    }
}
