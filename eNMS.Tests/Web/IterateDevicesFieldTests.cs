using Bunit;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Handlers;
using eNMS.Core.Automation.Workflows;
using eNMS.Web.Components.Pages.Automation;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Web;

/// <summary>The service form's "Iterate devices" field: saved with the service, and a template that does not parse is
/// said on the form.</summary>
public sealed class IterateDevicesFieldTests : WebTestContext
{
    public IterateDevicesFieldTests()
    {
        Services.AddLogging();
        Services.AddSingleton(new ServiceHandlers([new WaitHandler()]));
        Services.AddSingleton(new ServiceSecrets(new Microsoft.AspNetCore.DataProtection.EphemeralDataProtectionProvider()));
        Services.AddSingleton<ServiceEditor>();
        Services.AddSingleton<WorkflowTransfer>();
        Services.AddSingleton<eNMS.Core.Automation.Execution.RunNotifier>();
    }

    [Fact]
    public async Task The_derived_devices_template_is_saved_with_the_service_and_a_broken_one_is_refused_on_the_form()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("services/new?kind=wait");
        var page = Render<ServiceEditPage>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("input[data-testid=service-name-field]")));
        page.Find("input[data-testid=service-name-field]").Change("visit neighbours");

        page.Find("input[data-testid=iterate-devices]").Change("{% for x in %}");
        page.Find("button[data-testid=save-service]").Click();
        page.WaitForAssertion(() => Assert.Contains("iterateDevices", page.Markup, StringComparison.Ordinal));

        page.Find("input[data-testid=iterate-devices]").Change("{{ results['lldp'].output }}");
        page.Find("button[data-testid=save-service]").Click();
        await using var db = await DbFactory.CreateDbContextAsync();
        await page.WaitForAssertionAsync(() => Assert.Single(db.Services.Where(s => s.Name == "visit neighbours")));
        Assert.Equal("{{ results['lldp'].output }}", (await db.Services.SingleAsync()).IterateDevices);
    }
}
