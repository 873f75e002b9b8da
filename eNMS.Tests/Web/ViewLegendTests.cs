using Bunit;
using eNMS.Core.Inventory;
using eNMS.Core.Views;
using eNMS.Web.Components.Pages.Inventory;
using eNMS.Web.Components.Views;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Tests.Web;

/// <summary>The map's and the topology's legend, and the device and link forms' icon and colour fields.</summary>
public sealed class ViewLegendTests : WebTestContext
{
    [Fact]
    public void Before_the_view_has_loaded_the_legend_lists_only_the_statuses()
    {
        var legend = Render<ViewLegend>();
        Assert.Contains("last run failed", legend.Find("[data-testid=legend-statuses]").TextContent, StringComparison.Ordinal);
        Assert.Empty(legend.FindAll("[data-testid=legend-icon]"));
        Assert.Empty(legend.FindAll("[data-testid=legend-link]"));
    }

    [Fact]
    public void The_legend_lists_the_icons_shown_and_the_link_colours_in_use_with_their_types_and_collapses()
    {
        var shown = NetworkLegend.Of([0, 0, 2], ["#d4222a", "#d4222a", ""], ["optical fiber 100G", "", ""]);
        var legend = Render<ViewLegend>(p => p.Add(x => x.Legend, shown));

        Assert.Equal(["router", "firewall"], legend.FindAll("[data-testid=legend-icon]").Select(e => e.GetAttribute("data-icon")));
        Assert.Equal("Router (2)", legend.Find("[data-testid=legend-icon][data-icon=router]").TextContent.Trim());
        // The icon drawn is the firewall's own shape.
        Assert.Equal(DeviceIcons.Get("firewall").Path, legend.Find("[data-testid=legend-icon][data-icon=firewall] svg path").GetAttribute("d"));
        var links = legend.FindAll("[data-testid=legend-link]");
        Assert.Equal(["#d4222a", "theme"], links.Select(e => e.GetAttribute("data-color")));
        Assert.Equal("optical fiber 100G (2 links)", links[0].TextContent.Trim());
        Assert.Contains("background: #d4222a", links[0].QuerySelector(".enms-legend-line")!.GetAttribute("style"), StringComparison.Ordinal);
        Assert.Equal("links (1 link)", links[1].TextContent.Trim());

        legend.Find("button[data-testid=legend-toggle]").Click();
        Assert.Empty(legend.FindAll("[data-testid=legend-icon]"));
        Assert.Empty(legend.FindAll("[data-testid=legend-statuses]"));
        legend.Find("button[data-testid=legend-toggle]").Click();
        Assert.Equal(2, legend.FindAll("[data-testid=legend-icon]").Count);
    }

    [Fact]
    public async Task The_device_form_offers_the_built_in_icons_and_keeps_an_imported_name_it_does_not_know()
    {
        await SeedAsync(db => db.Devices.Add(new Device { Name = "old", Icon = "antenna", Platform = "cisco_asa" }));
        int id;
        await using (var db = await DbFactory.CreateDbContextAsync())
        {
            id = await db.Devices.Select(d => d.Id).SingleAsync();
        }
        var page = Render<DeviceEditPage>(p => p.Add(x => x.Id, (int?)id));
        await page.WaitForAssertionAsync(() => Assert.Equal("old", page.Find("input[data-testid=field-name]").GetAttribute("value")));
        var icon = page.FindComponents<MudBlazor.MudSelect<string>>().Single(s => s.Instance.Label == "Icon");
        Assert.Contains(page.FindAll("input"), i => i.GetAttribute("value") == "antenna");

        await page.InvokeAsync(() => icon.Instance.ValueChanged.InvokeAsync("firewall"));
        page.Find("button[data-testid=save]").Click();

        await page.WaitForAssertionAsync(async () =>
        {
            await using var db = await DbFactory.CreateDbContextAsync();
            Assert.Equal("firewall", (await db.Devices.SingleAsync()).Icon);
        });
    }

    [Fact]
    public async Task The_link_form_refuses_a_bad_colour_next_to_its_field_and_stores_a_css_name_as_rrggbb()
    {
        await SeedAsync(db => db.Links.Add(new Link { Name = "a-b", Source = new Device { Name = "a" }, Destination = new Device { Name = "b" } }));
        int id;
        await using (var db = await DbFactory.CreateDbContextAsync())
        {
            id = await db.Links.Select(l => l.Id).SingleAsync();
        }
        var page = Render<LinkEditPage>(p => p.Add(x => x.Id, (int?)id));
        await page.WaitForAssertionAsync(() => Assert.Equal("a-b", page.Find("input[data-testid=field-name]").GetAttribute("value")));

        page.Find("input[data-testid=field-color]").Change("blurple");
        page.Find("button[data-testid=save]").Click();
        await page.WaitForAssertionAsync(() => Assert.Contains("'blurple' is not a colour", page.Markup, StringComparison.Ordinal));

        page.Find("input[data-testid=field-color]").Change("Teal");
        // The picker shows what will be stored.
        Assert.Equal("#008080", page.Find("input[data-testid=field-color-swatch]").GetAttribute("value"));
        page.Find("input[data-testid=field-color-swatch]").Change("#1565c0");
        Assert.Equal("#1565c0", page.Find("input[data-testid=field-color]").GetAttribute("value"));
        page.Find("input[data-testid=field-color]").Change("Teal");
        page.Find("button[data-testid=save]").Click();
        await page.WaitForAssertionAsync(async () =>
        {
            await using var db = await DbFactory.CreateDbContextAsync();
            Assert.Equal("#008080", (await db.Links.SingleAsync()).Color);
        });
    }
}
