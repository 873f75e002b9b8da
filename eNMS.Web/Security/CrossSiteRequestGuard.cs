using Microsoft.AspNetCore.Antiforgery;

namespace eNMS.Web.Security;

/// <summary>
/// Refuses an unsafe request (POST, PUT, PATCH, DELETE) made with the sign-in cookie unless it comes from one of our
/// own pages: the browser says so (<c>Sec-Fetch-Site: same-origin</c>, or an <c>Origin</c> equal to this site's), or
/// the request carries a valid antiforgery token (form field or <c>RequestVerificationToken</c> header) for clients
/// that send neither header. SameSite=Strict alone is not enough: a page on another port or a sibling subdomain is the
/// same <em>site</em> and the browser sends the cookie along. Bearer-token calls carry no ambient credential and pass.
/// A WebSocket handshake from another origin is refused too (see <see cref="IsCookieAuthenticatedCrossSiteWebSocket"/>).
/// </summary>
public static class CrossSiteRequestGuard
{
    public static IApplicationBuilder UseCrossSiteRequestGuard(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use(async (context, next) =>
        {
            if ((IsCookieAuthenticatedUnsafe(context) && !IsSameOrigin(context.Request)
                    && !await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context))
                || IsCookieAuthenticatedCrossSiteWebSocket(context))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Cross-site request refused",
                    detail: "A request signed in with the cookie must come from this site's pages or carry the antiforgery token; scripts use an API token.")
                    .ExecuteAsync(context);
                return;
            }
            await next(context);
        });
    }

    private static bool IsCookieAuthenticatedUnsafe(HttpContext context) =>
        !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
            || HttpMethods.IsOptions(context.Request.Method) || HttpMethods.IsTrace(context.Request.Method))
        && context.User.Identity?.IsAuthenticated == true
        // The sign-in scheme is chosen by this header (SecurityServiceCollectionExtensions): with it, no cookie was used.
        && !SecurityServiceCollectionExtensions.IsBearer(context.Request);

    /// <summary>A WebSocket opened by a browser on another origin with the sign-in cookie: a GET, so not "unsafe", yet
    /// it would open a Blazor circuit (SignalR accepts a WebSocket without a negotiate POST) acting as the user. No token
    /// can ride on a WebSocket handshake, but browsers always say where it comes from: a handshake whose
    /// <c>Sec-Fetch-Site</c> or <c>Origin</c> names another origin is refused. One that names none comes from no browser
    /// (no ambient cookie to abuse) and passes.</summary>
    private static bool IsCookieAuthenticatedCrossSiteWebSocket(HttpContext context)
    {
        var request = context.Request;
        var webSocket = request.Headers.Upgrade.Any(u => string.Equals(u, "websocket", StringComparison.OrdinalIgnoreCase))
            || HttpMethods.IsConnect(request.Method);
        return webSocket && context.User.Identity?.IsAuthenticated == true && !SecurityServiceCollectionExtensions.IsBearer(request)
            && (request.Headers["Sec-Fetch-Site"].Count > 0 || request.Headers.Origin.Count > 0) && !IsSameOrigin(request);
    }

    /// <summary>Sec-Fetch-Site when the browser sends it (every current one does), otherwise Origin against this
    /// request's own scheme and host (after the trusted proxy's forwarded headers are applied).</summary>
    public static bool IsSameOrigin(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        if (fetchSite.Length > 0)
        {
            return fetchSite == "same-origin";
        }
        var origin = request.Headers.Origin.ToString();
        return origin.Length > 0 && string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
    }
}
