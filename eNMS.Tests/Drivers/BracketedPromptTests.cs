using eNMS.Drivers.Platforms.Profiles;

namespace eNMS.Tests.Drivers;

/// <summary>Huawei VRP and HP Comware prompts bracket the hostname by view (&lt;host&gt;, [host], [host-Vlanif10]) and
/// erase their pager prompt with cursor-left sequences (ESC[nD): recorded replies, one session.</summary>
public class BracketedPromptTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_bracketed_prompt_is_not_a_prompt_of_another_host_and_every_view_of_ours_is()
    {
        var cli = new FakeCli("<vrp1>");
        await using var session = cli.Session(FakeCli.Target("huawei"));
        await session.LoginAsync(PlatformProfiles.Huawei.Cli, None);
        cli.Custom["display other"] = () => "display other\r\n<vrp2>\r\n[vrp10]\r\ndone\r\n<vrp1>";
        cli.Custom["system-view"] = () => "system-view\r\nEnter system view, return user view with Ctrl+Z.\r\n[vrp1]";
        cli.Custom["interface Vlanif10"] = () => "interface Vlanif10\r\n[vrp1-Vlanif10]";

        Assert.Equal("vrp1", session.Hostname);
        Assert.Equal("<vrp2>\n[vrp10]\ndone", await session.SendCommandAsync("display other", None));
        await session.EnterConfigModeAsync(None);
        await session.SendCommandAsync("interface Vlanif10", None);

        Assert.Equal("[vrp1-Vlanif10]", session.CurrentPrompt);
        Assert.True(session.InConfigMode);
    }

    [Fact]
    public async Task A_pager_prompt_erased_with_cursor_left_leaves_no_spaces_in_the_output()
    {
        var cli = new FakeCli("<vrp1>");
        await using var session = cli.Session(FakeCli.Target("huawei"));
        await session.LoginAsync(PlatformProfiles.Huawei.Cli, None);
        const string more = "  ---- More ----";
        cli.Custom["display logbuffer"] = () => "display logbuffer\r\nline 1\r\nline 2\r\n" + more;
        cli.Shell.OnSpace = () => $"\u001b[16D{new string(' ', 16)}\u001b[16Dline 3\r\nline 4 is longer than the pager prompt\r\n<vrp1>";

        var output = await session.SendCommandAsync("display logbuffer", None);

        Assert.Equal("line 1\nline 2\nline 3\nline 4 is longer than the pager prompt", output);
    }
}
