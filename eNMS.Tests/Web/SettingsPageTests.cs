using Bunit;
using eNMS.Core.Security;
using eNMS.Core.Settings;
using eNMS.Web.Components.Pages.Admin;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace eNMS.Tests.Web;

/// <summary>The settings page: a setting another source sets is locked with its source, one needing a restart says so,
/// an invalid value shows the message naming it and saves nothing, a valid one is saved, applied and audited once, and
/// the password field never shows the stored password.</summary>
public sealed class SettingsPageTests : WebTestContext
{
    private readonly StoredSettingsConfigurationSource _source = new();
    private readonly IConfigurationRoot _configuration;

    public SettingsPageTests()
    {
        _configuration = new ConfigurationBuilder().Add(_source)
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Automation:Smtp:Host"] = "relay.example.net" }).Build();
        Services.AddSingleton<IConfiguration>(_configuration);
        Services.AddSingleton(_source);
        Services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        Services.AddSingleton<RuntimeSettings>();
    }

    private static string Field(IRenderedComponent<SettingsPage> page, string key) => page.Find($"[data-testid='setting-{key}']").TextContent;

    [Fact]
    public async Task An_admin_sees_locks_and_restarts_is_told_what_is_wrong_and_saves_a_valid_value()
    {
        var page = Render<SettingsPage>();
        Assert.Contains("set by the host's settings", Field(page, "Automation:Smtp:Host"), StringComparison.Ordinal);
        Assert.True(page.Find("input[data-testid='input-Automation:Smtp:Host']").HasAttribute("disabled"));
        Assert.Contains("applies at restart", Field(page, "Automation:MaxConcurrentRuns"), StringComparison.Ordinal);
        Assert.DoesNotContain("applies at restart", Field(page, "Views:TileServerUrl"), StringComparison.Ordinal);

        page.Find("input[data-testid='input-Views:TileServerUrl']").Change("tiles.example.org/{z}/{x}/{y}.png");
        page.Find("input[data-testid='input-Automation:Smtp:Password']").Change("page-smtp-secret");
        await page.InvokeAsync(() => page.Find("button[data-testid=save-settings]").Click());
        page.WaitForAssertion(() => Assert.Contains("Tile server URL (Views:TileServerUrl): 'tiles.example.org/{z}/{x}/{y}.png' is not an absolute http or https URL",
            Field(page, "Views:TileServerUrl"), StringComparison.Ordinal));
        await using (var db = await DbFactory.CreateDbContextAsync())
        {
            Assert.Empty(await db.StoredSettings.ToListAsync());
        }

        page.Find("input[data-testid='input-Views:TileServerUrl']").Change("https://tiles.example.org/{z}/{x}/{y}.png");
        await page.InvokeAsync(() => page.Find("button[data-testid=save-settings]").Click());
        page.WaitForAssertion(() => Assert.Contains("changed by tester", Field(page, "Views:TileServerUrl"), StringComparison.Ordinal));
        Assert.Equal("https://tiles.example.org/{z}/{x}/{y}.png", _configuration["Views:TileServerUrl"]);
        Assert.Equal("page-smtp-secret", _configuration["Automation:Smtp:Password"]);
        Assert.DoesNotContain("page-smtp-secret", page.Markup, StringComparison.Ordinal);
        Assert.Equal("", page.Find("input[data-testid='input-Automation:Smtp:Password']").GetAttribute("value") ?? "");

        await using var check = await DbFactory.CreateDbContextAsync();
        var entries = await check.AuditEntries.OrderBy(e => e.Id).Select(e => new { e.User, e.Action, e.TargetName, e.After }).ToListAsync();
        Assert.Equal(2, entries.Count);
        Assert.Contains(entries, e => (e.User, e.Action, e.TargetName, e.After) == ("tester", "setting change", "Views:TileServerUrl", "(default) -> https://tiles.example.org/{z}/{x}/{y}.png"));
        Assert.Contains(entries, e => (e.TargetName, e.After) == ("Automation:Smtp:Password", "set"));
        var stored = await check.StoredSettings.SingleAsync(s => s.Key == "Automation:Smtp:Password");
        Assert.Equal("page-smtp-secret", Services.GetRequiredService<SecretProtector>().Unprotect(stored.Value));
    }
}
