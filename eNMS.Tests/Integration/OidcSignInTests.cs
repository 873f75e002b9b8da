using System.Net;
using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Integration;

/// <summary>Single sign-on through a real OpenID Connect provider (<see cref="OidcProvider"/>, OpenIddict on loopback):
/// refused answers, the mapping of the groups claim to role and pools, the shadow account and its lock, sign-out at the
/// provider, and the callback URL behind a proxy. The browser is two cookie-keeping clients, one per site.</summary>
public sealed class OidcSignInTests(OidcProvider provider) : IClassFixture<OidcProvider>
{
    private const string Landing = "/account/oidc/landing?returnUrl=%2Fdevices";

    private async Task<EnmsAppFactory> AppAsync(params (string Key, string Value)[] settings)
    {
        await provider.AllowAsync("http://localhost");
        var app = new EnmsAppFactory { Settings = provider.Settings(settings) };
        try
        {
            await using var db = await app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
            db.Pools.Add(new Pool { Name = "Paris" });
            await db.SaveChangesAsync();
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>The provider's side of the browser: its own cookies, redirects not followed.</summary>
    private static HttpClient ProviderBrowser() => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new() });

    /// <summary>Presses "Sign in with Test IdP" and returns the provider's authorization URL the app sent the browser to.</summary>
    private static async Task<Uri> ChallengeAsync(HttpClient browser, Func<string>? logs = null)
    {
        using var challenge = await browser.PostFormAsync("/login", "/account/oidc", new() { ["returnUrl"] = "/devices" });
        Assert.True(HttpStatusCode.Redirect == challenge.StatusCode, logs?.Invoke());
        return challenge.Headers.Location!;
    }

