using eNMS.Drivers.Cli;
using eNMS.Drivers.Config;

namespace eNMS.Drivers.Platforms;

/// <summary>
/// Cisco NX-OS. A merge candidate is kept here and compared with the running configuration; commit takes a
/// checkpoint first, then pushes the lines; rollback is <c>rollback running-config checkpoint</c>.
/// </summary>
public sealed class CiscoNxosDriver(CliSession session) : CliDriver(session)
{
    private const string Checkpoint = "enms_rollback";

    private static readonly CliProfile NxosProfile = CliProfile.Default with
    {
        SessionSetup = ["terminal length 0", "terminal width 511"],
    };

    private string? _candidate;

    public override DriverCapabilities Capabilities =>
        DriverCapabilities.Commands | DriverCapabilities.Config | DriverCapabilities.ConfigMerge |
        DriverCapabilities.Diff | DriverCapabilities.Rollback;

    protected internal override CliProfile Profile => NxosProfile;

    protected override string CleanRunningConfig(string output) =>
        string.Join('\n', output.Split('\n').SkipWhile(l => l.Length == 0 || l.StartsWith("!Command:", StringComparison.Ordinal)
            || l.StartsWith("!Running configuration", StringComparison.Ordinal) || l.StartsWith("!Time:", StringComparison.Ordinal)));

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
        return ConfigTree.Diff(running, ConfigTree.Merge(running, ConfigTree.Parse(candidate)));
    }

    public override async Task CommitAsync(CancellationToken ct, TimeSpan? confirmWithin = null)
    {
        RequireNoConfirmTimer(confirmWithin);
        var candidate = _candidate ?? throw new InvalidOperationException($"{Target.Name}: no candidate loaded");
        await Session.SendCommandAsync($"no checkpoint {Checkpoint}", ct, new CliCommandOptions { CheckErrors = false });
        await Session.SendCommandAsync($"checkpoint {Checkpoint}", ct);
        await SendConfigAsync(ConfigTree.Flatten(ConfigTree.Parse(candidate)), ct);
        _candidate = null;
    }

    public override Task DiscardAsync(CancellationToken ct)
    {
        _candidate = null;
        return Task.CompletedTask;
    }

    public override async Task RollbackAsync(CancellationToken ct)
    {
        var reply = await Session.SendCommandAsync($"rollback running-config checkpoint {Checkpoint}", ct, CliCommandOptions.PromptChanging);
        if (!reply.Contains("completed successfully", StringComparison.OrdinalIgnoreCase))
        {
            throw new DeviceCommandException(Target.Name, "rollback running-config", reply);
        }
    }
}
