using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace eNMS.Web.Security;

/// <summary>
/// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed only from the addresses or networks listed in
/// <c>Security:TrustedProxies</c> (e.g. the nginx in front). Then the client's own address keys the sign-in rate limit
/// and the audit, and a request that reached the proxy over TLS gets Secure cookies. From anyone else these headers
/// are ignored: a client could otherwise pick its address (and its rate-limit bucket) at will.
/// </summary>
public static class TrustedProxies
{
    public const string Setting = "Security:TrustedProxies";

    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var entries = app.ApplicationServices.GetRequiredService<IConfiguration>().GetSection(Setting).Get<string[]>() ?? [];
        if (entries.Length == 0)
        {
            return app;
        }
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            // Walk back through every trusted hop (nginx behind a load balancer), stopping at the first untrusted one.
            ForwardLimit = null,
        };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var entry in entries.Select(e => e.Trim()).Where(e => e.Length > 0))
        {
            if (System.Net.IPNetwork.TryParse(entry, out var network) && entry.Contains('/', StringComparison.Ordinal))
            {
                options.KnownIPNetworks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                options.KnownProxies.Add(address);
            }
            else
            {
                throw new InvalidOperationException($"{Setting}: '{entry}' is neither an IP address nor a network such as 10.0.0.0/8.");
            }
        }
        return app.UseForwardedHeaders(options);
    }
}
