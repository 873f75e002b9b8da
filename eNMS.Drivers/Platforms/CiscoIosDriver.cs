using System.Text;
using System.Text.RegularExpressions;
using eNMS.Drivers.Cli;
using eNMS.Drivers.Config;

namespace eNMS.Drivers.Platforms;

/// <summary>
/// Cisco IOS / IOS-XE. Lines and merges go through plain <c>configure terminal</c> (as Netmiko sends them), one line at
/// a time, each reply checked for IOS's refusals (<c>% Invalid input</c>, <c>% Incomplete command</c>,
/// <c>% Ambiguous command</c>); the running configuration is copied to flash first and, when a line is refused, the push
/// is cancelled, or the connection dies, <c>configure replace</c> puts it back (on a new connection if needed). The merge
/// diff is computed by the driver. A replace candidate is copied to flash by SCP (as NAPALM does; the device needs
/// <c>ip scp server enable</c>), else through tclsh; with neither the driver says so. A commit with a timer uses IOS's
/// Rollback Confirmed Change (<c>configure replace ... time N</c>, <c>configure terminal revert timer N</c>) and
/// <c>configure confirm</c>. The configuration before each commit stays in <see cref="RollbackFile"/> for
/// <see cref="RollbackAsync"/>; every other file eNMS writes is deleted when the operation ends.
/// </summary>
public sealed class CiscoIosDriver(CliSession session, PlatformProfile platform) : CliDriver(session, platform)
{
    private const string CandidateFile = "flash:enms_candidate.txt";
    private const string RollbackFile = "flash:enms_rollback.txt";
    private const string BeforePushFile = "flash:enms_before_push.txt";

    private static readonly CliAnswer[] CopyAnswers =
    [
        new(new Regex(@"Destination filename \[[^\]]*\]\?\s*$"), ""),
        new(new Regex(@"\[confirm\]\s*$"), ""),
    ];

    private static readonly Regex FileMissing = new(@"%\s*Error (?:opening|deleting)[^\n]*", RegexOptions.CultureInvariant);

    private ConfigLoadMode? _mode;
    private string? _candidate;

    /// <summary>Sends the lines in <c>configure terminal</c>; all or nothing (see the class summary).</summary>
    public override async Task<string> SendConfigAsync(IEnumerable<string> lines, CancellationToken ct)
    {
        await CopyRunningConfigAsync(BeforePushFile, ct);
        var reply = await PushOrRevertAsync([.. Sendable(lines)], BeforePushFile, ct);
        await DeleteQuietlyAsync(BeforePushFile);
        return reply;
    }

    public override async Task LoadCandidateAsync(string config, ConfigLoadMode mode, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(config);
        config = config.Replace("\r", "", StringComparison.Ordinal);
        if (mode is ConfigLoadMode.Replace)
        {
            await CopyToFlashAsync(CandidateFile, config, ct);
        }
        (_mode, _candidate) = (mode, config);
    }

    public override async Task<string> CompareAsync(CancellationToken ct)
    {
        RequireCandidate();
        if (_mode is ConfigLoadMode.Merge)
        {
            var running = ConfigTree.Parse(await GetRunningConfigAsync(ct), IsNoise);
            return ConfigTree.Diff(running, ConfigTree.Merge(running, ConfigTree.Parse(_candidate!, IsNoise)));
        }
        var diff = await Session.SendCommandAsync($"show archive config differences system:running-config {CandidateFile}", ct);
        return DiffFormat.Normalize(diff, l => l.StartsWith('!'));
    }

    public override async Task CommitAsync(CancellationToken ct, TimeSpan? confirmWithin = null)
    {
        RequireCandidate();
        await CopyRunningConfigAsync(RollbackFile, ct);
        // The lines as written (a template may rely on IOS's own mode changes, unindented).
        var lines = Sendable(_candidate!.Split('\n')).ToList();
        if (_mode is ConfigLoadMode.Replace)
        {
            var command = confirmWithin is { } timer
                ? $"configure replace {CandidateFile} force time {Minutes(timer)}"
                : $"configure replace {CandidateFile} force";
            var reply = await Session.SendCommandAsync(command, ct, CliCommandOptions.PromptChanging);
            await DeleteQuietlyAsync(CandidateFile);
            ThrowIfReplaceFailed(command, reply);
        }
        else if (confirmWithin is { } timer)
        {
            await PushOrRevertAsync(lines, RollbackFile, ct, $"configure terminal revert timer {Minutes(timer)}");
        }
        else
        {
            await PushOrRevertAsync(lines, RollbackFile, ct);
        }
        _mode = null;
    }

