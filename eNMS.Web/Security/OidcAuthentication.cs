using System.Net;
using System.Security.Claims;
using System.Text.Json;
using eNMS.Core.Security;
using eNMS.Core.Security.Oidc;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OAuth.Claims;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace eNMS.Web.Security;

/// <summary>
/// Single sign-on through an OpenID Connect provider: authorization code flow with PKCE, answer by query string (a
/// top-level GET, so the SameSite=Lax correlation cookie comes back from another site). The provider's id token, once
/// validated, is handed to <see cref="OidcSignIn"/>, which maps the user's groups onto their shadow account; the session
/// is then the same Identity cookie a local sign-in gets (roles, pools, session id, security stamp), holding the id
/// token only as the hint sign-out sends to the provider. The callback URL is built from the request, so behind nginx
/// it takes the Host header nginx passes and the scheme of <c>X-Forwarded-Proto</c> from a trusted proxy.
/// </summary>
internal static class OidcAuthentication
{
    public const string CallbackPath = "/signin-oidc";
    public const string SignedOutCallbackPath = "/signout-callback-oidc";
    private const string IdToken = OpenIdConnectParameterNames.IdToken;

    /// <summary>The provider's origin when single sign-on is on (the CSP lets forms be redirected there), else null.</summary>
    public static string? ProviderOrigin(IConfiguration configuration) =>
        configuration.GetSection(OidcOptions.Section).Get<OidcOptions>() is { Enabled: true } settings
        && Uri.TryCreate(settings.Authority, UriKind.Absolute, out var authority) ? authority.GetLeftPart(UriPartial.Authority) : null;

    /// <summary>Adds the scheme when <c>Oidc:Enabled</c> is set at start (a change needs a restart, except the client
    /// secret and the mappings, read at each sign-in).</summary>
    public static AuthenticationBuilder AddEnmsOidc(this AuthenticationBuilder authentication, IConfiguration configuration)
    {
        var settings = configuration.GetSection(OidcOptions.Section).Get<OidcOptions>();
        if (settings is not { Enabled: true })
        {
            return authentication;
        }
        return authentication.AddOpenIdConnect(OidcOptions.Scheme, settings.DisplayName, o =>
        {
            o.Authority = settings.Authority;
            o.ClientId = settings.ClientId;
            o.ResponseType = OpenIdConnectResponseType.Code;
            o.ResponseMode = OpenIdConnectResponseMode.Query;
            o.UsePkce = true;
            o.Scope.Clear();
            o.Scope.Add(OpenIdConnectScope.OpenId);
            foreach (var scope in settings.Scopes)
            {
                o.Scope.Add(scope);
            }
            // Claims keep the provider's names (groups, preferred_username), as the settings name them.
            o.MapInboundClaims = false;
            // Providers that keep the id token small (Entra ID past 200 groups, Keycloak with the mapper on userinfo only)
            // give the groups at the userinfo endpoint: asked when the discovery document names one, it fills the
            // configured claims the id token lacks (the id token's own values win).
            o.GetClaimsFromUserInfoEndpoint = true;
            o.ClaimActions.Add(new ClaimFromUserInfo(settings.UserNameClaim, 1));
            o.ClaimActions.Add(new ClaimFromUserInfo(settings.GroupsClaim, ShadowAccounts.MaxGroups));
            o.SaveTokens = true;
            o.RequireHttpsMetadata = settings.RequireHttpsMetadata;
            o.BackchannelTimeout = TimeSpan.FromSeconds(settings.TimeoutSeconds);
            o.SignInScheme = IdentityConstants.ApplicationScheme;
            o.SignOutScheme = IdentityConstants.ApplicationScheme;
            o.CallbackPath = CallbackPath;
            o.SignedOutCallbackPath = SignedOutCallbackPath;
            // The answer is a top-level GET: Lax is enough, and Secure follows the request (https behind nginx).
            foreach (var cookie in new[] { o.CorrelationCookie, o.NonceCookie })
            {
                cookie.SameSite = SameSiteMode.Lax;
                cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            }
            o.Events = new OpenIdConnectEvents
            {
                OnAuthorizationCodeReceived = SendCurrentSecret,
                OnTicketReceived = TicketReceivedAsync,
                OnRemoteFailure = RemoteFailureAsync,
            };
        });
    }

