using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace eNMS.Tests.TestSupport;

/// <summary>
/// A real OpenID Connect provider on 127.0.0.1 and a free port, built on OpenIddict (stores in SQLite in memory):
/// authorization code flow with PKCE required, a confidential client <see cref="ClientId"/>, id tokens carrying
/// <c>preferred_username</c> and a <c>groups</c> claim (except erin's, given only at the userinfo endpoint), a userinfo
/// endpoint (<c>groups</c>, and the same values as <c>roles</c>), an end-session endpoint, and a login page of its own (a
/// form posting user name and password, checked against <see cref="Users"/>).
/// </summary>
public sealed class OidcProvider : IAsyncLifetime
{
    public const string ClientId = "enms";
    public const string ClientSecret = "enms-test-client-secret";
    private const string LoginCookie = "test-idp.auth";

    /// <summary>alice: editor, limited to Paris. bob: admin. carol: in no mapped group. dave: viewer. nameless: no user name claim.
    /// erin: editor, with groups only at the userinfo endpoint (<see cref="UserInfoOnly"/>).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Users = new Dictionary<string, string[]>
    {
        ["alice"] = ["netops-editors", "paris-team"],
        ["bob"] = ["netops-admins", "netops-editors"],
        ["carol"] = ["marketing"],
        ["dave"] = ["netops-viewers"],
        ["nameless"] = ["netops-admins"],
        ["erin"] = ["netops-editors"],
    };

    /// <summary>Whose id token carries no groups claim (a provider keeping id tokens small): eNMS must ask userinfo.</summary>
    public const string UserInfoOnly = "erin";

    public static string PasswordOf(string user) => $"{user}-idp-password";

    private readonly SqliteConnection _store = new("Data Source=:memory:");
    private WebApplication? _app;
    private int _endSessions;

    public Uri Authority { get; private set; } = null!;

    /// <summary>How many times a browser reached the end-session endpoint.</summary>
    public int EndSessions => Volatile.Read(ref _endSessions);

    /// <summary>The settings that point eNMS at this provider, plus <paramref name="more"/>.</summary>
    public Dictionary<string, string> Settings(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string>
        {
            ["Oidc:Enabled"] = "true",
            ["Oidc:Authority"] = Authority.ToString(),
            ["Oidc:ClientId"] = ClientId,
            ["Oidc:ClientSecret"] = ClientSecret,
            ["Oidc:Scopes:0"] = "profile",
            ["Oidc:Scopes:1"] = "groups",
            ["Oidc:RequireHttpsMetadata"] = "false",
            ["Oidc:DisplayName"] = "Test IdP",
            // The provider shares two loaded cores with the app and the browser.
            ["Oidc:TimeoutSeconds"] = "60",
            ["Oidc:RoleMappings:0:Group"] = "netops-admins",
            ["Oidc:RoleMappings:0:Role"] = "admin",
            ["Oidc:RoleMappings:1:Group"] = "netops-editors",
            ["Oidc:RoleMappings:1:Role"] = "editor",
            ["Oidc:RoleMappings:2:Group"] = "netops-viewers",
            ["Oidc:RoleMappings:2:Role"] = "viewer",
            ["Oidc:PoolMappings:0:Group"] = "paris-team",
            ["Oidc:PoolMappings:0:Pools:0"] = "Paris",
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }
        return settings;
    }

    /// <summary>Lets eNMS at <paramref name="baseUrl"/> (http://localhost for the in-process app) use the client.</summary>
    public async Task AllowAsync(string baseUrl)
    {
        await using var scope = _app!.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var client = await manager.FindByClientIdAsync(ClientId) ?? throw new InvalidOperationException("client missing");
        var descriptor = new OpenIddictApplicationDescriptor();
        await manager.PopulateAsync(descriptor, client);
        descriptor.RedirectUris.Add(new Uri(new Uri(baseUrl), "/signin-oidc"));
        descriptor.PostLogoutRedirectUris.Add(new Uri(new Uri(baseUrl), "/signout-callback-oidc"));
        await manager.UpdateAsync(client, descriptor);
    }