    public override Task ConfirmCommitAsync(CancellationToken ct) => Session.SendCommandAsync("configure confirm", ct);

    public override async Task DiscardAsync(CancellationToken ct)
    {
        if (_mode is ConfigLoadMode.Replace)
        {
            await DeleteQuietlyAsync(CandidateFile);
        }
        _mode = null;
    }

    public override async Task RollbackAsync(CancellationToken ct)
    {
        if (await RollbackUnavailableAsync(ct) is { } why)
        {
            throw new DeviceCommandException(Target.Name, $"configure replace {RollbackFile} force", why, why);
        }
        var command = $"configure replace {RollbackFile} force";
        ThrowIfReplaceFailed(command, await Session.SendCommandAsync(command, ct, CliCommandOptions.PromptChanging));
    }

    public override async Task<string?> RollbackUnavailableAsync(CancellationToken ct)
    {
        var reply = await Session.SendCommandAsync($"dir {RollbackFile}", ct, new CliCommandOptions { CheckErrors = false });
        return FileMissing.IsMatch(reply) || reply.Contains("No such file", StringComparison.OrdinalIgnoreCase)
            ? $"nothing to roll back to: {RollbackFile} (the configuration eNMS saves before each commit) does not exist"
            : null;
    }

    /// <summary>Enters config mode (with a revert timer if given) and sends the lines one by one. On a refused line, a
    /// cancellation or a dead connection, puts back the configuration saved in <paramref name="savedFile"/> and throws
    /// the original error, saying whether the revert worked.</summary>
    private async Task<string> PushOrRevertAsync(List<string> lines, string savedFile, CancellationToken ct, string? enter = null)
    {
        var replies = new List<string>();
        int sent = 0;
        try
        {
            if (enter is null)
            {
                await Session.EnterConfigModeAsync(ct);
            }
            else
            {
                await Session.SendCommandAsync(enter, ct);
            }
            foreach (var line in lines)
            {
                ct.ThrowIfCancellationRequested();
                // Each line is read to its prompt whatever the token says: a cancellation stops between lines, with
                // the session in a known state, so that the revert below can run on it.
                var reply = await Session.SendCommandAsync(line, CancellationToken.None,
                    line.TrimStart().StartsWith("hostname ", StringComparison.Ordinal) ? CliCommandOptions.PromptChanging : CliCommandOptions.Default);
                sent++;
                if (reply.Length > 0)
                {
                    replies.Add(reply);
                }
            }
            await Session.ExitConfigModeAsync(ct);
        }
        catch (Exception ex) when (ex is DeviceException or OperationCanceledException)
        {
            var undone = await RevertAsync(savedFile, enter is not null);
            var where = $"line {sent + 1} of {lines.Count}";
            throw ex switch
            {
                DeviceCommandException c => new DeviceCommandException(Target.Name, c.Command, c.Reply,
                    $"{ErrorLineOf(c)} ({where}; {undone})")
                { PartialOutput = string.Join('\n', replies) },
                OperationCanceledException => new OperationCanceledException($"{Target.Name}: push cancelled at {where}; {undone}", ex, ct),
                DeviceException d => new DeviceConnectionException(Target.Name, $"{d.Detail} ({where}; {undone})", d)
                { PartialOutput = d.PartialOutput },
                _ => ex,
            };
        }
        return string.Join('\n', replies);
    }

    /// <summary>Back to the saved configuration, on a new connection if this one is dead; never throws: says what
    /// happened, for the error message.</summary>
    private async Task<string> RevertAsync(string savedFile, bool timerArmed)
    {
        // Bounded by the session's own timeouts; the caller's token may be the reason we are here.
        var ct = CancellationToken.None;
        try
        {
            if (!Session.IsUsable)
            {
                await ReconnectAsync(ct);
            }
            await LeaveConfigQuietlyAsync(ct);
            if (timerArmed)
            {
                await Session.SendCommandAsync("configure confirm", ct, new CliCommandOptions { CheckErrors = false });
            }
            var command = $"configure replace {savedFile} force";
            ThrowIfReplaceFailed(command, await Session.SendCommandAsync(command, ct, CliCommandOptions.PromptChanging));
            if (savedFile == BeforePushFile)
            {
                await DeleteQuietlyAsync(savedFile);
            }
            return "the lines before it were undone: the running configuration is as it was";
        }
        catch (Exception ex) when (ex is DeviceException or OperationCanceledException or NotSupportedException)
        {
            return $"NOT undone: the lines before it stay applied ({StripDevice(ex.Message)}); the configuration from " +
                $"before is in {savedFile} ('configure replace {savedFile} force' restores it)";
        }
    }

