using System.Security.Claims;
using Bunit;
using eNMS.Core.Security;
using eNMS.Web.Components.Account;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Web;

/// <summary>The change-your-own-password page (a static form): under a forced change it says why the user is here
/// and offers no way around it; otherwise it can be cancelled. Its answers come back as query parameters.</summary>
public sealed class PasswordPageTests : WebTestContext
{
    private IRenderedComponent<PasswordPage> RenderFor(bool mustChange, string query = "")
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "alice")], "test");
        if (mustChange)
        {
            identity.AddClaim(new Claim(EnmsClaims.MustChangePassword, "true"));
        }
        Services.GetRequiredService<NavigationManager>().NavigateTo("/account/password" + query);
        return Render<PasswordPage>(p => p.AddCascadingValue<HttpContext>(new DefaultHttpContext { User = new ClaimsPrincipal(identity) }));
    }

    [Fact]
    public void Under_a_forced_change_the_page_says_so_and_cannot_be_cancelled()
    {
        var page = RenderFor(mustChange: true);
        Assert.Contains("must be changed", page.Find("[data-testid=password-forced]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=password-cancel]"));
        Assert.Equal("account/password", page.Find("form").GetAttribute("action"));
        Assert.Equal("password", page.Find("[data-testid=password-current]").GetAttribute("type"));
    }

    [Fact]
    public void A_chosen_change_can_be_cancelled_and_shows_the_refusal_it_was_sent_back_with()
    {
        var page = RenderFor(mustChange: false, "?error=The%20two%20new%20passwords%20differ.");
        Assert.Empty(page.FindAll("[data-testid=password-forced]"));
        Assert.NotNull(page.Find("[data-testid=password-cancel]"));
        Assert.Equal("The two new passwords differ.", page.Find("[data-testid=password-error]").TextContent);
    }

    [Fact]
    public void After_the_change_the_page_leads_back_to_eNMS()
    {
        var page = RenderFor(mustChange: true, "?changed=true");
        Assert.NotNull(page.Find("[data-testid=password-changed]"));
        Assert.Empty(page.FindAll("form"));
    }
}
