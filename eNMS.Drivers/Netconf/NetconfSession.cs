using System.Globalization;
using System.Xml.Linq;

namespace eNMS.Drivers.Netconf;

/// <summary>
/// A NETCONF client session (RFC 6241 over RFC 6242): hello and capabilities, then one RPC at a time with
/// message-id checks, bounded replies, a time limit per reply (the target's command timeout) and cancellation.
/// Replies with <c>rpc-error</c>s of severity error raise <see cref="NetconfRpcException"/>; operations that need a
/// capability the server did not announce raise <see cref="NetconfCapabilityException"/> before sending anything.
/// </summary>
public sealed partial class NetconfSession : IAsyncDisposable
{
    public static readonly XNamespace Base = "urn:ietf:params:xml:ns:netconf:base:1.0";
    public const string Base10 = "urn:ietf:params:netconf:base:1.0";
    public const string Base11 = "urn:ietf:params:netconf:base:1.1";
    public const string CandidateCapability = "urn:ietf:params:netconf:capability:candidate:1.0";
    public const string ConfirmedCommit10 = "urn:ietf:params:netconf:capability:confirmed-commit:1.0";
    public const string ConfirmedCommit11 = "urn:ietf:params:netconf:capability:confirmed-commit:1.1";
    public const string Validate10 = "urn:ietf:params:netconf:capability:validate:1.0";
    public const string Validate11 = "urn:ietf:params:netconf:capability:validate:1.1";
    public const string WritableRunning = "urn:ietf:params:netconf:capability:writable-running:1.0";
    public const string StartupCapability = "urn:ietf:params:netconf:capability:startup:1.0";
    public const string XPathCapability = "urn:ietf:params:netconf:capability:xpath:1.0";
    public const string RollbackOnError = "urn:ietf:params:netconf:capability:rollback-on-error:1.0";

    private readonly INetconfChannel _channel;
    private readonly NetconfOptions _options;
    private readonly TimeProvider _time;
    private readonly NetconfFramer _framer;
    private readonly byte[] _readBuffer = new byte[32 * 1024];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private HashSet<string> _capabilityUris = [];
    private long _messageId;
    private bool _closed;

    private NetconfSession(INetconfChannel channel, DeviceTarget target, NetconfOptions options, TimeProvider time)
    {
        (_channel, Target, _options, _time) = (channel, target, options, time);
        _framer = new NetconfFramer(options.MaxReplyBytes);
    }

    public DeviceTarget Target { get; }

    /// <summary>The capabilities the server announced in its hello, as written (with their parameters).</summary>
    public IReadOnlyList<string> ServerCapabilities { get; private set; } = [];

    public string SessionId { get; private set; } = "";

    public NetconfFraming Framing => _framer.Framing;

    /// <summary>False after a timeout, a dropped channel or a framing error: open a new session.</summary>
    public bool IsUsable { get; private set; } = true;

    /// <summary>Warnings (<c>rpc-error</c>s of severity warning) the server added to successful replies.</summary>
    public List<NetconfError> Warnings { get; } = [];

    public bool Supports(string capability) => _capabilityUris.Contains(capability);

    public bool HasCandidate => Supports(CandidateCapability);

    public bool HasConfirmedCommit => Supports(ConfirmedCommit10) || Supports(ConfirmedCommit11);

    public bool HasValidate => Supports(Validate10) || Supports(Validate11);

    public bool HasWritableRunning => Supports(WritableRunning);

    /// <summary>Exchanges hellos on an open channel: 1.0 framing for the hellos, chunked afterwards when both
    /// peers announce <c>:base:1.1</c>.</summary>
    public static async Task<NetconfSession> OpenAsync(INetconfChannel channel, DeviceTarget target, NetconfOptions? options, TimeProvider? time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(target);
        var session = new NetconfSession(channel, target, options ?? new NetconfOptions(), time ?? TimeProvider.System);
        await session.HelloAsync(ct);
        return session;
    }

