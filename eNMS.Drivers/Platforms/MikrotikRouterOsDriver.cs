using eNMS.Drivers.Cli;

namespace eNMS.Drivers.Platforms;

/// <summary>
/// MikroTik RouterOS: every command applies as it is typed and there is no candidate, but there is safe mode: Ctrl+X
/// takes it, Ctrl+X again keeps what was done in it, Ctrl+D undoes all of it — and so does the router by itself when
/// the session holding it ends. So a push takes safe mode first (and fails, sending nothing, when another session
/// holds it), sends the lines, and keeps them with Ctrl+X; a refused line is quoted, the lines after it are never sent
/// and Ctrl+D puts the device back as it was. A connection that dies (or a run cancelled mid-line, whose connection is
/// then closed) leaves the undo to the router. RouterOS keeps a bounded history of safe-mode changes: a push of more
/// changes than it holds is kept in part when the router drops the oldest (MikroTik's documented limit).
/// </summary>
public sealed class MikrotikRouterOsDriver(CliSession session, PlatformProfile platform) : CliDriver(session, platform)
{
    private const string CtrlX = "\x18";
    private const string CtrlD = "\x04";

    /// <summary>A key, sent alone (no Enter: the router acts on it at once); the prompt then says whether safe mode is held.</summary>
    private static readonly CliCommandOptions Key = CliCommandOptions.PromptChanging with { AppendNewline = false, CheckErrors = false };

    public override async Task<string> SendConfigAsync(IEnumerable<string> lines, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var taken = await Session.SendCommandAsync(CtrlX, ct, Key);
        if (!Session.InConfigMode)
        {
            throw new DeviceCommandException(Target.Name, "Ctrl+X (safe mode)", taken,
                $"safe mode not taken (another session may hold it): nothing was sent; the router said '{taken.Trim()}'");
        }
        var replies = new List<string>();
        try
        {
            foreach (var line in lines.Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')))
            {
                // "/system identity set name=x" renames the prompt.
                var reply = await Session.SendCommandAsync(line, ct, line.Contains("identity", StringComparison.Ordinal)
                    ? CliCommandOptions.PromptChanging
                    : CliCommandOptions.Default);
                if (reply.Length > 0)
                {
                    replies.Add(reply);
                }
            }
        }
        catch (Exception failure) when (IsUsable)
        {
            await ConfigUndo.AfterFailureAsync(this, failure, "undoing the push (Ctrl+D in safe mode)", (d, t) => d.LeaveSafeModeAsync(CtrlD, t));
            throw;
        }
        await LeaveSafeModeAsync(CtrlX, ct);
        return string.Join('\n', replies);
    }

    /// <summary>Ctrl+X keeps the changes, Ctrl+D undoes them; either way safe mode is left.</summary>
    private async Task LeaveSafeModeAsync(string key, CancellationToken ct)
    {
        if (!Session.InConfigMode)
        {
            // A fresh connection (ConfigUndo's, after this one broke) holds no safe mode: the router undid it already.
            return;
        }
        var reply = await Session.SendCommandAsync(key, ct, Key);
        if (Session.InConfigMode)
        {
            throw new DeviceCommandException(Target.Name, key == CtrlX ? "Ctrl+X (safe mode)" : "Ctrl+D (safe mode)", reply,
                $"still in safe mode: prompt is '{Session.CurrentPrompt}'");
        }
    }
}
