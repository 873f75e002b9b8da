using Bunit;
using eNMS.Core.Automation;
using eNMS.Core.Configurations;
using eNMS.Core.Inventory;
using eNMS.Core.Search;
using eNMS.Web.Components.Layout;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace eNMS.Tests.Web;

/// <summary>The top bar: the theme menu (light, dark, same as the system; remembered per user in the browser) and
/// the global search box (grouped results, keyboard navigation).</summary>
public sealed class TopBarTests : WebTestContext
{
    private const string ThemeKey = "enms.theme:tester";

    public TopBarTests()
    {
        Services.AddSingleton<AntiforgeryStateProvider>(new NoAntiforgery());
        Services.AddSingleton(new ConfigStore(DbFactory, TimeProvider.System));
        Services.AddSingleton<ConfigSearch>();
        Services.AddSingleton<GlobalSearch>();
        SetRendererInfo(new RendererInfo("Server", true));
    }

    private IRenderedComponent<MainLayout> RenderLayout() =>
        Render<MainLayout>(p => p.Add(x => x.Body, (RenderFragment)(b => b.AddContent(0, "page"))));

    private string? ThemeOnHtml() => JSInterop.Invocations
        .Where(i => i.Identifier == "document.documentElement.setAttribute").Select(i => i.Arguments[1] as string).LastOrDefault();

    [Fact]
    public void The_stored_choice_of_this_user_is_applied_on_load()
    {
        JSInterop.Setup<string?>("localStorage.getItem", ThemeKey).SetResult("dark");
        JSInterop.Setup<bool>("mudThemeProvider.isDarkMode").SetResult(false);

        var layout = RenderLayout();

        layout.WaitForAssertion(() => Assert.True(layout.Instance.DarkMode));
        Assert.Equal("dark", ThemeOnHtml());
        Assert.Equal("dark", layout.Find("[data-testid=theme-menu]").GetAttribute("data-theme-choice"));
    }

    [Fact]
    public async Task System_follows_the_operating_system_as_it_changes()
    {
        JSInterop.Setup<bool>("mudThemeProvider.isDarkMode").SetResult(true);

        var layout = RenderLayout();
        layout.WaitForAssertion(() => Assert.True(layout.Instance.DarkMode));
        Assert.Equal("system", layout.Find("[data-testid=theme-menu]").GetAttribute("data-theme-choice"));

        await layout.InvokeAsync(() => layout.FindComponent<MudThemeProvider>().Instance.SystemDarkModeChangedAsync(false));

        layout.WaitForAssertion(() => Assert.False(layout.Instance.DarkMode));
        Assert.Equal("light", ThemeOnHtml());
    }

    [Fact]
    public void A_choice_is_applied_at_once_and_stored_under_the_users_name()
    {
        JSInterop.Setup<bool>("mudThemeProvider.isDarkMode").SetResult(true);
        var store = JSInterop.SetupVoid("localStorage.setItem", ThemeKey, "light");
        store.SetVoidResult();
        var layout = RenderLayout();
        layout.WaitForAssertion(() => Assert.Equal("dark", ThemeOnHtml()));

        layout.Find("[data-testid=theme-menu] button").Click();
        layout.Find("[data-testid=theme-light]").Click();

        layout.WaitForAssertion(() => Assert.False(layout.Instance.DarkMode));
        Assert.Equal("light", ThemeOnHtml());
        store.VerifyInvoke("localStorage.setItem");
    }

    [Fact]
    public async Task Search_results_are_grouped_by_kind_and_the_keyboard_opens_one()
    {
        await SeedAsync(db =>
        {
            db.Devices.Add(new Device { Name = "paris-core", Address = "192.0.2.1" });
            db.Services.Add(new Service { Name = "paris backup", Kind = "config_backup" });
        });
        var navigation = Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        var box = Render<GlobalSearchBox>();

        box.Find("input").Input("paris");

        box.WaitForAssertion(() => Assert.Equal(2, box.FindAll("[data-testid=global-search-hit]").Count));
        Assert.NotNull(box.Find("[data-testid=global-search-group-device]"));
        Assert.NotNull(box.Find("[data-testid=global-search-group-service]"));
        Assert.Equal("true", box.FindAll("[data-testid=global-search-hit]")[0].GetAttribute("aria-selected"));

        box.Find("input").KeyDown("ArrowDown");
        Assert.Equal("true", box.FindAll("[data-testid=global-search-hit]")[1].GetAttribute("aria-selected"));
        box.Find("input").KeyDown("ArrowDown");
        Assert.Equal("true", box.FindAll("[data-testid=global-search-hit]")[0].GetAttribute("aria-selected"));
        box.Find("input").KeyDown("ArrowUp");
        box.Find("input").KeyDown("Enter");

        Assert.Matches(@"/services/\d+/edit$", navigation.Uri);
        Assert.Empty(box.FindAll("[data-testid=global-search-results]"));
    }

    [Fact]
    public void A_query_that_is_too_long_says_so()
    {
        var box = Render<GlobalSearchBox>();

        box.Find("input").Input(new string('x', GlobalSearch.MaxQueryLength + 5));

        box.WaitForAssertion(() => Assert.Contains("at most", box.Find("[data-testid=global-search-problem]").TextContent, StringComparison.Ordinal));
    }

    private sealed class NoAntiforgery : AntiforgeryStateProvider
    {
        public override AntiforgeryRequestToken? GetAntiforgeryToken() => null;
    }
}
