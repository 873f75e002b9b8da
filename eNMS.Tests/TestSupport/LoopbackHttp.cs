using System.Net;
using System.Net.Sockets;

namespace eNMS.Tests.TestSupport;

/// <summary>An HTTP server on 127.0.0.1 and a free port that answers every request with <c>respond</c>.</summary>
public sealed class LoopbackHttp : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;

    private LoopbackHttp(Func<HttpListenerResponse, Task> respond)
    {
        var port = FreePort();
        Url = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _serving = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await respond(context.Response);
                        context.Response.Close();
                    }
                    catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
                    {
                        // The client stopped reading (that is what the tests want).
                    }
                });
            }
        });
    }

    public Uri Url { get; }

    public static Task<LoopbackHttp> StartAsync(Func<HttpListenerResponse, Task> respond) => Task.FromResult(new LoopbackHttp(respond));

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
    }
}
