using System.Globalization;
using System.Security.Claims;
using Bunit;
using eNMS.Core.Configurations;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using eNMS.Web.Components.Pages;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Web;

public sealed class ConfigSearchPageTests : WebTestContext
{
    public ConfigSearchPageTests()
    {
        Services.AddSingleton<ConfigStore>();
        Services.AddSingleton<ConfigSearch>();
    }

    [Fact]
    public async Task A_user_limited_to_a_pool_finds_only_its_devices_configurations()
    {
        var world = await ScopedWorld.SeedAsync(DbFactory);
        Authorization.SetRoles(Roles.Viewer);
        Authorization.SetClaims(new Claim(EnmsClaims.ScopePool, world.InsidePool.ToString(CultureInfo.InvariantCulture)));
        var page = Render<ConfigSearchPage>();

        page.Find("input").Change("hostname");
        page.Find("[data-testid=search-run]").Click();

        page.WaitForAssertion(() => Assert.Equal(["inside-router"], page.FindAll("[data-testid=search-device]").Select(a => a.TextContent.Trim())));
        Assert.DoesNotContain(ScopedWorld.OutsideName, page.Markup, StringComparison.Ordinal);
    }
}
