using eNMS.Core.Automation.Execution;
using eNMS.Core.Text;
using eNMS.Drivers;
using eNMS.Drivers.Netconf;

namespace eNMS.Core.Automation.Handlers;

/// <summary>Where <c>netconf_edit</c> writes.</summary>
public enum NetconfEditTarget
{
    /// <summary>The candidate, then commit (needs <c>:candidate</c>).</summary>
    Candidate,

    /// <summary>The running datastore directly (needs <c>:writable-running</c>; no dry run, no confirmed commit).</summary>
    Running,
}

public sealed class NetconfEditParameters
{
    /// <summary>The XML payload (the content of <c>&lt;config&gt;</c>, or a whole <c>&lt;config&gt;</c>), a Liquid template.</summary>
    public string Config { get; set; } = "";
    public NetconfEditTarget Target { get; set; } = NetconfEditTarget.Candidate;
    public NetconfDefaultOperation DefaultOperation { get; set; } = NetconfDefaultOperation.Merge;
    /// <summary>Edit and validate the candidate, show the diff, then discard: nothing is committed.</summary>
    public bool DryRun { get; set; }
    /// <summary>Above 0, a confirmed commit: the server reverts unless eNMS confirms within this time, which it does
    /// once the device still answers after the change.</summary>
    public int ConfirmTimeoutSeconds { get; set; }
    /// <summary>Lock the target datastore for the edit (released whatever happens).</summary>
    public bool Lock { get; set; } = true;
    /// <summary>The NETCONF port (a device's <c>netconf_port</c> property wins).</summary>
    public int Port { get; set; } = 830;
}

/// <summary>
/// <c>netconf_edit</c>: lock → <c>get-config</c> (before) → <c>edit-config</c> → (dry run: <c>validate</c>) →
/// <c>get-config</c> (after) → diff → commit (confirmed when asked) or, for a dry run or no difference,
/// <c>discard-changes</c> → unlock. A refused edit, a failed validation or a refused commit discards the candidate;
/// the lock is released on every path (and by the server when the session ends, with the candidate's uncommitted
/// changes).
/// </summary>
public sealed class NetconfEditHandler : ServiceHandler<NetconfEditParameters>
{
    protected override bool ChangesDevices(NetconfEditParameters p) => !p.DryRun;

    public override string Kind => "netconf_edit";

    public override string Description => "Edits the configuration over NETCONF (candidate and commit, or running), with a dry run and confirmed commit (real devices only).";

    protected override NetconfEditParameters ExampleParameters => new() { Config = "<system xmlns=\"urn:ietf:params:xml:ns:yang:ietf-system\"><location>{{ device.location }}</location></system>", DryRun = true };

    protected override string? Validate(NetconfEditParameters p)
    {
        if (string.IsNullOrWhiteSpace(p.Config))
        {
            return "Give the XML configuration to edit.";
        }
        if (p.Port is < 1 or > 65535)
        {
            return "The port must be between 1 and 65535.";
        }
        if (p.ConfirmTimeoutSeconds < 0)
        {
            return "The confirm timeout cannot be negative.";
        }
        if (p.Target == NetconfEditTarget.Running && (p.DryRun || p.ConfirmTimeoutSeconds > 0))
        {
            return "A dry run and a confirmed commit need the candidate datastore: set the target to Candidate.";
        }
        if (!Templates.TemplateRenderer.IsTemplate(p.Config))
        {
            try
            {
                NetconfPayloads.ConfigElement(p.Config);
            }
            catch (ArgumentException e)
            {
                return e.Message;
            }
        }
        return Templates.TemplateRenderer.Check(p.Config);
    }

    protected override async Task<ServiceResult> ExecuteAsync(ServiceContext context, NetconfEditParameters p, CancellationToken ct)
    {
        var config = await context.RenderAsync(p.Config);
        try
        {
            NetconfPayloads.ConfigElement(config);
        }
        catch (ArgumentException e)
        {
            return ServiceResult.Fail(e.Message + " Nothing was sent.", config);
        }
        await using var session = await context.ConnectNetconfAsync(p.Port, ct);
        var netconf = session.Netconf;
        var candidate = p.Target == NetconfEditTarget.Candidate;
        if (Unsupported(netconf, p) is { } missing)
        {
            return ServiceResult.Fail(missing + " Nothing was sent.");
        }
        var datastore = candidate ? NetconfDatastore.Candidate : NetconfDatastore.Running;
        bool locked = false, pending = false;
        try
        {
            if (p.Lock)
            {
                await netconf.LockAsync(datastore, ct);
                locked = true;
            }
            var before = NetconfXml.Indented(await netconf.GetConfigAsync(datastore, null, ct));
            // Pending before the call: a refused edit may have left part of it in the candidate.
            pending = candidate;
            await netconf.EditConfigAsync(datastore, config, p.DefaultOperation, ct);
            // Only a dry run validates explicitly: a commit validates the candidate itself and refuses it whole when it
            // does not (RFC 6241 §8.3.4.1), one round trip fewer. netconfd 2.13 even skips a commit that follows a
            // <validate> (it answers ok and leaves running as it was).
            if (candidate && p.DryRun && netconf.HasValidate)
            {
                try
                {
                    await netconf.ValidateAsync(NetconfDatastore.Candidate, ct);
                }
                catch (NetconfRpcException e)
                {
                    var refused = NetconfXml.Indented(await netconf.GetConfigAsync(datastore, null, ct));
                    return ServiceResult.Fail($"Validation failed, the candidate was discarded: {e.Message}", diff: LineDiff.Unified(before, refused));
                }
            }
            var after = NetconfXml.Indented(await netconf.GetConfigAsync(datastore, null, ct));
            var diff = LineDiff.Unified(before, after);
            if (!candidate)
            {
                return ServiceResult.Ok(diff.Length == 0 ? "Already compliant: no change" : "Applied to the running datastore",
                    changed: diff.Length > 0, data: Data(netconf, p, committed: diff.Length > 0), diff: diff);
            }
            if (p.DryRun || diff.Length == 0)
            {
                return ServiceResult.Ok(diff.Length == 0 ? "Already compliant: no change" : "Dry run: validated, the candidate was discarded",
                    data: Data(netconf, p, committed: false), diff: diff);
            }
            return await CommitAsync(context, netconf, p, diff, () => pending = false, ct);
        }
        catch (NetconfRpcException e)
        {
            return ServiceResult.Fail(e.Message + (pending ? "; the candidate was discarded" : ""), data: new { tag = e.Tag, errors = e.Errors });
        }
        finally
        {
            await ReleaseAsync(context, netconf, datastore, pending, locked);
        }
    }

