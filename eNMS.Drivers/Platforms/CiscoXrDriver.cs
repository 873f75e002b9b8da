using System.Globalization;
using System.Text.RegularExpressions;
using eNMS.Drivers.Cli;
using eNMS.Drivers.Config;

namespace eNMS.Drivers.Platforms;

/// <summary>
/// Cisco IOS XR: the candidate is the session's target configuration (<c>configure terminal</c>, the lines, no
/// commit yet), so the driver stays in config mode from the load to the commit. The diff is the running configuration
/// against <c>show configuration merge</c>; a replace is sent as the lines that turn the running configuration into
/// the candidate, so it commits as atomically as a merge; <c>commit confirmed minutes N</c> arms a trial that a later
/// <c>commit</c> confirms; <c>rollback configuration last 1</c> undoes the last commit. Whenever an operation fails
/// after the target holds something of ours (a refused line, a refused commit, a drop, a cancellation) the target is
/// aborted; when the connection died, a new one checks whether a commit that was on its way went through and rolls it
/// back. A refused commit quotes <c>show configuration failed</c>.
/// </summary>
public sealed partial class CiscoXrDriver(CliSession session, PlatformProfile platform) : CliDriver(session, platform)
{
    /// <summary>XR's question when config mode is left with a target: never meant to be reached (the driver aborts
    /// first), answered "no" (drop it) if it is.</summary>
    private static readonly CliCommandOptions LeaveOptions = new()
    {
        Answers = [new CliAnswer(UncommittedQuestion(), "no")],
        PromptMayChange = true,
    };

    private bool _loaded;

    /// <summary>The newest commit ID before a commit whose outcome is not known yet (the connection may die while
    /// it runs); null when no commit is under way.</summary>
    private string? _commitUnderWay;

    public bool HasCandidate => _loaded;

    /// <summary>The lines go into the target and are committed at once: all of them apply, or none.</summary>
    public override async Task<string> SendConfigAsync(IEnumerable<string> lines, CancellationToken ct)
    {
        await LoadCandidateAsync(string.Join('\n', lines), ConfigLoadMode.Merge, ct);
        await CommitAsync(ct);
        return "";
    }

    public override async Task LoadCandidateAsync(string config, ConfigLoadMode mode, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (_loaded)
        {
            await DiscardAsync(ct);
        }
        IReadOnlyList<string> lines = mode is ConfigLoadMode.Replace
            ? ConfigTree.ReplaceCommands(Parse(await GetRunningConfigAsync(ct)), Parse(config), l => "no " + l)
            : Sendable(config);
        _loaded = true;
        try
        {
            await Session.EnterConfigModeAsync(ct);
            foreach (var line in lines)
            {
                await Session.SendCommandAsync(line, ct);
            }
        }
        catch (Exception failure)
        {
            await AbortAfterFailureAsync(failure);
            throw;
        }
    }

    public override async Task<string> CompareAsync(CancellationToken ct)
    {
        RequireCandidate();
        try
        {
            var running = CleanRunningConfig(await Session.SendCommandAsync(Platform.RunningConfigCommand, ct));
            var merged = CleanRunningConfig(await Session.SendCommandAsync("show configuration merge", ct));
            return ConfigTree.Diff(Parse(running), Parse(merged));
        }
        catch (Exception failure)
        {
            await AbortAfterFailureAsync(failure);
            throw;
        }
    }

    public override async Task CommitAsync(CancellationToken ct, TimeSpan? confirmWithin = null)
    {
        RequireCandidate();
        var command = confirmWithin is { } t
            ? "commit confirmed minutes " + Math.Max(1, (int)Math.Ceiling(t.TotalMinutes)).ToString(CultureInfo.InvariantCulture)
            : "commit";
        try
        {
            await CommitTargetAsync(command, ct);
            _loaded = false;
        }
        catch (Exception failure)
        {
            await AbortAfterFailureAsync(failure);
            throw;
        }
    }

    /// <summary>A <c>commit</c> with nothing in the target confirms the trial.</summary>
    public override async Task ConfirmCommitAsync(CancellationToken ct)
    {
        if (_loaded)
        {
            throw new InvalidOperationException($"{Target.Name}: a candidate is loaded; commit or discard it before confirming");
        }
        _loaded = true;
        try
        {
            await Session.EnterConfigModeAsync(ct);
            await CommitTargetAsync("commit", ct);
            _loaded = false;
        }
        catch (Exception failure)
        {
            await AbortAfterFailureAsync(failure);
            throw;
        }
    }

    public override async Task DiscardAsync(CancellationToken ct)
    {
        if (_loaded)
        {
            _loaded = false;
            await AbortTargetAsync(ct);
        }
    }

    public override async Task RollbackAsync(CancellationToken ct)
    {
        await DiscardAsync(ct);
        const string command = "rollback configuration last 1";
        var reply = await Session.SendCommandAsync(command, ct, new CliCommandOptions
        {
            CheckErrors = false,
            PromptMayChange = true,
            Timeout = Target.Timeouts.Command * 2,
        });
        if (!reply.Contains("successfully rolled back", StringComparison.OrdinalIgnoreCase))
        {
            throw new DeviceCommandException(Target.Name, command, reply);
        }
    }

    public override async Task<string?> RollbackUnavailableAsync(CancellationToken ct) =>
        await NewestCommitAsync(ct) is null ? $"{Target.Name}: no commit to roll back (show configuration commit list is empty)" : null;

