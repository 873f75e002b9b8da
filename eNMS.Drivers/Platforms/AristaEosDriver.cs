using System.Globalization;
using System.Text.RegularExpressions;
using eNMS.Drivers.Cli;

namespace eNMS.Drivers.Platforms;

/// <summary>
/// Arista EOS. A candidate is a named configure session (<c>rollback clean-config</c> first for a replace), compared
/// with <c>show session-config diffs</c>, committed with an optional <c>commit timer</c>; the running configuration is
/// copied to flash before each commit so rollback is a <c>configure replace</c> back to it. Sessions are named
/// <c>enms-</c> + 8 hex digits so they are recognisable as ours: every failure (a refused line, a drop, a cancellation)
/// aborts the session, on a fresh connection when this one is gone, and when EOS refuses a new session because five
/// are pending, our own abandoned ones (no terminal inside) are deleted and the session is opened again.
/// </summary>
public sealed partial class AristaEosDriver(CliSession session, PlatformProfile platform) : CliDriver(session, platform)
{
    private const string RollbackFile = "flash:enms-rollback.cfg";
    private const string SessionLimit = "Maximum number of pending sessions";

    private string? _session;
    private string? _pendingConfirm;

    /// <summary>Config lines go through a session too: all of them apply, or none.</summary>
    public override async Task<string> SendConfigAsync(IEnumerable<string> lines, CancellationToken ct)
    {
        await LoadCandidateAsync(string.Join('\n', lines), ConfigLoadMode.Merge, ct);
        await CommitAsync(ct);
        return "";
    }

    public override async Task LoadCandidateAsync(string config, ConfigLoadMode mode, CancellationToken ct)
    {
        if (_session is not null)
        {
            await DiscardAsync(ct);
        }
        var name = "enms-" + Guid.NewGuid().ToString("N")[..8];
        _session = name;
        try
        {
            await EnterSessionAsync(name, ct);
            if (mode is ConfigLoadMode.Replace)
            {
                await Session.SendCommandAsync("rollback clean-config", ct);
            }
            foreach (var line in Lines(config))
            {
                await Session.SendCommandAsync(line, ct);
            }
            await Session.SendCommandAsync("end", ct);
        }
        catch (Exception failure)
        {
            await AbortAfterFailureAsync(failure);
            throw;
        }
    }

    public override async Task<string> CompareAsync(CancellationToken ct)
    {
        var name = _session ?? throw new InvalidOperationException($"{Target.Name}: no candidate loaded");
        try
        {
            var diff = await Session.SendCommandAsync($"show session-config named {name} diffs", ct);
            return DiffFormat.Normalize(diff, l => l.StartsWith("---", StringComparison.Ordinal)
                || l.StartsWith("+++", StringComparison.Ordinal) || l.StartsWith("@@", StringComparison.Ordinal));
        }
        catch (Exception failure)
        {
            await AbortAfterFailureAsync(failure);
            throw;
        }
    }

