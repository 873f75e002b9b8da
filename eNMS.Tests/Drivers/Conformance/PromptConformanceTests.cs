using System.Text.RegularExpressions;
using eNMS.Drivers;
using eNMS.Drivers.Cli;
using eNMS.Tests.TestSupport.Lab;

namespace eNMS.Tests.Drivers.Conformance;

/// <summary>Commands that ask questions, on the emulated IOS (modelled on IOS: <c>reload</c>, <c>copy</c>,
/// <c>delete</c>), over SSH and over Telnet with the same session engine.</summary>
[Collection(LabGroup.Name)]
public sealed class PromptConformanceTests(LabFixture lab)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly CliAnswer ConfirmReload = new(new Regex(@"Proceed with reload\? \[confirm\]"), "");

    private DeviceTarget Ios(bool telnet) =>
        telnet ? lab.Emulated("cisco_ios") with { Transport = CliTransport.Telnet, Port = 23 } : lab.Emulated("cisco_ios");

    [LabTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_confirmed_reload_is_scheduled_and_cancelled(bool telnet)
    {
        lab.RequireLab();
        await using var driver = await lab.Factory.ConnectAsync(Ios(telnet), None);

        var scheduled = await driver.SendCommandAsync("reload in 5", [ConfirmReload], None);

        Assert.Equal("Reload scheduled in 5 minutes by enmslab", scheduled.Trim());
        Assert.Equal("Reload scheduled in 5 minutes by enmslab", await driver.SendCommandAsync("show reload", None));
        Assert.Contains("SHUTDOWN ABORTED", await driver.SendCommandAsync("reload cancel", None), StringComparison.Ordinal);
        Assert.Equal("No reload is scheduled.", await driver.SendCommandAsync("show reload", None));
        Assert.Contains("Proceed with reload? [confirm]", driver.Transcript, StringComparison.Ordinal);
    }

    [LabTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_question_nobody_answers_fails_at_once_quoting_it_and_changes_nothing(bool telnet)
    {
        lab.RequireLab();
        var target = Ios(telnet);
        target = target with { Timeouts = target.Timeouts with { Read = TimeSpan.FromMinutes(10), Command = TimeSpan.FromMinutes(20) } };
        await using var driver = await lab.Factory.ConnectAsync(target, None);

        // The read timeout is 10 minutes: a driver that waited for it instead of seeing the question never gets here.
        var error = await Assert.ThrowsAsync<DeviceUnansweredPromptException>(() => driver.SendCommandAsync("reload in 5", None).WaitAsync(TimeSpan.FromMinutes(2)));
        Assert.Equal("Proceed with reload? [confirm]", error.Question);
        Assert.Equal($"{target.Name}: 'reload in 5' stopped at a question nobody answered: 'Proceed with reload? [confirm]' " +
            "(give this command an answer for it)", error.Message);
        Assert.False(driver.IsUsable);
        await using var again = await lab.Factory.ConnectAsync(target, None);
        Assert.Equal("No reload is scheduled.", await again.SendCommandAsync("show reload", None));
    }

    [LabTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Copy_and_delete_take_their_file_name_and_confirm_answers(bool telnet)
    {
        lab.RequireLab();
        await using var driver = await lab.Factory.ConnectAsync(Ios(telnet), None);

        await driver.SendCommandAsync("copy running-config flash:lab.cfg",
            [new CliAnswer(new Regex(@"Destination filename \[.*\]\?"), "")], None);
        Assert.Contains("lab.cfg", await driver.SendCommandAsync("dir flash:lab.cfg", None), StringComparison.Ordinal);
        await driver.SendCommandAsync("delete flash:lab.cfg",
            [new CliAnswer(new Regex(@"Delete filename \[.*\]\?"), ""), new CliAnswer(new Regex(@"\[confirm\]"), "")], None);

        var gone = await Assert.ThrowsAsync<DeviceCommandException>(() => driver.SendCommandAsync("dir flash:lab.cfg", None));
        Assert.Contains("No such file", gone.Reply, StringComparison.Ordinal);
    }

    [LabFact]
    public async Task A_confirmed_immediate_reload_ends_the_session_as_the_device_goes_down()
    {
        lab.RequireLab();
        await using var driver = await lab.Factory.ConnectAsync(Ios(telnet: false), None);

        var error = await Assert.ThrowsAsync<DeviceConnectionException>(() => driver.SendCommandAsync("reload", [ConfirmReload], None));

        Assert.Contains("connection lost", error.Message, StringComparison.Ordinal);
        Assert.Contains("Reload requested", error.PartialOutput, StringComparison.Ordinal);
    }
}