    /// <summary>A target loaded and neither committed nor discarded is aborted when the connection closes.</summary>
    public override async ValueTask DisposeAsync()
    {
        if (_loaded)
        {
            _loaded = false;
            var before = _commitUnderWay;
            await ConfigUndo.TryAsync(this, (d, t) => d.UndoAsync(before, t));
        }
        await base.DisposeAsync();
    }

    /// <summary>Sends a commit from config mode, then leaves it. A refused commit fails quoting <c>show configuration
    /// failed</c>: the items the device refused and why.</summary>
    private async Task CommitTargetAsync(string command, CancellationToken ct)
    {
        await Session.EnterConfigModeAsync(ct);
        _commitUnderWay = await NewestCommitAsync(ct) ?? "";
        var reply = await Session.SendCommandAsync(command, ct, new CliCommandOptions
        {
            CheckErrors = false,
            PromptMayChange = true,
            Timeout = Target.Timeouts.Command * 2,
        });
        _commitUnderWay = null;
        if (CommitFailed().Match(reply) is { Success: true } refused)
        {
            var failed = await Session.SendCommandAsync("show configuration failed", ct, new CliCommandOptions { CheckErrors = false });
            var items = CleanRunningConfig(failed).Split('\n').Select(l => l.TrimEnd())
                .Where(l => l.Trim().Length > 0 && l.Trim() is not ("!" or "end") && !l.StartsWith("!! ", StringComparison.Ordinal));
            throw new DeviceCommandException(Target.Name, command, reply + "\n" + failed,
                $"{refused.Value.Trim()} — show configuration failed: {string.Join(" | ", items.Select(l => l.Trim()))}");
        }
        if (Profile.Error.Match(reply) is { Success: true } error)
        {
            throw new DeviceCommandException(Target.Name, command, reply, error.Value);
        }
        await Session.SendCommandAsync(Profile.ConfigExit, ct, LeaveOptions);
    }

    /// <summary>The ID on the first row of <c>show configuration commit list</c> (the newest), null when none.</summary>
    private async Task<string?> NewestCommitAsync(CancellationToken ct)
    {
        var list = await Session.SendCommandAsync("show configuration commit list", ct);
        return CommitRow().Match(list) is { Success: true } row ? row.Groups["id"].Value : null;
    }

    private async Task AbortAfterFailureAsync(Exception failure)
    {
        _loaded = false;
        var before = _commitUnderWay;
        _commitUnderWay = null;
        if (!IsUsable)
        {
            await ReplaceDeadConnectionAsync();
        }
        await ConfigUndo.AfterFailureAsync(this, failure, "aborting the target configuration", (d, t) => d.UndoAsync(before, t));
    }

    /// <summary>A connection that died or was cancelled mid-command may still hold its session (and target) on the
    /// device: it is closed and a new one takes its place, then the device is given time to end the old session
    /// (<c>show configuration sessions</c> no longer lists one of this user). When no new connection can be had,
    /// <see cref="ConfigUndo"/> says so.</summary>
    private async Task ReplaceDeadConnectionAsync()
    {
        using var limit = new CancellationTokenSource(Target.Timeouts.Connect + Target.Timeouts.Command * 2);
        try
        {
            await ReconnectAsync(limit.Token);
            using var wait = new CancellationTokenSource(Target.Timeouts.Connect);
            var user = Target.Credential.Username;
            while (SessionRow(user).IsMatch(await Session.SendCommandAsync("show configuration sessions", limit.Token)))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), wait.Token);
            }
        }
        catch (Exception e) when (e is DeviceException or OperationCanceledException)
        {
            // Still unusable, or a session of this user stays (perhaps not ours): the undo below reports what it can.
        }
    }

    private static Regex SessionRow(string user) =>
        new($@"^\S+\s+\S+\s+{Regex.Escape(user)}\s", RegexOptions.Multiline | RegexOptions.CultureInvariant);

    /// <summary>Drops the target (this session's: a new connection has none, XR dropped it with the session), and
    /// when a commit was on its way as the connection died (<paramref name="newestBefore"/>: the newest commit before
    /// it) and went through, rolls it back.</summary>
    private async Task UndoAsync(string? newestBefore, CancellationToken ct)
    {
        await AbortTargetAsync(ct);
        if (newestBefore is not null && (await NewestCommitAsync(ct) ?? "") != newestBefore)
        {
            await RollbackAsync(ct);
        }
    }

    private async Task AbortTargetAsync(CancellationToken ct)
    {
        if (Session.InConfigMode)
        {
            await Session.SendCommandAsync("abort", ct, CliCommandOptions.PromptChanging);
        }
        if (Session.InConfigMode)
        {
            throw new DeviceCommandException(Target.Name, "abort", $"still in config mode: prompt is '{Session.CurrentPrompt}'");
        }
    }

    private void RequireCandidate()
    {
        if (!_loaded)
        {
            throw new InvalidOperationException($"{Target.Name}: no candidate loaded");
        }
    }

    private static IReadOnlyList<ConfigNode> Parse(string config) => ConfigTree.Parse(config, l => l.StartsWith("!!", StringComparison.Ordinal));

    private static List<string> Sendable(string config) =>
        [.. config.Replace("\r", "", StringComparison.Ordinal).Split('\n')
            .Select(l => l.TrimEnd()).Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('!') && l.Trim() != "end")];

    [GeneratedRegex(@"^\s*% ?Failed to commit[^\n]*", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex CommitFailed();

    [GeneratedRegex(@"^\s*1\s+(?<id>\S+)\s", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex CommitRow();

    [GeneratedRegex(@"Uncommitted changes found[^\n]*\[cancel\]:\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex UncommittedQuestion();
}