    public override async Task CommitAsync(CancellationToken ct, TimeSpan? confirmWithin = null)
    {
        var name = _session ?? throw new InvalidOperationException($"{Target.Name}: no candidate loaded");
        try
        {
            await Session.SendCommandAsync($"copy running-config {RollbackFile}", ct);
            await EnterSessionAsync(name, ct);
            if (confirmWithin is { } timer)
            {
                await Session.SendCommandAsync("commit timer " + timer.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture), ct, CliCommandOptions.PromptChanging);
                _pendingConfirm = name;
            }
            else
            {
                await Session.SendCommandAsync("commit", ct, CliCommandOptions.PromptChanging);
            }
            if (Session.InConfigMode)
            {
                throw new DeviceCommandException(Target.Name, "commit", $"still in the session: prompt is '{Session.CurrentPrompt}'");
            }
            _session = null;
        }
        catch (Exception failure)
        {
            await AbortAfterFailureAsync(failure);
            throw;
        }
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
            _session = null;
            await AbortSessionAsync(name, ct);
        }
    }

    public override async Task RollbackAsync(CancellationToken ct)
    {
        await Session.SendCommandAsync($"configure replace {RollbackFile}", ct, CliCommandOptions.PromptChanging);
    }

    /// <summary>A session loaded and neither committed nor discarded is aborted when the connection closes.</summary>
    public override async ValueTask DisposeAsync()
    {
        if (_session is { } name)
        {
            _session = null;
            await ConfigUndo.TryAsync(this, (d, t) => d.AbortSessionAsync(name, t));
        }
        await base.DisposeAsync();
    }

    /// <summary>Enters (creating it if needed) the session; when EOS has no room for another pending one, deletes
    /// our own abandoned sessions and tries once more.</summary>
    private async Task EnterSessionAsync(string name, CancellationToken ct)
    {
        var command = $"configure session {name}";
        var reply = await Session.SendCommandAsync(command, ct);
        if (!Session.InConfigMode && reply.Contains(SessionLimit, StringComparison.OrdinalIgnoreCase))
        {
            await ForgetAbandonedSessionsAsync(ct);
            reply = await Session.SendCommandAsync(command, ct);
        }
        if (!Session.InConfigMode)
        {
            throw new DeviceCommandException(Target.Name, command, reply.Length > 0 ? reply : $"no session entered: prompt is '{Session.CurrentPrompt}'");
        }
    }

    /// <summary>Deletes pending sessions named like ours that no terminal is inside (left by a run that died).</summary>
    private async Task ForgetAbandonedSessionsAsync(CancellationToken ct)
    {
        foreach (var name in AbandonedSessions(await Session.SendCommandAsync("show configuration sessions", ct)))
        {
            await Session.SendCommandAsync($"no configure session {name}", ct);
        }
    }

    /// <summary>Our sessions (<c>enms-xxxxxxxx</c>) in <c>show configuration sessions</c> that are pending with an
    /// empty Terminal column.</summary>
    internal static IReadOnlyList<string> AbandonedSessions(string table)
    {
        var lines = table.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        int terminal = lines.Select(l => l.IndexOf("Terminal", StringComparison.Ordinal)).FirstOrDefault(i => i >= 0, -1);
        return [.. lines.Select(l => (Line: l, Match: OurSessionRow().Match(l)))
            .Where(r => r.Match.Success && (terminal < 0 || r.Line.Length <= terminal || r.Line[terminal..].Trim().Length == 0))
            .Select(r => r.Match.Groups[1].Value)];
    }

    private async Task AbortAfterFailureAsync(Exception failure)
    {
        if (_session is { } name)
        {
            _session = null;
            await ConfigUndo.AfterFailureAsync(this, failure, $"aborting configure session {name}", (d, t) => d.AbortSessionAsync(name, t));
        }
    }

    /// <summary>Inside the session: <c>abort</c>. Elsewhere (another connection, exec mode):
    /// <c>no configure session NAME</c>, which a session that was never created answers with "not found".</summary>
    private async Task AbortSessionAsync(string name, CancellationToken ct)
    {
        if (Session.InConfigMode)
        {
            await Session.SendCommandAsync("abort", ct, CliCommandOptions.PromptChanging);
            if (!Session.InConfigMode)
            {
                return;
            }
            await Session.SendCommandAsync("end", ct);
        }
        var reply = await Session.SendCommandAsync($"no configure session {name}", ct, new CliCommandOptions { CheckErrors = false });
        if (Profile.Error.IsMatch(reply) || (reply.Contains('%', StringComparison.Ordinal) && !reply.Contains("not found", StringComparison.OrdinalIgnoreCase)))
        {
            throw new DeviceCommandException(Target.Name, $"no configure session {name}", reply);
        }
    }

    private static IEnumerable<string> Lines(string config) =>
        config.Replace("\r", "", StringComparison.Ordinal).Split('\n')
            .Select(l => l.TrimEnd()).Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('!') && l.Trim() != "end");

    [GeneratedRegex(@"^\s*(enms-[0-9a-f]{8})\s+pending\s", RegexOptions.CultureInvariant)]
    private static partial Regex OurSessionRow();
}
