using System.Net;
using System.Text.RegularExpressions;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace eNMS.Tests.Integration;

/// <summary>Cross-site requests, sign-out, forwarded headers from proxies, and what a refused sign-in gives away.</summary>
public sealed partial class SessionSecurityTests : IAsyncLifetime
{
    private readonly EnmsAppFactory _app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static HttpClient Browser(WebApplicationFactory<Program> app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string user, string password, Action<HttpRequestMessage>? decorate = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = await AntiforgeryTokenAsync(browser, "/login"),
                ["userName"] = user,
                ["password"] = password,
                ["returnUrl"] = "/devices",
            }),
        };
        decorate?.Invoke(request);
        return await browser.SendAsync(request);
    }

    private static async Task<string> AntiforgeryTokenAsync(HttpClient browser, string page)
    {
        var token = WebUtility.HtmlDecode(AntiforgeryField().Match(await browser.GetStringAsync(page)).Groups[1].Value);
        Assert.NotEmpty(token);
        return token;
    }

    private static async Task<HttpStatusCode> SendAsync(HttpClient client, HttpMethod method, string url, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, url);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return (await client.SendAsync(request)).StatusCode;
    }

    [Fact]
    public async Task Cookie_signed_unsafe_calls_need_our_own_origin_or_the_antiforgery_token_and_bearer_calls_need_neither()
    {
        using var browser = Browser(_app);
        await SignInAsync(browser, "admin", EnmsAppFactory.AdminPassword);
        var token = await AntiforgeryTokenAsync(browser, "/devices");

        // A page on another port or a sibling subdomain is the same site: SameSite=Strict sends the cookie along.
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(browser, HttpMethod.Delete, "/api/devices/999999"));
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(browser, HttpMethod.Delete, "/api/devices/999999", ("Sec-Fetch-Site", "same-site"), ("Origin", "http://localhost:8081")));
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(browser, HttpMethod.Delete, "/api/devices/999999", ("Origin", "http://other.localhost")));
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(browser, HttpMethod.Post, "/api/schedules/999999/resume", ("Sec-Fetch-Site", "cross-site")));
        using var upload = new MultipartFormDataContent { { new ByteArrayContent("name\nr1\n"u8.ToArray()), "file", "devices.csv" } };
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.PostAsync("/api/inventory/import?commit=true", upload)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(browser, HttpMethod.Post, "/account/logout", ("Sec-Fetch-Site", "same-site")));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/devices")).StatusCode);

        // Our own pages: the browser says same-origin, or the Origin is ours, or the token is there.
        Assert.Equal(HttpStatusCode.NotFound, await SendAsync(browser, HttpMethod.Delete, "/api/devices/999999", ("Sec-Fetch-Site", "same-origin")));
        Assert.Equal(HttpStatusCode.NotFound, await SendAsync(browser, HttpMethod.Delete, "/api/devices/999999", ("Origin", "http://localhost")));
        Assert.Equal(HttpStatusCode.NotFound, await SendAsync(browser, HttpMethod.Delete, "/api/devices/999999", ("RequestVerificationToken", token)));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/devices")).StatusCode);

        using var script = await _app.CreateClientAsync(Roles.Admin);
        Assert.Equal(HttpStatusCode.NotFound, await SendAsync(script, HttpMethod.Delete, "/api/devices/999999", ("Sec-Fetch-Site", "cross-site")));
    }

    [Fact]
    public async Task Signing_out_revokes_that_session_so_a_copy_of_its_cookie_no_longer_signs_in()
    {
        using var browser = Browser(_app);
        var signedIn = await SignInAsync(browser, "admin", EnmsAppFactory.AdminPassword);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("enms.auth=", StringComparison.Ordinal)).Split(';')[0];
        using var copy = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        copy.DefaultRequestHeaders.Add("Cookie", cookie);
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/devices")).StatusCode);

        var token = await AntiforgeryTokenAsync(browser, "/devices");
        var signedOut = await browser.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await copy.GetAsync("/devices")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await copy.GetAsync("/api/devices")).StatusCode);
        // Another session of the same user is not affected.
        using var other = Browser(_app);
        await SignInAsync(other, "admin", EnmsAppFactory.AdminPassword);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/devices")).StatusCode);
    }

    [Fact]
    public async Task An_empty_sign_in_post_is_a_client_error_not_a_server_error()
    {
        using var browser = Browser(_app);
        var empty = await browser.PostAsync("/account/login", null);
        Assert.True((int)empty.StatusCode is 400 or 302, $"{empty.StatusCode}");
        var emptyForm = await browser.PostAsync("/account/login", new FormUrlEncodedContent([]));
        Assert.True((int)emptyForm.StatusCode is 400 or 302, $"{emptyForm.StatusCode}");
        var tokenOnly = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await AntiforgeryTokenAsync(browser, "/login"),
        }));
        Assert.Equal(HttpStatusCode.Redirect, tokenOnly.StatusCode);
        Assert.StartsWith("/login?error=", tokenOnly.Headers.Location?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refused_sign_ins_answer_alike_and_hash_a_password_whether_the_account_is_unknown_locked_or_real()
    {
        var hashes = new CountingHasher();
        await using var app = _app.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
        {
            s.RemoveAll<IPasswordHasher<EnmsUser>>();
            s.AddSingleton<IPasswordHasher<EnmsUser>>(sp => hashes.Wrap(sp.GetRequiredService<IOptions<PasswordHasherOptions>>()));
        }));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<EnmsUser>>();
            Assert.True((await users.CreateAsync(new EnmsUser { UserName = "victim" }, "the-right-password")).Succeeded);
        }
        using var browser = Browser(app);

        async Task<string> RefusedAsync(string user, string password)
        {
            var before = hashes.Verifications;
            var response = await SignInAsync(browser, user, password);
            Assert.True(hashes.Verifications > before, $"no password was hashed for {user}");
            return response.Headers.Location?.ToString() ?? "";
        }
        var unknown = await RefusedAsync("nobody-here", "a-wrong-password");
        var wrong = await RefusedAsync("victim", "a-wrong-password");
        for (var i = 0; i < 4; i++)
        {
            await RefusedAsync("victim", "a-wrong-password");
        }
        var locked = await RefusedAsync("victim", "the-right-password");
        Assert.Equal(unknown, wrong);
        Assert.Equal(unknown, locked);
        Assert.DoesNotContain("locked", unknown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sign_in_lockout_leaves_the_users_api_tokens_working_and_an_admin_lock_does_not()
    {
        var user = await _app.CreateUserAsync("scripted", Roles.Viewer, password: "the-right-password");
        using var script = _app.CreateClient(await _app.CreateTokenAsync(user));
        using var browser = Browser(_app);
        for (var i = 0; i < 5; i++)
        {
            await SignInAsync(browser, "scripted", "a-wrong-password");
        }
        Assert.Contains("error=", (await SignInAsync(browser, "scripted", "the-right-password")).Headers.Location?.ToString() ?? "", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/devices")).StatusCode);

        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<EnmsUser>>();
            await users.SetLockoutEndDateAsync((await users.FindByNameAsync("scripted"))!, DateTimeOffset.MaxValue);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("/api/devices")).StatusCode);
    }

    [Fact]
    public async Task Forwarded_headers_count_only_from_a_trusted_proxy()
    {
        static WebApplicationFactory<Program> BehindProxy(EnmsAppFactory app) => app.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            s.AddSingleton<IStartupFilter>(new PeerAddress(IPAddress.Loopback))));
        await using var trusting = new EnmsAppFactory
        {
            Settings = new Dictionary<string, string> { ["Security:TrustedProxies:0"] = "127.0.0.0/8", ["Security:SignInAttemptsPerMinute"] = "3" },
        };
        await using var proxied = BehindProxy(trusting);
        using var browser = Browser(proxied);
        static Action<HttpRequestMessage> From(string client, string scheme = "http") => r =>
        {
            r.Headers.Add("X-Forwarded-For", client);
            r.Headers.Add("X-Forwarded-Proto", scheme);
        };

        // Behind TLS at the proxy, the cookie is Secure.
        var signedIn = await SignInAsync(browser, "admin", EnmsAppFactory.AdminPassword, From("198.51.100.7", "https"));
        Assert.Contains(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("enms.auth=", StringComparison.Ordinal) && c.Contains("secure", StringComparison.OrdinalIgnoreCase));
        // Each client has its own sign-in bucket.
        for (var i = 0; i < 3; i++)
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, (await SignInAsync(browser, "admin", "wrong-password-x", From("198.51.100.1"))).StatusCode);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SignInAsync(browser, "admin", "wrong-password-x", From("198.51.100.1"))).StatusCode);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await SignInAsync(browser, "admin", "wrong-password-x", From("198.51.100.2"))).StatusCode);

        // Without the setting, the headers are a client's claim and change nothing.
        await using var untrusting = new EnmsAppFactory { Settings = new Dictionary<string, string> { ["Security:SignInAttemptsPerMinute"] = "3" } };
        await using var direct = BehindProxy(untrusting);
        using var client = Browser(direct);
        var plain = await SignInAsync(client, "admin", EnmsAppFactory.AdminPassword, From("198.51.100.8", "https"));
        Assert.DoesNotContain(plain.Headers.GetValues("Set-Cookie"), c => c.Contains("secure", StringComparison.OrdinalIgnoreCase));
        for (var i = 0; i < 2; i++)
        {
            await SignInAsync(client, "admin", "wrong-password-x", From($"198.51.100.{20 + i}"));
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SignInAsync(client, "admin", "wrong-password-x", From("198.51.100.30"))).StatusCode);
    }

    /// <summary>The test server has no peer address; behind a proxy the peer is the proxy.</summary>

    /// <summary>Identity's hasher, counting verifications: a refused sign-in must cost one, whatever the account.</summary>
    private sealed class CountingHasher
    {
        private int _verifications;

        public int Verifications => Volatile.Read(ref _verifications);

        public IPasswordHasher<EnmsUser> Wrap(IOptions<PasswordHasherOptions> options) => new Counting(this, new PasswordHasher<EnmsUser>(options));

        private sealed class Counting(CountingHasher counter, PasswordHasher<EnmsUser> inner) : IPasswordHasher<EnmsUser>
        {
            public string HashPassword(EnmsUser user, string password) => inner.HashPassword(user, password);

            public PasswordVerificationResult VerifyHashedPassword(EnmsUser user, string hashedPassword, string providedPassword)
            {
                Interlocked.Increment(ref counter._verifications);
                return inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
            }
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
