using System.Net.Sockets;
using System.Text;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace eNMS.Drivers.Cli;

/// <summary>An interactive SSH shell (terminal type <c>dumb</c>). This file is the only one that touches SSH.NET.</summary>
public sealed class SshShell : ITerminalShell
{
    private readonly SshClient _client;
    private readonly JumpTunnel? _jump;
    private readonly ShellStream _stream;
    private readonly SemaphoreSlim _signal = new(0);
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
    private readonly byte[] _bytes = new byte[16 * 1024];
    private readonly char[] _chars = new char[16 * 1024 + 16];
    private volatile bool _closed;
    private readonly DeviceTarget _target;
    private readonly KnownHosts _knownHosts;

    private SshShell(DeviceTarget target, KnownHosts knownHosts, SshClient client, JumpTunnel? jump,
        string terminal, int columns, int rows)
    {
        _target = target;
        _knownHosts = knownHosts;
        _client = client;
        _jump = jump;
        _stream = client.CreateShellStream(terminal, (uint)columns, (uint)rows, 0, 0, 64 * 1024);
        _stream.DataReceived += (_, _) => _signal.Release();
        // A connection that dies (sshd killed, a reset) raises an error on the client and the channel but may never
        // close the stream: without these a read waited for the silence timeout and blamed a silent device.
        _stream.Closed += (_, _) => MarkClosed();
        _stream.ErrorOccurred += (_, _) => MarkClosed();
        client.ErrorOccurred += (_, _) => MarkClosed();
        jump?.Client.ErrorOccurred += (_, _) => MarkClosed();
    }

    private void MarkClosed()
    {
        _closed = true;
        try
        {
            _signal.Release();
        }
        catch (ObjectDisposedException)
        {
            // Disposed already: nobody is waiting.
        }
    }

    /// <summary>Connects (through the jump host if any), checks the host key, logs in and opens a shell.</summary>
    // 511 columns: wide enough that devices never wrap a command's echo.
    public static async Task<IShell> ConnectAsync(DeviceTarget target, KnownHosts knownHosts, CancellationToken ct) =>
        await ConnectAsync(target, knownHosts, "dumb", 511, 24, ct);

    /// <summary>A shell for a person at a terminal emulator (xterm, resizable with <see cref="Resize"/>), with the same
    /// host key check and login as the drivers' sessions.</summary>
    public static Task<SshShell> OpenTerminalAsync(DeviceTarget target, KnownHosts knownHosts, int columns, int rows, CancellationToken ct) =>
        ConnectAsync(target, knownHosts, "xterm-256color", Math.Clamp(columns, 10, 1000), Math.Clamp(rows, 2, 500), ct);

    /// <summary>Tells the device the terminal's new size (SSH window-change).</summary>
    public void Resize(int columns, int rows)
    {
        if (!_closed && _client.IsConnected)
        {
            _stream.ChangeWindowSize((uint)Math.Clamp(columns, 10, 1000), (uint)Math.Clamp(rows, 2, 500), 0, 0);
        }
    }

    // SSH.NET blocks the calling thread for the key exchange, the login and the opening of the shell (it waits on
    // handles, ConnectAsync included). Fifty devices connecting at once held fifty thread-pool threads: the pool grew
    // slowly, devices started up to 220 ms late on 2 cores and every web request waited behind them (bench: FRR
    // fan-out). Each connect gets a thread of its own instead.
    private static Task<SshShell> ConnectAsync(DeviceTarget target, KnownHosts knownHosts, string terminal, int columns, int rows, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        // The last guard before a socket opens (eNMS.Core's DeviceTargets refuses these targets earlier, with the same
        // reason): documentation ranges (the demo network) are never dialled, even by a target built by hand.
        DocumentationAddresses.ThrowIfContains(target.Name, target.Host);
        if (target.Jump is { } jumpHost)
        {
            DocumentationAddresses.ThrowIfContains(target.Name, jumpHost.Host);
        }
        return Task.Factory.StartNew(() => Connect(target, knownHosts, terminal, columns, rows, ct), ct,
            TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);
    }

