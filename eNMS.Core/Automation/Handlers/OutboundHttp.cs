using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace eNMS.Core.Automation.Handlers;

/// <summary>Bound from "Automation:Outbound": which internal destinations REST calls and webhooks may reach.</summary>
public sealed class OutboundOptions
{
    /// <summary>CIDR ranges (10.1.0.0/16, 127.0.0.1/32) allowed although they are loopback, private or link-local.</summary>
    public List<string> AllowedNetworks { get; set; } = [];
    public int MaxRedirects { get; set; } = 3;
    /// <summary>For the whole call: connecting, the headers and reading the reply.</summary>
    public int TimeoutSeconds { get; set; } = 30;
    /// <summary>Bytes of a reply kept; a longer reply is cut here (streamed, never held whole) and the call fails.</summary>
    public long MaxReplyBytes { get; set; } = 10 * 1024 * 1024;
}

/// <summary>A reply's text, at most <see cref="OutboundOptions.MaxReplyBytes"/>; <c>Cut</c> when there was more.</summary>
public sealed record OutboundReply(string Text, bool Cut);

/// <summary>The blocked destination of an outbound call, and why.</summary>
public sealed class OutboundBlockedException(string message) : HttpRequestException(message)
{
    public OutboundBlockedException() : this("destination refused") { }

    public OutboundBlockedException(string message, Exception inner) : this(message) => _ = inner;
}

/// <summary>
/// The HTTP client of REST calls and webhooks, guarded against SSRF: every connection (redirects included) is
/// checked at connect time against the address actually dialled, so DNS tricks cannot reach loopback, link-local,
/// private or unspecified addresses unless allow-listed. Redirects are followed by hand, each one checked.
/// </summary>
public sealed class OutboundHttp : IDisposable
{
    private volatile HttpClient _client;
    private readonly IDisposable? _subscription;
    private volatile Limits _limits;

    /// <summary>The options of the moment: a change (the settings page) applies to the next call.</summary>
    private sealed record Limits(List<IPNetwork> Allowed, int MaxRedirects, long MaxReplyBytes, TimeSpan Timeout)
    {
        public static Limits Of(OutboundOptions o) =>
            new(o.AllowedNetworks.Select(IPNetwork.Parse).ToList(), o.MaxRedirects, o.MaxReplyBytes, TimeSpan.FromSeconds(o.TimeoutSeconds));

        public bool Same(Limits other) => Allowed.SequenceEqual(other.Allowed) && (MaxRedirects, MaxReplyBytes, Timeout) == (other.MaxRedirects, other.MaxReplyBytes, other.Timeout);
    }

    /// <summary>Fixed options (tests, tools).</summary>
    public OutboundHttp(IOptions<OutboundOptions> options) : this(options?.Value ?? throw new ArgumentNullException(nameof(options)), null)
    {
    }

    /// <summary>Options followed as they change.</summary>
    public OutboundHttp(IOptionsMonitor<OutboundOptions> options) : this(options?.CurrentValue ?? throw new ArgumentNullException(nameof(options)), options)
    {
    }

    private OutboundHttp(OutboundOptions current, IOptionsMonitor<OutboundOptions>? monitor)
    {
        _limits = Limits.Of(current);
        _client = NewClient();
        _subscription = monitor?.OnChange(o => Apply(Limits.Of(o)));
    }

    /// <summary>New limits, and a new client: the old one's pooled connections were allowed by the old list, and a
    /// kept-alive connection is never checked again. Calls under way keep the old client, disposed once they are over.</summary>
    private void Apply(Limits limits)
    {
        if (limits.Same(_limits))
        {
            // Another setting changed.
            return;
        }
        var old = _client;
        var oldTimeout = _limits.Timeout;
        _limits = limits;
        _client = NewClient();
        _ = Task.Delay(oldTimeout + TimeSpan.FromSeconds(5)).ContinueWith(_ => old.Dispose(), TaskScheduler.Default);
    }