    public static IEndpointRouteBuilder MapSingleSignOnEndpoints(this RouteGroupBuilder account)
    {
        account.MapPost("/oidc", ChallengeAsync).AllowAnonymous().RequireRateLimiting(AccountEndpoints.SignInRateLimit);
        account.MapGet("/oidc/landing", Landing).AllowAnonymous();
        return account;
    }

    /// <summary>Sends the browser to the provider (the button on the sign-in page posts here).</summary>
    private static async Task<IResult> ChallengeAsync([FromForm] string? returnUrl, HttpContext http)
    {
        // Asked first (then cached by the handler): an unreachable provider is a message on the sign-in page, not a 500.
        if (await ProviderConfigurationAsync(http) is null)
        {
            return TypedResults.LocalRedirect("/login?error=sso");
        }
        var target = AccountEndpoints.IsLocal(returnUrl) ? returnUrl! : "/";
        var landing = $"/account/oidc/landing?returnUrl={Uri.EscapeDataString(target)}";
        return TypedResults.Challenge(new AuthenticationProperties { RedirectUri = landing }, [OidcOptions.Scheme]);
    }

    /// <summary>The first page after the provider: the sign-in cookie is SameSite=Strict, so a browser withholds it along
    /// the redirects that began on the provider's site; this page moves on by itself, a navigation from eNMS's own site.</summary>
    private static ContentHttpResult Landing([FromQuery] string? returnUrl)
    {
        var target = WebUtility.HtmlEncode(AccountEndpoints.IsLocal(returnUrl) ? returnUrl! : "/");
        return TypedResults.Content(
            $"<!DOCTYPE html><html><head><meta http-equiv=\"refresh\" content=\"0;url={target}\"><title>Signing in · eNMS</title></head>" +
            $"<body><a href=\"{target}\">Continue</a></body></html>", "text/html; charset=utf-8");
    }

    /// <summary>Before signing out locally: when the session came from the provider and the provider offers an end-session
    /// endpoint, sends the browser there (it comes back to the sign-in page). False when there is nothing to end there.</summary>
    public static async Task<bool> EndProviderSessionAsync(HttpContext http)
    {
        // An unreachable provider: the local sign-out still happens.
        if ((await http.AuthenticateAsync(IdentityConstants.ApplicationScheme)).Properties?.GetTokenValue(IdToken) is null
            || await ProviderConfigurationAsync(http) is not { EndSessionEndpoint.Length: > 0 })
        {
            return false;
        }
        await http.SignOutAsync(OidcOptions.Scheme, new AuthenticationProperties { RedirectUri = "/login" });
        return true;
    }

    /// <summary>The provider's discovery document (cached by the handler), or null when single sign-on is off or the
    /// provider cannot be reached (logged without detail beyond the error's kind).</summary>
    private static async Task<OpenIdConnectConfiguration?> ProviderConfigurationAsync(HttpContext http)
    {
        if (await http.RequestServices.GetRequiredService<IAuthenticationSchemeProvider>().GetSchemeAsync(OidcOptions.Scheme) is null)
        {
            return null;
        }
        var options = http.RequestServices.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(OidcOptions.Scheme);
        try
        {
            return await options.ConfigurationManager!.GetConfigurationAsync(http.RequestAborted);
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or IOException)
        {
            http.RequestServices.GetRequiredService<ILogger<OidcSignIn>>()
                .LogWarning("OpenID Connect provider unreachable ({Error}): {Problem}", e.GetType().Name, e.InnerException?.GetType().Name);
            return null;
        }
    }

    /// <summary>The client secret is read at each code redemption: changed on the settings page, it applies at once.</summary>
    private static Task SendCurrentSecret(AuthorizationCodeReceivedContext context)
    {
        var secret = context.HttpContext.RequestServices.GetRequiredService<IOptionsMonitor<OidcOptions>>().CurrentValue.ClientSecret;
        if (context.TokenEndpointRequest is { } request && secret.Length > 0)
        {
            request.ClientSecret = secret;
        }
        return Task.CompletedTask;
    }