    /// <summary>The candidate onto flash: SCP first, then tclsh; a clear error when the device allows neither.</summary>
    private async Task CopyToFlashAsync(string file, string config, CancellationToken ct)
    {
        string scp;
        try
        {
            await Session.UploadAsync(file, config, ct);
            return;
        }
        catch (Exception ex) when (ex is DeviceException or NotSupportedException)
        {
            scp = StripDevice(ex.Message);
        }
        string tcl;
        if (config.Contains('{', StringComparison.Ordinal) || config.Contains('}', StringComparison.Ordinal))
        {
            tcl = "the candidate contains braces, which tclsh cannot take inline";
        }
        else if (await TryTclshAsync(file, config, ct) is { } why)
        {
            tcl = why;
        }
        else
        {
            return;
        }
        throw new DeviceException(Target.Name, $"cannot copy the candidate to {file}: neither SCP nor tclsh is available " +
            $"(SCP: {scp} — the device needs 'ip scp server enable' and a privilege-15 login; tclsh: {tcl})");
    }

    /// <summary>Writes the file through tclsh; null when done, else why tclsh is not available.</summary>
    private async Task<string?> TryTclshAsync(string file, string config, CancellationToken ct)
    {
        try
        {
            await Session.SendCommandAsync("tclsh", ct);
        }
        catch (DeviceCommandException ex)
        {
            return ErrorLineOf(ex);
        }
        if (!Session.CurrentPrompt.Contains("(tcl)", StringComparison.Ordinal))
        {
            return $"no tcl prompt (prompt is '{Session.CurrentPrompt}')";
        }
        try
        {
            var text = new StringBuilder($"puts [open \"{file}\" w+] {{\n");
            text.Append(config.TrimEnd('\n')).Append("\n}");
            await Session.SendCommandAsync(text.ToString(), ct);
        }
        finally
        {
            await Session.SendCommandAsync("tclquit", ct);
        }
        return null;
    }

    private Task<string> CopyRunningConfigAsync(string file, CancellationToken ct) =>
        Session.SendCommandAsync($"copy running-config {file}", ct, new CliCommandOptions { Answers = CopyAnswers });

    /// <summary>Deletes a file of ours; a failure here must not hide the outcome it follows.</summary>
    private async Task DeleteQuietlyAsync(string file)
    {
        try
        {
            if (Session.IsUsable)
            {
                await Session.SendCommandAsync($"delete /force {file}", CancellationToken.None, new CliCommandOptions { CheckErrors = false });
            }
        }
        catch (DeviceException)
        {
            // The file stays; the outcome already decided is what the caller reports.
        }
    }

    private void ThrowIfReplaceFailed(string command, string reply)
    {
        if (reply.Contains("Rollback aborted", StringComparison.OrdinalIgnoreCase) || FileMissing.IsMatch(reply)
            || reply.Contains("failed", StringComparison.OrdinalIgnoreCase))
        {
            throw new DeviceCommandException(Target.Name, command, reply);
        }
    }

    private static IEnumerable<string> Sendable(IEnumerable<string> lines) =>
        lines.Select(l => l.TrimEnd()).Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('!') && l.Trim() != "end");

    private static bool IsNoise(string line) => line.Trim() is "end" or "exit" || line.TrimStart().StartsWith('!');

    private static int Minutes(TimeSpan timer) => Math.Max(1, (int)Math.Ceiling(timer.TotalMinutes));

    private static string ErrorLineOf(DeviceCommandException ex) => ex.Message[(ex.Message.IndexOf("' failed: ", StringComparison.Ordinal) + 10)..];

    private string StripDevice(string message) =>
        message.StartsWith(Target.Name + ": ", StringComparison.Ordinal) ? message[(Target.Name.Length + 2)..] : message;

    private void RequireCandidate()
    {
        if (_mode is null)
        {
            throw new InvalidOperationException($"{Target.Name}: no candidate loaded");
        }
    }
}
