using eNMS.Drivers.Platforms.Profiles;

namespace eNMS.Tests.Drivers;

/// <summary>Prompts that carry more than the host name: Nokia MD-CLI's context line above the prompt (which also says
/// whether the session is configuring) and EXOS's command counter with its unsaved-changes star; recorded replies.</summary>
public class DecoratedPromptTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_context_line_above_the_prompt_leaves_the_reply_and_tells_the_configuration_mode()
    {
        var cli = new FakeCli("\r\n[/]\r\nA:admin@sr1# ");
        await using var session = cli.Session(FakeCli.Target("nokia_sros"));
        await session.LoginAsync(PlatformProfiles.NokiaSros.Cli, None);
        cli.Outputs["show router interface"] = "[not a context]\nsystem 192.0.2.1/32\n";
        cli.Custom["edit-config private"] = () =>
        {
            cli.Prompt = "\r\n[pr:/configure]\r\nA:admin@sr1# ";
            return "edit-config private\r\nINFO: CLI #2070: Entering private configuration mode" + cli.Prompt;
        };
        cli.Custom["system location x"] = () =>
        {
            cli.Prompt = "\r\n*[pr:/configure]\r\nA:admin@sr1# ";
            return "system location x" + cli.Prompt;
        };

        Assert.Equal("[not a context]\nsystem 192.0.2.1/32", await session.SendCommandAsync("show router interface", None));
        Assert.Equal("[/]", session.CurrentContext);
        Assert.False(session.InConfigMode);
        await session.EnterConfigModeAsync(None);
        Assert.Equal("", await session.SendCommandAsync("system location x", None));

        Assert.Equal("*[pr:/configure]", session.CurrentContext);
        Assert.True(session.InConfigMode);
        Assert.Equal("A:admin@sr1#", session.CurrentPrompt);
    }

    [Fact]
    public async Task A_counter_and_an_unsaved_star_do_not_make_another_prompt_and_there_is_no_config_mode_to_enter()
    {
        var cli = new FakeCli("X440G2-48t.1 # ");
        await using var session = cli.Session(FakeCli.Target("extreme_exos"));
        await session.LoginAsync(PlatformProfiles.ExtremeExos.Cli, None);
        cli.Custom["create vlan v10"] = () =>
        {
            cli.Prompt = "* X440G2-48t.3 # ";
            return "create vlan v10\r\n" + cli.Prompt;
        };
        cli.Outputs["show vlan"] = "X440G2-48t.9 is not a prompt\nv10";

        await session.EnterConfigModeAsync(None);
        Assert.Equal("", await session.SendCommandAsync("create vlan v10", None));
        Assert.Equal("X440G2-48t.9 is not a prompt\nv10", await session.SendCommandAsync("show vlan", None));

        Assert.Equal("X440G2-48t", session.Hostname);
        Assert.Equal("* X440G2-48t.3 #", session.CurrentPrompt);
        Assert.False(session.InConfigMode);
        Assert.Equal(["", "create vlan v10", "show vlan"], cli.Shell.Lines);
    }
}
