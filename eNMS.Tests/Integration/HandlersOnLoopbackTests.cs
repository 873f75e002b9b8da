using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using eNMS.Core.Automation;
using eNMS.Tests.TestSupport;

namespace eNMS.Tests.Integration;

/// <summary>ping, tcp_port, rest_call and notification through the real app against servers these tests start on
/// 127.0.0.1 (a TCP listener, an HTTP listener, a small SMTP server), with loopback allowed for outbound calls.</summary>
public sealed class HandlersOnLoopbackTests : IAsyncLifetime
{
    private readonly SmtpSink _smtp = new();
    private EnmsAppFactory _app = null!;
    private AutomationClient _api = null!;
    private int _device;

    public async Task InitializeAsync()
    {
        _app = new EnmsAppFactory
        {
            Settings = new Dictionary<string, string>
            {
                ["Automation:Outbound:AllowedNetworks:0"] = "127.0.0.0/8",
                ["Automation:Smtp:Host"] = "127.0.0.1",
                ["Automation:Smtp:Port"] = _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Automation:Smtp:From"] = "enms@test.invalid",
            },
        };
        _api = new AutomationClient(await _app.CreateClientAsync("admin"));
        var device = await _api.Http.PostAsJsonAsync("/api/devices", new { name = "loopback-host", address = "127.0.0.1", platform = "linux" });
        _device = (int)(await AutomationClient.Read(device, HttpStatusCode.Created))["id"]!;
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _smtp.Dispose();
    }

    private async Task<RunResult> RunAsync(string kind, object parameters)
    {
        var service = await _api.CreateServiceAsync($"{kind}-{Guid.NewGuid():N}", kind, parameters);
        var run = await _api.WaitAsync(await _api.RunAsync(service, [_device]), seconds: 60);
        return Assert.Single(await _api.ResultsAsync(run.Id));
    }

