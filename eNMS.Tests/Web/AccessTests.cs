using System.Security.Claims;
using Bunit;
using eNMS.Core.Inventory;
using eNMS.Core.Security;
using eNMS.Web.Components.Pages;
using eNMS.Web.Components.Pages.Inventory;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Web;

/// <summary>Authorization inside the circuit: handlers check the policy themselves, grids apply the pool scope.</summary>
public sealed class AccessTests : WebTestContext
{
    [Fact]
    public async Task A_viewer_clicking_delete_on_a_device_changes_nothing()
    {
        await SeedAsync(db => db.Devices.Add(new Device { Name = "keep-me" }));
        Authorization.SetRoles(Roles.Viewer);
        Authorization.SetPolicies(Policies.Read);
        await using var db = await DbFactory.CreateDbContextAsync();
        var id = (await db.Devices.SingleAsync()).Id;

        var page = Render<DeviceDetailPage>(p => p.Add(x => x.Id, id));
        await page.WaitForAssertionAsync(() => Assert.Equal("keep-me", page.Find("[data-testid=device-title]").TextContent.Trim()));
        await page.Find("button[data-testid=delete]").ClickAsync(new());

        Assert.True(await db.Devices.AnyAsync(d => d.Name == "keep-me"));
    }

    [Fact]
    public async Task The_device_grid_shows_only_devices_of_the_users_pools()
    {
        await SeedAsync(db =>
        {
            var mine = new Device { Name = "mine-1" };
            db.Devices.AddRange(mine, new Device { Name = "other-1" });
            db.Pools.Add(new Pool { Name = "mine", Mode = PoolMode.Manual, Devices = [mine] });
        });
        await using var db = await DbFactory.CreateDbContextAsync();
        var poolId = (await db.Pools.SingleAsync()).Id;
        Authorization.SetClaims(new Claim(EnmsClaims.ScopePool, poolId.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        var page = Render<DevicesPage>();

        await page.WaitForAssertionAsync(() => Assert.Equal(["mine-1"], page.FindAll("[data-testid=device-name]").Select(c => c.TextContent.Trim())));
    }

    [Fact]
    public async Task A_new_token_is_shown_once_and_only_its_hash_is_stored()
    {
        await SeedAsync(db => db.Users.Add(new EnmsUser { Id = "u1", UserName = "tester" }));
        Authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, "u1"));
        Services.AddSingleton<ApiTokens>();

        var page = Render<TokensPage>();
        await page.Find("button[data-testid=create-token]").ClickAsync(new());

        var shown = await page.WaitForElementAsync("[data-testid=new-token] code");
        var token = shown.TextContent.Trim();
        Assert.StartsWith(ApiTokens.TokenPrefix, token, StringComparison.Ordinal);
        await using var db = await DbFactory.CreateDbContextAsync();
        var stored = await db.ApiTokens.SingleAsync();
        Assert.Equal(ApiTokens.HashOf(token), stored.Hash);
        Assert.NotEqual(token, stored.Hash);

        // One click copies exactly the token shown.
        var copy = JSInterop.SetupVoid("navigator.clipboard.writeText", token);
        await page.Find("button[data-testid=copy-token]").ClickAsync(new());
        copy.SetVoidResult();
        Assert.Single(copy.Invocations);
    }
}
