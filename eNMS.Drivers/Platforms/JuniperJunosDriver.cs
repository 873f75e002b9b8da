using System.Globalization;
using System.Text.RegularExpressions;
using eNMS.Drivers.Cli;

namespace eNMS.Drivers.Platforms;

/// <summary>
/// Juniper Junos: a native candidate. <c>load merge|override terminal</c> (or <c>load set terminal</c> for set
/// commands), <c>show | compare</c>, <c>commit</c> / <c>commit confirmed N</c>, <c>rollback 0</c> to discard and
/// <c>rollback 1</c> + commit to roll back. The candidate is shared: whenever an operation fails after it changed the
/// candidate (a refused statement, a failed commit, a drop, a cancellation), the candidate is discarded with
/// <c>rollback 0</c>, on a fresh connection when this one is gone, so nothing of ours is left to be committed later.
/// </summary>
public sealed class JuniperJunosDriver(CliSession session, PlatformProfile platform) : CliDriver(session, platform)
{
    private static readonly CliCommandOptions ExitOptions = new()
    {
        Answers = [new CliAnswer(new Regex(@"\[yes,no\] \(yes\)\s*$"), "yes")],
    };

    /// <summary>What <c>load ... terminal</c> says about a statement it refused, anywhere in a line
    /// (<c>terminal:1:(1) syntax error: protocolz</c>, <c>load complete (1 errors)</c>).</summary>
    private static readonly Regex LoadError = new(
        @"\(\d+ errors?\)|\berror:|syntax error|unknown command|missing argument|invalid (value|command|interface)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static readonly Regex EditHeader = new(@"^\[edit[^\]]*\]$", RegexOptions.Multiline | RegexOptions.CultureInvariant);

    private bool _loaded;

    protected override string CleanRunningConfig(string output) =>
        string.Join('\n', output.Split('\n').Where(l => !l.StartsWith("## Last commit", StringComparison.Ordinal)));

    public override async Task<string> SendConfigAsync(IEnumerable<string> lines, CancellationToken ct)
    {
        var replies = new List<string>();
        try
        {
            await EnterAsync(ct);
            foreach (var line in lines.Where(l => l.Trim().Length > 0))
            {
                replies.Add(WithoutEditHeaders(await Session.SendCommandAsync(line.Trim(), ct)));
            }
            replies.Add(WithoutEditHeaders(await Session.SendCommandAsync("commit and-quit", ct, CliCommandOptions.PromptChanging)));
        }
        catch (Exception failure)
        {
            await DiscardAfterFailureAsync(failure);
            throw;
        }
        return string.Join('\n', replies.Where(r => r.Length > 0));
    }

    public override async Task LoadCandidateAsync(string config, ConfigLoadMode mode, CancellationToken ct)
    {
        bool setFormat = config.TrimStart().StartsWith("set ", StringComparison.Ordinal)
            || config.TrimStart().StartsWith("delete ", StringComparison.Ordinal);
        if (setFormat && mode is ConfigLoadMode.Replace)
        {
            throw new ArgumentException($"{Target.Name}: a replace candidate must be in curly-brace format", nameof(config));
        }
        var how = setFormat ? "set" : mode is ConfigLoadMode.Replace ? "override" : "merge";
        // The body follows the command at once: Junos reads it until Ctrl-D on a line of its own.
        var text = config.Replace("\r", "", StringComparison.Ordinal).TrimEnd('\n');
        var body = $"load {how} terminal\n" + text + "\n\u0004";
        _loaded = true;
        try
        {
            await EnterAsync(ct);
            var reply = await Session.SendCommandAsync(body, ct, new CliCommandOptions { AppendNewline = false, CheckErrors = false });
            if (LoadErrors(reply, text) is { Length: > 0 } errors)
            {
                // Junos loads every statement it could read and reports the others: what it took must not stay.
                throw new DeviceCommandException(Target.Name, $"load {how} terminal", errors);
            }
            // Leaving "configure" (shared) keeps the candidate: other operations work from operational mode meanwhile.
            await LeaveAsync(ct);
        }
        catch (Exception failure)
        {
            await DiscardAfterFailureAsync(failure);
            throw;
        }
    }

