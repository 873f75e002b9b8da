using System.Net;
using eNMS.Core.Security;
using Microsoft.AspNetCore.Authorization;

namespace eNMS.Web.Operations;

/// <summary>
/// Who may read <c>/metrics</c>: a user or API token with a role that grants <see cref="Policies.MetricsRead"/>
/// (<c>monitor</c>, made for a Prometheus scraper's token, or <c>admin</c>), or — only when an operator lists them in
/// <c>Metrics:AllowedNetworks</c> — clients from those addresses without signing in (a scraper on the same host or a
/// monitoring network). Nobody else: the metrics name platforms and tell how busy and how failing the network is.
/// The client address is the one the trusted proxies forwarded (see <c>Security:TrustedProxies</c>).
/// </summary>
public static class MetricsAccess
{
    public const string Policy = "metrics.scrape";

    public static AuthorizationPolicy Build(IConfiguration configuration)
    {
        var networks = configuration.GetSection("Metrics:AllowedNetworks").Get<string[]>() ?? [];
        var allowed = networks.Select(e => e.Trim()).Where(e => e.Length > 0).Select(ParseNetwork).ToList();
        var roles = Policies.RolesFor[Policies.MetricsRead];
        return new AuthorizationPolicyBuilder().RequireAssertion(context =>
            roles.Any(context.User.IsInRole)
            || context.Resource is HttpContext http && http.Connection.RemoteIpAddress is { } address && allowed.Any(n => n.Contains(Normalize(address))))
            .Build();
    }

    private static IPNetwork ParseNetwork(string entry) =>
        IPNetwork.TryParse(entry, out var network) ? network
        : IPAddress.TryParse(entry, out var address) ? new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)
        : throw new InvalidOperationException($"Metrics:AllowedNetworks: '{entry}' is neither an IP address nor a network such as 10.0.0.0/8.");

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
