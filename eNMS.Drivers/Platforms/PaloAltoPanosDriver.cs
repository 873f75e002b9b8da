using System.Text.RegularExpressions;
using eNMS.Drivers.Cli;

namespace eNMS.Drivers.Platforms;

/// <summary>
/// Palo Alto PAN-OS: <c>configure</c>, then <c>set</c>/<c>delete</c> lines into the candidate configuration,
/// <c>show config diff</c> for what a commit would change, <c>commit</c> to apply all of it or none. The candidate is
/// the device's, shared by every administrator and kept across sessions: so a push starts only when <c>check
/// pending-changes</c> says nobody left changes there (they would go out with ours), and whenever a push fails after
/// the candidate holds something of ours (a refused line, a refused commit, a dropped connection, a cancellation) it
/// is dropped with <c>revert config</c> — on a new connection when this one died.
/// </summary>
public sealed partial class PaloAltoPanosDriver(CliSession session, PlatformProfile platform) : CliDriver(session, platform)
{
    private bool _loaded;

    /// <summary>The lines go into the candidate and are committed at once: all of them apply, or none.</summary>
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
        var pending = await Session.SendCommandAsync(OpMode("check pending-changes"), ct);
        if (!NoPendingChanges().IsMatch(pending))
        {
            throw new DeviceCommandException(Target.Name, "check pending-changes", pending,
                "the candidate configuration holds changes nobody committed, which a commit would apply with ours: " +
                "commit or revert them (revert config) first");
        }
        _loaded = true;
        await SendCandidateLinesAsync(config, RevertAfterFailureAsync, ct);
    }

    /// <summary>PAN-OS's unified diff of the running configuration against the candidate, in the common shape.</summary>
    public override async Task<string> CompareAsync(CancellationToken ct)
    {
        RequireCandidate();
        try
        {
            return DiffFormat.Normalize(await Session.SendCommandAsync(OpMode("show config diff"), ct), l => l == "[edit]"
                || l.StartsWith("---", StringComparison.Ordinal) || l.StartsWith("+++", StringComparison.Ordinal) || l.StartsWith("@@", StringComparison.Ordinal));
        }
        catch (Exception failure)
        {
            await RevertAfterFailureAsync(failure);
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
            await RevertAsync(ct);
        }
    }

    public override async Task<string> GetRunningConfigAsync(CancellationToken ct) =>
        CleanRunningConfig(await Session.SendCommandAsync(OpMode(Platform.RunningConfigCommand), ct));

    /// <summary>From configuration mode the reply ends with the "[edit]" marker: not configuration.</summary>
    protected override string CleanRunningConfig(string output) => WithoutEditMarkers(output);

    /// <summary>A candidate neither committed nor discarded is reverted: the device would keep it for the next commit.</summary>
    public override async ValueTask DisposeAsync()
    {
        if (_loaded)
        {
            _loaded = false;
            await ConfigUndo.TryAsync(this, (d, t) => d.RevertAsync(t));
        }
        await base.DisposeAsync();
    }

    /// <summary>Commits, then leaves configuration mode. A refused commit quotes PAN-OS's reasons (the validation
    /// errors) and reverts the candidate.</summary>
    private async Task<string> CommitCandidateAsync(CancellationToken ct)
    {
        try
        {
            var reply = await Session.SendCommandAsync("commit", ct, new CliCommandOptions
            {
                CheckErrors = false,
                PromptMayChange = true,
                Timeout = Target.Timeouts.Command * 4,
            });
            if (!Committed().IsMatch(reply))
            {
                var reasons = reply.Split('\n').Select(l => l.Trim())
                    .Where(l => l.Length > 0 && l != "[edit]" && !l.StartsWith("Commit job", StringComparison.Ordinal) && !l.StartsWith('.'));
                throw new DeviceCommandException(Target.Name, "commit", reply, string.Join(" | ", reasons));
            }
            _loaded = false;
            await Session.SendCommandAsync(Profile.ConfigExit, ct, CliCommandOptions.PromptChanging);
            return WithoutEditMarkers(reply);
        }
        catch (Exception failure)
        {
            await RevertAfterFailureAsync(failure);
            throw;
        }
    }

    private async Task RevertAfterFailureAsync(Exception failure)
    {
        _loaded = false;
        // The candidate outlives the session: a dead connection's changes are still there, reverted over a new one.
        await ConfigUndo.AfterFailureAsync(this, failure, "reverting the candidate configuration", (d, t) => d.RevertAsync(t));
    }

    private async Task RevertAsync(CancellationToken ct)
    {
        await Session.EnterConfigModeAsync(ct);
        await Session.SendCommandAsync("revert config", ct);
        await Session.SendCommandAsync(Profile.ConfigExit, ct, CliCommandOptions.PromptChanging);
        if (Session.InConfigMode)
        {
            throw new DeviceCommandException(Target.Name, Profile.ConfigExit, $"still in configuration mode: prompt is '{Session.CurrentPrompt}'");
        }
    }

    /// <summary>An op-mode command, through <c>run</c> from configuration mode.</summary>
    private string OpMode(string command) => Session.InConfigMode ? "run " + command : command;

    private void RequireCandidate()
    {
        if (!_loaded)
        {
            throw new InvalidOperationException($"{Target.Name}: no candidate loaded");
        }
    }

    private static string WithoutEditMarkers(string reply) =>
        string.Join('\n', reply.Split('\n').Where(l => l.Trim() != "[edit]")).Trim('\n');

    [GeneratedRegex(@"^\s*no\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex NoPendingChanges();

    /// <summary>"Configuration committed successfully"; "There are no changes to commit." is no failure either.</summary>
    [GeneratedRegex(@"^\s*(Configuration committed successfully|There are no changes to commit)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex Committed();
}
