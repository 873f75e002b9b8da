using System.Text.RegularExpressions;
using eNMS.Drivers.Cli;

namespace eNMS.Drivers.Platforms;

/// <summary>
/// Fortinet FortiOS. There is no config mode: the pushed lines open and close the blocks themselves (<c>config system
/// global</c> … <c>end</c>, <c>edit</c> … <c>next</c> in tables). FortiOS applies and saves a block's lines on its
/// <c>next</c>/<c>end</c>, and offers <c>abort</c> to leave a block without them: so a refused line (or a refused
/// <c>end</c>) makes eNMS send <c>abort</c> instead of the <c>end</c> that would apply the lines before it in the block,
/// the lines after it are never sent, and the push fails quoting the line and FortiOS's whole reply. Blocks the push
/// closed before the refused line stay applied (FortiOS saved them already). A push that would leave a block open is
/// aborted too; so is one cancelled between lines. A push cancelled in the middle of a line, or cut by a dropped
/// connection, cannot send <c>abort</c>: its connection is closed at once, and FortiOS drops the open block with the
/// session, as it does for any session that ends inside one. Paging is a configuration setting (<c>config system console</c> / <c>set output</c>): when it is
/// <c>more</c> it is set to <c>standard</c> for the session and back to <c>more</c> when the session closes (Netmiko's
/// approach), and backups taken meanwhile show the device's own setting. With virtual domains on, the console setting
/// is under <c>config global</c>.
/// </summary>
public sealed partial class FortinetDriver(CliSession session, PlatformProfile platform) : CliDriver(session, platform)
{
    /// <summary>Whether this session turned the device's pager off (and so turns it back on when it closes).</summary>
    private bool _pagerTurnedOff;

    private bool _vdoms;

    public override async Task OpenAsync(CancellationToken ct)
    {
        await Session.LoginAsync(Profile, ct);
        _vdoms = VdomsOn().IsMatch(await Session.SendCommandAsync("get system status", ct));
        if (OutputMore().IsMatch(await InGlobalAsync(["get system console"], ct)))
        {
            await InGlobalAsync(["config system console", "set output standard", "end"], ct);
            _pagerTurnedOff = true;
        }
    }

    /// <summary>Lines as given, each read back for a refusal; see the class comment for what a refusal leaves.</summary>
    public override async Task<string> SendConfigAsync(IEnumerable<string> lines, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var replies = new List<string>();
        string last = "";
        try
        {
            foreach (var line in lines.Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')))
            {
                last = line;
                // An "end" may apply a new host name: the prompt then changes.
                var reply = await Session.SendCommandAsync(line, ct, ClosesBlock(line) ? CliCommandOptions.PromptChanging : CliCommandOptions.Default);
                if (reply.Length > 0)
                {
                    replies.Add(reply);
                }
            }
        }
        catch (DeviceCommandException refused)
        {
            await AbortAfterFailureAsync(refused);
            // FortiOS explains over several lines ("entry not found in datasource", "value parse error before 'x'",
            // "Command fail. Return code -3"): all of them.
            throw new DeviceCommandException(Target.Name, refused.Command, refused.Reply, string.Join(" | ",
                refused.Reply.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)));
        }
        catch (Exception failure)
        {
            await AbortAfterFailureAsync(failure);
            throw;
        }
        if (Session.InConfigMode)
        {
            var open = Session.CurrentPrompt;
            await AbortAfterFailureAsync(null);
            throw new DeviceCommandException(Target.Name, last, "",
                $"the lines leave a block open (prompt '{open}'): it was aborted, nothing of it applied; close each block with 'end'");
        }
        return string.Join('\n', replies);
    }

