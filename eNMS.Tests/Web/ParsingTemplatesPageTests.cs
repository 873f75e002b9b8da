using Bunit;
using eNMS.Core.Parsing;
using eNMS.Core.Security;
using eNMS.Web.Components.Pages.Automation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace eNMS.Tests.Web;

/// <summary>The parsing templates page: a viewer tries templates but cannot save; an editor saves only valid ones.</summary>
public sealed class ParsingTemplatesPageTests : WebTestContext
{
    private const string Sample = "Cisco IOS Software, IOSv Software (VIOS-ADVENTERPRISEK9-M), Version 15.9(3)M4\nr1 uptime is 3 minutes\n";

    public ParsingTemplatesPageTests()
    {
        Services.AddSingleton<IOptionsMonitor<ParsingOptions>>(new OptionsMonitorStub());
        Services.AddSingleton<ParsingLibrary>();
        Services.AddSingleton<ParsingTemplates>();
    }

    private void As(string role)
    {
        Authorization.SetRoles(role);
        Authorization.SetPolicies([.. Policies.RolesFor.Where(p => p.Value.Contains(role)).Select(p => p.Key)]);
    }

    [Fact]
    public async Task A_viewer_cannot_save_but_can_try_a_built_in_template_on_pasted_output()
    {
        As(Roles.Viewer);
        var page = Render<ParsingTemplatesPage>();
        Assert.Empty(page.FindAll("[data-testid=save-template]"));
        await page.InvokeAsync(() => page.FindAll("[data-testid=builtin-templates] .mud-chip").First(c => c.TextContent.Contains("cisco_ios_show_version", StringComparison.Ordinal)).Click());
        Assert.Contains("Value VERSION", page.Find("[data-testid=template-text]").GetAttribute("value") ?? page.Find("[data-testid=template-text]").TextContent, StringComparison.Ordinal);
        page.Find("[data-testid=sample-text]").Change(Sample);
        await page.InvokeAsync(() => page.Find("[data-testid=test-template]").Click());
        page.WaitForAssertion(() =>
        {
            var cells = page.FindAll("[data-testid=parse-result] tbody td").Select(c => c.TextContent).ToList();
            Assert.Equal("15.9(3)M4", cells[0]);
            Assert.Equal("r1", cells[1]);
        });
    }

    [Fact]
    public async Task A_template_error_is_shown_with_its_line_and_an_editor_cannot_save_it()
    {
        As(Roles.Editor);
        var page = Render<ParsingTemplatesPage>();
        page.Find("input[data-testid=template-name]").Change("broken");
        page.Find("[data-testid=template-text]").Change("Value A (x)\n\nStart\n  ^x$\n");
        await page.InvokeAsync(() => page.Find("[data-testid=test-template]").Click());
        page.WaitForAssertion(() => Assert.Contains("template broken line 4: Duplicate or invalid variable substitution", page.Find("[data-testid=parse-problem]").TextContent, StringComparison.Ordinal));
        await page.InvokeAsync(() => page.Find("[data-testid=save-template]").Click());
        await using (var db = await DbFactory.CreateDbContextAsync())
        {
            Assert.False(await db.ParsingTemplates.AnyAsync());
        }

        page.Find("[data-testid=template-text]").Change("Value A (\\d+)\n\nStart\n  ^a ${A} -> Record\n");
        page.Find("input[data-testid=template-platform]").Change("cisco_ios");
        page.Find("input[data-testid=template-command]").Change("sh[[ow]] a");
        await page.InvokeAsync(() => page.Find("[data-testid=save-template]").Click());
        page.WaitForAssertion(() => Assert.Contains("broken", page.Find("[data-testid=stored-templates]").TextContent, StringComparison.Ordinal));
        await using var check = await DbFactory.CreateDbContextAsync();
        var saved = await check.ParsingTemplates.SingleAsync();
        Assert.Equal(("cisco_ios", "sh[[ow]] a"), (saved.Platform, saved.Command));
    }

    private sealed class OptionsMonitorStub : IOptionsMonitor<ParsingOptions>
    {
        public ParsingOptions CurrentValue { get; } = new();

        public ParsingOptions Get(string? name) => CurrentValue;

        public IDisposable? OnChange(Action<ParsingOptions, string?> listener) => null;
    }
}
