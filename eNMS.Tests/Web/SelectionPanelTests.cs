using Bunit;
using eNMS.Core.Automation;
using eNMS.Core.Security;
using eNMS.Web.Components.Shared;
using eNMS.Web.Components.Views;

namespace eNMS.Tests.Web;

public sealed class SelectionPanelTests : WebTestContext
{
    private static readonly DeviceRef[] Devices = [new(1, "paris-core", "127.0.0.1"), new(2, "lyon-edge", "127.0.0.2")];

    [Fact]
    public async Task The_panel_lists_the_selection_and_hands_removals_and_clearing_to_the_view()
    {
        await SeedAsync(db => db.Services.Add(new Service { Name = "backup", Kind = "config_backup" }));
        DeviceRef? removed = null;
        var cleared = false;
        var panel = Render<SelectionPanel>(p => p.Add(x => x.Devices, Devices)
            .Add(x => x.OnRemove, d => removed = d).Add(x => x.OnClear, () => cleared = true));

        Assert.Equal("2 devices selected", panel.Find("[data-testid=selection-count]").TextContent);
        Assert.Equal(["paris-core", "lyon-edge"], panel.FindAll("[data-testid=selected-device]").Select(d => d.TextContent.Trim()));
        // Nothing to run until a service is chosen.
        Assert.True(panel.Find("button[data-testid=run-selection]").HasAttribute("disabled"));

        panel.Find("button[aria-label='Deselect lyon-edge']").Click();
        Assert.Equal("lyon-edge", removed?.Name);
        panel.Find("button[data-testid=selection-clear]").Click();
        Assert.True(cleared);
    }

    [Fact]
    public void A_long_selection_is_listed_in_part_and_counted_in_full()
    {
        var many = Enumerable.Range(1, SelectionPanel.MaxListed + 5).Select(i => new DeviceRef(i, $"d{i:D4}", "127.0.0.1")).ToList();
        var panel = Render<SelectionPanel>(p => p.Add(x => x.Devices, many));
        Assert.Equal($"{many.Count} devices selected", panel.Find("[data-testid=selection-count]").TextContent);
        Assert.Equal(SelectionPanel.MaxListed, panel.FindAll("[data-testid=selected-device]").Count);
        Assert.Equal("and 5 more", panel.Find("[data-testid=selection-more]").TextContent);
    }

    [Fact]
    public void A_viewer_sees_the_selection_but_no_way_to_run_on_it()
    {
        Authorization.SetRoles(Roles.Viewer);
        Authorization.SetPolicies(Policies.Read);
        var panel = Render<SelectionPanel>(p => p.Add(x => x.Devices, Devices));
        Assert.Equal(2, panel.FindAll("[data-testid=selected-device]").Count);
        Assert.Empty(panel.FindAll("[data-testid=run-selection]"));
        Assert.Empty(panel.FindAll("[data-testid=selection-service]"));
    }
}
