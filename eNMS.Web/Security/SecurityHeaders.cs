namespace eNMS.Web.Security;

/// <summary>Headers on every response: a CSP that Blazor Server and MudBlazor work under (scripts from this site only,
/// plus the framework's inline import map, which carries the request's nonce; no eval; inline styles are MudBlazor's),
/// no MIME sniffing, no framing, no referrer to other sites.</summary>
public static class SecurityHeaders
{
    private const string NonceKey = "enms.csp-nonce";

    /// <param name="nonce">This request's script nonce.</param>
    /// <param name="tileOrigin">The map's online tile server (Views:TileServerUrl), when one is configured: images may come from it.</param>
    /// <param name="signOnOrigin">The OpenID Connect provider (Oidc:Authority) when single sign-on is on: the sign-in and
    /// sign-out forms post here and are redirected there, which form-action governs too.</param>
    public static string ContentSecurityPolicy(string nonce, string? tileOrigin = null, string? signOnOrigin = null) =>
        $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; connect-src 'self' ws: wss:; " +
        $"img-src 'self' data:{(string.IsNullOrEmpty(tileOrigin) ? "" : " " + tileOrigin)}; font-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; " +
        $"form-action 'self'{(string.IsNullOrEmpty(signOnOrigin) ? "" : " " + signOnOrigin)}; object-src 'none'";

    /// <summary>The scheme and host of a tile URL template such as https://tile.example.org/{z}/{x}/{y}.png.</summary>
    public static string? TileOrigin(string? tileUrl) =>
        Uri.TryCreate(tileUrl?.Replace("{", "", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal), UriKind.Absolute, out var uri)
        && uri.Scheme is "https" or "http" ? uri.GetLeftPart(UriPartial.Authority) : null;

    /// <summary>This request's script nonce, for the few inline scripts the framework renders.</summary>
    public static string NonceOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items[NonceKey] as string ?? "";
    }

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Read per response: the tile server may change in the settings page while the app runs.
        var configuration = app.ApplicationServices.GetRequiredService<IConfiguration>();
        // Read once: the sign-on scheme is set up at start only.
        var signOnOrigin = OidcAuthentication.ProviderOrigin(configuration);
        return app.Use(async (context, next) =>
        {
            var nonce = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
            context.Items[NonceKey] = nonce;
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy(nonce, TileOrigin(configuration["Views:TileServerUrl"]), signOnOrigin);
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                return Task.CompletedTask;
            });
            await next(context);
        });
    }
}
