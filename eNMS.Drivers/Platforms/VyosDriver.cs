using System.Text.RegularExpressions;
using eNMS.Drivers.Cli;

namespace eNMS.Drivers.Platforms;

/// <summary>
/// VyOS: <c>configure</c> opens a working configuration private to this session, the <c>set</c>/<c>delete</c> lines
/// go into it, <c>compare</c> shows what a commit would change and <c>commit</c> applies it all or not at all. Whenever
/// an operation fails after the working configuration holds something of ours (a refused line, a refused commit, a
/// cancellation) it is dropped with <c>exit discard</c>; a connection that died took its working configuration with it
/// (VyOS keeps one per session), so there is nothing to undo on a new one. <c>save</c> is a configuration-mode command.
/// </summary>
public sealed partial class VyosDriver(CliSession session, PlatformProfile platform) : CliDriver(session, platform)
{
    private bool _loaded;

    /// <summary>The lines go into the working configuration and are committed at once: all of them apply, or none.</summary>
    public override async Task<string> SendConfigAsync(IEnumerable<string> lines, CancellationToken ct)
    {
        await LoadCandidateAsync(string.Join('\n', lines), ConfigLoadMode.Merge, ct);
        return await CommitCandidateAsync(ct);
    }

    public override async Task LoadCandidateAsync(string config, ConfigLoadMode mode, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (mode is ConfigLoadMode.Replace)
        {
            throw Unsupported(DriverCapabilities.ConfigReplace);
        }
        if (_loaded)
        {
            await DiscardAsync(ct);
        }
        _loaded = true;
        await SendCandidateLinesAsync(config, DiscardAfterFailureAsync, ct);
    }

    /// <summary>VyOS's own <c>compare</c> (working against active), in the common diff shape.</summary>
    public override async Task<string> CompareAsync(CancellationToken ct)
    {
        RequireCandidate();
        try
        {
            // VyOS writes "+ description x" under a "[interfaces ethernet eth1]" header: the sign, a space, the line.
            var diff = SignSpace().Replace(await Session.SendCommandAsync("compare", ct), "$1");
            return DiffFormat.Normalize(diff, l => l == "[edit]" || l.StartsWith("No changes", StringComparison.Ordinal));
        }
        catch (Exception failure)
        {
            await DiscardAfterFailureAsync(failure);
            throw;
        }
    }

    public override async Task CommitAsync(CancellationToken ct, TimeSpan? confirmWithin = null)
    {
        RequireNoConfirmTimer(confirmWithin);
        RequireCandidate();
        await CommitCandidateAsync(ct);
    }

    public override async Task DiscardAsync(CancellationToken ct)
    {
        if (_loaded)
        {
            _loaded = false;
            await ExitDiscardAsync(ct);
        }
    }

    /// <summary>From op mode; with a candidate loaded, through <c>run</c> (config mode's <c>show</c> would show the
    /// working configuration).</summary>
    public override async Task<string> GetRunningConfigAsync(CancellationToken ct) => CleanRunningConfig(
        await Session.SendCommandAsync(Session.InConfigMode ? "run " + Platform.RunningConfigCommand : Platform.RunningConfigCommand, ct));

    /// <summary>From configuration mode, <c>run</c> ends its output with the "[edit]" marker: not configuration.</summary>
    protected override string CleanRunningConfig(string output) => WithoutEditMarkers(output);

    /// <summary><c>save</c> exists in configuration mode only; it writes the active configuration (not a loaded
    /// candidate, which stays loaded).</summary>
    public override async Task<string> SaveConfigAsync(CancellationToken ct)
    {
        var save = Platform.Save!;
        bool wasInConfig = Session.InConfigMode;
        await Session.EnterConfigModeAsync(ct);
        string reply;
        try
        {
            reply = await Session.SendCommandAsync(save.Command, ct, new CliCommandOptions { Timeout = Target.Timeouts.Command * 2 });
        }
        finally
        {
            if (!wasInConfig && !_loaded)
            {
                await LeaveConfigQuietlyAsync(ct);
            }
        }
        return save.Done.IsMatch(reply) ? reply : throw new DeviceCommandException(Target.Name, save.Command, reply,
            reply.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0 && l != "[edit]") ?? "(no reply)");
    }

    /// <summary>A working configuration neither committed nor discarded is dropped when the connection closes.</summary>
    public override async ValueTask DisposeAsync()
    {
        if (_loaded)
        {
            _loaded = false;
            await ConfigUndo.TryAsync(this, (d, t) => d.ExitDiscardAsync(t));
        }
        await base.DisposeAsync();
    }

    /// <summary>Commits, then leaves configuration mode. A refused commit quotes VyOS's reasons (the failing path and
    /// the validator's message) and drops the working configuration.</summary>
    private async Task<string> CommitCandidateAsync(CancellationToken ct)
    {
        try
        {
            var reply = await Session.SendCommandAsync("commit", ct, new CliCommandOptions
            {
                CheckErrors = false,
                PromptMayChange = true,
                Timeout = Target.Timeouts.Command * 2,
            });
            if (CommitFailed().IsMatch(reply))
            {
                var reasons = reply.Split('\n').Select(l => l.Trim())
                    .Where(l => l.Length > 0 && l != "[edit]" && !l.StartsWith("[ ", StringComparison.Ordinal));
                throw new DeviceCommandException(Target.Name, "commit", reply, string.Join(" | ", reasons));
            }
            _loaded = false;
            await Session.SendCommandAsync(Profile.ConfigExit, ct, CliCommandOptions.PromptChanging);
            return WithoutEditMarkers(reply);
        }
        catch (Exception failure)
        {
            await DiscardAfterFailureAsync(failure);
            throw;
        }
    }

    private async Task DiscardAfterFailureAsync(Exception failure)
    {
        _loaded = false;
        // A dead connection's working configuration died with its session: only a live one has something to drop.
        if (IsUsable)
        {
            await ConfigUndo.AfterFailureAsync(this, failure, "discarding the working configuration", (d, t) => d.ExitDiscardAsync(t));
        }
    }

    private async Task ExitDiscardAsync(CancellationToken ct)
    {
        if (Session.InConfigMode)
        {
            await Session.SendCommandAsync("exit discard", ct, CliCommandOptions.PromptChanging);
        }
        if (Session.InConfigMode)
        {
            throw new DeviceCommandException(Target.Name, "exit discard", $"still in configuration mode: prompt is '{Session.CurrentPrompt}'");
        }
    }

    private void RequireCandidate()
    {
        if (!_loaded)
        {
            throw new InvalidOperationException($"{Target.Name}: no candidate loaded");
        }
    }

    private static string WithoutEditMarkers(string reply) =>
        string.Join('\n', reply.Split('\n').Where(l => l.Trim() != "[edit]")).Trim('\n');

    [GeneratedRegex(@"^([+-]) ", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex SignSpace();

    [GeneratedRegex(@"^\s*(Commit failed|\[\[[^\n]*\]\] failed)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex CommitFailed();
}
