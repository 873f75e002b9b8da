using System.Text;
using Bunit;
using eNMS.Core.Inventory;
using eNMS.Core.Security;
using eNMS.Web.Components.Pages.Inventory;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;
using MudBlazor;

namespace eNMS.Tests.Web;

/// <summary>The devices grid's bulk edit, column chooser and export; the links grid's export.</summary>
public sealed class DeviceGridToolsTests : WebTestContext
{
    public DeviceGridToolsTests()
    {
        SetRendererInfo(new RendererInfo("Server", true));
    }

    private Task SeedDevicesAsync(int count) => SeedAsync(db => db.Devices.AddRange(Enumerable.Range(1, count).Select(i => new Device
    {
        Name = $"r{i:D2}",
        Address = $"10.0.0.{i}",
        Platform = i % 2 == 0 ? "cisco_ios" : "arista_eos",
        Vendor = i % 2 == 0 ? "Cisco" : "Arista",
        OsVersion = "15.0",
        Description = i == 1 ? "=cmd|' /C calc'!A0" : "",
    })));

    private static List<string> Headers(IRenderedComponent<DevicesPage> page) =>
        [.. page.FindAll("th .mud-table-sort-label").Select(h => h.TextContent.Trim())];

    private async Task SelectAsync(IRenderedComponent<DevicesPage> page, params string[] names)
    {
        var table = page.FindComponent<MudTable<Device>>();
        await using var db = await DbFactory.CreateDbContextAsync();
        var rows = await db.Devices.AsNoTracking().Where(d => names.Contains(d.Name)).ToListAsync();
        await page.InvokeAsync(() => table.Instance.SelectedItemsChanged.InvokeAsync([.. rows]));
    }

    [Fact]
    public async Task Bulk_edit_sets_a_catalog_field_on_the_selected_rows()
    {
        await SeedDevicesAsync(4);
        var page = Render<DevicesPage>();
        await page.WaitForAssertionAsync(() => Assert.Equal(4, page.FindAll("[data-testid=device-name]").Count));
        Assert.Empty(page.FindAll("[data-testid=bulk-edit]"));

        await SelectAsync(page, "r01", "r02");
        page.Find("[data-testid=bulk-edit]").Click();
        await page.InvokeAsync(() => page.FindComponent<MudSelect<string>>().Instance.ValueChanged.InvokeAsync("location"));
        page.Find("input[data-testid=bulk-value]").Input("Lyon DC2");
        page.Find("[data-testid=bulk-apply]").Click();

        await page.WaitForAssertionAsync(() => Assert.Empty(page.FindAll("[data-testid=bulk-edit-panel]")));
        await using var db = await DbFactory.CreateDbContextAsync();
        Assert.Equal(["Lyon DC2", "Lyon DC2", "", ""], await db.Devices.OrderBy(d => d.Name).Select(d => d.Location).ToListAsync());
        await page.WaitForAssertionAsync(() => Assert.Equal(2, page.FindAll("[data-testid=device-location]").Count(c => c.TextContent == "Lyon DC2")));
    }

    [Fact]
    public async Task Bulk_edit_shows_the_catalogs_refusal_and_changes_nothing()
    {
        await SeedDevicesAsync(2);
        var page = Render<DevicesPage>();
        await page.WaitForAssertionAsync(() => Assert.Equal(2, page.FindAll("[data-testid=device-name]").Count));
        await SelectAsync(page, "r01", "r02");
        page.Find("[data-testid=bulk-edit]").Click();
        await page.InvokeAsync(() => page.FindComponent<MudSelect<string>>().Instance.ValueChanged.InvokeAsync("port"));
        page.Find("input[data-testid=bulk-value]").Input("22.5");

        page.Find("[data-testid=bulk-apply]").Click();

        await page.WaitForAssertionAsync(() => Assert.Contains("not a TCP port", page.Find("[data-testid=bulk-error]").TextContent, StringComparison.Ordinal));
        await using var db = await DbFactory.CreateDbContextAsync();
        Assert.All(await db.Devices.ToListAsync(), d => Assert.Equal(22, d.Port));
    }