    /// <summary>The device's own lines from the first error on (the echoed candidate left out), or "".</summary>
    private static string LoadErrors(string reply, string sent)
    {
        var echoed = sent.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToHashSet(StringComparer.Ordinal);
        var lines = reply.Replace("\r", "", StringComparison.Ordinal).Split('\n')
            .Where(l => !echoed.Contains(l.Trim()) && !EditHeader.IsMatch(l.Trim())).ToList();
        int first = lines.FindIndex(l => LoadError.IsMatch(l));
        return first < 0 ? "" : string.Join('\n', lines.Skip(first).Where(l => l.Trim().Length > 0));
    }

    public override async Task<string> CompareAsync(CancellationToken ct)
    {
        try
        {
            await EnterAsync(ct);
            var diff = await Session.SendCommandAsync("show | compare", ct);
            await LeaveAsync(ct);
            return DiffFormat.Normalize(WithoutTrailingEdit(diff), _ => false);
        }
        catch (Exception failure) when (_loaded)
        {
            await DiscardAfterFailureAsync(failure);
            throw;
        }
    }

    public override async Task CommitAsync(CancellationToken ct, TimeSpan? confirmWithin = null)
    {
        var command = confirmWithin is { } t
            ? "commit confirmed " + Math.Max(1, (int)Math.Ceiling(t.TotalMinutes)).ToString(CultureInfo.InvariantCulture)
            : "commit";
        try
        {
            await EnterAsync(ct);
            // A refused commit ("error: configuration check-out failed") applies nothing; the candidate goes too.
            await Session.SendCommandAsync(command, ct, new CliCommandOptions { Timeout = Target.Timeouts.Command * 2, PromptMayChange = true });
            await LeaveAsync(ct);
            _loaded = false;
        }
        catch (Exception failure)
        {
            await DiscardAfterFailureAsync(failure);
            throw;
        }
    }

    public override async Task ConfirmCommitAsync(CancellationToken ct) => await CommitAsync(ct);

    public override async Task DiscardAsync(CancellationToken ct)
    {
        await DiscardCandidateAsync(ct);
        _loaded = false;
    }

    public override async Task RollbackAsync(CancellationToken ct)
    {
        _loaded = true;
        try
        {
            await EnterAsync(ct);
            await Session.SendCommandAsync("rollback 1", ct);
        }
        catch (Exception failure)
        {
            await DiscardAfterFailureAsync(failure);
            throw;
        }
        await CommitAsync(ct);
    }

    public bool HasCandidate => _loaded;

    /// <summary>A candidate loaded and neither committed nor discarded is discarded when the connection closes.</summary>
    public override async ValueTask DisposeAsync()
    {
        if (_loaded)
        {
            _loaded = false;
            await ConfigUndo.TryAsync(this, (d, t) => d.DiscardCandidateAsync(t));
        }
        await base.DisposeAsync();
    }

    private async Task DiscardAfterFailureAsync(Exception failure)
    {
        _loaded = false;
        await ConfigUndo.AfterFailureAsync(this, failure, "discarding the candidate (rollback 0)", (d, t) => d.DiscardCandidateAsync(t));
    }

    private async Task DiscardCandidateAsync(CancellationToken ct)
    {
        await EnterAsync(ct);
        await Session.SendCommandAsync("rollback 0", ct);
        await LeaveAsync(ct);
    }

    private Task EnterAsync(CancellationToken ct) => Session.EnterConfigModeAsync(ct);

    private async Task LeaveAsync(CancellationToken ct)
    {
        if (Session.InConfigMode)
        {
            await Session.SendCommandAsync(Profile.ConfigExit, ct, ExitOptions);
        }
    }

    private static string WithoutTrailingEdit(string reply) =>
        Regex.Replace(reply, @"\n*\[edit\]\s*$", "", RegexOptions.CultureInvariant);

    private static string WithoutEditHeaders(string reply) => EditHeader.Replace(reply, "").Trim('\n');
}
