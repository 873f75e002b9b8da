using System.Globalization;
using Bunit;
using eNMS.Core.Inventory;
using eNMS.Web.Components.Pages.Inventory;

namespace eNMS.Tests.Web;

public sealed class DevicesPageTests : WebTestContext
{
    private Task SeedDevicesAsync(int count) => SeedAsync(db => db.Devices.AddRange(Enumerable.Range(1, count).Select(i => new Device
    {
        Name = $"r{i:D4}",
        Address = $"10.0.{i / 256}.{i % 256}",
        Platform = i % 2 == 0 ? "cisco_ios" : "arista_eos",
        Vendor = i % 2 == 0 ? "Cisco" : "Arista",
    })));

    [Fact]
    public async Task Table_shows_one_page_of_rows_and_the_total()
    {
        await SeedDevicesAsync(120);

        var page = Render<DevicesPage>();

        await page.WaitForAssertionAsync(() => Assert.Equal(50, page.FindAll("[data-testid=device-name]").Count));
        Assert.Equal("r0001", page.FindAll("[data-testid=device-name]")[0].TextContent.Trim());
        Assert.Equal("120", page.Find("[data-testid=device-total]").TextContent.Trim());
    }

    [Fact]
    public async Task Column_filter_runs_on_the_server()
    {
        await SeedDevicesAsync(120);
        var page = Render<DevicesPage>();
        await page.WaitForAssertionAsync(() => Assert.Equal(50, page.FindAll("[data-testid=device-name]").Count));

        page.Find("input[data-testid=filter-vendor]").Input("=arista");

        await page.WaitForAssertionAsync(() => Assert.Equal("60", page.Find("[data-testid=device-total]").TextContent.Trim()));
        Assert.All(page.FindAll("[data-testid=device-name]"), cell => Assert.Equal(1, int.Parse(cell.TextContent.Trim()[1..], CultureInfo.InvariantCulture) % 2));

        page.Find("input[data-testid=filter-name]").Input("/^r00(1|2)1$/");
        await page.WaitForAssertionAsync(() => Assert.Equal(["r0011", "r0021"], page.FindAll("[data-testid=device-name]").Select(c => c.TextContent.Trim())));
    }

    [Fact]
    public async Task Bad_regex_shows_a_message_not_an_exception()
    {
        await SeedDevicesAsync(3);
        var page = Render<DevicesPage>();
        await page.WaitForAssertionAsync(() => Assert.Equal(3, page.FindAll("[data-testid=device-name]").Count));

        page.Find("input[data-testid=filter-name]").Input("/[unclosed/");

        await page.WaitForAssertionAsync(() => Assert.Contains("not a valid regular expression", page.Find("[data-testid=filter-error]").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=device-name]"));
    }

    [Fact]
    public async Task Sorting_runs_on_the_server_across_pages()
    {
        await SeedDevicesAsync(120);
        var page = Render<DevicesPage>();
        await page.WaitForAssertionAsync(() => Assert.Equal("r0001", page.FindAll("[data-testid=device-name]")[0].TextContent.Trim()));

        var nameHeader = page.FindAll("th .mud-table-sort-label").First(h => h.TextContent.Contains("Name", StringComparison.Ordinal));
        nameHeader.Click();
        await page.WaitForAssertionAsync(() => Assert.Equal("r0001", page.FindAll("[data-testid=device-name]")[0].TextContent.Trim()));
        page.FindAll("th .mud-table-sort-label").First(h => h.TextContent.Contains("Name", StringComparison.Ordinal)).Click();

        await page.WaitForAssertionAsync(() => Assert.Equal("r0120", page.FindAll("[data-testid=device-name]")[0].TextContent.Trim()));
    }
}