    [Fact]
    public async Task Bulk_edit_is_refused_to_a_role_that_may_not_change_the_inventory()
    {
        Authorization.SetRoles(Roles.Viewer);
        Authorization.SetPolicies([.. Policies.RolesFor.Where(p => p.Value.Contains(Roles.Viewer)).Select(p => p.Key)]);
        await SeedDevicesAsync(2);
        var page = Render<DevicesPage>();
        await page.WaitForAssertionAsync(() => Assert.Equal(2, page.FindAll("[data-testid=device-name]").Count));
        await SelectAsync(page, "r01");
        page.Find("[data-testid=bulk-edit]").Click();
        await page.InvokeAsync(() => page.FindComponent<MudSelect<string>>().Instance.ValueChanged.InvokeAsync("vendor"));
        page.Find("input[data-testid=bulk-value]").Input("Juniper");

        page.Find("[data-testid=bulk-apply]").Click();

        await page.WaitForAssertionAsync(() => Assert.Contains("may not change", page.Find("[data-testid=bulk-error]").TextContent, StringComparison.Ordinal));
        await using var db = await DbFactory.CreateDbContextAsync();
        Assert.DoesNotContain(await db.Devices.Select(d => d.Vendor).ToListAsync(), v => v == "Juniper");
    }

    [Fact]
    public async Task The_column_chooser_hides_a_column_and_remembers_it_for_this_user()
    {
        await SeedDevicesAsync(2);
        var stored = JSInterop.SetupVoid("localStorage.setItem", "enms.columns:tester:devices", "name,address,platform,transport,model,os_version,location");
        stored.SetVoidResult();
        var popovers = Render<MudPopoverProvider>();
        var page = Render<DevicesPage>();
        await page.WaitForAssertionAsync(() => Assert.Equal(2, page.FindAll("[data-testid=device-name]").Count));
        Assert.Contains("Vendor", Headers(page));

        page.Find("[data-testid=column-chooser] button").Click();
        popovers.Find("[data-testid=column-vendor]").Click();

        await page.WaitForAssertionAsync(() => Assert.DoesNotContain("Vendor", Headers(page)));
        Assert.Empty(page.FindAll("[data-testid=device-vendor]"));
        stored.VerifyInvoke("localStorage.setItem");
    }

    [Fact]
    public async Task A_stored_column_choice_is_shown_on_load()
    {
        await SeedDevicesAsync(2);
        JSInterop.Setup<string?>("localStorage.getItem", "enms.columns:tester:devices").SetResult("name,description,gone_column");

        var page = Render<DevicesPage>();

        await page.WaitForAssertionAsync(() => Assert.Equal(["Name", "Description"], Headers(page)));
    }

    [Fact]
    public async Task Export_writes_the_visible_columns_of_the_filtered_rows()
    {
        await SeedDevicesAsync(6);
        var module = JSInterop.SetupModule("./dist/download.js");
        var save = module.SetupVoid("save", _ => true);
        save.SetVoidResult();
        JSInterop.SetupVoid("localStorage.setItem", _ => true).SetVoidResult();
        var popovers = Render<MudPopoverProvider>();
        var page = Render<DevicesPage>();
        await page.WaitForAssertionAsync(() => Assert.Equal(6, page.FindAll("[data-testid=device-name]").Count));
        page.Find("input[data-testid=filter-vendor]").Input("=arista");
        await page.WaitForAssertionAsync(() => Assert.Equal(3, page.FindAll("[data-testid=device-name]").Count));
        page.Find("[data-testid=column-chooser] button").Click();
        popovers.WaitForElement("[data-testid=column-description]").Click();

        page.Find("[data-testid=grid-export] button").Click();
        popovers.WaitForElement("[data-testid=export-csv]").Click();

        await page.WaitForAssertionAsync(() => Assert.Single(save.Invocations));
        var arguments = save.Invocations.Single().Arguments;
        Assert.Equal(("devices.csv", "text/csv"), (arguments[0], arguments[1]));
        var reference = Assert.IsType<DotNetStreamReference>(arguments[2]);
        var text = Encoding.UTF8.GetString(((MemoryStream)reference.Stream).ToArray());
        Assert.Equal(
            "\uFEFFName,Address,Platform,Transport,Vendor,Model,OS version,Location,Description\r\n" +
            "r01,10.0.0.1,arista_eos,ssh,Arista,,15.0,,'=cmd|' /C calc'!A0\r\n" +
            "r03,10.0.0.3,arista_eos,ssh,Arista,,15.0,,\r\n" +
            "r05,10.0.0.5,arista_eos,ssh,Arista,,15.0,,\r\n", text);
    }
}
