using System.Globalization;
using eNMS.Drivers.Cli;

namespace eNMS.Drivers.Platforms;

/// <summary>
/// Arista EOS. A candidate is a named configure session (<c>rollback clean-config</c> first for a replace), compared
/// with <c>show session-config diffs</c>, committed with an optional <c>commit timer</c>; the running configuration is
/// copied to flash before each commit so rollback is a <c>configure replace</c> back to it.
/// </summary>
public sealed class AristaEosDriver(CliSession session) : CliDriver(session)
{
    private const string RollbackFile = "flash:enms-rollback.cfg";

    private static readonly CliProfile EosProfile = CliProfile.Default with
    {
        EnableCommand = "enable",
        SessionSetup = ["terminal length 0", "terminal width 32767"],
    };

    private string? _session;
    private string? _pendingConfirm;

    public override DriverCapabilities Capabilities =>
        DriverCapabilities.Commands | DriverCapabilities.Config | DriverCapabilities.ConfigMerge |
        DriverCapabilities.ConfigReplace | DriverCapabilities.Diff | DriverCapabilities.CommitConfirm |
        DriverCapabilities.Rollback;

    protected internal override CliProfile Profile => EosProfile;

    public override Config.ConfigShape RunningConfigShape { get; } = Config.ConfigShape.EndsWith("end");

    public override async Task LoadCandidateAsync(string config, ConfigLoadMode mode, CancellationToken ct)
    {
        if (_session is not null)
        {
            await DiscardAsync(ct);
        }
        var name = "enms-" + Guid.NewGuid().ToString("N")[..8];
        await Session.SendCommandAsync($"configure session {name}", ct);
        _session = name;
        try
        {
            if (mode is ConfigLoadMode.Replace)
            {
                await Session.SendCommandAsync("rollback clean-config", ct);
            }
            foreach (var line in Lines(config))
            {
                await Session.SendCommandAsync(line, ct);
            }
        }
        finally
        {
            await Session.SendCommandAsync("end", ct);
        }
    }

    public override async Task<string> CompareAsync(CancellationToken ct)
    {
        var name = _session ?? throw new InvalidOperationException($"{Target.Name}: no candidate loaded");
        var diff = await Session.SendCommandAsync($"show session-config named {name} diffs", ct);
        return DiffFormat.Normalize(diff, l => l.StartsWith("---", StringComparison.Ordinal)
            || l.StartsWith("+++", StringComparison.Ordinal) || l.StartsWith("@@", StringComparison.Ordinal));
    }

    public override async Task CommitAsync(CancellationToken ct, TimeSpan? confirmWithin = null)
    {
        var name = _session ?? throw new InvalidOperationException($"{Target.Name}: no candidate loaded");
        await Session.SendCommandAsync($"copy running-config {RollbackFile}", ct);
        await Session.SendCommandAsync($"configure session {name}", ct);
        if (confirmWithin is { } timer)
        {
            await Session.SendCommandAsync("commit timer " + timer.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture), ct, CliCommandOptions.PromptChanging);
            _pendingConfirm = name;
        }
        else
        {
            await Session.SendCommandAsync("commit", ct, CliCommandOptions.PromptChanging);
        }
        await LeaveConfigQuietlyAsync(ct);
        _session = null;
    }

    public override async Task ConfirmCommitAsync(CancellationToken ct)
    {
        var name = _pendingConfirm ?? throw new InvalidOperationException($"{Target.Name}: no commit awaits confirmation");
        await Session.SendCommandAsync($"configure session {name} commit", ct, CliCommandOptions.PromptChanging);
        _pendingConfirm = null;
    }

    public override async Task DiscardAsync(CancellationToken ct)
    {
        if (_session is { } name)
        {
            await Session.SendCommandAsync($"configure session {name}", ct);
            await Session.SendCommandAsync("abort", ct);
            _session = null;
        }
    }

    public override async Task RollbackAsync(CancellationToken ct)
    {
        await Session.SendCommandAsync($"configure replace {RollbackFile}", ct, CliCommandOptions.PromptChanging);
    }

    private static IEnumerable<string> Lines(string config) =>
        config.Replace("\r", "", StringComparison.Ordinal).Split('\n')
            .Select(l => l.TrimEnd()).Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('!') && l.Trim() != "end");
}
