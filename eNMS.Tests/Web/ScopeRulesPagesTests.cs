using System.Security.Claims;
using Bunit;
using eNMS.Core.Inventory;
using eNMS.Core.Security;
using eNMS.Web.Components.Pages.Inventory;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace eNMS.Tests.Web;

/// <summary>The pages that edit pools and credentials go through the same scope rules as the API: the Core editors
/// apply them, so a pool-limited editor cannot widen the pool that limits it, nor change a credential shared beyond
/// its pools, from the UI either.</summary>
public sealed class ScopeRulesPagesTests : WebTestContext
{
    private async Task<int> SeedAndLimitAsync(Action<eNMS.Core.Data.EnmsDbContext, Pool> more)
    {
        await SeedAsync(db =>
        {
            var mine = new Pool
            {
                Name = "mine",
                Mode = PoolMode.Dynamic,
                Criteria = [new PoolCriterion { Target = PoolTarget.Device, Property = "vendor", Operator = CriterionOperator.Regex, Value = "^cisco$" }],
                Devices = [new Device { Name = "r1", Vendor = "Cisco" }],
            };
            db.Pools.Add(mine);
            db.Devices.Add(new Device { Name = "outside-1", Vendor = "Arista" });
            more(db, mine);
        });
        await using var db = await DbFactory.CreateDbContextAsync();
        var poolId = (await db.Pools.SingleAsync(p => p.Name == "mine")).Id;
        Authorization.SetClaims(new Claim(EnmsClaims.ScopePool, poolId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return poolId;
    }

    [Fact]
    public async Task A_pool_limited_editor_cannot_widen_the_pool_that_limits_it_from_the_pool_page()
    {
        var poolId = await SeedAndLimitAsync((_, _) => { });
        var page = Render<PoolEditPage>(p => p.Add(x => x.Id, poolId));
        await page.WaitForAssertionAsync(() => Assert.Equal("1", page.Find("[data-testid=member-device-count]").TextContent.Trim()));

        page.FindAll("[data-testid=criterion] input").Single(i => i.GetAttribute("value") == "^cisco$").Change(".*");
        page.Find("button[data-testid=save]").Click();

        var snackbar = Services.GetRequiredService<ISnackbar>();
        await page.WaitForAssertionAsync(() => Assert.Contains(snackbar.ShownSnackbars, s => s.Message == ScopeRules.Pools));
        await using var db = await DbFactory.CreateDbContextAsync();
        var stored = await db.Pools.AsNoTracking().Include(p => p.Devices).SingleAsync(p => p.Id == poolId);
        Assert.Equal("^cisco$", Assert.Single(stored.Criteria).Value);
        Assert.Equal(["r1"], stored.Devices.Select(d => d.Name));
    }

    [Fact]
    public async Task A_pool_limited_editor_cannot_change_a_credential_that_serves_devices_outside_its_pools()
    {
        var protectedPassword = Services.GetRequiredService<SecretProtector>().Protect("hunter2-global");
        await SeedAndLimitAsync((db, _) => db.Credentials.Add(new Credential { Name = "global", Username = "admin", ProtectedPassword = protectedPassword }));
        await using var read = await DbFactory.CreateDbContextAsync();
        var id = (await read.Credentials.SingleAsync()).Id;
        var page = Render<CredentialEditPage>(p => p.Add(x => x.Id, id));
        await page.WaitForAssertionAsync(() => Assert.NotNull(page.Find("[data-testid=clear-password]")));

        page.Find("input[data-testid=field-username]").Change("mine-now");
        page.Find("button[data-testid=save]").Click();

        var snackbar = Services.GetRequiredService<ISnackbar>();
        await page.WaitForAssertionAsync(() => Assert.Contains(snackbar.ShownSnackbars, s => s.Message != null && s.Message.Contains("outside your pools", StringComparison.Ordinal)));
        await using var db = await DbFactory.CreateDbContextAsync();
        Assert.Equal("admin", (await db.Credentials.AsNoTracking().SingleAsync()).Username);
    }
}
