using Bunit;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Demo;
using eNMS.Core.Discovery;
using eNMS.Core.Inventory;
using eNMS.Core.Parsing;
using eNMS.Drivers;
using eNMS.Drivers.Cli;
using eNMS.Drivers.Simulation;
using eNMS.Web.Components.Pages.Inventory;
using eNMS.Web.Components.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace eNMS.Tests.Web;

/// <summary>The Discover topology page on two simulated demo routers: seeds, preview, the proposed link ticked, commit.</summary>
public sealed class DiscoveryPageTests : WebTestContext
{
    public DiscoveryPageTests()
    {
        var simulator = new DeviceSimulator(TimeProvider.System) { CommandDelay = TimeSpan.Zero, Cabling = DemoNetwork.Cabling() };
        var knownHosts = new KnownHosts();
        Services.AddSingleton(new DriverFactory(DriverRegistry.CreateDefault(), knownHosts, TimeProvider.System, simulator));
        Services.AddSingleton(knownHosts);
        Services.AddSingleton<DeviceTargets>();
        Services.AddSingleton(new PlatformLimits(new Dictionary<string, int>()));
        Services.AddSingleton<HostKeyStore>();
        Services.AddOptions<ParsingOptions>();
        Services.AddSingleton<ParsingLibrary>();
        Services.AddSingleton<DeviceGetters>();
        Services.AddSingleton<TopologyDiscovery>();
    }

    [Fact]
    public async Task Preview_is_disabled_without_seeds_and_a_previewed_link_is_committed_once_under_the_user()
    {
        await SeedAsync(db => db.Devices.AddRange(
            new Device { Name = "paris-core", Address = "192.0.2.10", Platform = "cisco_ios", Simulated = true },
            new Device { Name = "london-core", Address = "192.0.2.11", Platform = "juniper_junos", Simulated = true }));
        var page = Render<DiscoveryPage>();
        Assert.True(page.Find("[data-testid=preview]").HasAttribute("disabled"), "no seed, no preview");

        int paris;
        await using (var db = await DbFactory.CreateDbContextAsync())
        {
            paris = (await db.Devices.SingleAsync(d => d.Name == "paris-core")).Id;
        }
        var picker = page.FindComponent<MudAutocomplete<DeviceRef>>();
        await page.InvokeAsync(() => picker.Instance.ValueChanged.InvokeAsync(new DeviceRef(paris, "paris-core", "192.0.2.10")));
        page.Find("[data-testid=preview]").Click();

        await page.WaitForAssertionAsync(() => Assert.Single(page.FindAll("[data-testid=proposed-link]")), TimeSpan.FromSeconds(20));
        Assert.Contains("london-core", page.Find("[data-testid=proposed-link]").TextContent, StringComparison.Ordinal);
        // paris's other demo neighbours are not in this inventory.
        Assert.Equal(4, page.FindAll("[data-testid=unknown-neighbor]").Count);

        page.Find("[data-testid=commit]").Click();

        await page.WaitForElementAsync("[data-testid=discovery-committed]", TimeSpan.FromSeconds(20));
        await using var check = await DbFactory.CreateDbContextAsync();
        var link = await check.Links.SingleAsync();
        Assert.Equal(("Gi0/0", "ge-0/0/0"), (link.SourceInterface, link.DestinationInterface));
        Assert.Equal(["tester"], await check.AuditEntries.Where(e => e.Action == "discovery commit").Select(e => e.User).ToListAsync());
    }

    [Fact]
    public async Task A_ticked_unknown_neighbour_is_added_as_a_device_with_the_guessed_platform_and_its_link()
    {
        await SeedAsync(db => db.Devices.Add(new Device { Name = "paris-core", Address = "192.0.2.10", Platform = "cisco_ios", Simulated = true }));
        int paris;
        await using (var db = await DbFactory.CreateDbContextAsync())
        {
            paris = (await db.Devices.SingleAsync()).Id;
        }
        var page = Render<DiscoveryPage>();
        var picker = page.FindComponent<MudAutocomplete<DeviceRef>>();
        await page.InvokeAsync(() => picker.Instance.ValueChanged.InvokeAsync(new DeviceRef(paris, "paris-core", "192.0.2.10")));
        page.Find("[data-testid=preview]").Click();
        await page.WaitForAssertionAsync(() => Assert.Equal(5, page.FindAll("[data-testid=unknown-neighbor]").Count), TimeSpan.FromSeconds(20));
        // Nothing is ticked at first: no device is added unasked.
        Assert.True(page.Find("[data-testid=commit]").HasAttribute("disabled"));

        // brussels (IOS): CDP gave its address and platform.
        var row = page.FindAll("[data-testid=unknown-neighbor]").Select((r, i) => (r, i)).Single(x => x.r.TextContent.Contains("brussels-core", StringComparison.Ordinal)).i;
        var brussels = page.FindComponents<MudCheckBox<bool>>().Where(c => c.Markup.Contains("add-device", StringComparison.Ordinal)).ElementAt(row);
        await page.InvokeAsync(() => brussels.Instance.ValueChanged.InvokeAsync(true));
        page.Find("[data-testid=commit]").Click();

        await page.WaitForElementAsync("[data-testid=discovery-committed]", TimeSpan.FromSeconds(20));
        await using var check = await DbFactory.CreateDbContextAsync();
        var device = await check.Devices.SingleAsync(d => d.Name == "brussels-core");
        Assert.Equal(("192.0.2.16", "cisco_ios", true), (device.Address, device.Platform, device.Simulated));
        var link = await check.Links.SingleAsync();
        Assert.Equal((paris, device.Id), (link.SourceId, link.DestinationId));
        Assert.Equal(4, page.FindAll("[data-testid=unknown-neighbor]").Count);
    }
}
