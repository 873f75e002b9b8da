using eNMS.Drivers.Cli;

namespace eNMS.Drivers.Platforms;

/// <summary>
/// Dell SmartFabric OS10: lines typed in <c>configure terminal</c> apply at once, unless the session is in transaction
/// mode (<c>start transaction</c>), where they go into a candidate configuration that <c>commit</c> applies whole
/// and <c>discard</c> drops. A push is one transaction: a refused line (or a commit refused by OS10's validation) is
/// discarded on the same connection; a connection that died or was cancelled mid-line is closed at once and takes its
/// uncommitted candidate with it (OS10 keeps one per session), so there is nothing to undo on a new one.
/// </summary>
public sealed class DellOs10Driver(CliSession session, PlatformProfile platform) : CliDriver(session, platform)
{
    /// <summary>Whether this connection started a transaction not yet committed or discarded.</summary>
    private bool _inTransaction;

    public override async Task<string> SendConfigAsync(IEnumerable<string> lines, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(lines);
        await Session.ExitConfigModeAsync(ct);
        await Session.SendCommandAsync("start transaction", ct);
        _inTransaction = true;
        var committing = false;
        try
        {
            var replies = await base.SendConfigAsync(lines, ct);
            committing = true;
            // A hostname in the candidate renames the prompt when it is committed. A commit OS10 refuses (a validation
            // failure) answers "% Error: ..." and leaves the transaction open: it is discarded below.
            var committed = await Session.SendCommandAsync("commit", ct,
                CliCommandOptions.PromptChanging with { Timeout = Target.Timeouts.Command * 2 });
            _inTransaction = false;
            return string.Join('\n', new[] { replies, committed }.Where(r => r.Length > 0));
        }
        catch (Exception failure) when (IsUsable)
        {
            await ConfigUndo.AfterFailureAsync(this, failure, "discarding the transaction", (d, t) => d.DiscardTransactionAsync(t));
            throw;
        }
        catch (DeviceException lost) when (lost is DeviceConnectionException or DeviceTimeoutException)
        {
            // The switch keeps the candidate with the session: closing the session discards it (unless the commit
            // had gone out, whose outcome nobody saw).
            _inTransaction = false;
            await CloseIfUnusableAsync();
            throw LostWith(lost, committing
                ? "; the commit got no answer: the transaction applied whole or not at all, read the running configuration to know which"
                : "; the transaction was never committed and OS10 discards it with the session: nothing of this push applied");
        }
        catch (OperationCanceledException)
        {
            _inTransaction = false;
            await CloseIfUnusableAsync();
            throw;
        }
    }

    /// <summary>Back to EXEC mode, then <c>discard</c>; only on the connection that started the transaction (the fresh
    /// one <see cref="ConfigUndo"/> opens when this one broke while discarding has none: the switch dropped the
    /// candidate with the broken session).</summary>
    private async Task DiscardTransactionAsync(CancellationToken ct)
    {
        if (!_inTransaction)
        {
            return;
        }
        await Session.ExitConfigModeAsync(ct);
        await Session.SendCommandAsync("discard", ct);
        _inTransaction = false;
    }
}