    /// <summary>The whole sign-on: challenge, the provider's login form, back to the app's callback. Returns where the
    /// callback sends the browser (the landing page when signed in, else /login?error=...).</summary>
    private static async Task<string> SignOnAsync(HttpClient browser, HttpClient atProvider, string user, string? password = null)
    {
        var authorize = await ChallengeAsync(browser);
        using var toLogin = await atProvider.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, toLogin.StatusCode);
        var callback = new Uri(authorize, toLogin.Headers.Location!);
        // Still signed in at the provider: it answers at once, without its login page.
        if (callback.AbsolutePath == "/login")
        {
            using var login = await atProvider.PostAsync(new Uri(authorize, "/login"), new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["user"] = user,
                ["password"] = password ?? OidcProvider.PasswordOf(user),
                ["returnUrl"] = QueryHelpers.ParseQuery(callback.Query)["ReturnUrl"].ToString(),
            }));
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
            using var code = await atProvider.GetAsync(new Uri(authorize, login.Headers.Location!));
            Assert.Equal(HttpStatusCode.Redirect, code.StatusCode);
            callback = code.Headers.Location!;
        }
        Assert.Equal("/signin-oidc", callback.AbsolutePath);
        using var signedOn = await browser.GetAsync(callback.PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, signedOn.StatusCode);
        return signedOn.Headers.Location!.ToString();
    }

    private static async Task<(EnmsUser? User, string? Role)> AccountAsync(EnmsAppFactory app, string userName)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<EnmsUser>>();
        var user = await users.FindByNameAsync(userName);
        return (user, user is null ? null : (await users.GetRolesAsync(user)).SingleOrDefault());
    }

    private static async Task<List<AuditEntry>> AuditAsync(EnmsAppFactory app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        return await db.AuditEntries.AsNoTracking().OrderBy(e => e.Id).ToListAsync();
    }

    private static bool SetsSessionCookie(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("enms.auth=", StringComparison.Ordinal) && !c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase));

    [Fact]
    public async Task A_forged_state_or_an_answer_without_code_is_refused_and_audited_without_signing_in()
    {
        await using var app = await AppAsync();
        using var browser = app.Browser();
        foreach (var forged in new[] { "/signin-oidc", "/signin-oidc?code=stolen-code&state=forged-state" })
        {
            using var answer = await browser.GetAsync(forged);
            Assert.Equal((HttpStatusCode.Redirect, "/login?error=sso"), (answer.StatusCode, answer.Headers.Location?.ToString()));
            Assert.False(SetsSessionCookie(answer));
        }
        // The state of a real challenge, answered without a code.
        var state = QueryHelpers.ParseQuery((await ChallengeAsync(browser, () => string.Join('\n', app.Logs.Lines.TakeLast(30)))).Query)["state"].ToString();
        using (var noCode = await browser.GetAsync($"/signin-oidc?state={Uri.EscapeDataString(state)}"))
        {
            Assert.Equal((HttpStatusCode.Redirect, "/login?error=sso"), (noCode.StatusCode, noCode.Headers.Location?.ToString()));
            Assert.False(SetsSessionCookie(noCode));
        }
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/devices")).StatusCode);
        Assert.Contains("Single sign-on did not complete", await browser.GetStringAsync("/login?error=sso"), StringComparison.Ordinal);
        var refusals = (await AuditAsync(app)).Where(e => e.Action.StartsWith("sign-in failed (", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, refusals.Count);
        Assert.All(refusals, e => Assert.Equal("source: oidc", e.After));
        Assert.Contains(refusals, e => e.Action == "sign-in failed (missing or invalid state)");
        Assert.DoesNotContain(state, string.Join('\n', app.Logs.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_provider_is_a_message_on_the_sign_in_page()
    {
        var closed = new Uri($"http://127.0.0.1:{AppProcess.FreePort()}/");
        await using var app = await AppAsync(("Oidc:Authority", closed.ToString()), ("Oidc:TimeoutSeconds", "5"));
        using var browser = app.Browser();
        using var challenge = await browser.PostFormAsync("/login", "/account/oidc", new() { ["returnUrl"] = "/devices" });
        Assert.Equal((HttpStatusCode.Redirect, "/login?error=sso"), (challenge.StatusCode, challenge.Headers.Location?.ToString()));
        Assert.Contains(app.Logs.Lines, l => l.Contains("OpenID Connect provider unreachable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_user_in_no_mapped_group_is_refused_unless_a_default_role_is_set()
    {
        await using (var app = await AppAsync())
        {
            using var browser = app.Browser();
            using var atProvider = ProviderBrowser();
            var refused = await SignOnAsync(browser, atProvider, "carol");
            Assert.Equal("/login?error=unmapped", refused);
            Assert.Contains("in no group that gives access to eNMS", await browser.GetStringAsync(refused), StringComparison.Ordinal);
            Assert.Null((await AccountAsync(app, "carol")).User);
            Assert.Contains(await AuditAsync(app), e => (e.TargetName, e.Action, e.After) == ("carol", "sign-in refused (no mapped group)", "source: oidc"));
        }
        await using var lenient = await AppAsync(("Oidc:DefaultRole", "viewer"));
        using var other = lenient.Browser();
        Assert.Equal(Landing, await SignOnAsync(other, ProviderBrowser(), "carol"));
        var (carol, role) = await AccountAsync(lenient, "carol");
        Assert.Equal(("viewer", "oidc", null, 0), (role, carol!.DirectorySource, carol.PasswordHash, carol.ScopePoolIds.Count));
    }

    [Fact]
    public async Task Mapped_groups_give_the_role_and_pools_evaluated_again_at_each_sign_in()
    {
        await using var app = await AppAsync();
        using var browser = app.Browser();
        Assert.Contains("Sign in with Test IdP", await browser.GetStringAsync("/login"), StringComparison.Ordinal);
        using var atProvider = ProviderBrowser();
        Assert.Equal(Landing, await SignOnAsync(browser, atProvider, "alice"));
        // The landing page moves on by itself (a same-site navigation, so the Strict cookie goes along).
        Assert.Contains("url=/devices", await browser.GetStringAsync(Landing), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/devices")).StatusCode);
        var (alice, role) = await AccountAsync(app, "alice");
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync())
        {
            Assert.Equal([await db.Pools.Where(p => p.Name == "Paris").Select(p => p.Id).SingleAsync()], alice!.ScopePoolIds);
        }
        Assert.Equal(("editor", "oidc", null), (role, alice.DirectorySource, alice.PasswordHash));
        var audit = await AuditAsync(app);
        Assert.Contains(audit, e => (e.TargetName, e.Action, e.After) == ("alice", "sign-in", "source: oidc"));
        Assert.Contains(audit, e => e.Action == "directory mapping" && e.After == "role editor, pools [Paris] from the oidc groups");

        // An admin widens the account here; the next sign-in puts back what the groups say.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<EnmsUser>>();
            var account = (await users.FindByNameAsync("alice"))!;
            await users.RemoveFromRoleAsync(account, "editor");
            await users.AddToRoleAsync(account, "admin");
        }
        using var again = app.Browser();
        Assert.Equal(Landing, await SignOnAsync(again, atProvider, "alice"));
        Assert.Equal("editor", (await AccountAsync(app, "alice")).Role);

        // Whatever the provider says, no id token takes over a local account (the break-glass admin included).
        await app.CreateUserAsync("bob", "viewer");
        Assert.Equal("/login?error=invalid", await SignOnAsync(app.Browser(), ProviderBrowser(), "bob"));
        Assert.Equal((null, "viewer"), ((await AccountAsync(app, "bob")).User!.DirectorySource, (await AccountAsync(app, "bob")).Role));
        Assert.Equal("/login?error=invalid", await SignOnAsync(app.Browser(), ProviderBrowser(), "nameless"));
        Assert.Contains(app.Logs.Lines, l => l.Contains("no usable 'preferred_username' claim", StringComparison.Ordinal));
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains(OidcProvider.ClientSecret, StringComparison.Ordinal) || l.Contains("eyJ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Groups_missing_from_the_id_token_are_read_from_the_userinfo_endpoint_under_the_configured_claim()
    {
        // erin's id token has no groups claim: the provider gives them at its userinfo endpoint only.
        await using (var app = await AppAsync())
        {
            Assert.Equal(Landing, await SignOnAsync(app.Browser(), ProviderBrowser(), OidcProvider.UserInfoOnly));
            Assert.Equal("editor", (await AccountAsync(app, OidcProvider.UserInfoOnly)).Role);
            // The id token's own groups are not doubled by the userinfo answer's.
            Assert.Equal(Landing, await SignOnAsync(app.Browser(), ProviderBrowser(), "alice"));
            Assert.Contains(await AuditAsync(app), e => e.Action == "directory mapping" && e.After == "role editor, pools [Paris] from the oidc groups");
        }

        // A provider that names the claim otherwise (roles): no id token carries it, userinfo does.
        await using (var app = await AppAsync(("Oidc:GroupsClaim", "roles")))
        {
            Assert.Equal(Landing, await SignOnAsync(app.Browser(), ProviderBrowser(), "dave"));
            Assert.Equal("viewer", (await AccountAsync(app, "dave")).Role);
            Assert.Equal("/login?error=unmapped", await SignOnAsync(app.Browser(), ProviderBrowser(), "carol"));
        }
    }

    [Fact]
    public async Task A_locked_shadow_account_is_refused()
    {
        await using var app = await AppAsync();
        Assert.Equal(Landing, await SignOnAsync(app.Browser(), ProviderBrowser(), "dave"));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var locked = await scope.ServiceProvider.GetRequiredService<UserAdministration>()
                .SetLockedAsync(null, (await AccountAsync(app, "dave")).User!.Id, true, CancellationToken.None);
            Assert.True(locked.Succeeded);
        }
        using var browser = app.Browser();
        Assert.Equal("/login?error=invalid", await SignOnAsync(browser, ProviderBrowser(), "dave"));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/devices")).StatusCode);
        Assert.True((await AccountAsync(app, "dave")).User!.IsDisabled);
        Assert.Contains(await AuditAsync(app), e => (e.TargetName, e.Action, e.After) == ("dave", "sign-in refused (locked out)", "source: oidc"));
    }

    [Fact]
    public async Task Signing_out_ends_the_session_here_and_at_the_provider()
    {
        await using var app = await AppAsync();
        using var browser = app.Browser();
        using var atProvider = ProviderBrowser();
        Assert.Equal(Landing, await SignOnAsync(browser, atProvider, "alice"));
        var before = provider.EndSessions;

        using var signedOut = await browser.PostFormAsync("/devices", "/account/logout", []);
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        var endSession = signedOut.Headers.Location!;
        Assert.Equal((provider.Authority.Authority, "/connect/endsession"), (endSession.Authority, endSession.AbsolutePath));
        var query = QueryHelpers.ParseQuery(endSession.Query);
        Assert.Equal("http://localhost/signout-callback-oidc", query["post_logout_redirect_uri"].ToString());
        Assert.False(string.IsNullOrEmpty(query["id_token_hint"]));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/devices")).StatusCode);

        using var back = await atProvider.GetAsync(endSession);
        Assert.Equal(before + 1, provider.EndSessions);
        var callback = back.Headers.Location!;
        Assert.Equal("/signout-callback-oidc", callback.AbsolutePath);
        using var atLogin = await browser.GetAsync(callback.PathAndQuery);
        Assert.Equal("/login", atLogin.Headers.Location?.ToString());
        Assert.Contains(await AuditAsync(app), e => (e.TargetName, e.Action) == ("alice", "sign-out"));

        // Signed out at the provider too: the next sign-on asks for the password again.
        using var toLogin = await atProvider.GetAsync(await ChallengeAsync(app.Browser()));
        Assert.StartsWith($"{provider.Authority}login", new Uri(provider.Authority, toLogin.Headers.Location!).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_the_callback_url_has_the_forwarded_scheme_and_host()
    {
        await using var app = await AppAsync(("Security:TrustedProxies:0", "127.0.0.0/8"));
        await using var proxied = app.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            s.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter>(new PeerAddress(IPAddress.Loopback))));
        using var browser = proxied.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        browser.DefaultRequestHeaders.Host = "enms.example.org";
        browser.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        browser.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.7");
        var authorize = await ChallengeAsync(browser);
        Assert.Equal("https://enms.example.org/signin-oidc", QueryHelpers.ParseQuery(authorize.Query)["redirect_uri"].ToString());
        Assert.Equal("S256", QueryHelpers.ParseQuery(authorize.Query)["code_challenge_method"].ToString());
    }
}
