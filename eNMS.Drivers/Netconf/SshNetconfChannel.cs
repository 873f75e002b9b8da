using System.Reflection;
using System.Threading.Channels;
using eNMS.Drivers.Cli;
using Renci.SshNet;

namespace eNMS.Drivers.Netconf;

/// <summary>
/// The SSH <c>netconf</c> subsystem (RFC 6242) over SSH.NET, with the same host key check, logins and jump host as
/// the CLI sessions. SSH.NET opens subsystem channels only for its own clients: its public <c>NetConfClient</c>
/// announces NETCONF 1.0 only, parses replies into unbounded <c>XmlDocument</c>s and cannot be cancelled, so this
/// class opens the channel through SSH.NET's internal session API (<see cref="SubsystemApi"/>), checked once against
/// the SSH.NET version in use.
/// </summary>
public sealed class SshNetconfChannel : INetconfChannel
{
    private readonly SshClient _client;
    private readonly SshClient? _jump;
    private readonly ForwardedPortLocal? _forward;
    private readonly object _channel;
    private readonly Channel<byte[]> _incoming = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private ReadOnlyMemory<byte> _current;
    private int _disposed;

    private SshNetconfChannel(SshClient client, SshClient? jump, ForwardedPortLocal? forward, object channel)
    {
        (_client, _jump, _forward, _channel) = (client, jump, forward, channel);
    }

    /// <summary>Connects (through the jump host if any), checks the host key under host:port, logs in and opens the
    /// <c>netconf</c> subsystem.</summary>
    /// <exception cref="DeviceConnectionException">The server has no <c>netconf</c> subsystem on that port.</exception>
    public static Task<INetconfChannel> ConnectAsync(DeviceTarget target, KnownHosts knownHosts, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        DocumentationAddresses.ThrowIfContains(target.Name, target.Host);
        if (target.Jump is { } jumpHost)
        {
            DocumentationAddresses.ThrowIfContains(target.Name, jumpHost.Host);
        }
        // SSH.NET blocks the calling thread for the handshake and the channel requests (see SshShell).
        return Task.Factory.StartNew<INetconfChannel>(() => Connect(target, knownHosts, ct), ct,
            TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);
    }

    private static SshNetconfChannel Connect(DeviceTarget target, KnownHosts knownHosts, CancellationToken ct)
    {
        var api = SubsystemApi.Instance;
        SshClient? jump = null;
        ForwardedPortLocal? forward = null;
        SshClient? client = null;
        object? channel = null;
        try
        {
            var (host, port) = (target.Host, target.Port);
            if (target.Jump is { } j)
            {
                jump = SshShell.OpenClient(info => new SshClient(info), target.Name + " (jump host)", j.Host, j.Port, j.Credential,
                    KnownHosts.KeyFor(j.Host, j.Port), knownHosts, target.Timeouts.Connect, ct);
                forward = new ForwardedPortLocal("127.0.0.1", 0, target.Host, (uint)target.Port);
                jump.AddForwardedPort(forward);
                forward.Start();
                (host, port) = ("127.0.0.1", (int)forward.BoundPort);
            }
            client = SshShell.OpenClient(info => new SshClient(info), target.Name, host, port, target.Credential,
                KnownHosts.KeyFor(target.Host, target.Port), knownHosts, target.Timeouts.Connect, ct);
            ct.ThrowIfCancellationRequested();
            channel = api.CreateChannel(client);
            var result = new SshNetconfChannel(client, jump, forward, channel);
            api.Subscribe(channel, result.OnData, result.OnClosed);
            client.ErrorOccurred += (_, _) => result.OnClosed();
            jump?.ErrorOccurred += (_, _) => result.OnClosed();
            api.Open(channel);
            if (!api.RequestSubsystem(channel, "netconf"))
            {
                throw new DeviceConnectionException(target.Name, $"{target.Host}:{target.Port} refused the 'netconf' SSH subsystem " +
                    "(NETCONF is not enabled there, or listens on another port)");
            }
            return result;
        }
        catch (Exception ex) when (ex is Renci.SshNet.Common.SshException or IOException or TargetInvocationException)
        {
            (channel as IDisposable)?.Dispose();
            client?.Dispose();
            forward?.Dispose();
            jump?.Dispose();
            var cause = ex is TargetInvocationException { InnerException: { } inner } ? inner : ex;
            throw new DeviceConnectionException(target.Name, $"cannot open the NETCONF subsystem on {target.Host}:{target.Port}: {cause.Message}", cause);
        }
        catch
        {
            (channel as IDisposable)?.Dispose();
            client?.Dispose();
            forward?.Dispose();
            jump?.Dispose();
            throw;
        }
    }

    private void OnData(ArraySegment<byte> data) => _incoming.Writer.TryWrite(data.ToArray());

    private void OnClosed() => _incoming.Writer.TryComplete();

