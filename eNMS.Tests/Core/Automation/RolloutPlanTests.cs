using eNMS.Core.Automation;

namespace eNMS.Tests.Core.Automation;

/// <summary>A rollout plan's batch sizes (as Ansible's serial), its failure limit, and its problems named by stage.</summary>
public sealed class RolloutPlanTests
{
    private static readonly int[] Twenty = [.. Enumerable.Range(1, 20)];

    private static List<int> Sizes(RolloutPlan plan, int devices) => [.. plan.Split(Twenty[..devices]).Select(b => b.Devices.Count)];

    [Theory]
    [InlineData("1, 150%", "stage 2: '150%' is over 100%.")]
    [InlineData("0", "stage 1: '0' is not a device count of at least 1.")]
    [InlineData("1,,2", "stage 2: '' is neither a device count (e.g. 5) nor a percentage (e.g. 25%).")]
    [InlineData("1.5", "stage 1: '1.5' is neither a device count (e.g. 5) nor a percentage (e.g. 25%).")]
    [InlineData("", "stages: give at least one batch size, e.g. \"1, 25%, 100%\".")]
    [InlineData("1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1", "stages: at most 20 stages in 200 characters (21 given).")]
    public void Invalid_stages_are_named(string stages, string problem) =>
        Assert.Equal([problem], new RolloutPlan { Stages = stages }.Problems());

    [Fact]
    public void A_failure_limit_is_a_count_or_a_share_of_the_devices_done()
    {
        Assert.Equal(["failureLimit: '-1' is neither a device count (e.g. 5) nor a percentage (e.g. 25%)."], new RolloutPlan { Stages = "1", FailureLimit = "-1" }.Problems());
        Assert.Empty(new RolloutPlan { Stages = "1", FailureLimit = "0%" }.Problems());
        Assert.False(new RolloutPlan { FailureLimit = "1" }.Exceeded(1, 1));
        Assert.True(new RolloutPlan { FailureLimit = "1" }.Exceeded(2, 5));
        Assert.False(new RolloutPlan { FailureLimit = "20%" }.Exceeded(1, 5));
        Assert.True(new RolloutPlan { FailureLimit = "20%" }.Exceeded(2, 5));
        Assert.True(new RolloutPlan().Exceeded(1, 10));
    }

    [Fact]
    public void Batches_follow_the_stages_the_last_repeating_percentages_rounded_down_to_at_least_one()
    {
        Assert.Equal([1, 5, 14], Sizes(new RolloutPlan { Stages = "1, 25%, 100%" }, 20));
        Assert.Equal([2, 2, 2, 2, 2], Sizes(new RolloutPlan { Stages = "2" }, 10));
        Assert.Equal([1, 1, 1], Sizes(new RolloutPlan { Stages = "10%" }, 3));
        Assert.Equal([3], Sizes(new RolloutPlan { Stages = "5, 100%" }, 3));
        // A resume: from batch 2, percentages of the first run's 20 devices.
        var resumed = new RolloutPlan { Stages = "1, 25%, 100%", FirstStage = 2, BaseTotal = 20 };
        Assert.Equal([(2, 5), (3, 14)], resumed.Split(Twenty[..19]).Select(b => (b.Stage, b.Devices.Count)));
    }
}