    /// <summary>The configuration as the device keeps it outside eNMS's sessions: the pager setting this session
    /// changed is shown as it was.</summary>
    protected override string CleanRunningConfig(string output)
    {
        var config = base.CleanRunningConfig(output);
        return _pagerTurnedOff ? ConsoleBlock().Replace(config, m =>
        {
            var kept = m.Groups["lines"].Value.Replace("    set output standard\n", "", StringComparison.Ordinal);
            return kept.Length == 0 ? "" : "config system console\n" + kept + "end" + (m.Value.EndsWith('\n') ? "\n" : "");
        }) : config;
    }

    /// <summary>Puts the pager back as it was (on this connection only: a new one would change it again).</summary>
    public override async ValueTask DisposeAsync()
    {
        if (_pagerTurnedOff && IsUsable)
        {
            _pagerTurnedOff = false;
            using var limit = new CancellationTokenSource(Target.Timeouts.Command);
            try
            {
                if (Session.InConfigMode)
                {
                    await AbortToTopAsync(limit.Token);
                }
                await InGlobalAsync(["config system console", "set output more", "end"], limit.Token);
            }
            catch (Exception e) when (e is DeviceException or OperationCanceledException)
            {
                // Closing anyway: the device keeps "output standard", which only changes how its CLI pages.
            }
        }
        await base.DisposeAsync();
    }

    /// <summary>Leaves every open block without applying what is pending in it; quiet unless that fails too.</summary>
    private async Task AbortAfterFailureAsync(Exception? failure)
    {
        // A connection that died or was cancelled mid-line cannot be written to: it is closed at once, and FortiOS,
        // like any session that ends inside a block, applies nothing of the block it did not get an end for.
        if (!IsUsable)
        {
            await CloseIfUnusableAsync();
            return;
        }
        if (Session.InConfigMode)
        {
            await ConfigUndo.AfterFailureAsync(this, failure ?? new DeviceException(Target.Name, "a block left open"),
                "aborting the open block", (d, t) => d.AbortToTopAsync(t));
        }
    }

    /// <summary><c>abort</c> until the prompt names no block. Where <c>abort</c> is refused (the <c>config global</c>
    /// or <c>config vdom</c> level of a device with virtual domains) nothing is pending, and <c>end</c> leaves it.</summary>
    private async Task AbortToTopAsync(CancellationToken ct)
    {
        for (int level = 0; level < 8 && Session.InConfigMode; level++)
        {
            var at = Session.CurrentPrompt;
            await Session.SendCommandAsync("abort", ct, CliCommandOptions.PromptChanging with { CheckErrors = false });
            if (Session.CurrentPrompt == at)
            {
                await Session.SendCommandAsync("end", ct, CliCommandOptions.PromptChanging);
            }
        }
        if (Session.InConfigMode)
        {
            throw new DeviceCommandException(Target.Name, "abort", $"still inside a block: prompt is '{Session.CurrentPrompt}'");
        }
    }

    /// <summary>Runs commands at the global level: inside <c>config global</c> when the device has virtual domains.</summary>
    private async Task<string> InGlobalAsync(IReadOnlyList<string> commands, CancellationToken ct)
    {
        if (_vdoms)
        {
            await Session.SendCommandAsync("config global", ct);
        }
        var replies = new List<string>();
        foreach (var command in commands)
        {
            replies.Add(await Session.SendCommandAsync(command, ct));
        }
        if (_vdoms)
        {
            await Session.SendCommandAsync("end", ct);
        }
        return string.Join('\n', replies);
    }

    private static bool ClosesBlock(string line) => line is "end" or "next" or "abort";

    /// <summary>"Virtual domain configuration: multiple" (FortiOS 6.4+; "enable" before), "disable" without.</summary>
    [GeneratedRegex(@"^Virtual domain configuration:\s*(multiple|enable)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex VdomsOn();

    /// <summary><c>get system console</c>: "output              : more".</summary>
    [GeneratedRegex(@"^output\s*:\s*more\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex OutputMore();

    [GeneratedRegex(@"^config system console\n(?<lines>(    [^\n]*\n)*)end(\n|$)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex ConsoleBlock();
}
