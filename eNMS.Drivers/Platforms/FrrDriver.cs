using eNMS.Drivers.Cli;
using eNMS.Drivers.Config;

namespace eNMS.Drivers.Platforms;

/// <summary>
/// FRRouting's vtysh. vtysh has no candidate, so transactions are computed here: compare parses both
/// configurations, commit sends the difference (removals negated, then additions) and keeps the previous running
/// configuration, rollback replaces back to it.
/// </summary>
public sealed class FrrDriver(CliSession session, PlatformProfile platform) : CliDriver(session, platform)
{
    private string? _candidate;
    private ConfigLoadMode _mode;
    private string? _beforeLastCommit;

    public override Task LoadCandidateAsync(string config, ConfigLoadMode mode, CancellationToken ct)
    {
        (_candidate, _mode) = (config, mode);
        return Task.CompletedTask;
    }

    public override async Task<string> CompareAsync(CancellationToken ct)
    {
        var (running, target) = await PlanAsync(ct);
        return ConfigTree.Diff(running, target);
    }

    public override async Task CommitAsync(CancellationToken ct, TimeSpan? confirmWithin = null)
    {
        RequireNoConfirmTimer(confirmWithin);
        var (running, target) = await PlanAsync(ct);
        var before = await GetRunningConfigAsync(ct);
        var commands = ConfigTree.ReplaceCommands(running, target, Negate);
        if (commands.Count > 0)
        {
            await SendConfigAsync(commands, ct);
        }
        _beforeLastCommit = before;
        _candidate = null;
    }

    public override Task DiscardAsync(CancellationToken ct)
    {
        _candidate = null;
        return Task.CompletedTask;
    }

    public override async Task RollbackAsync(CancellationToken ct)
    {
        var previous = _beforeLastCommit ?? throw new InvalidOperationException(
            $"{Target.Name}: nothing committed through this connection, so there is nothing to roll back to");
        await LoadCandidateAsync(previous, ConfigLoadMode.Replace, ct);
        await CommitAsync(ct);
    }

    private async Task<(IReadOnlyList<ConfigNode> Running, IReadOnlyList<ConfigNode> Target)> PlanAsync(CancellationToken ct)
    {
        var candidate = _candidate ?? throw new InvalidOperationException($"{Target.Name}: no candidate loaded");
        var running = ConfigTree.Parse(await GetRunningConfigAsync(ct), Ignored);
        var loaded = ConfigTree.Parse(candidate, Ignored);
        return (running, _mode is ConfigLoadMode.Replace ? loaded : ConfigTree.Merge(running, loaded));
    }

    private static bool Ignored(string line) =>
        line.StartsWith("frr version", StringComparison.Ordinal) || line.StartsWith("frr defaults", StringComparison.Ordinal)
        || line.StartsWith("Building configuration", StringComparison.Ordinal)
        || line.StartsWith("Current configuration", StringComparison.Ordinal)
        || line == "service integrated-vtysh-config";

    private static string Negate(string line) => line.StartsWith("no ", StringComparison.Ordinal) ? line[3..] : "no " + line;
}
