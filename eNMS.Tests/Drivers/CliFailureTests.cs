using eNMS.Drivers;
using eNMS.Drivers.Cli;

namespace eNMS.Tests.Drivers;

/// <summary>What a session keeps of a failure: the device's error line, its last words before it closed, the output
/// that came before a drop, and pager erasures that leave nothing behind. Replies as IOS and Junos send them.</summary>
public class CliFailureTests
{
    private static readonly CliProfile Ios = CliProfile.Default with { EnableCommand = "enable" };
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task An_error_quotes_the_devices_error_line_not_the_first_line_of_the_reply()
    {
        var cli = new FakeCli("r1#");
        // IOS treats an unknown word in exec mode as a host name to telnet to: the DNS lookup line comes first.
        cli.Outputs["foobar"] = "Translating \"foobar\"...domain server (255.255.255.255)\n" +
            "% Unknown command or computer name, or unable to find computer address";
        await using var session = cli.Session();
        await session.LoginAsync(Ios, None);

        var error = await Assert.ThrowsAsync<DeviceCommandException>(() => session.SendCommandAsync("foobar", None));

        Assert.Equal("r1: 'foobar' failed: % Unknown command or computer name, or unable to find computer address", error.Message);
        Assert.StartsWith("Translating", error.Reply, StringComparison.Ordinal);
    }

    [Fact]
    public void An_error_built_from_a_reply_alone_prefers_the_line_that_reads_like_an_error()
    {
        var error = new DeviceCommandException("r1", "load merge terminal",
            "load complete\nterminal:1:(1) syntax error: protocolz\nload complete (1 errors)");

        Assert.Equal("r1: 'load merge terminal' failed: terminal:1:(1) syntax error: protocolz", error.Message);
    }

    [Fact]
    public async Task A_device_closing_at_login_is_reported_with_its_last_words()
    {
        var shell = new ScriptedShell("\r\n% Maximum number of sessions reached\r\n", "Connection closed by foreign host.\r\n");
        shell.Close();
        await using var session = new CliSession(shell, FakeCli.Target());

        var error = await Assert.ThrowsAsync<DeviceConnectionException>(() => session.LoginAsync(Ios, None));

        Assert.Contains("connection lost while waiting for the first prompt", error.Message, StringComparison.Ordinal);
        Assert.Contains("% Maximum number of sessions reached", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Output_before_a_drop_is_kept_as_partial_output()
    {
        var cli = new FakeCli("r1#");
        cli.Custom["show tech"] = () =>
        {
            cli.Shell.Emit("show tech\r\nfirst half\r\nsecond ha");
            cli.Shell.Close();
            return null;
        };
        await using var session = cli.Session();
        await session.LoginAsync(Ios, None);

        var error = await Assert.ThrowsAsync<DeviceConnectionException>(() => session.SendCommandAsync("show tech", None));

        Assert.Equal("first half\nsecond ha", error.PartialOutput);
        Assert.Contains("connection lost while waiting for 'show tech'", error.Message, StringComparison.Ordinal);
        Assert.False(session.IsUsable);
    }

    [Fact]
    public async Task Output_before_a_timeout_is_kept_as_partial_output()
    {
        var cli = new FakeCli("r1#");
        cli.Custom["show hang"] = () => "show hang\r\nline one\r\nline two";
        await using var session = cli.Session(FakeCli.Target(readSeconds: 0.2));
        await session.LoginAsync(Ios, None);

        var error = await Assert.ThrowsAsync<DeviceTimeoutException>(() => session.SendCommandAsync("show hang", None));

        Assert.Equal("line one\nline two", error.PartialOutput);
    }

    [Fact]
    public async Task A_blank_line_after_an_ios_more_erase_comes_back_empty()
    {
        // IOS erases " --More-- " with backspaces, spaces and backspaces, then prints the next line.
        const string Erase = "\b\b\b\b\b\b\b\b\b\b          \b\b\b\b\b\b\b\b\b\b";
        var cli = new FakeCli("r1#");
        await using var session = cli.Session();
        await session.LoginAsync(Ios, None);
        cli.Custom["show run"] = () => "show run\r\nhostname r1\r\n --More-- ";
        cli.Shell.OnSpace = () => Erase + "\r\ninterface Gi0/1\r\n description  two  spaces \r\nr1#";

        var output = await session.SendCommandAsync("show run", None);

        Assert.Equal("hostname r1\n\ninterface Gi0/1\n description  two  spaces ", output);
    }

    [Fact]
    public async Task A_blank_line_after_a_junos_more_erase_comes_back_empty()
    {
        // Junos erases "---(more)---" with a carriage return, spaces and a carriage return.
        var cli = new FakeCli("admin@vsrx>");
        await using var session = cli.Session();
        await session.LoginAsync(CliProfile.Default, None);
        cli.Custom["show configuration"] = () => "show configuration\r\nsystem {\r\n---(more)---";
        cli.Shell.OnSpace = () => "\r                                        \r\r\n    host-name vsrx;\r\n}\r\nadmin@vsrx>";

        var output = await session.SendCommandAsync("show configuration", None);

        Assert.Equal("system {\n\n    host-name vsrx;\n}", output);
    }
}