    private static async Task<ServiceResult> CommitAsync(ServiceContext context, NetconfSession netconf, NetconfEditParameters p, string diff,
        Action committed, CancellationToken ct)
    {
        try
        {
            await netconf.CommitAsync(p.ConfirmTimeoutSeconds > 0 ? TimeSpan.FromSeconds(p.ConfirmTimeoutSeconds) : null, ct);
        }
        catch (NetconfRpcException e)
        {
            return ServiceResult.Fail($"The commit was refused (the candidate does not validate), the candidate was discarded and nothing changed: {e.Message}",
                data: new { tag = e.Tag, errors = e.Errors }, diff: diff);
        }
        committed();
        if (p.ConfirmTimeoutSeconds <= 0)
        {
            return ServiceResult.Ok("Committed", changed: true, data: Data(netconf, p, committed: true), diff: diff);
        }
        try
        {
            // The same session still answering after the change is what the confirmation vouches for: a change that
            // cuts it off ends the session, and the server reverts at once (RFC 6241 §8.4).
            await netconf.GetConfigAsync(NetconfDatastore.Running, null, ct);
            await netconf.CommitAsync(null, ct);
        }
        catch (DeviceException e)
        {
            context.Log($"confirmed commit not confirmed: {e.Message}", "warning");
            return ServiceResult.Fail($"Committed with a {p.ConfirmTimeoutSeconds} s confirm timeout, but the device stopped answering " +
                $"before the confirmation: the server reverts the change ({e.Message})", diff: diff);
        }
        return ServiceResult.Ok($"Committed (confirmed commit, {p.ConfirmTimeoutSeconds} s timeout, confirmed)", changed: true,
            data: Data(netconf, p, committed: true), diff: diff);
    }

    /// <summary>Why the server cannot do what the parameters ask, before anything is sent; null when it can.</summary>
    private static string? Unsupported(NetconfSession netconf, NetconfEditParameters p)
    {
        if (p.Target == NetconfEditTarget.Candidate && !netconf.HasCandidate)
        {
            return $"The NETCONF server does not announce :candidate ({NetconfSession.CandidateCapability}): it has no candidate datastore" +
                (netconf.HasWritableRunning ? "; it announces :writable-running, so set the target to Running (no dry run there)." : ".");
        }
        if (p.Target == NetconfEditTarget.Running && !netconf.HasWritableRunning)
        {
            return "The NETCONF server does not announce :writable-running: the running datastore cannot be edited directly" +
                (netconf.HasCandidate ? "; set the target to Candidate." : ".");
        }
        if (p.ConfirmTimeoutSeconds > 0 && !netconf.HasConfirmedCommit)
        {
            return "The NETCONF server does not announce :confirmed-commit: it cannot revert by itself; set the confirm timeout to 0.";
        }
        return null;
    }

    /// <summary>Discards what was not committed and unlocks, on every path; a failure here is logged, not thrown, so
    /// that it does not hide the result (the server discards and unlocks anyway when the session ends).</summary>
    private static async Task ReleaseAsync(ServiceContext context, NetconfSession netconf, NetconfDatastore datastore, bool discard, bool unlock)
    {
        if (!netconf.IsUsable)
        {
            return;
        }
        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(30), context.Time);
        try
        {
            if (discard)
            {
                await netconf.DiscardChangesAsync(bounded.Token);
            }
        }
        catch (Exception e) when (e is DeviceException or OperationCanceledException)
        {
            context.Log($"discard-changes failed: {e.Message} (the server discards when the session ends)", "warning");
        }
        try
        {
            if (unlock)
            {
                await netconf.UnlockAsync(datastore, bounded.Token);
            }
        }
        catch (Exception e) when (e is DeviceException or OperationCanceledException)
        {
            context.Log($"unlock failed: {e.Message} (the server releases the lock when the session ends)", "warning");
        }
    }

    private static object Data(NetconfSession netconf, NetconfEditParameters p, bool committed) => new
    {
        target = p.Target.ToString().ToLowerInvariant(),
        committed,
        dryRun = p.DryRun,
        confirmTimeoutSeconds = p.ConfirmTimeoutSeconds,
        sessionId = netconf.SessionId,
        warnings = netconf.Warnings.Select(w => w.ToString()).ToList(),
    };
}
