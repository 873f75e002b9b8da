using System.Globalization;
using System.Security.Claims;
using Bunit;
using eNMS.Core.Configurations;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using eNMS.Web.Components.Pages.Configurations;
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

    [Fact]
    public async Task A_hit_names_the_device_s_own_version_number_not_the_global_id()
    {
        var (paris, london) = (new eNMS.Core.Inventory.Device { Name = "paris-core" }, new eNMS.Core.Inventory.Device { Name = "london-core" });
        await SeedAsync(db => db.Devices.AddRange(paris, london));
        // Interleaved backups: paris-core's third version has the global id 5.
        foreach (var (device, config) in new[] { (paris, "hostname p1"), (london, "hostname l1"), (paris, "hostname p2"), (london, "hostname l2"), (paris, "hostname p3") })
        {
            await SeedAsync(db => db.ConfigVersions.Add(new ConfigVersion { DeviceId = device.Id, DeviceName = device.Name, Config = config, Hash = config }));
        }
        var page = Render<ConfigSearchPage>();

        page.Find("input").Change("hostname p");
        page.Find("[data-testid=search-run]").Click();

        page.WaitForAssertion(() => Assert.Equal("version 3, 1 match(es)", page.Find("[data-testid=search-version]").TextContent.Trim()));
    }
}
