using System.Globalization;
using eNMS.Drivers.Cli;

namespace eNMS.Drivers.Platforms;

/// <summary>
/// Nokia SR OS, model-driven CLI: <c>edit-config private</c> opens a candidate private to this session, the lines
/// (MD-CLI statements, relative to <c>/configure</c> or absolute) go into it, and <c>commit</c> applies all of them or
/// none; <c>commit confirmed N</c> arms a timer that <c>commit confirmed accept</c> stops. Whenever an operation fails
/// after the candidate holds something of ours (a refused line, a refused commit, which leaves the candidate as it
/// was, a cancellation) it is dropped with <c>discard</c> and the session leaves with <c>quit-config</c>; a connection
/// that died took its private candidate with it, so there is nothing to undo on a new one.
/// </summary>
public sealed class NokiaSrosDriver(CliSession session, PlatformProfile platform) : CliDriver(session, platform)
{
    private bool _loaded;

    /// <summary>The lines go into the private candidate and are committed at once: all of them apply, or none.</summary>
    public override async Task<string> SendConfigAsync(IEnumerable<string> lines, CancellationToken ct)
    {
        await LoadCandidateAsync(string.Join('\n', lines), ConfigLoadMode.Merge, ct);
        return await CommitCandidateAsync("commit", ct);
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

    public override async Task CommitAsync(CancellationToken ct, TimeSpan? confirmWithin = null)
    {
        RequireCandidate();
        await CommitCandidateAsync(confirmWithin is { } t
            ? "commit confirmed " + Math.Max(1, (int)Math.Ceiling(t.TotalMinutes)).ToString(CultureInfo.InvariantCulture)
            : "commit", ct);
    }

    /// <summary><c>commit confirmed accept</c> (configuration mode only) keeps a commit made with a timer.</summary>
    public override async Task ConfirmCommitAsync(CancellationToken ct)
    {
        if (_loaded)
        {
            throw new InvalidOperationException($"{Target.Name}: a candidate is loaded; commit or discard it before confirming");
        }
        await Session.EnterConfigModeAsync(ct);
        try
        {
            await Session.SendCommandAsync("commit confirmed accept", ct);
        }
        finally
        {
            await LeaveConfigQuietlyAsync(ct);
        }
    }

    public override async Task DiscardAsync(CancellationToken ct)
    {
        if (_loaded)
        {
            _loaded = false;
            await DiscardAndQuitAsync(ct);
        }
    }

    /// <summary>Refused while a candidate is loaded: the save is sent from operational mode, and leaving configuration
    /// mode would drop the candidate behind the caller's back.</summary>
    public override Task<string> SaveConfigAsync(CancellationToken ct) => _loaded
        ? throw new InvalidOperationException($"{Target.Name}: a candidate is loaded; commit or discard it before saving")
        : base.SaveConfigAsync(ct);

    /// <summary>Without the "#" comment lines around the configuration: the version, and "# Generated" / "# Finished"
    /// with the time of the output, which would make every backup differ.</summary>
    protected override string CleanRunningConfig(string output) =>
        string.Join('\n', output.Split('\n').Where(l => !l.StartsWith('#'))).Trim('\n');

    /// <summary>A candidate neither committed nor discarded is dropped when the connection closes.</summary>
    public override async ValueTask DisposeAsync()
    {
        if (_loaded)
        {
            _loaded = false;
            await ConfigUndo.TryAsync(this, (d, t) => d.DiscardAndQuitAsync(t));
        }
        await base.DisposeAsync();
    }

    /// <summary>Commits, then leaves configuration mode. A refused commit quotes the device's reasons and drops the
    /// candidate (SR OS would keep it for the user to fix).</summary>
    private async Task<string> CommitCandidateAsync(string command, CancellationToken ct)
    {
        try
        {
            var reply = await Session.SendCommandAsync(command, ct, new CliCommandOptions
            {
                CheckErrors = false,
                Timeout = Target.Timeouts.Command * 2,
            });
            if (Profile.Error.IsMatch(reply))
            {
                var reasons = Profile.Error.Matches(reply).Select(m => m.Value.Trim());
                throw new DeviceCommandException(Target.Name, command, reply, string.Join(" | ", reasons));
            }
            _loaded = false;
            await Session.ExitConfigModeAsync(ct);
            return reply;
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
        // A dead connection's private candidate died with its session: only a live one has something to drop.
        if (IsUsable)
        {
            await ConfigUndo.AfterFailureAsync(this, failure, "discarding the private candidate", (d, t) => d.DiscardAndQuitAsync(t));
        }
    }

    private async Task DiscardAndQuitAsync(CancellationToken ct)
    {
        if (Session.InConfigMode)
        {
            await Session.SendCommandAsync("discard", ct);
            await Session.ExitConfigModeAsync(ct);
        }
    }

    private void RequireCandidate()
    {
        if (!_loaded)
        {
            throw new InvalidOperationException($"{Target.Name}: no candidate loaded");
        }
    }
}
