using eNMS.Drivers.Cli;
using eNMS.Drivers.Config;

namespace eNMS.Drivers.Platforms;

/// <summary>
/// Cisco NX-OS. A merge candidate is kept here and compared with the running configuration (as the CLI would apply
/// it: <c>no</c> lines remove, single-valued settings replace). Every push (a commit, config lines) takes its own
/// checkpoint <c>enms_xxxxxxxx</c> first; when any line is refused or the push breaks off (drop, cancellation) the
/// device is rolled back to it, on a fresh connection when this one is gone, and the checkpoint is deleted. After a
/// successful commit it is kept as this connection's rollback point and deleted when the connection closes.
/// NX-OS has no commit timer: a commit with one is refused before anything is sent.
/// </summary>
public sealed class CiscoNxosDriver(CliSession session, PlatformProfile platform) : CliDriver(session, platform)
{
    private string? _candidate;
    private string? _checkpoint;

    /// <summary>All lines apply, or the device goes back to the checkpoint taken before them.</summary>
    public override Task<string> SendConfigAsync(IEnumerable<string> lines, CancellationToken ct) =>
        PushAsync([.. lines], ct);

    public override Task LoadCandidateAsync(string config, ConfigLoadMode mode, CancellationToken ct)
    {
        if (mode is ConfigLoadMode.Replace)
        {
            throw Unsupported(DriverCapabilities.ConfigReplace);
        }
        _candidate = config;
        return Task.CompletedTask;
    }

    public override async Task<string> CompareAsync(CancellationToken ct)
    {
        var candidate = _candidate ?? throw new InvalidOperationException($"{Target.Name}: no candidate loaded");
        var running = ConfigTree.Parse(await GetRunningConfigAsync(ct));
        return ConfigTree.Diff(running, CliMerge.Apply(running, ConfigTree.Parse(candidate)));
    }

    public override async Task CommitAsync(CancellationToken ct, TimeSpan? confirmWithin = null)
    {
        RequireNoConfirmTimer(confirmWithin);
        var candidate = _candidate ?? throw new InvalidOperationException($"{Target.Name}: no candidate loaded");
        await PushAsync(ConfigTree.Flatten(ConfigTree.Parse(candidate)), ct);
        _candidate = null;
    }

    public override Task DiscardAsync(CancellationToken ct)
    {
        _candidate = null;
        return Task.CompletedTask;
    }

    public override async Task RollbackAsync(CancellationToken ct)
    {
        var name = _checkpoint ?? throw new InvalidOperationException(
            $"{Target.Name}: no commit made through this connection to roll back (NX-OS rolls back to the checkpoint taken before it)");
        await RestoreAsync(name, ct);
        _checkpoint = null;
    }

    /// <summary>The rollback point of the last commit is deleted when the connection closes.</summary>
    public override async ValueTask DisposeAsync()
    {
        if (_checkpoint is { } name)
        {
            _checkpoint = null;
            await ConfigUndo.TryAsync(this, (d, t) => d.DeleteCheckpointAsync(name, t));
        }
        await base.DisposeAsync();
    }

    private async Task<string> PushAsync(IReadOnlyList<string> lines, CancellationToken ct)
    {
        if (_checkpoint is { } older)
        {
            _checkpoint = null;
            await DeleteCheckpointAsync(older, ct);
        }
        var name = "enms_" + Guid.NewGuid().ToString("N")[..8];
        var command = $"checkpoint {name}";
        var reply = await Session.SendCommandAsync(command, ct);
        if (!reply.Contains("Done", StringComparison.OrdinalIgnoreCase))
        {
            throw new DeviceCommandException(Target.Name, command, reply.Length > 0 ? reply : "(no reply)");
        }
        try
        {
            var replies = await base.SendConfigAsync(lines, ct);
            _checkpoint = name;
            return replies;
        }
        catch (Exception failure)
        {
            await ConfigUndo.AfterFailureAsync(this, failure, $"rolling back to checkpoint {name}", (d, t) => d.RestoreAsync(name, t));
            throw;
        }
    }

    /// <summary>Back to a checkpoint, then deletes it.</summary>
    private async Task RestoreAsync(string name, CancellationToken ct)
    {
        if (Session.InConfigMode)
        {
            await Session.ExitConfigModeAsync(ct);
        }
        var reply = await Session.SendCommandAsync($"rollback running-config checkpoint {name}", ct, CliCommandOptions.PromptChanging);
        if (!reply.Contains("completed successfully", StringComparison.OrdinalIgnoreCase))
        {
            throw new DeviceCommandException(Target.Name, $"rollback running-config checkpoint {name}", reply);
        }
        await DeleteCheckpointAsync(name, ct);
    }

    private async Task DeleteCheckpointAsync(string name, CancellationToken ct)
    {
        var reply = await Session.SendCommandAsync($"no checkpoint {name}", ct);
        if (!reply.Contains("Done", StringComparison.OrdinalIgnoreCase))
        {
            throw new DeviceCommandException(Target.Name, $"no checkpoint {name}", reply.Length > 0 ? reply : "(no reply)");
        }
    }
}
