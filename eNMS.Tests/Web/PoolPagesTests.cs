using Bunit;
using eNMS.Core.Inventory;
using eNMS.Web.Components.Pages.Inventory;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Tests.Web;

public sealed class PoolPagesTests : WebTestContext
{
    private Task SeedPoolAsync() => SeedAsync(db =>
    {
        var devices = new[] { new Device { Name = "r1", Vendor = "Cisco" }, new Device { Name = "r2", Vendor = "Cisco" }, new Device { Name = "s1", Vendor = "Arista" } };
        db.Devices.AddRange(devices);
        db.Pools.Add(new Pool
        {
            Name = "cisco",
            Mode = PoolMode.Dynamic,
            Criteria = [new PoolCriterion { Target = PoolTarget.Device, Property = "vendor", Operator = CriterionOperator.Regex, Value = "^cisco$" }],
            Devices = [devices[0], devices[1]],
        });
    });

    [Fact]
    public async Task Pools_list_shows_mode_criteria_and_member_counts()
    {
        await SeedPoolAsync();

        var page = Render<PoolsPage>();

        await page.WaitForAssertionAsync(() => Assert.Equal("cisco", page.Find("[data-testid=pool-name]").TextContent.Trim()));
        Assert.Equal("2", page.Find("[data-testid=pool-devices]").TextContent.Trim());
        Assert.Contains("device.vendor regex '^cisco$'", page.Find("[data-testid=pool-table] tbody").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pool_form_shows_members_and_a_bad_criterion_next_to_its_row()
    {
        await SeedPoolAsync();
        var page = Render<PoolEditPage>(p => p.Add(x => x.Id, 1));
        await page.WaitForAssertionAsync(() => Assert.Equal("2", page.Find("[data-testid=member-device-count]").TextContent.Trim()));

        page.FindAll("[data-testid=criterion] input").Single(i => i.GetAttribute("value") == "^cisco$").Change("(unclosed");
        page.Find("button[data-testid=save]").Click();

        await page.WaitForAssertionAsync(() => Assert.Contains("not a valid regular expression", page.Find("[data-testid=criterion-error]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Manual_pool_members_can_be_removed_in_the_picker()
    {
        await SeedAsync(db => db.Pools.Add(new Pool
        {
            Name = "lab",
            Mode = PoolMode.Manual,
            Devices = [new Device { Name = "lab-1" }, new Device { Name = "lab-2" }],
        }));
        var page = Render<PoolEditPage>(p => p.Add(x => x.Id, 1));
        await page.WaitForAssertionAsync(() => Assert.Equal(2, page.FindAll("[data-testid=manual-members] .mud-chip").Count));

        page.FindAll("[data-testid=manual-members] .mud-chip")
            .Single(c => c.TextContent.Contains("lab-1", StringComparison.Ordinal))
            .QuerySelector("button")!.Click();
        page.Find("button[data-testid=save]").Click();

        await page.WaitForAssertionAsync(() => Assert.Equal("1", page.Find("[data-testid=member-device-count]").TextContent.Trim()));
        await using var db = await DbFactory.CreateDbContextAsync();
        Assert.Equal(["lab-2"], await db.Pools.Where(p => p.Name == "lab").SelectMany(p => p.Devices).Select(d => d.Name).ToListAsync());
    }
}
