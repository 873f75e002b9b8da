using eNMS.Tests.TestSupport.Lab;

namespace eNMS.Tests.Drivers.Conformance;

/// <summary>Questions asked before the first prompt, over real SSH to the emulated devices: Huawei's offer to change an
/// expiring password is declined, Comware's "Press Y or ENTER to continue" accepted; the session then works as usual.</summary>
[Collection(LabGroup.Name)]
public sealed class LoginQuestionConformanceTests(LabFixture lab)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [LabTheory]
    [InlineData("huawei", "Change now? [Y/N]:N")]
    [InlineData("hp_comware", "Press Y or ENTER to continue, N to exit.Y")]
    public async Task The_question_is_answered_and_the_session_works(string platform, string answered)
    {
        lab.RequireLab();
        var target = lab.Emulated(platform);
        await lab.SetFaultAsync(target, "login-question");
        var c = platform == "huawei" ? LineByLineCase.Huawei : LineByLineCase.Comware;

        await using var driver = await lab.Factory.ConnectAsync(target, None);

        Assert.Contains(answered, driver.Transcript, StringComparison.Ordinal);
        Assert.Equal(c.ExpectedOutput, await driver.SendCommandAsync(c.Command, None));
        Assert.DoesNotContain("old password", driver.Transcript, StringComparison.Ordinal);
    }
}
