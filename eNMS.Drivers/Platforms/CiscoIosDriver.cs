using System.Text;
using System.Text.RegularExpressions;
using eNMS.Drivers.Cli;

namespace eNMS.Drivers.Platforms;

/// <summary>
/// Cisco IOS / IOS-XE. The candidate is written to flash through tclsh (as NAPALM's inline transfer does), compared
/// with <c>show archive config differences</c>, applied with <c>configure replace</c> (replace) or
/// <c>copy ... running-config</c> (merge); the running configuration is saved to flash first so rollback is a
/// <c>configure replace</c> back to it. A commit with a timer uses IOS's Rollback Confirmed Change
/// (<c>configure replace ... time N</c>, or <c>configure terminal revert timer N</c> for a merge) and
/// <c>configure confirm</c>.
/// </summary>
public sealed class CiscoIosDriver(CliSession session) : CliDriver(session)
{
    private const string CandidateFile = "flash:enms_candidate.txt";
    private const string RollbackFile = "flash:enms_rollback.txt";

    private static readonly CliProfile IosProfile = CliProfile.Default with
    {
        EnableCommand = "enable",
        SessionSetup = ["terminal length 0", "terminal width 511"],
    };

    private static readonly CliAnswer[] CopyAnswers =
    [
        new(new Regex(@"Destination filename \[[^\]]*\]\?\s*$"), ""),
        new(new Regex(@"\[confirm\]\s*$"), ""),
    ];

    private ConfigLoadMode? _mode;
    private string? _candidate;

    public override DriverCapabilities Capabilities =>
        DriverCapabilities.Commands | DriverCapabilities.Config | DriverCapabilities.ConfigMerge |
        DriverCapabilities.ConfigReplace | DriverCapabilities.Diff | DriverCapabilities.CommitConfirm |
        DriverCapabilities.Rollback;

    protected internal override CliProfile Profile => IosProfile;

    public override Config.ConfigShape RunningConfigShape { get; } = Config.ConfigShape.EndsWith("end");

    protected override string CleanRunningConfig(string output) =>
        string.Join('\n', output.Split('\n').SkipWhile(l => l.Length == 0
            || l.StartsWith("Building configuration", StringComparison.Ordinal)
            || l.StartsWith("Current configuration", StringComparison.Ordinal)));

    public override async Task LoadCandidateAsync(string config, ConfigLoadMode mode, CancellationToken ct)
    {
        if (config.Contains('{', StringComparison.Ordinal) || config.Contains('}', StringComparison.Ordinal))
        {
            throw new ArgumentException($"{Target.Name}: a candidate for IOS cannot contain braces (written through tclsh)", nameof(config));
        }
        await Session.SendCommandAsync("tclsh", ct);
        try
        {
            var text = new StringBuilder($"puts [open \"{CandidateFile}\" w+] {{\n");
            text.Append(config.Replace("\r", "", StringComparison.Ordinal).TrimEnd('\n')).Append("\n}");
            await Session.SendCommandAsync(text.ToString(), ct);
        }
        finally
        {
            await Session.SendCommandAsync("tclquit", ct);
        }
        (_mode, _candidate) = (mode, config);
    }

    public override async Task<string> CompareAsync(CancellationToken ct)
    {
        RequireCandidate();
        var command = _mode is ConfigLoadMode.Replace
            ? $"show archive config differences system:running-config {CandidateFile}"
            : $"show archive config incremental-diffs {CandidateFile} ignorecase";
        var diff = await Session.SendCommandAsync(command, ct);
        if (_mode is ConfigLoadMode.Merge)
        {
            // Incremental diffs list the lines the merge would add, each prefixed by '+' or nothing.
            diff = string.Join('\n', diff.Split('\n').Where(l => l.Trim() != "end")
                .Select(l => l.TrimStart().StartsWith('+') || l.TrimStart().StartsWith('!') || l.Length == 0 ? l : "+" + l));
        }
        return DiffFormat.Normalize(diff, l => l.StartsWith('!'));
    }

    public override async Task CommitAsync(CancellationToken ct, TimeSpan? confirmWithin = null)
    {
        RequireCandidate();
        await Session.SendCommandAsync($"copy running-config {RollbackFile}", ct, new CliCommandOptions { Answers = CopyAnswers });
        if (confirmWithin is { } timer)
        {
            await CommitWithRevertTimerAsync(Minutes(timer), ct);
            _mode = null;
            return;
        }
        var reply = _mode is ConfigLoadMode.Replace
            ? await Session.SendCommandAsync($"configure replace {CandidateFile} force", ct, CliCommandOptions.PromptChanging)
            : await Session.SendCommandAsync($"copy {CandidateFile} running-config", ct, new CliCommandOptions { Answers = CopyAnswers, PromptMayChange = true });
        if (reply.Contains("Rollback aborted", StringComparison.OrdinalIgnoreCase) || reply.Contains("failed", StringComparison.OrdinalIgnoreCase))
        {
            throw new DeviceCommandException(Target.Name, "configure replace", reply);
        }
        _mode = null;
    }

    public override Task ConfirmCommitAsync(CancellationToken ct) => Session.SendCommandAsync("configure confirm", ct);

    private async Task CommitWithRevertTimerAsync(int minutes, CancellationToken ct)
    {
        if (_mode is ConfigLoadMode.Replace)
        {
            var reply = await Session.SendCommandAsync($"configure replace {CandidateFile} force time {minutes}", ct, CliCommandOptions.PromptChanging);
            if (reply.Contains("Rollback aborted", StringComparison.OrdinalIgnoreCase))
            {
                throw new DeviceCommandException(Target.Name, "configure replace", reply);
            }
            return;
        }
        await Session.SendCommandAsync($"configure terminal revert timer {minutes}", ct);
        try
        {
            foreach (var line in (_candidate ?? "").Replace("\r", "", StringComparison.Ordinal).Split('\n')
                .Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('!') && l.Trim() != "end"))
            {
                await Session.SendCommandAsync(line.TrimEnd(), ct, line.TrimStart().StartsWith("hostname ", StringComparison.Ordinal)
                    ? CliCommandOptions.PromptChanging : CliCommandOptions.Default);
            }
        }
        finally
        {
            await LeaveConfigQuietlyAsync(ct);
        }
    }

    private static int Minutes(TimeSpan timer) => Math.Max(1, (int)Math.Ceiling(timer.TotalMinutes));

    public override Task DiscardAsync(CancellationToken ct)
    {
        _mode = null;
        return Task.CompletedTask;
    }

    public override async Task RollbackAsync(CancellationToken ct)
    {
        var reply = await Session.SendCommandAsync($"configure replace {RollbackFile} force", ct, CliCommandOptions.PromptChanging);
        if (reply.Contains("Rollback aborted", StringComparison.OrdinalIgnoreCase) || reply.Contains("failed", StringComparison.OrdinalIgnoreCase))
        {
            throw new DeviceCommandException(Target.Name, "configure replace", reply);
        }
    }

    private void RequireCandidate()
    {
        if (_mode is null)
        {
            throw new InvalidOperationException($"{Target.Name}: no candidate loaded");
        }
    }
}
