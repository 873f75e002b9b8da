using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace eNMS.Tests.EndToEnd;

/// <summary>Single sign-on in Chromium: the button on the sign-in page, the provider's own login form (a real OpenID
/// Connect provider, <see cref="OidcProvider"/>), back on the dashboard with the role of the user's groups; sign-out
/// goes through the provider's end-session endpoint and back to the sign-in page.</summary>
[Collection(Browser.Collection)]
public sealed class SingleSignOnTests
{
    [ChromiumFact]
    public async Task Sign_in_with_the_provider_lands_on_the_dashboard_with_the_mapped_role_and_sign_out_ends_both_sessions()
    {
        var provider = new OidcProvider();
        await provider.InitializeAsync();
        try
        {
            await using var app = new AppServer { Settings = provider.Settings() };
            await provider.AllowAsync(app.BaseUrl);
            app.StartServer();
            await using (var db = await app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync())
            {
                db.Pools.Add(new Pool { Name = "Paris" });
                await db.SaveChangesAsync();
            }
            await using var browser = await BrowserSession.LaunchAsync(30_000);
            var page = await browser.NewPageAsync(app, timeoutMilliseconds: 30_000);
            await Browser.StepsAsync(page, "single-sign-on", async () =>
            {
                await page.GotoAsync("/login");
                await Expect(page.GetByTestId("login-sso-source")).ToContainTextAsync("Test IdP");
                await page.GetByTestId("login-oidc").ClickAsync();
                await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"^{provider.Authority}login"));
                await page.Locator("#idp-user").FillAsync("alice");
                await page.Locator("#idp-password").FillAsync(OidcProvider.PasswordOf("alice"));
                await page.Locator("#idp-submit").ClickAsync();
                await Expect(page).ToHaveURLAsync($"{app.BaseUrl}/");
                await Expect(page.GetByTestId("interactive")).ToBeAttachedAsync();
                await Expect(page.GetByTestId("user-name")).ToHaveTextAsync("alice");

                // An editor's page opens; an admin's does not.
                await page.GotoAsync("/discovery");
                await Expect(page).ToHaveURLAsync($"{app.BaseUrl}/discovery");
                await page.GotoAsync("/admin/users");
                await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/access-denied"));

                await page.GotoAsync("/");
                await Expect(page.GetByTestId("interactive")).ToBeAttachedAsync();
                var before = provider.EndSessions;
                await page.GetByTestId("sign-out").ClickAsync();
                await Expect(page).ToHaveURLAsync($"{app.BaseUrl}/login");
                Assert.Equal(before + 1, provider.EndSessions);
                await page.GotoAsync("/devices");
                await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login"));
            }, app);

            await using var scope = app.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<EnmsUser>>();
            var alice = await users.FindByNameAsync("alice");
            Assert.Equal(("oidc", "editor"), (alice!.DirectorySource, (await users.GetRolesAsync(alice)).Single()));
        }
        finally
        {
            await provider.DisposeAsync();
        }
    }
}
