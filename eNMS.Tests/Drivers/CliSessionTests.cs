using eNMS.Drivers;
using eNMS.Drivers.Cli;

namespace eNMS.Tests.Drivers;

public class CliSessionTests
{
    private static readonly CliProfile Ios = CliProfile.Default with { EnableCommand = "enable", SessionSetup = ["terminal length 0"] };
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Prompt_is_found_after_a_banner_whose_lines_end_like_prompts()
    {
        var cli = new FakeCli("r1#", "\r\n##########", "\r\n# Authorized access only #\r\n", "Welcome #", "\r\n");
        await using var session = cli.Session();

        cli.Outputs["show clock"] = "12:00";
        cli.Outputs["show users"] = "admin";
        await session.LoginAsync(Ios, None);

        Assert.Equal("r1#", session.BasePrompt);
        Assert.Equal("r1", session.Hostname);
        Assert.Equal("12:00", await session.SendCommandAsync("show clock", None));
        Assert.Equal("admin", await session.SendCommandAsync("show users", None));
    }

    [Fact]
    public async Task Command_output_has_no_echo_or_prompt()
    {
        var cli = new FakeCli("r1#");
        cli.Outputs["show version"] = "Cisco IOS Software, Version 15.2\nuptime is 1 day";
        await using var session = cli.Session();
        await session.LoginAsync(Ios, None);

        var output = await session.SendCommandAsync("show version", None);

        Assert.Equal("Cisco IOS Software, Version 15.2\nuptime is 1 day", output);
    }

    [Fact]
    public async Task Output_split_across_chunks_and_escapes_is_reassembled_without_ansi()
    {
        var cli = new FakeCli("r1#");
        await using var session = cli.Session();
        await session.LoginAsync(Ios, None);
        cli.Custom["show clock"] = () =>
        {
            foreach (var chunk in new[] { "show cl", "ock\r\n\u001b[1", "m12:00:00\u001b[0m UTC\r", "\nr", "1#" })
            {
                cli.Shell.Emit(chunk);
            }
            return null;
        };

        var output = await session.SendCommandAsync("show clock", None);

        Assert.Equal("12:00:00 UTC", output);
    }

    [Fact]
    public async Task More_prompts_are_answered_and_erased_from_the_output()
    {
        var cli = new FakeCli("r1#");
        await using var session = cli.Session();
        await session.LoginAsync(Ios, None);
        var pages = new Queue<string>(["line 3\r\nline 4\r\n --More-- ", "\b\b\b\b\b\b\b\b\b\b          \b\b\b\b\b\b\b\b\b\bline 5\r\nr1#"]);
        cli.Custom["show log"] = () => "show log\r\nline 1\r\nline 2\r\n --More-- ";
        cli.Shell.OnSpace = () => "\r          \r" + pages.Dequeue();

        var output = await session.SendCommandAsync("show log", None);

        Assert.Equal("line 1\nline 2\nline 3\nline 4\nline 5", output);
    }

