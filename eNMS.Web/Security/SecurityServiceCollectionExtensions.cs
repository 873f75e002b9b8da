using System.Threading.RateLimiting;
using eNMS.Core.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Identity;

namespace eNMS.Web.Security;

public static class SecurityServiceCollectionExtensions
{
    public const string ApiRateLimit = "api";
    private const string CookieOrToken = "CookieOrToken";

    /// <summary>Cookie sign-in for people, bearer tokens for scripts, policies named for what they allow (everything
    /// needs a signed-in user unless marked anonymous), rate limits on sign-in and the API.</summary>
    public static IHostApplicationBuilder AddEnmsSecurity(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieOrToken;
                o.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddPolicyScheme(CookieOrToken, "Cookie or API token", o => o.ForwardDefaultSelector = context =>
                IsBearer(context.Request) ? ApiTokenAuthenticationHandler.SchemeName : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies();
        services.AddAuthentication().AddEnmsOidc(builder.Configuration);
        new IdentityBuilder(typeof(EnmsUser), typeof(IdentityRole), services)
            .AddSignInManager()
            .AddClaimsPrincipalFactory<EnmsClaimsPrincipalFactory>();
        services.Configure<SecurityStampValidatorOptions>(o =>
        {
            o.ValidationInterval = TimeSpan.FromMinutes(1);
            SignInSessions.Configure(o);
        });
        services.AddSingleton<SignInSessions>();
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/login";
            o.LogoutPath = "/account/logout";
            o.AccessDeniedPath = "/access-denied";
            o.Cookie.Name = "enms.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            // The API answers 401/403, never a redirect to the login page.
            o.Events.OnRedirectToLogin = context => ApiOr(context, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => ApiOr(context, StatusCodes.Status403Forbidden);
            SignInSessions.Configure(o);
        });

        var authorization = services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        foreach (var (policy, roles) in Policies.RolesFor)
        {
            authorization.AddPolicy(policy, p => p.RequireAuthenticatedUser().RequireRole(roles));
        }

        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        services.AddScoped<UserAccess>();
        services.AddHttpContextAccessor();
        services.AddScoped<CircuitHandler, AuditActorCircuitHandler>();

        var signInPerMinute = builder.Configuration.GetValue("Security:SignInAttemptsPerMinute", 10);
        var apiPerMinute = builder.Configuration.GetValue("Security:ApiRequestsPerMinute", 1200);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(AccountEndpoints.SignInRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "?",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = signInPerMinute, Window = TimeSpan.FromMinutes(1) }));
            o.AddPolicy(ApiRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                context.User.Identity?.Name ?? context.Connection.RemoteIpAddress?.ToString() ?? "?",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = apiPerMinute, Window = TimeSpan.FromMinutes(1) }));
        });
        return builder;
    }

    /// <summary>A request with a bearer token is authenticated by that token alone, never by the cookie.</summary>
    public static bool IsBearer(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    private static Task ApiOr(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/openapi") || context.Request.Path.StartsWithSegments("/metrics"))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }
        return Task.CompletedTask;
    }

    /// <summary>The audit actor for each HTTP request: the authenticated user and the client address.</summary>
    public static IApplicationBuilder UseAuditActor(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            AuditActor.Current = context.AuditActor();
            await next(context);
        });
}