    private HttpClient NewClient()
    {
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, ConnectCallback = ConnectAsync, UseProxy = false };
        // The timeout is the call's (see SendAsync), so that a changed one applies at once.
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Sends the request built by <paramref name="build"/> (called again for each redirect). The reply's body
    /// is not read: read it with <see cref="ReadReplyAsync"/>, which bounds it.</summary>
    public async Task<HttpResponseMessage> SendAsync(Uri url, Func<Uri, HttpRequestMessage> build, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(build);
        for (var hop = 0; ; hop++)
        {
            if (url.Scheme is not ("http" or "https"))
            {
                throw new OutboundBlockedException($"Only http and https URLs may be called, not {url.Scheme}.");
            }
            if (url.UserInfo.Length > 0)
            {
                // .NET would not send them, and the URL ends up in outputs and logs: refuse, saying where they go.
                throw new OutboundBlockedException($"{Mask(url)} holds credentials: put them in an Authorization header instead.");
            }
            HttpResponseMessage response;
            var limits = _limits;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(limits.Timeout);
            try
            {
                response = await _client.SendAsync(build(url), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            }
            catch (HttpRequestException e) when (e.InnerException is OutboundBlockedException blocked)
            {
                throw blocked;
            }
            catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
            {
                throw new HttpRequestException($"No reply from {Mask(url)} within {limits.Timeout.TotalSeconds:N0} s (Automation:Outbound:TimeoutSeconds).", e);
            }
            var status = (int)response.StatusCode;
            if (status is < 300 or >= 400 || response.Headers.Location is null)
            {
                return response;
            }
            if (hop >= limits.MaxRedirects)
            {
                throw new OutboundBlockedException($"More than {limits.MaxRedirects} redirects from {url}.");
            }
            url = new Uri(url, response.Headers.Location);
            response.Dispose();
        }
    }

    public long MaxReplyBytes => _limits.MaxReplyBytes;

    /// <summary>Reads the reply's body as text, streamed and cut at <see cref="OutboundOptions.MaxReplyBytes"/> (with a
    /// marker saying so), within the call's timeout.</summary>
    public async Task<OutboundReply> ReadReplyAsync(HttpResponseMessage response, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(response);
        var limits = _limits;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(limits.Timeout);
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            var kept = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = await body.ReadAsync(buffer, timeout.Token)) > 0)
            {
                var room = limits.MaxReplyBytes - kept.Length;
                if (read > room)
                {
                    kept.Write(buffer, 0, (int)room);
                    var text = System.Text.Encoding.UTF8.GetString(kept.GetBuffer(), 0, (int)kept.Length);
                    return new OutboundReply($"{text}\n[eNMS: reply cut at {limits.MaxReplyBytes:N0} bytes (Automation:Outbound:MaxReplyBytes)]", Cut: true);
                }
                kept.Write(buffer, 0, read);
            }
            return new OutboundReply(System.Text.Encoding.UTF8.GetString(kept.GetBuffer(), 0, (int)kept.Length), Cut: false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new HttpRequestException($"The reply took longer than {limits.Timeout.TotalSeconds:N0} s (Automation:Outbound:TimeoutSeconds).");
        }
    }

    /// <summary>The URL with any user and password replaced by ***, for messages and outputs.</summary>
    public static string Mask(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.UserInfo.Length == 0 ? url.ToString() : new UriBuilder(url) { UserName = "***", Password = "" }.Uri.ToString();
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _client.Dispose();
    }

    /// <summary>Why this address may not be dialled, or null.</summary>
    public string? Refusal(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (_limits.Allowed.Any(n => n.Contains(address)))
        {
            return null;
        }
        return SpecialAddresses.Kind(address) ?? (SpecialAddresses.IsOwn(address) ? "this host's own" : null);
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        var refused = addresses.Select(a => (Address: a, Why: Refusal(a))).ToList();
        var usable = refused.Where(r => r.Why is null).Select(r => r.Address).ToList();
        if (usable.Count == 0)
        {
            var why = refused.FirstOrDefault(r => r.Why is not null);
            throw new OutboundBlockedException(why.Address is null ? $"{host} does not resolve."
                : $"{host} resolves to {why.Address}, a {why.Why} address: calls there are refused unless Automation:Outbound:AllowedNetworks allows it.");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(usable.ToArray(), context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