    private async Task HelloAsync(CancellationToken ct)
    {
        var hello = new XElement(Base + "hello", new XElement(Base + "capabilities",
            new XElement(Base + "capability", Base10),
            _options.AnnounceBase11 ? new XElement(Base + "capability", Base11) : null));
        await SendAsync(Declaration + hello.ToString(SaveOptions.DisableFormatting), "hello", ct);
        var serverHello = Parse(await ReceiveAsync("hello", Target.Timeouts.Read, ct), "hello");
        if (serverHello.Name != Base + "hello")
        {
            IsUsable = false;
            throw new DeviceException(Target.Name, $"the NETCONF server did not start with a hello but with <{serverHello.Name.LocalName}>");
        }
        ServerCapabilities = serverHello.Element(Base + "capabilities")?.Elements(Base + "capability").Select(c => c.Value.Trim()).ToList() ?? [];
        SessionId = serverHello.Element(Base + "session-id")?.Value.Trim() ?? "";
        // Capabilities compare without their parameters: "…:with-defaults:1.0?basic-mode=explicit" is ":with-defaults:1.0".
        _capabilityUris = ServerCapabilities.Select(c => c.Split('?')[0]).ToHashSet(StringComparer.Ordinal);
        if (!Supports(Base10) && !Supports(Base11))
        {
            IsUsable = false;
            throw new DeviceException(Target.Name, "the NETCONF server announced neither :base:1.0 nor :base:1.1");
        }
        if (_options.AnnounceBase11 && Supports(Base11))
        {
            _framer.Framing = NetconfFraming.Chunked;
        }
    }

    private const string Declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