    [Fact]
    public async Task Invalid_input_raises_a_typed_error_carrying_device_command_and_reply()
    {
        var cli = new FakeCli("r1#");
        await using var session = cli.Session();
        await session.LoginAsync(Ios, None);

        var error = await Assert.ThrowsAsync<DeviceCommandException>(() => session.SendCommandAsync("show bogus", None));

        Assert.Equal("r1", error.Device);
        Assert.Equal("show bogus", error.Command);
        Assert.Contains("% Invalid input detected at '^' marker.", error.Reply, StringComparison.Ordinal);
        Assert.StartsWith("r1: 'show bogus' failed: % Invalid input detected", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Output_beyond_the_limit_is_cut_with_a_visible_marker_and_the_session_stays_usable()
    {
        var cli = new FakeCli("r1#");
        cli.Outputs["show big"] = string.Join("\n", Enumerable.Range(0, 1000).Select(i => $"line {i:0000}"));
        cli.Outputs["show small"] = "ok";
        await using var session = cli.Session(FakeCli.Target(maxOutput: 100));
        await session.LoginAsync(Ios, None);

        var output = await session.SendCommandAsync("show big", None);

        Assert.True(output.Length < 200, output);
        Assert.StartsWith("line 0000\nline 0001\n", output, StringComparison.Ordinal);
        Assert.Contains("[eNMS: output truncated,", output, StringComparison.Ordinal);
        Assert.Equal("ok", await session.SendCommandAsync("show small", None));
    }

    [Fact]
    public async Task Enable_answers_the_password_prompt_and_the_transcript_redacts_every_secret()
    {
        var cli = new FakeCli("r1>");
        cli.Custom["enable"] = () => "enable\r\nPassword: ";
        cli.Custom["en-secret-42"] = () =>
        {
            cli.Prompt = "r1#";
            return "\r\nr1#";
        };
        cli.Outputs["terminal length 0"] = "";
        cli.Outputs["show users"] = "admin typed s3cret-pass by mistake";
        await using var session = cli.Session();
        await session.LoginAsync(Ios, None);

        await session.EnableAsync(None);
        await session.SetupAsync(None);
        var output = await session.SendCommandAsync("show users", None);

        Assert.Equal("r1#", session.CurrentPrompt);
        Assert.Equal("admin typed s3cret-pass by mistake", output);
        Assert.Contains("en-secret-42", cli.Shell.Lines);
        Assert.DoesNotContain("en-secret-42", session.Transcript, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pass", session.Transcript, StringComparison.Ordinal);
        Assert.Contains("********", session.Transcript, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_enable_secret_is_an_authentication_error()
    {
        var cli = new FakeCli("r1>");
        cli.Custom["enable"] = () => "enable\r\nPassword: ";
        cli.Custom["en-secret-42"] = () => "\r\n% Access denied\r\n\r\nr1>";
        await using var session = cli.Session();
        await session.LoginAsync(Ios, None);

        var error = await Assert.ThrowsAsync<DeviceAuthenticationException>(() => session.EnableAsync(None));

        Assert.Contains("enable refused", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silent_device_times_out_with_a_typed_error_and_the_session_refuses_further_commands()
    {
        var cli = new FakeCli("r1#");
        cli.Custom["show hang"] = () => "show hang\r\npartial output";
        await using var session = cli.Session(FakeCli.Target(readSeconds: 0.2));
        await session.LoginAsync(Ios, None);

        var error = await Assert.ThrowsAsync<DeviceTimeoutException>(() => session.SendCommandAsync("show hang", None));
        Assert.Contains("silent for 0.2 s", error.Message, StringComparison.Ordinal);
        Assert.Contains("partial output", error.Message, StringComparison.Ordinal);

        await Assert.ThrowsAsync<DeviceConnectionException>(() => session.SendCommandAsync("show version", None));
    }

    [Fact]
    public async Task A_connection_dropped_mid_output_is_a_connection_error()
    {
        var cli = new FakeCli("r1#");
        cli.Custom["show tech"] = () =>
        {
            cli.Shell.Emit("show tech\r\nhalf of it\r\n");
            cli.Shell.Close();
            return null;
        };
        await using var session = cli.Session();
        await session.LoginAsync(Ios, None);

        var error = await Assert.ThrowsAsync<DeviceConnectionException>(() => session.SendCommandAsync("show tech", None));

        Assert.Contains("connection lost while waiting for 'show tech'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_stops_a_read_at_once()
    {
        var cli = new FakeCli("r1#");
        cli.Custom["show hang"] = () => null;
        await using var session = cli.Session();
        await session.LoginAsync(Ios, None);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => session.SendCommandAsync("show hang", cts.Token));
    }

    [Fact]
    public async Task Config_mode_is_entered_and_left_with_prompt_checks()
    {
        var cli = new FakeCli("r1#");
        cli.Custom["configure terminal"] = () =>
        {
            cli.Prompt = "r1(config)#";
            return "configure terminal\r\nEnter configuration commands, one per line.  End with CNTL/Z.\r\nr1(config)#";
        };
        cli.Custom["end"] = () =>
        {
            cli.Prompt = "r1#";
            return "end\r\nr1#";
        };
        await using var session = cli.Session();
        await session.LoginAsync(Ios, None);

        await session.EnterConfigModeAsync(None);
        Assert.True(session.InConfigMode);
        await session.ExitConfigModeAsync(None);

        Assert.False(session.InConfigMode);
        Assert.Equal("r1#", session.CurrentPrompt);
    }

    [Fact]
    public async Task Config_mode_not_reached_is_reported_with_the_prompt_seen()
    {
        var cli = new FakeCli("r1#");
        cli.Outputs["configure terminal"] = "";
        await using var session = cli.Session();
        await session.LoginAsync(Ios, None);

        var error = await Assert.ThrowsAsync<DeviceCommandException>(() => session.EnterConfigModeAsync(None));

        Assert.Contains("config mode not entered: prompt is 'r1#'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_renamed_device_is_followed_when_the_command_may_change_the_prompt()
    {
        var cli = new FakeCli("r1#");
        cli.Custom["configure replace flash:new.cfg force"] = () =>
        {
            cli.Prompt = "core-1#";
            return "configure replace flash:new.cfg force\r\nRollback Done\r\n\r\ncore-1#";
        };
        cli.Outputs["show clock"] = "12:00";
        await using var session = cli.Session();
        await session.LoginAsync(Ios, None);

        var reply = await session.SendCommandAsync("configure replace flash:new.cfg force", None, CliCommandOptions.PromptChanging);

        Assert.Equal("Rollback Done", reply.Trim());
        Assert.Equal("core-1", session.Hostname);
        Assert.Equal("12:00", await session.SendCommandAsync("show clock", None));
    }

    [Fact]
    public async Task A_device_that_keeps_talking_without_a_prompt_hits_the_command_timeout()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var cli = new FakeCli("r1#");
        cli.Custom["show tech"] = () => "show tech\r\nsection 1\r\n";
        var target = FakeCli.Target();
        await using var session = new CliSession(cli.Shell, target, time);
        await session.LoginAsync(Ios, None);

        var command = session.SendCommandAsync("show tech", None);
        for (int second = 0; second < 12 && !command.IsCompleted; second++)
        {
            // Output keeps coming (so the read timeout never fires) but the prompt never does.
            cli.Shell.Emit($"section {second + 2}\r\n");
            await Task.Delay(20);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        var error = await Assert.ThrowsAsync<DeviceTimeoutException>(() => command);
        Assert.Contains("no prompt within 10 s while waiting for 'show tech'", error.Message, StringComparison.Ordinal);
    }
}