    /// <summary>The id token was validated: map the user, then sign in with the Identity cookie instead of the provider's
    /// claims. Only the id token is kept (for sign-out), not the access token.</summary>
    private static async Task TicketReceivedAsync(TicketReceivedContext context)
    {
        var http = context.HttpContext;
        var signIn = http.RequestServices.GetRequiredService<OidcSignIn>();
        var principal = context.Principal!;
        var userName = signIn.UserNameOf(principal);
        var outcome = await signIn.SignInAsync(http.AuditActor(), principal, http.RequestAborted);
        await http.RequestServices.GetRequiredService<AccountAudit>()
            .DirectorySignInAsync(http.AuditActor(), userName ?? "", outcome, OidcSignIn.Source, http.RequestAborted);
        if (!outcome.Succeeded)
        {
            if (userName is null)
            {
                http.RequestServices.GetRequiredService<ILogger<OidcSignIn>>().LogWarning(
                    "OpenID Connect sign-in refused: the id token has no usable '{Claim}' claim (Oidc:UserNameClaim)",
                    http.RequestServices.GetRequiredService<IOptionsMonitor<OidcOptions>>().CurrentValue.UserNameClaim);
            }
            context.Response.Redirect(outcome.Refusal switch
            {
                DirectoryRefusal.NoMappedGroup => "/login?error=unmapped",
                DirectoryRefusal.Unavailable => "/login?error=sso",
                _ => "/login?error=invalid",
            });
            context.HandleResponse();
            return;
        }
        context.Principal = await http.RequestServices.GetRequiredService<SignInManager<EnmsUser>>().CreateUserPrincipalAsync(outcome.User!);
        var properties = context.Properties!;
        var idToken = properties.GetTokenValue(IdToken);
        properties.StoreTokens(idToken is null ? [] : [new AuthenticationToken { Name = IdToken, Value = idToken }]);
        properties.IsPersistent = false;
    }

    /// <summary>The provider's answer did not complete a sign-in (forged or replayed state, no code, an error answer, a token
    /// that failed validation): the audit gets a fixed phrase, never the provider's text or a token.</summary>
    private static async Task RemoteFailureAsync(RemoteFailureContext context)
    {
        var http = context.HttpContext;
        var message = context.Failure?.Message ?? "";
        var reason = message switch
        {
            _ when message.Contains("Correlation", StringComparison.Ordinal) => "correlation cookie missing",
            _ when message.Contains("State", StringComparison.OrdinalIgnoreCase) => "missing or invalid state",
            _ when message.Contains("Access was denied", StringComparison.Ordinal) => "access denied at the provider",
            _ when context.Failure is OpenIdConnectProtocolException => "the provider answered with an error",
            _ => "the provider's answer was refused",
        };
        http.RequestServices.GetRequiredService<ILogger<OidcSignIn>>().LogWarning("OpenID Connect sign-in failed: {Reason} ({Error})", reason,
            context.Failure?.GetType().Name);
        await http.RequestServices.GetRequiredService<AccountAudit>().SingleSignOnFailedAsync(http.AuditActor(), reason, http.RequestAborted);
        context.Response.Redirect("/login?error=sso");
        context.HandleResponse();
    }

    /// <summary>Copies a claim from the userinfo answer (a string, or an array of strings: one claim per value, at most
    /// <paramref name="most"/>) when the id token did not carry it.</summary>
    private sealed class ClaimFromUserInfo(string claimType, int most) : ClaimAction(claimType, ClaimValueTypes.String)
    {
        public override void Run(JsonElement userData, ClaimsIdentity identity, string issuer)
        {
            if (identity.HasClaim(c => c.Type == ClaimType) || userData.ValueKind != JsonValueKind.Object || !userData.TryGetProperty(ClaimType, out var value))
            {
                return;
            }
            var values = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().ToList() : [value];
            foreach (var item in values.Where(v => v.ValueKind == JsonValueKind.String).Take(most))
            {
                identity.AddClaim(new Claim(ClaimType, item.GetString()!, ValueType, issuer));
            }
        }
    }
}