    public ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (Volatile.Read(ref _disposed) != 0 || !_client.IsConnected)
        {
            throw new IOException("the NETCONF channel is closed");
        }
        SubsystemApi.Instance.Send(_channel, bytes.ToArray());
        return ValueTask.CompletedTask;
    }

    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct)
    {
        while (_current.IsEmpty)
        {
            if (!await _incoming.Reader.WaitToReadAsync(ct))
            {
                return 0;
            }
            if (_incoming.Reader.TryRead(out var next))
            {
                _current = next;
            }
        }
        int count = Math.Min(buffer.Length, _current.Length);
        _current[..count].CopyTo(buffer);
        _current = _current[count..];
        return count;
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _incoming.Writer.TryComplete();
            (_channel as IDisposable)?.Dispose();
            _client.Dispose();
            _forward?.Dispose();
            _jump?.Dispose();
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>SSH.NET's internal channel API (<c>BaseClient.Session</c>, <c>ISession.CreateChannelSession</c>,
    /// <c>IChannelSession.Open/SendSubsystemRequest</c>, <c>IChannel.SendData/DataReceived/Closed</c>), resolved
    /// once; a version of SSH.NET without these members fails every NETCONF connection saying so.</summary>
    internal sealed class SubsystemApi
    {
        private static readonly Lazy<SubsystemApi> Lazy = new(() => new SubsystemApi());
        private readonly PropertyInfo _session;
        private readonly MethodInfo _createChannel;
        private readonly MethodInfo _open;
        private readonly MethodInfo _subsystem;
        private readonly MethodInfo _send;
        private readonly EventInfo _dataReceived;
        private readonly EventInfo _closed;
        private readonly EventInfo _exception;
        private readonly PropertyInfo _data;

        public static SubsystemApi Instance => Lazy.Value;

        private SubsystemApi()
        {
            var assembly = typeof(BaseClient).Assembly;
            Type Type(string name) => assembly.GetType(name) ?? throw Missing(name);
            var session = Type("Renci.SshNet.ISession");
            var channelSession = Type("Renci.SshNet.Channels.IChannelSession");
            var channel = Type("Renci.SshNet.Channels.IChannel");
            _session = typeof(BaseClient).GetProperty("Session", BindingFlags.Instance | BindingFlags.NonPublic) ?? throw Missing("BaseClient.Session");
            _createChannel = session.GetMethod("CreateChannelSession") ?? throw Missing("ISession.CreateChannelSession");
            _open = channelSession.GetMethod("Open") ?? throw Missing("IChannelSession.Open");
            _subsystem = channelSession.GetMethod("SendSubsystemRequest") ?? throw Missing("IChannelSession.SendSubsystemRequest");
            _send = channel.GetMethod("SendData", [typeof(byte[])]) ?? throw Missing("IChannel.SendData");
            _dataReceived = channel.GetEvent("DataReceived") ?? throw Missing("IChannel.DataReceived");
            _closed = channel.GetEvent("Closed") ?? throw Missing("IChannel.Closed");
            _exception = channel.GetEvent("Exception") ?? throw Missing("IChannel.Exception");
            _data = Type("Renci.SshNet.Common.ChannelDataEventArgs").GetProperty("Data") ?? throw Missing("ChannelDataEventArgs.Data");
        }

        private static NotSupportedException Missing(string member) =>
            new($"NETCONF needs SSH.NET's channel API ({member}), which SSH.NET {typeof(BaseClient).Assembly.GetName().Version} lacks");

        public object CreateChannel(SshClient client) =>
            _createChannel.Invoke(_session.GetValue(client) ?? throw new IOException("the SSH session is not connected"), null)!;

        public void Open(object channel) => _open.Invoke(channel, null);

        public bool RequestSubsystem(object channel, string name) => (bool)_subsystem.Invoke(channel, [name])!;

        public void Send(object channel, byte[] data) => _send.Invoke(channel, [data]);

        public void Subscribe(object channel, Action<ArraySegment<byte>> onData, Action onClosed)
        {
            // The events' argument types are internal: handlers taking EventArgs bind to them (parameter contravariance).
            var data = new Relay(args => onData((ArraySegment<byte>)_data.GetValue(args)!));
            var closed = new Relay(_ => onClosed());
            _dataReceived.AddEventHandler(channel, Delegate.CreateDelegate(_dataReceived.EventHandlerType!, data, Relay.Method));
            _closed.AddEventHandler(channel, Delegate.CreateDelegate(_closed.EventHandlerType!, closed, Relay.Method));
            _exception.AddEventHandler(channel, Delegate.CreateDelegate(_exception.EventHandlerType!, closed, Relay.Method));
        }

        private sealed class Relay(Action<EventArgs> action)
        {
            public static readonly MethodInfo Method = typeof(Relay).GetMethod(nameof(Handle))!;

            public void Handle(object? sender, EventArgs args) => action(args);
        }
    }
}
