using eNMS.Drivers.Cli;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace eNMS.Drivers.Transfer;

/// <summary>How files travel over SSH: the <c>sftp</c> subsystem, or SCP (an <c>scp -t/-f</c> exec) for devices
/// without SFTP.</summary>
public enum FileTransferProtocol
{
    Sftp,
    Scp,
}

/// <summary>
/// One SSH connection copying files to and from a device over SFTP or SCP (SSH.NET's <see cref="SftpClient"/> and
/// <see cref="ScpClient"/>), with the same host key check, logins and jump host as the CLI sessions. Every failure is a
/// <see cref="DeviceException"/> naming the device and the reason (missing file, permission denied, subsystem refused,
/// size over the limit).
/// </summary>
public sealed class SshFileTransfer : IAsyncDisposable
{
    private readonly DeviceTarget _target;
    private readonly BaseClient _client;
    private readonly JumpTunnel? _tunnel;

    private SshFileTransfer(DeviceTarget target, FileTransferProtocol protocol, BaseClient client, JumpTunnel? tunnel) =>
        (_target, Protocol, _client, _tunnel) = (target, protocol, client, tunnel);

    public FileTransferProtocol Protocol { get; }

    /// <summary>Connects (through the jump host if any), checks the host key under host:port and logs in; for SFTP also
    /// starts the subsystem, so a server without it is reported here.</summary>
    public static Task<SshFileTransfer> ConnectAsync(DeviceTarget target, FileTransferProtocol protocol, KnownHosts knownHosts, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.Simulated)
        {
            throw new DeviceException(target.Name, "a simulated device has no files to transfer (the simulator answers CLI sessions only)");
        }
        if (target.Transport != CliTransport.Ssh)
        {
            throw new DeviceException(target.Name, $"files are transferred over SSH, and this device is reached over {target.Transport}");
        }
        DocumentationAddresses.ThrowIfContains(target.Name, target.Host);
        if (target.Jump is { } jumpHost)
        {
            DocumentationAddresses.ThrowIfContains(target.Name, jumpHost.Host);
        }
        // SSH.NET blocks the calling thread for the handshake and the subsystem request (see SshShell).
        return OffThread(() => Connect(target, protocol, knownHosts, ct), ct);
    }

    private static SshFileTransfer Connect(DeviceTarget target, FileTransferProtocol protocol, KnownHosts knownHosts, CancellationToken ct)
    {
        JumpTunnel? tunnel = null;
        BaseClient? client = null;
        try
        {
            var (host, port) = (target.Host, target.Port);
            if (target.Jump is not null)
            {
                tunnel = JumpTunnel.Open(target, knownHosts, ct);
                (host, port) = (tunnel.Host, tunnel.Port);
            }
            var hostKeyName = KnownHosts.KeyFor(target.Host, target.Port);
            client = protocol == FileTransferProtocol.Sftp
                ? SshShell.OpenClient(info => new SftpClient(info) { OperationTimeout = target.Timeouts.Command }, target.Name, host, port,
                    target.Credential, hostKeyName, knownHosts, target.Timeouts.Connect, ct)
                : SshShell.OpenClient(info => new ScpClient(info, PathQuoting(target.Platform)) { OperationTimeout = target.Timeouts.Command }, target.Name, host, port,
                    target.Credential, hostKeyName, knownHosts, target.Timeouts.Connect, ct);
            return new SshFileTransfer(target, protocol, client, tunnel);
        }
        catch (DeviceConnectionException ex) when (protocol == FileTransferProtocol.Sftp
            && ex.InnerException is SshException { Message: var message } && message.Contains("Subsystem", StringComparison.OrdinalIgnoreCase))
        {
            // SftpClient starts the subsystem inside Connect: the login worked, the subsystem did not.
            client?.Dispose();
            tunnel?.Dispose();
            throw new DeviceConnectionException(target.Name, $"{target.Host}:{target.Port} refused the SFTP subsystem ({message}): use SCP for this device", ex);
        }
        catch
        {
            client?.Dispose();
            tunnel?.Dispose();
            throw;
        }
    }

    /// <summary>How SCP quotes the remote path in the <c>scp -t/-f</c> command the server runs: a POSIX shell on Linux
    /// (nothing expanded, so a path cannot inject a command); double quotes elsewhere, the form device SCP servers
    /// parse (not proven against a real vendor server in the lab).</summary>
    private static IRemotePathTransformation PathQuoting(string platform) =>
        platform is "linux" ? RemotePathTransformation.ShellQuote : RemotePathTransformation.DoubleQuote;

    /// <summary>The size of a file on the device, or null when there is none. Over SCP, which cannot ask, null always:
    /// <see cref="CanStat"/> is false.</summary>
    public Task<long?> SizeOfAsync(string path, CancellationToken ct) =>
        _client is SftpClient sftp
            ? RunAsync(() => Guard(path, () => sftp.Exists(path) ? (long?)sftp.GetAttributes(path).Size : null), ct)
            : Task.FromResult<long?>(null);

    /// <summary>SFTP can tell whether a file exists and its size; SCP cannot.</summary>
    public bool CanStat => _client is SftpClient;

    /// <summary>Copies <paramref name="source"/> to <paramref name="path"/> on the device, replacing what is there.</summary>
    public Task PutAsync(Stream source, string path, CancellationToken ct) =>
        RunAsync(() => Guard(path, () =>
        {
            switch (_client)
            {
                case SftpClient sftp:
                    sftp.UploadFile(source, path, canOverride: true);
                    break;
                case ScpClient scp:
                    scp.Upload(source, path);
                    break;
            }
            return true;
        }), ct);

    /// <summary>Copies <paramref name="path"/> on the device into <paramref name="destination"/>, failing once more than
    /// <paramref name="maxBytes"/> arrived (SCP announces no size beforehand, so the limit is enforced while reading).</summary>
    public Task GetAsync(string path, Stream destination, long maxBytes, CancellationToken ct) =>
        RunAsync(() => Guard(path, () =>
        {
            using var limited = new LimitedStream(destination, maxBytes, _target.Name, path);
            switch (_client)
            {
                case SftpClient sftp:
                    sftp.DownloadFile(path, limited);
                    break;
                case ScpClient scp:
                    scp.Download(path, limited);
                    break;
            }
            return true;
        }), ct);

    /// <summary>SSH.NET's errors as the device's: what is wrong and with which file.</summary>
    private T Guard<T>(string path, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (SftpPathNotFoundException ex)
        {
            throw new DeviceException(_target.Name, $"no such file: {path}", ex);
        }
        catch (SftpPermissionDeniedException ex)
        {
            throw new DeviceException(_target.Name, $"permission denied: {path}", ex);
        }
        catch (ScpException ex)
        {
            throw new DeviceException(_target.Name, $"SCP of {path} failed: {ex.Message.Trim()}", ex);
        }
        catch (SshOperationTimeoutException ex)
        {
            throw new DeviceTimeoutException(_target.Name, $"the transfer of {path} stalled for {_target.Timeouts.Command.TotalSeconds:0.#} s ({ex.Message})");
        }
        catch (Exception ex) when (ex is SshException or IOException or ObjectDisposedException)
        {
            throw new DeviceConnectionException(_target.Name, $"the transfer of {path} over {Protocol.ToString().ToUpperInvariant()} failed: {ex.Message}", ex);
        }
    }

    /// <summary>Runs a blocking SSH.NET call on its own thread, not a pool thread.</summary>
    private static Task<T> OffThread<T>(Func<T> action, CancellationToken ct) =>
        Task.Factory.StartNew(action, ct, TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);

    /// <summary>SSH.NET's transfers observe no token: cancelling closes the connection under them.</summary>
    private async Task<T> RunAsync<T>(Func<T> action, CancellationToken ct)
    {
        await using var registration = ct.Register(_client.Dispose);
        try
        {
            return await OffThread(action, ct);
        }
        catch (DeviceException) when (ct.IsCancellationRequested)
        {
            throw new OperationCanceledException($"the transfer with {_target.Name} was cancelled", ct);
        }
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        _tunnel?.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>A write-only stream that refuses more than a given number of bytes.</summary>
    private sealed class LimitedStream(Stream inner, long maxBytes, string device, string path) : Stream
    {
        private long _written;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _written;
        public override long Position { get => _written; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count)
        {
            _written += count;
            if (_written > maxBytes)
            {
                throw new FileTransferLimitException(device, $"{path} is larger than the transfer size limit of {maxBytes} bytes");
            }
            inner.Write(buffer, offset, count);
        }

        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}

/// <summary>A file is larger than the transfer size limit.</summary>
public sealed class FileTransferLimitException(string device, string message) : DeviceException(device, message);
