using System.Net;
using System.Net.Sockets;
using System.Text;
using eNMS.Drivers;
using eNMS.Drivers.Cli;

namespace eNMS.Tests.Drivers;

/// <summary>The Telnet transport against a scripted server on loopback: the bytes of RFC 854/855/1091/1073 both ways,
/// the login dialogue and its failures.</summary>
public sealed class TelnetShellTests : IAsyncLifetime
{
    private const byte Iac = 255, Will = 251, Wont = 252, Do = 253, Dont = 254, Sb = 250, Se = 240;
    private const byte Echo = 1, SuppressGoAhead = 3, TerminalType = 24, WindowSize = 31, Linemode = 34, NewEnviron = 39;
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public Task InitializeAsync()
    {
        _listener.Start();
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _listener.Stop();
        _listener.Dispose();
        return Task.CompletedTask;
    }

    private DeviceTarget Target(string? password = "s3cret") =>
        new("edge-1", "127.0.0.1", "cisco_ios", new DeviceCredential("admin", password))
        {
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port,
            Transport = CliTransport.Telnet,
            Timeouts = new DeviceTimeouts(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)),
        };

    private static byte[] Bytes(params object[] parts) =>
        [.. parts.SelectMany(p => p switch
        {
            string s => Encoding.ASCII.GetBytes(s),
            byte b => [b],
            byte[] a => a,
            _ => throw new ArgumentException(p.ToString()),
        })];

    [Fact]
    public async Task Negotiates_echo_go_ahead_terminal_type_and_window_size_refuses_the_rest_and_logs_in()
    {
        var server = Task.Run(async () =>
        {
            using var client = await _listener.AcceptTcpClientAsync();
            var peer = new Peer(client);
            await peer.SendAsync(Bytes(Iac, Will, Echo, Iac, Will, SuppressGoAhead, Iac, Do, TerminalType, Iac, Do, WindowSize,
                Iac, Do, NewEnviron, Iac, Do, Linemode, Iac, Sb, TerminalType, (byte)1, Iac, Se));
            // RFC 855: agree to what we offer, refuse the rest, and answer nothing that does not change a state.
            await peer.ExpectAsync(Bytes(Iac, Do, Echo, Iac, Do, SuppressGoAhead, Iac, Will, TerminalType, Iac, Will, WindowSize,
                // 511 x 24: the 0xFF byte of 511 is doubled (RFC 1073).
                Iac, Sb, WindowSize, (byte)1, Iac, Iac, (byte)0, (byte)24, Iac, Se,
                Iac, Wont, NewEnviron, Iac, Wont, Linemode, Iac, Sb, TerminalType, (byte)0, "DUMB", Iac, Se));
            await peer.SendAsync(Bytes(Iac, Do, TerminalType, "\r\nUser Access Verification\r\n\r\nUsername: "));
            await peer.ExpectAsync(Bytes("admin\r\n"));
            await peer.SendAsync(Bytes("admin\r\nPassword: "));
            await peer.ExpectAsync(Bytes("s3cret\r\n"));
            await peer.SendAsync(Bytes("\r\n\r\nedge-1>"));
            // After the login: the NVT end of line the client writes, data with an escaped 0xFF and a CR NUL.
            await peer.ExpectAsync(Bytes("show clock\r\n"));
            await peer.SendAsync(Bytes("a", Iac, Iac, "b\r", (byte)0, "c\r\n"));
            await peer.ExpectAsync(Bytes("\r", (byte)0));
            await peer.SendAsync(Bytes(Iac, Dont, WindowSize, "x"));
            await peer.ExpectAsync(Bytes(Iac, Wont, WindowSize));
            return peer.Received;
        });

        await using var shell = await Shells.ConnectAsync(Target(), new KnownHosts(), None);
        var login = await shell.ReadAsync(None);
        await shell.WriteAsync("show clock\n", None);
        var data = await shell.ReadAsync(None);
        await shell.WriteAsync("\r", None);
        var last = await shell.ReadAsync(None);
        var received = await server;

        Assert.NotNull(login);
        Assert.Contains("Username: admin", login, StringComparison.Ordinal);
        Assert.EndsWith("edge-1>", login, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", login, StringComparison.Ordinal);
        Assert.Equal("a\uFFFDb\rc\r\n", data);
        Assert.Equal("x", last);
        // The second DO TERMINAL-TYPE changed nothing, so nothing answered it: the client sent exactly what was expected.
        Assert.Equal(1, CountOf(received, Bytes(Iac, Will, TerminalType)));
    }

    [Fact]
    public async Task A_refused_password_is_an_authentication_error_naming_the_device_and_quoting_it()
    {
        var server = Task.Run(async () =>
        {
            using var client = await _listener.AcceptTcpClientAsync();
            var peer = new Peer(client);
            await peer.SendAsync(Bytes("edge-1 login: "));
            await peer.ExpectAsync(Bytes("admin\r\n"));
            await peer.SendAsync(Bytes("Password: "));
            await peer.ExpectAsync(Bytes("wrong\r\n"));
            await peer.SendAsync(Bytes("\r\nLogin incorrect\r\nedge-1 login: "));
            await peer.WaitClosedAsync();
        });

        var error = await Assert.ThrowsAsync<DeviceAuthenticationException>(() => Shells.ConnectAsync(Target("wrong"), new KnownHosts(), None));
        await server;

        Assert.Equal("edge-1: Telnet login refused for user 'admin': Login incorrect", error.Message);
    }

    [Fact]
    public async Task A_password_asked_again_is_refused_and_a_login_without_password_says_why()
    {
        var server = Task.Run(async () =>
        {
            for (int i = 0; i < 2; i++)
            {
                using var client = await _listener.AcceptTcpClientAsync();
                var peer = new Peer(client);
                await peer.SendAsync(Bytes("Password: "));
                if (i == 0)
                {
                    await peer.ExpectAsync(Bytes("s3cret\r\n"));
                    await peer.SendAsync(Bytes("\r\nPassword: "));
                }
                await peer.WaitClosedAsync();
            }
        });

        var again = await Assert.ThrowsAsync<DeviceAuthenticationException>(() => Shells.ConnectAsync(Target(), new KnownHosts(), None));
        var none = await Assert.ThrowsAsync<DeviceAuthenticationException>(() => Shells.ConnectAsync(Target(password: null), new KnownHosts(), None));
        await server;

        Assert.Contains("asked for the password again", again.Message, StringComparison.Ordinal);
        Assert.StartsWith("edge-1: the device asks for a password over Telnet", none.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_device_that_asks_nothing_is_logged_in_at_its_prompt()
    {
        var server = Task.Run(async () =>
        {
            using var client = await _listener.AcceptTcpClientAsync();
            var peer = new Peer(client);
            await peer.SendAsync(Bytes("\r\nswitch#"));
            await peer.ExpectAsync(Bytes("terminal length 0\r\n"));
            return peer.Received;
        });

        await using var shell = await Shells.ConnectAsync(Target(), new KnownHosts(), None);
        Assert.Equal("\r\nswitch#", await shell.ReadAsync(None));
        await shell.WriteAsync("terminal length 0\n", None);

        Assert.Equal(Bytes("terminal length 0\r\n"), await server);
    }

    [Fact]
    public async Task A_device_closing_during_the_login_is_a_connection_error_with_its_last_words()
    {
        var server = Task.Run(async () =>
        {
            using var client = await _listener.AcceptTcpClientAsync();
            var peer = new Peer(client);
            await peer.SendAsync(Bytes("% Maximum number of sessions reached\r\n"));
        });

        var error = await Assert.ThrowsAsync<DeviceConnectionException>(() => Shells.ConnectAsync(Target(), new KnownHosts(), None));
        await server;

        Assert.Equal("edge-1: the device closed the Telnet connection during the login; the device's last words: " +
            "'% Maximum number of sessions reached'", error.Message);
    }

    [Fact]
    public async Task A_device_silent_at_the_login_times_out_within_the_connect_timeout()
    {
        var server = Task.Run(async () =>
        {
            using var client = await _listener.AcceptTcpClientAsync();
            var peer = new Peer(client);
            await peer.SendAsync(Bytes("Welcome\r\n"));
            await peer.WaitClosedAsync();
        });
        var target = Target() with { Timeouts = new DeviceTimeouts(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)) };

        var error = await Assert.ThrowsAsync<DeviceTimeoutException>(() => Shells.ConnectAsync(target, new KnownHosts(), None));
        await server;

        Assert.StartsWith($"edge-1: no Telnet session with 127.0.0.1:{target.Port} within 1 s (logging in", error.Message, StringComparison.Ordinal);
        Assert.Contains("Welcome", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_web_terminal_shell_reports_a_new_window_size()
    {
        var server = Task.Run(async () =>
        {
            using var client = await _listener.AcceptTcpClientAsync();
            var peer = new Peer(client);
            await peer.SendAsync(Bytes(Iac, Do, WindowSize, Iac, Do, TerminalType, Iac, Sb, TerminalType, (byte)1, Iac, Se, "r1# "));
            await peer.ExpectAsync(Bytes(Iac, Will, WindowSize, Iac, Sb, WindowSize, (byte)0, (byte)80, (byte)0, (byte)24, Iac, Se,
                Iac, Will, TerminalType, Iac, Sb, TerminalType, (byte)0, "XTERM-256COLOR", Iac, Se));
            await peer.ExpectAsync(Bytes(Iac, Sb, WindowSize, (byte)0, (byte)132, (byte)0, (byte)50, Iac, Se));
        });

        await using var shell = await Shells.OpenTerminalAsync(Target(), new KnownHosts(), 80, 24, None);
        shell.Resize(132, 50);
        await server;
    }

    [Fact]
    public void Text_is_written_as_the_network_virtual_terminal_wants_it()
    {
        Assert.Equal(Bytes("a\r\nb\r\n"), TelnetProtocol.Encode("a\nb\r\n"));
        Assert.Equal(Bytes("x\r", (byte)0), TelnetProtocol.Encode("x\r"));
        Assert.Equal(Encoding.UTF8.GetBytes("é\r\n"), TelnetProtocol.Encode("é\n"));
    }

    private static int CountOf(byte[] haystack, byte[] needle)
    {
        int count = 0;
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
            {
                count++;
            }
        }
        return count;
    }

    /// <summary>The server's end: sends bytes, and waits for the client's next bytes to be exactly some.</summary>
    private sealed class Peer(TcpClient client)
    {
        private readonly NetworkStream _stream = client.GetStream();
        private readonly List<byte> _unread = [];
        private readonly List<byte> _received = [];

        public byte[] Received => [.. _received];

        public async Task SendAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

        public async Task ExpectAsync(byte[] expected)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var buffer = new byte[4096];
            while (_unread.Count < expected.Length)
            {
                int n = await _stream.ReadAsync(buffer, timeout.Token);
                Assert.True(n > 0, $"the client closed before sending {Encoding.Latin1.GetString(expected)}");
                _unread.AddRange(buffer.AsSpan(0, n));
                _received.AddRange(buffer.AsSpan(0, n));
            }
            Assert.Equal(expected, _unread.Take(expected.Length).ToArray());
            _unread.RemoveRange(0, expected.Length);
        }

        public async Task WaitClosedAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var buffer = new byte[4096];
            while (await _stream.ReadAsync(buffer, timeout.Token) > 0)
            {
            }
        }
    }
}
