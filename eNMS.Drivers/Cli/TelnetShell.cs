using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace eNMS.Drivers.Cli;

/// <summary>
/// An interactive Telnet connection (RFC 854) behind the same seam as <see cref="SshShell"/>: options are negotiated
/// per RFC 855 (the server echoes and suppresses go-ahead; terminal type per RFC 1091 and window size per RFC 1073 are
/// offered; every other option is refused), the login is answered at the device's username and password prompts, and
/// what follows (banner, first prompt) goes to the CLI session as an SSH shell's output would. The password is written
/// to the socket only: nothing here logs, and the session's transcript redacts it should a device echo it.
/// </summary>
public sealed partial class TelnetShell : ITerminalShell
{
    private readonly DeviceTarget _target;
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly JumpTunnel? _jump;
    private readonly TelnetProtocol _protocol;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
    private readonly byte[] _buffer = new byte[16 * 1024];
    private readonly StringBuilder _login = new();
    private string? _pending;
    private volatile bool _closed;

    private TelnetShell(DeviceTarget target, TcpClient tcp, JumpTunnel? jump, string terminalType, int columns, int rows)
    {
        (_target, _tcp, _jump) = (target, tcp, jump);
        _protocol = new TelnetProtocol(terminalType, columns, rows);
        _stream = tcp.GetStream();
    }

    /// <summary>Connects (through the SSH jump host if any) and logs in; the CLI session then finds the prompt.</summary>
    /// <exception cref="DeviceAuthenticationException">The device refused the username or password.</exception>
    /// <exception cref="DeviceTimeoutException">No connection, or no prompt after the login, within the connect timeout.</exception>
    /// <exception cref="DeviceConnectionException">Unreachable, or the device closed the connection during the login.</exception>
    // 511 columns: wide enough that devices never wrap a command's echo (as for SSH).
    public static async Task<IShell> ConnectAsync(DeviceTarget target, KnownHosts knownHosts, CancellationToken ct) =>
        await OpenAsync(target, knownHosts, "DUMB", 511, 24, ct);

    /// <summary>A Telnet session for a person at a terminal emulator (xterm, resizable with <see cref="Resize"/>).</summary>
    public static Task<TelnetShell> OpenTerminalAsync(DeviceTarget target, KnownHosts knownHosts, int columns, int rows, CancellationToken ct) =>
        OpenAsync(target, knownHosts, "XTERM-256COLOR", Math.Clamp(columns, 10, 1000), Math.Clamp(rows, 2, 500), ct);