    [Fact]
    public async Task Ping_gets_echo_replies_from_loopback()
    {
        var result = await RunAsync("ping", new { count = 2, timeoutMs = 2000 });

        Assert.True(result.Success, result.Error + result.Output);
        Assert.Contains("2 sent, 2 received", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tcp_port_sees_a_listening_port_open_and_a_closed_one_closed()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        RunResult open;
        try
        {
            open = await RunAsync("tcp_port", new { port });
        }
        finally
        {
            listener.Stop();
        }
        var closed = await RunAsync("tcp_port", new { port, timeoutMs = 2000 });

        Assert.True(open.Success, open.Error);
        Assert.Contains($"127.0.0.1:{port} is open", open.Output, StringComparison.Ordinal);
        Assert.False(closed.Success);
        Assert.Contains("closed or unreachable", closed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rest_call_sends_the_rendered_request_and_keeps_the_json_reply_as_data()
    {
        using var http = new HttpSink("{\"vlan\": 42}");

        var result = await RunAsync("rest_call", new
        {
            method = "POST",
            url = http.Url + "devices/{{ device.name }}",
            body = "{\"name\": \"{{ device.name }}\"}",
            headers = new Dictionary<string, string> { ["X-Enms-Device"] = "{{ device.name }}" },
        });

        Assert.True(result.Success, result.Error);
        var request = Assert.Single(http.Requests);
        Assert.Equal("POST /devices/loopback-host", request.Line);
        Assert.Equal("{\"name\": \"loopback-host\"}", request.Body);
        Assert.Equal("loopback-host", request.Headers["X-Enms-Device"]);
        Assert.Contains("42", result.Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secret_parameter_echoed_by_the_server_is_masked_in_the_stored_result_and_its_data()
    {
        // The '+' is written \u002B when the reply's JSON becomes the result's data: that form is masked too.
        const string token = "Bearer tok-3f9a+Zq71";
        using var http = new HttpSink($"{{\"youSent\": \"{token}\"}}");

        var result = await RunAsync("rest_call", new { url = http.Url, headers = new Dictionary<string, string> { ["Authorization"] = token } });

        Assert.True(result.Success, result.Error);
        Assert.Equal(token, Assert.Single(http.Requests).Headers["Authorization"]);
        foreach (var stored in new[] { result.Output, result.Data, result.Error, result.Diff })
        {
            Assert.DoesNotContain("tok-3f9a", stored, StringComparison.Ordinal);
        }
        Assert.Contains("********", result.Output, StringComparison.Ordinal);
        Assert.Contains("********", result.Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rest_call_to_loopback_is_refused_when_the_allow_list_does_not_name_it()
    {
        using var http = new HttpSink("{}");
        await using var strict = new EnmsAppFactory();
        var api = new AutomationClient(await strict.CreateClientAsync("admin"));
        var device = (await api.CreateDevicesAsync("anything")).Single();
        var service = await api.CreateServiceAsync("call", "rest_call", new { url = http.Url });

        var result = Assert.Single(await api.ResultsAsync((await api.WaitAsync(await api.RunAsync(service, [device]))).Id));

        Assert.False(result.Success);
        Assert.Contains("AllowedNetworks", result.Error, StringComparison.Ordinal);
        Assert.Empty(http.Requests);
    }

    [Fact]
    public async Task A_webhook_notification_posts_the_rendered_message()
    {
        using var http = new HttpSink("");

        var result = await RunAsync("notification", new { channel = "Webhook", to = http.Url + "hook", subject = "run {{ run.id }}", body = "{{ device.name }} done" });

        Assert.True(result.Success, result.Error);
        var request = Assert.Single(http.Requests);
        Assert.Equal("POST /hook", request.Line);
        Assert.Contains("loopback-host done", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mail_notification_reaches_the_smtp_server()
    {
        var result = await RunAsync("notification", new { channel = "Mail", to = "noc@test.invalid", subject = "backup of {{ device.name }}", body = "{{ device.name }} is backed up" });

        Assert.True(result.Success, result.Error);
        var mail = Assert.Single(_smtp.Messages);
        Assert.Contains("RCPT TO:<noc@test.invalid>", mail.Envelope, StringComparison.Ordinal);
        Assert.Contains("Subject: backup of loopback-host", mail.Data, StringComparison.Ordinal);
        Assert.Contains("loopback-host is backed up", mail.Data, StringComparison.Ordinal);
    }

    /// <summary>An HTTP server on a free loopback port that records each request and answers with a fixed body.</summary>
    private sealed class HttpSink : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _loop;

        public HttpSink(string reply)
        {
            for (var attempt = 0; ; attempt++)
            {
                var probe = new TcpListener(IPAddress.Loopback, 0);
                probe.Start();
                var port = ((IPEndPoint)probe.LocalEndpoint).Port;
                probe.Stop();
                Url = $"http://127.0.0.1:{port}/";
                _listener.Prefixes.Clear();
                _listener.Prefixes.Add(Url);
                try
                {
                    _listener.Start();
                    break;
                }
                catch (HttpListenerException) when (attempt < 5)
                {
                    // Another process took the port between the probe and the start: pick another.
                }
            }
            _loop = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await _listener.GetContextAsync();
                    }
                    catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                    {
                        return;
                    }
                    using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                    var headers = context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => context.Request.Headers[k] ?? "");
                    Requests.Add(new RecordedRequest($"{context.Request.HttpMethod} {context.Request.Url!.AbsolutePath}", await reader.ReadToEndAsync(), headers));
                    var bytes = Encoding.UTF8.GetBytes(reply);
                    context.Response.ContentType = "application/json";
                    await context.Response.OutputStream.WriteAsync(bytes);
                    context.Response.Close();
                }
            });
        }

        public string Url { get; private set; } = "";

        public System.Collections.Concurrent.ConcurrentBag<RecordedRequest> Requests { get; } = [];

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _ = _loop;
        }
    }

    private sealed record RecordedRequest(string Line, string Body, Dictionary<string, string> Headers);

    /// <summary>Enough of SMTP (RFC 5321) for System.Net.Mail: greeting, EHLO, MAIL, RCPT, DATA, QUIT; each message kept.</summary>
    private sealed class SmtpSink : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();

        public SmtpSink()
        {
            _listener.Start();
            _ = Task.Run(AcceptAsync);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public System.Collections.Concurrent.ConcurrentBag<(string Envelope, string Data)> Messages { get; } = [];

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                _ = Task.Run(() => ServeAsync(client));
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            using var _ = client;
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 sink.test ESMTP");
            var envelope = new StringBuilder();
            while (await reader.ReadLineAsync() is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO" or "HELO":
                        await writer.WriteLineAsync("250 sink.test");
                        break;
                    case "MAIL" or "RCPT" or "RSET" or "NOOP":
                        envelope.AppendLine(line);
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync() is { } dataLine && dataLine != ".")
                        {
                            data.AppendLine(dataLine);
                        }
                        Messages.Add((envelope.ToString(), data.ToString()));
                        envelope.Clear();
                        await writer.WriteLineAsync("250 OK: queued");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 Bye");
                        return;
                    default:
                        await writer.WriteLineAsync("502 Command not implemented");
                        break;
                }
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _stop.Dispose();
        }
    }
}