    public async Task InitializeAsync()
    {
        await _store.OpenAsync();
        var port = AppProcess.FreePort();
        Authority = new Uri($"http://127.0.0.1:{port}/");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ApplicationName = typeof(OidcProvider).Assembly.GetName().Name });
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        builder.Logging.ClearProviders();
        builder.Services.AddDbContext<ProviderStore>(o => o.UseSqlite(_store).UseOpenIddict());
        builder.Services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<ProviderStore>())
            .AddServer(o =>
            {
                o.SetIssuer(Authority);
                o.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token").SetEndSessionEndpointUris("connect/endsession")
                    .SetUserInfoEndpointUris("connect/userinfo");
                o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                o.RegisterScopes(Scopes.OpenId, Scopes.Profile, "groups");
                o.AddEphemeralEncryptionKey().AddEphemeralSigningKey().DisableAccessTokenEncryption();
                o.UseAspNetCore().EnableAuthorizationEndpointPassthrough().EnableEndSessionEndpointPassthrough().EnableUserInfoEndpointPassthrough()
                    .DisableTransportSecurityRequirement();
            });
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(o =>
        {
            o.LoginPath = "/login";
            o.Cookie.Name = LoginCookie;
        });
        _app = builder.Build();
        _app.UseAuthentication();
        _app.MapGet("/login", (string? returnUrl) => LoginPage(returnUrl, null));
        _app.MapPost("/login", (Delegate)LoginAsync);
        _app.MapMethods("/connect/authorize", ["GET", "POST"], (Delegate)AuthorizeAsync);
        _app.MapMethods("/connect/endsession", ["GET", "POST"], (Delegate)EndSessionAsync);
        _app.MapMethods("/connect/userinfo", ["GET", "POST"], (Delegate)UserInfoAsync);
        await _app.StartAsync();

        await using var scope = _app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ProviderStore>().Database.EnsureCreatedAsync();
        await scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>().CreateAsync(new OpenIddictApplicationDescriptor
        {
            ClientId = ClientId,
            ClientSecret = ClientSecret,
            ClientType = ClientTypes.Confidential,
            DisplayName = "eNMS",
            Permissions =
            {
                Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.EndSession,
                Permissions.GrantTypes.AuthorizationCode, Permissions.ResponseTypes.Code,
                Permissions.Scopes.Profile, Permissions.Prefixes.Scope + "groups",
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        });
        // The first answers compile OpenIddict's pipeline, which on a loaded machine takes longer than a client waits.
        using var warmUp = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        foreach (var document in new[] { ".well-known/openid-configuration", ".well-known/jwks" })
        {
            (await warmUp.GetAsync(new Uri(Authority, document))).EnsureSuccessStatusCode();
        }
    }

    private static IResult LoginPage(string? returnUrl, string? error) => Results.Content(
        $"""
        <!DOCTYPE html><html><head><title>Test IdP</title></head><body>
        <h1>Test IdP</h1>{(error is null ? "" : $"<p id=\"idp-error\">{error}</p>")}
        <form method="post" action="/login">
          <input type="hidden" name="returnUrl" value="{WebUtility.HtmlEncode(returnUrl ?? "/")}" />
          <input id="idp-user" name="user" /><input id="idp-password" name="password" type="password" />
          <button id="idp-submit" type="submit">Sign in</button>
        </form></body></html>
        """, "text/html; charset=utf-8");

    private static async Task<IResult> LoginAsync(HttpContext http)
    {
        var form = await http.Request.ReadFormAsync();
        var (user, password, returnUrl) = (form["user"].ToString(), form["password"].ToString(), form["returnUrl"].ToString());
        if (!Users.ContainsKey(user) || password != PasswordOf(user))
        {
            return LoginPage(returnUrl, "Wrong user name or password.");
        }
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, user)], CookieAuthenticationDefaults.AuthenticationScheme);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return Results.Redirect(returnUrl.StartsWith('/') ? returnUrl : "/");
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext http)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("not an OpenID Connect request");
        var login = await http.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        if (!login.Succeeded || login.Principal.Identity?.Name is not { } user)
        {
            return Results.Challenge(new AuthenticationProperties { RedirectUri = http.Request.Path + http.Request.QueryString },
                [CookieAuthenticationDefaults.AuthenticationScheme]);
        }
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, $"sub-{user}");
        if (user != "nameless")
        {
            identity.SetClaim(Claims.PreferredUsername, user);
        }
        identity.SetClaims("groups", [.. Users[user]]);
        identity.SetScopes(request.GetScopes());
        identity.SetDestinations(c => c.Type == "groups" && user == UserInfoOnly ? [Destinations.AccessToken] : [Destinations.IdentityToken, Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>The userinfo answer for the access token's user (OpenIddict has validated the token): its groups under
    /// <c>groups</c> and under <c>roles</c>, and its name.</summary>
    private static async Task<IResult> UserInfoAsync(HttpContext http)
    {
        var token = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        if (token.Principal?.GetClaim(Claims.Subject) is not { } subject || !subject.StartsWith("sub-", StringComparison.Ordinal)
            || !Users.TryGetValue(subject["sub-".Length..], out var groups))
        {
            return Results.Challenge(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }
        var user = subject["sub-".Length..];
        var claims = new Dictionary<string, object> { [Claims.Subject] = subject, ["groups"] = groups, ["roles"] = groups };
        if (user != "nameless")
        {
            claims[Claims.PreferredUsername] = user;
        }
        return Results.Ok(claims);
    }

    private async Task<IResult> EndSessionAsync(HttpContext http)
    {
        Interlocked.Increment(ref _endSessions);
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        await _store.DisposeAsync();
    }

    private sealed class ProviderStore(DbContextOptions<ProviderStore> options) : DbContext(options);
}