    private static SshShell Connect(DeviceTarget target, KnownHosts knownHosts, string terminal, int columns, int rows, CancellationToken ct)
    {
        JumpTunnel? jump = null;
        SshClient? client = null;
        try
        {
            string host = target.Host;
            int port = target.Port;
            if (target.Jump is not null)
            {
                jump = JumpTunnel.Open(target, knownHosts, ct);
                (host, port) = (jump.Host, jump.Port);
            }
            client = OpenClient(info => new SshClient(info), target.Name, host, port, target.Credential,
                KnownHosts.KeyFor(target.Host, target.Port), knownHosts, target.Timeouts.Connect, ct);
            ct.ThrowIfCancellationRequested();
            return new SshShell(target, knownHosts, client, jump, terminal, columns, rows);
        }
        catch
        {
            client?.Dispose();
            jump?.Dispose();
            throw;
        }
    }

    internal static T OpenClient<T>(Func<ConnectionInfo, T> create, string label, string host, int port, DeviceCredential credential,
        string hostKeyName, KnownHosts knownHosts, TimeSpan timeout, CancellationToken ct) where T : BaseClient
    {
        var info = new ConnectionInfo(host, port, credential.Username, AuthenticationMethods(credential))
        {
            Timeout = timeout,
        };
        var client = create(info);
        (string Expected, string Actual)? mismatch = null;
        client.HostKeyReceived += (_, e) =>
        {
            var actual = "SHA256:" + e.FingerPrintSHA256;
            var expected = knownHosts.Check(hostKeyName, actual, e.HostKeyName, label);
            if (expected is not null)
            {
                mismatch = (expected.Length == 0 ? "(none pinned)" : expected, actual);
                e.CanTrust = false;
            }
        };
        // The blocking connect observes no token: cancelling or running out of time closes the client under it.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            using (deadline.Token.Register(client.Dispose))
            {
                client.Connect();
            }
            deadline.Token.ThrowIfCancellationRequested();
            return client;
        }
        catch (Exception ex) when (mismatch is { } m)
        {
            client.Dispose();
            throw new HostKeyMismatchException(label, m.Expected, m.Actual, hostKeyName) { Source = ex.Source };
        }
        catch (Exception ex) when (ct.IsCancellationRequested)
        {
            client.Dispose();
            throw new OperationCanceledException($"connecting to {label} was cancelled", ex, ct);
        }
        catch (Exception ex) when (deadline.IsCancellationRequested || ex is SshOperationTimeoutException)
        {
            client.Dispose();
            throw new DeviceTimeoutException(label, $"no SSH session with {host}:{port} within {timeout.TotalSeconds:0.#} s")
            { Source = ex.Source };
        }
        catch (SshAuthenticationException ex)
        {
            client.Dispose();
            throw new DeviceAuthenticationException(label, $"login refused for user '{credential.Username}'", ex);
        }
        catch (Exception ex) when (ex is SocketException or SshException or IOException or ObjectDisposedException)
        {
            client.Dispose();
            throw new DeviceConnectionException(label, $"cannot connect to {host}:{port}: {ex.Message}", ex);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static AuthenticationMethod[] AuthenticationMethods(DeviceCredential credential)
    {
        var methods = new List<AuthenticationMethod>();
        if (credential.PrivateKey is { } key)
        {
            using var keyStream = new MemoryStream(Encoding.UTF8.GetBytes(key));
            var keyFile = credential.Passphrase is null
                ? new PrivateKeyFile(keyStream)
                : new PrivateKeyFile(keyStream, credential.Passphrase);
            methods.Add(new PrivateKeyAuthenticationMethod(credential.Username, keyFile));
        }
        if (credential.Password is { } password)
        {
            methods.Add(new PasswordAuthenticationMethod(credential.Username, password));
            var interactive = new KeyboardInteractiveAuthenticationMethod(credential.Username);
            interactive.AuthenticationPrompt += (_, e) =>
            {
                foreach (var prompt in e.Prompts)
                {
                    prompt.Response = password;
                }
            };
            methods.Add(interactive);
        }
        if (methods.Count == 0)
        {
            methods.Add(new NoneAuthenticationMethod(credential.Username));
        }
        return [.. methods];
    }

    /// <summary>SCP on a second connection to the same device (through the jump host's forward if any), with the
    /// same host key check and credentials. Paths are sent as given, unquoted and without <c>-d</c>: Cisco's SCP
    /// server refuses both.</summary>
    public ValueTask UploadAsync(string path, string content, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(content);
        var (host, port) = _jump is { } j ? (j.Host, j.Port) : (_target.Host, _target.Port);
        var bytes = Encoding.UTF8.GetBytes(content);
        return new ValueTask(Task.Factory.StartNew(() =>
        {
            using var scp = OpenClient(info => new ScpClient(info, RemotePathTransformation.None)
            {
                UseDirectoryFlag = false,
                OperationTimeout = _target.Timeouts.Command,
            }, _target.Name, host, port, _target.Credential, KnownHosts.KeyFor(_target.Host, _target.Port), _knownHosts,
                _target.Timeouts.Connect, ct);
            using var source = new MemoryStream(bytes);
            try
            {
                scp.Upload(source, path);
            }
            catch (Exception ex) when (ex is ScpException or SshException or IOException)
            {
                throw new DeviceCommandException(_target.Name, $"scp to {path}", ex.Message);
            }
        }, ct, TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default));
    }

    public ValueTask WriteAsync(string text, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (_closed || !_client.IsConnected)
        {
            throw new IOException("the SSH connection is closed");
        }
        _stream.Write(text);
        _stream.Flush();
        return ValueTask.CompletedTask;
    }

    public async ValueTask<string?> ReadAsync(CancellationToken ct)
    {
        while (true)
        {
            if (_stream.DataAvailable)
            {
                int n = _stream.Read(_bytes, 0, _bytes.Length);
                int chars = _decoder.GetChars(_bytes, 0, n, _chars, 0);
                if (chars > 0)
                {
                    return new string(_chars, 0, chars);
                }
                continue;
            }
            if (_closed || !_client.IsConnected)
            {
                return null;
            }
            await _signal.WaitAsync(ct);
        }
    }

    public ValueTask DisposeAsync()
    {
        _closed = true;
        _stream.Dispose();
        _client.Dispose();
        _jump?.Dispose();
        _signal.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>A loopback port forwarded through the target's SSH jump host to the device's port (SSH or Telnet): the
/// jump host's key is checked like a device's, under its own address.</summary>
public sealed class JumpTunnel : IDisposable
{
    private readonly ForwardedPortLocal _forward;

    private JumpTunnel(SshClient client, ForwardedPortLocal forward) => (Client, _forward) = (client, forward);

    internal SshClient Client { get; }

    /// <summary>Where to dial instead of the device.</summary>
    public string Host => _forward.BoundHost;

    public int Port => (int)_forward.BoundPort;

    /// <summary>Blocks for the SSH handshake and login (call it off the thread pool, as the shells do).</summary>
    /// <exception cref="DeviceException">The jump host refused, timed out or presented a changed key.</exception>
    public static JumpTunnel Open(DeviceTarget target, KnownHosts knownHosts, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        var jump = target.Jump ?? throw new ArgumentException($"{target.Name} has no jump host", nameof(target));
        var client = SshShell.OpenClient(info => new SshClient(info), $"{target.Name} (jump host {jump.Host})", jump.Host, jump.Port,
            jump.Credential, KnownHosts.KeyFor(jump.Host, jump.Port), knownHosts, target.Timeouts.Connect, ct);
        ForwardedPortLocal? forward = null;
        try
        {
            forward = new ForwardedPortLocal("127.0.0.1", 0, target.Host, (uint)target.Port);
            client.AddForwardedPort(forward);
            forward.Start();
            return new JumpTunnel(client, forward);
        }
        catch (Exception ex) when (ex is SshException or SocketException or IOException)
        {
            forward?.Dispose();
            client.Dispose();
            throw new DeviceConnectionException(target.Name, $"cannot forward a port through jump host {jump.Host}: {ex.Message}", ex);
        }
        catch
        {
            forward?.Dispose();
            client.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _forward.Dispose();
        Client.Dispose();
    }
}
