using Bunit;
using eNMS.Core.Inventory;
using eNMS.Web.Components.Pages.Inventory;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Tests.Web;

public sealed class EditFormTests : WebTestContext
{
    [Fact]
    public async Task Device_form_shows_the_editor_errors_next_to_their_fields()
    {
        await SeedAsync(db => db.Devices.Add(new Device { Name = "taken" }));
        var page = Render<DeviceEditPage>();

        page.Find("input[data-testid=field-name]").Change("taken");
        page.Find("input[data-testid=field-port]").Change("70000");
        page.Find("button[data-testid=save]").Click();

        await page.WaitForAssertionAsync(() => Assert.Contains("already taken", page.Markup, StringComparison.Ordinal));
        Assert.Contains("1 to 65535", page.Markup, StringComparison.Ordinal);
        await using var db = await DbFactory.CreateDbContextAsync();
        Assert.Equal(1, await db.Devices.CountAsync());
    }

    [Fact]
    public async Task Device_form_moves_the_port_with_the_transport_and_saves_gateways_in_their_order()
    {
        await SeedAsync(db => db.Devices.AddRange(new Device { Name = "gw1" }, new Device { Name = "gw2" }));
        var page = Render<DeviceEditPage>();
        page.Find("input[data-testid=field-name]").Change("behind");
        var transport = page.FindComponents<MudBlazor.MudSelect<string>>().Single(s => s.Instance.Label == "Transport");

        await page.InvokeAsync(() => transport.Instance.ValueChanged.InvokeAsync("telnet"));
        Assert.Equal("23", page.Find("input[data-testid=field-port]").GetAttribute("value"));
        page.Find("input[data-testid=field-gateways]").Change("gw2, nope");
        page.Find("button[data-testid=save]").Click();
        await page.WaitForAssertionAsync(() => Assert.Contains("No device is named 'nope'.", page.Markup, StringComparison.Ordinal));
        page.Find("input[data-testid=field-gateways]").Change("gw2, gw1");
        page.Find("button[data-testid=save]").Click();

        await using var db = await DbFactory.CreateDbContextAsync();
        await page.WaitForAssertionAsync(() => Assert.Equal(3, db.Devices.Count()));
        var saved = await db.Devices.Include(d => d.Gateways).ThenInclude(g => g.Gateway).SingleAsync(d => d.Name == "behind");
        Assert.Equal(("telnet", 23), (saved.Transport, saved.Port));
        Assert.Equal(["gw2", "gw1"], saved.Gateways.OrderBy(g => g.Priority).Select(g => g.Gateway!.Name));
    }

    [Fact]
    public async Task Links_table_shows_its_endpoints()
    {
        await SeedAsync(db =>
        {
            var (a, b) = (new Device { Name = "spine-1" }, new Device { Name = "leaf-1" });
            db.Links.Add(new Link { Name = "spine-1:leaf-1", Source = a, Destination = b, SourceInterface = "eth1", DestinationInterface = "eth49" });
        });

        var page = Render<LinksPage>();

        await page.WaitForAssertionAsync(() => Assert.Single(page.FindAll("[data-testid=link-name]")));
        Assert.Contains("spine-1", page.Find("[data-testid=link-table] tbody").TextContent, StringComparison.Ordinal);
        Assert.Contains("eth49", page.Find("[data-testid=link-table] tbody").TextContent, StringComparison.Ordinal);
    }
}