    private static async Task<TelnetShell> OpenAsync(DeviceTarget target, KnownHosts knownHosts, string terminalType, int columns, int rows,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        // The one place a Telnet packet would leave for the device: documentation ranges (the demo network) stop here.
        DocumentationAddresses.ThrowIfContains(target.Name, target.Host);
        if (target.Jump is { } jumpHost)
        {
            DocumentationAddresses.ThrowIfContains(target.Name, jumpHost.Host);
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(target.Timeouts.Connect);
        JumpTunnel? jump = null;
        var tcp = new TcpClient { NoDelay = true };
        TelnetShell? shell = null;
        string stage = "connecting";
        try
        {
            var (host, port) = (target.Host, target.Port);
            if (target.Jump is not null)
            {
                // SSH.NET blocks its thread for the handshake: not a thread-pool thread (see SshShell).
                jump = await Task.Factory.StartNew(() => JumpTunnel.Open(target, knownHosts, deadline.Token), deadline.Token,
                    TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);
                (host, port) = (jump.Host, jump.Port);
            }
            await tcp.ConnectAsync(host, port, deadline.Token);
            shell = new TelnetShell(target, tcp, jump, terminalType, columns, rows);
            stage = "logging in";
            await shell.LogInAsync(deadline.Token);
            return shell;
        }
        catch (Exception ex) when (ex is not DeviceException)
        {
            await DisposeQuietlyAsync(shell, tcp, jump);
            var where = jump is null ? $"{target.Host}:{target.Port}" : $"{target.Host}:{target.Port} through {target.Jump!.Host}";
            if (ex is OperationCanceledException && ct.IsCancellationRequested)
            {
                throw new OperationCanceledException($"connecting to {target.Name} was cancelled", ex, ct);
            }
            if (ex is OperationCanceledException)
            {
                throw new DeviceTimeoutException(target.Name, $"no Telnet session with {where} within " +
                    $"{target.Timeouts.Connect.TotalSeconds:0.#} s ({stage}{shell?.LastWords() ?? ""})")
                { Source = ex.Source };
            }
            if (ex is SocketException or IOException or ObjectDisposedException)
            {
                throw new DeviceConnectionException(target.Name, $"Telnet to {where}: {ex.Message}", ex);
            }
            throw;
        }
        catch
        {
            await DisposeQuietlyAsync(shell, tcp, jump);
            throw;
        }
    }

    private static async Task DisposeQuietlyAsync(TelnetShell? shell, TcpClient tcp, JumpTunnel? jump)
    {
        if (shell is not null)
        {
            await shell.DisposeAsync();
            return;
        }
        tcp.Dispose();
        jump?.Dispose();
    }

    /// <summary>The login dialogue: a username prompt gets the username, a password prompt the password; a
    /// prompt-like line afterwards (or at once, on devices that ask nothing) ends it. Asked again, or told so, the
    /// login was refused.</summary>
    private async Task LogInAsync(CancellationToken ct)
    {
        var credential = _target.Credential;
        bool sentUser = false, sentPassword = false;
        int answeredAt = 0;
        while (true)
        {
            var chunk = await ReadDecodedAsync(ct) ?? throw new DeviceConnectionException(_target.Name,
                $"the device closed the Telnet connection during the login{LastWords()}");
            _login.Append(chunk);
            var sinceAnswer = _login.ToString(answeredAt, _login.Length - answeredAt);
            var partial = LastLine(sinceAnswer);
            if (sentPassword && LoginRefused().Match(sinceAnswer) is { Success: true } refusal)
            {
                throw Refused(refusal.Value.Trim());
            }
            if (UsernamePrompt().IsMatch(partial))
            {
                if (sentUser)
                {
                    throw Refused(sinceAnswer.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && !UsernamePrompt().IsMatch(l))
                        ?? "asked for the username again");
                }
                await WriteAsync(credential.Username + "\n", ct);
                (sentUser, answeredAt) = (true, _login.Length);
            }
            else if (PasswordPrompt().IsMatch(partial))
            {
                if (sentPassword)
                {
                    throw Refused("asked for the password again");
                }
                if (credential.Password is not { } password)
                {
                    throw new DeviceAuthenticationException(_target.Name, $"the device asks for a password over Telnet and the credential " +
                        $"of user '{credential.Username}' has none (a private key cannot log in over Telnet)");
                }
                await WriteSecretAsync(password + "\n", ct);
                (sentPassword, answeredAt) = (true, _login.Length);
            }
            else if ((ShellPrompt().IsMatch(partial) || sentPassword && ContinueQuestion().IsMatch(partial)) && _stream.Socket.Available == 0)
            {
                // A question between the login and the first prompt (ProCurve's "Press any key to continue") is the CLI
                // session's to answer, from the platform's profile.
                // A prompt with nothing more on its way: logged in. The whole dialogue (the password was not echoed; the
                // session redacts it should a device echo it) is what the session reads first.
                _pending = _login.ToString();
                _login.Clear();
                return;
            }
        }
    }

    private DeviceAuthenticationException Refused(string reason) =>
        new(_target.Name, $"Telnet login refused for user '{_target.Credential.Username}': {CliText.Shorten(reason, 160)}");

    private string LastWords() => CliText.LastWords(_login.ToString());

