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
    public int TimeoutSeconds { get; set; } = 30;
}

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
    private readonly List<IPNetwork> _allowed;
    private readonly HttpClient _client;
    private readonly int _maxRedirects;

    public OutboundHttp(IOptions<OutboundOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _allowed = options.Value.AllowedNetworks.Select(IPNetwork.Parse).ToList();
        _maxRedirects = options.Value.MaxRedirects;
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, ConnectCallback = ConnectAsync, UseProxy = false };
        _client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(options.Value.TimeoutSeconds) };
    }

    /// <summary>Sends the request built by <paramref name="build"/> (called again for each redirect).</summary>
    public async Task<HttpResponseMessage> SendAsync(Uri url, Func<Uri, HttpRequestMessage> build, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(build);
        for (var hop = 0; ; hop++)
        {
            if (url.Scheme is not ("http" or "https"))
            {
                throw new OutboundBlockedException($"Only http and https URLs may be called, not {url.Scheme}.");
            }
            HttpResponseMessage response;
            try
            {
                response = await _client.SendAsync(build(url), HttpCompletionOption.ResponseContentRead, ct);
            }
            catch (HttpRequestException e) when (e.InnerException is OutboundBlockedException blocked)
            {
                throw blocked;
            }
            var status = (int)response.StatusCode;
            if (status is < 300 or >= 400 || response.Headers.Location is null)
            {
                return response;
            }
            if (hop >= _maxRedirects)
            {
                throw new OutboundBlockedException($"More than {_maxRedirects} redirects from {url}.");
            }
            url = new Uri(url, response.Headers.Location);
            response.Dispose();
        }
    }

    public void Dispose() => _client.Dispose();

    /// <summary>Why this address may not be dialled, or null.</summary>
    public string? Refusal(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (_allowed.Any(n => n.Contains(address)))
        {
            return null;
        }
        return IPAddress.IsLoopback(address) ? "loopback"
            : address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) ? "unspecified"
            : address.IsIPv6LinkLocal || Internal.Any(n => n.Network.Contains(address) && n.Kind == "link-local") ? "link-local"
            : address.IsIPv6Multicast || address.IsIPv6UniqueLocal || Internal.Any(n => n.Network.Contains(address) && n.Kind == "private") ? "private"
            : null;
    }

    private static readonly (IPNetwork Network, string Kind)[] Internal =
    [
        (IPNetwork.Parse("169.254.0.0/16"), "link-local"), (IPNetwork.Parse("10.0.0.0/8"), "private"),
        (IPNetwork.Parse("172.16.0.0/12"), "private"), (IPNetwork.Parse("192.168.0.0/16"), "private"),
        (IPNetwork.Parse("100.64.0.0/10"), "private"), (IPNetwork.Parse("0.0.0.0/8"), "private"),
        (IPNetwork.Parse("224.0.0.0/4"), "private"),
    ];

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