    /// <summary>Sends one operation inside an <c>&lt;rpc&gt;</c> and returns the <c>&lt;rpc-reply&gt;</c>.</summary>
    /// <exception cref="NetconfRpcException">The reply carries errors.</exception>
    public async Task<XElement> RpcAsync(XElement operation, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var name = operation.Name.LocalName;
        await _gate.WaitAsync(ct);
        try
        {
            if (!IsUsable || _closed)
            {
                throw new DeviceConnectionException(Target.Name, $"the NETCONF session is {(_closed ? "closed" : "unusable after an earlier failure")}");
            }
            var id = (++_messageId).ToString(CultureInfo.InvariantCulture);
            var rpc = new XElement(Base + "rpc", new XAttribute("message-id", id), operation);
            await SendAsync(rpc.ToString(SaveOptions.DisableFormatting), name, ct);
            var reply = await ReceiveReplyAsync(name, first: id == "1", ct);
            if (reply.Name != Base + "rpc-reply")
            {
                IsUsable = false;
                throw new DeviceException(Target.Name, $"NETCONF {name}: expected <rpc-reply>, got <{reply.Name.LocalName}>");
            }
            if ((string?)reply.Attribute("message-id") != id)
            {
                // Replies no longer pair with requests: nothing read on this session can be trusted any more.
                IsUsable = false;
                throw new DeviceException(Target.Name, $"NETCONF {name}: the reply's message-id {(string?)reply.Attribute("message-id") ?? "(none)"} is not {id}");
            }
            var errors = reply.Elements(Base + "rpc-error").Select(NetconfError.Parse).ToList();
            if (errors.Any(e => e.IsError))
            {
                throw new NetconfRpcException(Target.Name, name, errors.Where(e => e.IsError).ToList());
            }
            Warnings.AddRange(errors);
            return reply;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary><c>get</c>: configuration and state; returns the <c>&lt;data&gt;</c> element.</summary>
    public async Task<XElement> GetAsync(NetconfFilter? filter, CancellationToken ct) =>
        Data(await RpcAsync(new XElement(Base + "get", NetconfPayloads.Filter(filter)), ct));

    /// <summary><c>get-config</c> of a datastore; returns the <c>&lt;data&gt;</c> element.</summary>
    public async Task<XElement> GetConfigAsync(NetconfDatastore source, NetconfFilter? filter, CancellationToken ct)
    {
        RequireDatastore(source, "get-config");
        return Data(await RpcAsync(new XElement(Base + "get-config", new XElement(Base + "source", Datastore(source)), NetconfPayloads.Filter(filter)), ct));
    }

    /// <summary><c>edit-config</c>: <paramref name="config"/> is XML (the content of <c>&lt;config&gt;</c>, or a whole
    /// <c>&lt;config&gt;</c> element). With <c>:rollback-on-error</c>, a refused edit leaves the datastore untouched.</summary>
    public Task EditConfigAsync(NetconfDatastore target, string config, NetconfDefaultOperation defaultOperation, CancellationToken ct)
    {
        if (target == NetconfDatastore.Running && !HasWritableRunning)
        {
            throw new NetconfCapabilityException(Target.Name, "the NETCONF server does not announce :writable-running: the running " +
                "datastore cannot be edited directly" + (HasCandidate ? " (edit the candidate and commit)" : ""));
        }
        RequireDatastore(target, "edit-config");
        var payload = NetconfPayloads.ConfigElement(config);
        return RpcAsync(new XElement(Base + "edit-config",
            new XElement(Base + "target", Datastore(target)),
            new XElement(Base + "default-operation", defaultOperation.ToString().ToLowerInvariant()),
            Supports(RollbackOnError) ? new XElement(Base + "error-option", "rollback-on-error") : null,
            payload), ct);
    }

    /// <summary><c>validate</c> a datastore (needs <c>:validate</c>).</summary>
    public Task ValidateAsync(NetconfDatastore source, CancellationToken ct)
    {
        if (!HasValidate)
        {
            throw new NetconfCapabilityException(Target.Name, "the NETCONF server does not announce :validate");
        }
        return RpcAsync(new XElement(Base + "validate", new XElement(Base + "source", Datastore(source))), ct);
    }

    /// <summary><c>commit</c> the candidate. With <paramref name="confirmTimeout"/>, a confirmed commit: the server
    /// reverts unless another commit comes within that time (and at once if this session ends first).</summary>
    public Task CommitAsync(TimeSpan? confirmTimeout, CancellationToken ct)
    {
        RequireCandidate("commit");
        if (confirmTimeout is { } timeout)
        {
            if (!HasConfirmedCommit)
            {
                throw new NetconfCapabilityException(Target.Name, "the NETCONF server does not announce :confirmed-commit: " +
                    "it cannot revert a commit by itself; commit without a confirm timeout");
            }
            var seconds = Math.Max(1, (long)Math.Ceiling(timeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return RpcAsync(new XElement(Base + "commit", new XElement(Base + "confirmed"), new XElement(Base + "confirm-timeout", seconds)), ct);
        }
        return RpcAsync(new XElement(Base + "commit"), ct);
    }

    /// <summary><c>discard-changes</c>: the candidate goes back to the running configuration.</summary>
    public Task DiscardChangesAsync(CancellationToken ct)
    {
        RequireCandidate("discard-changes");
        return RpcAsync(new XElement(Base + "discard-changes"), ct);
    }

    /// <summary><c>lock</c>; another session's lock is refused with tag <c>lock-denied</c> (its session-id in the message).</summary>
    public Task LockAsync(NetconfDatastore datastore, CancellationToken ct)
    {
        RequireDatastore(datastore, "lock");
        return RpcAsync(new XElement(Base + "lock", new XElement(Base + "target", Datastore(datastore))), ct);
    }

    public Task UnlockAsync(NetconfDatastore datastore, CancellationToken ct)
    {
        RequireDatastore(datastore, "unlock");
        return RpcAsync(new XElement(Base + "unlock", new XElement(Base + "target", Datastore(datastore))), ct);
    }

    /// <summary><c>close-session</c>: the server releases this session's locks and ends it.</summary>
    public async Task CloseAsync(CancellationToken ct)
    {
        if (_closed || !IsUsable)
        {
            return;
        }
        try
        {
            await RpcAsync(new XElement(Base + "close-session"), ct);
        }
        finally
        {
            _closed = true;
        }
    }

    /// <summary>Ends the session politely when it still works (close-session, at most a few seconds), then the channel.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_closed && IsUsable)
            {
                using var polite = new CancellationTokenSource(TimeSpan.FromSeconds(5), _time);
                await CloseAsync(polite.Token);
            }
        }
        catch (Exception e) when (e is DeviceException or OperationCanceledException or IOException)
        {
            // The server closes the session (and releases its locks) when the channel goes anyway.
        }
        finally
        {
            await _channel.DisposeAsync();
            _gate.Dispose();
        }
    }

    private void RequireDatastore(NetconfDatastore datastore, string operation)
    {
        if (datastore == NetconfDatastore.Candidate)
        {
            RequireCandidate(operation);
        }
        else if (datastore == NetconfDatastore.Startup && !Supports(StartupCapability))
        {
            throw new NetconfCapabilityException(Target.Name, $"NETCONF {operation}: the server does not announce :startup (no startup datastore)");
        }
    }

    private void RequireCandidate(string operation)
    {
        if (!HasCandidate)
        {
            throw new NetconfCapabilityException(Target.Name, $"NETCONF {operation}: the server does not announce :candidate " +
                $"({CandidateCapability}), so it has no candidate datastore" +
                (HasWritableRunning ? "; it announces :writable-running: edit the running datastore instead" : ""));
        }
    }

    private static XElement Datastore(NetconfDatastore datastore) => new(Base + datastore.ToString().ToLowerInvariant());

    private static XElement Data(XElement reply) => reply.Element(Base + "data") ?? new XElement(Base + "data");
}