    private static string LastLine(string text)
    {
        int newline = text.LastIndexOf('\n');
        var line = newline < 0 ? text : text[(newline + 1)..];
        int cr = line.LastIndexOf('\r');
        return cr < 0 ? line : line[(cr + 1)..];
    }


    [GeneratedRegex(@"(?:user ?name|login)\s*:\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UsernamePrompt();

    [GeneratedRegex(@"(?:password|passcode)\s*:\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PasswordPrompt();

    // Netmiko's telnet_login looks for the same words.
    [GeneratedRegex(@"[^\n]*(?:login incorrect|login invalid|authentication failed|access denied|bad passwords?|incorrect password|% ?login failed)[^\n]*",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LoginRefused();

    /// <summary>A banner waiting for a key before the first prompt: "Press any key to continue", "Press Y or ENTER to
    /// continue, N to exit."</summary>
    [GeneratedRegex(@"(?:any key|to continue)[^\n]*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ContinueQuestion();

    /// <summary>As the CLI session's "any prompt": a short line ending like a prompt, with a letter or digit.</summary>
    [GeneratedRegex(@"^(?=[^\n]*\w)[^\n]{1,120}?[>#$%\]]\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex ShellPrompt();

    public async ValueTask<string?> ReadAsync(CancellationToken ct)
    {
        if (_pending is { } pending)
        {
            _pending = null;
            return pending;
        }
        return await ReadDecodedAsync(ct);
    }

    /// <summary>The next text the device sent, negotiation answered and removed; null once the connection closed.</summary>
    private async Task<string?> ReadDecodedAsync(CancellationToken ct)
    {
        var data = new List<byte>();
        while (true)
        {
            if (_closed)
            {
                return null;
            }
            int n;
            try
            {
                n = await _stream.ReadAsync(_buffer, ct);
            }
            catch (IOException) when (_closed)
            {
                return null;
            }
            if (n == 0)
            {
                _closed = true;
                return null;
            }
            var replies = new List<byte>();
            _protocol.Parse(_buffer.AsSpan(0, n), data, replies);
            if (replies.Count > 0)
            {
                await SendRawAsync([.. replies], ct);
            }
            if (data.Count > 0)
            {
                var bytes = data.ToArray();
                var chars = new char[_decoder.GetCharCount(bytes, 0, bytes.Length)];
                int count = _decoder.GetChars(bytes, 0, bytes.Length, chars, 0);
                if (count > 0)
                {
                    return new string(chars, 0, count);
                }
                data.Clear();
            }
        }
    }

    /// <summary>Sends text as typed (<see cref="TelnetProtocol.Encode"/>).</summary>
    public ValueTask WriteAsync(string text, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(text);
        ct.ThrowIfCancellationRequested();
        if (_closed)
        {
            throw new IOException("the Telnet connection is closed");
        }
        return new ValueTask(SendRawAsync(TelnetProtocol.Encode(text), ct));
    }

    private Task WriteSecretAsync(string text, CancellationToken ct) => SendRawAsync(TelnetProtocol.Encode(text), ct);

    private async Task SendRawAsync(byte[] bytes, CancellationToken ct)
    {
        await _writeLock.WaitAsync(ct);
        try
        {
            await _stream.WriteAsync(bytes, ct);
            await _stream.FlushAsync(ct);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Tells the device the terminal's new size (NAWS, when the device asked for it).</summary>
    public void Resize(int columns, int rows)
    {
        var message = _protocol.Resize(columns, rows);
        if (!_closed && _protocol.SendsWindowSize)
        {
            _ = SendRawAsync(message, CancellationToken.None).ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
        }
    }

    public ValueTask DisposeAsync()
    {
        _closed = true;
        _stream.Dispose();
        _tcp.Dispose();
        _jump?.Dispose();
        _writeLock.Dispose();
        return ValueTask.CompletedTask;
    }
}
