using Bunit;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Handlers;
using eNMS.Core.Automation.Workflows;
using eNMS.Core.Security;
using eNMS.Web.Components.Pages.Automation;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Web;

/// <summary>The services list shows what the user may read: an access list without them hides a service, as the API does.</summary>
public sealed class ServicesPageTests : WebTestContext
{
    public ServicesPageTests()
    {
        Services.AddLogging();
        Services.AddSingleton(new ServiceHandlers([new WaitHandler()]));
        Services.AddSingleton(new ServiceSecrets(new Microsoft.AspNetCore.DataProtection.EphemeralDataProtectionProvider()));
        Services.AddSingleton<ServiceEditor>();
        Services.AddSingleton<WorkflowTransfer>();
        SetRendererInfo(new RendererInfo("Server", true));
    }

    private Task SeedServicesAsync() => SeedAsync(db => db.Services.AddRange(
        new Service { Name = "open wait", Kind = "wait" },
        new Service { Name = "core team wait", Kind = "wait", Owner = "carol", ReadAccess = ["group:core"] }));

    [Fact]
    public async Task An_editor_off_the_access_list_does_not_see_the_service()
    {
        await SeedServicesAsync();
        Authorization.SetRoles(Roles.Editor);

        var page = Render<ServicesPage>();

        page.WaitForAssertion(() => Assert.Contains("open wait", page.Markup, StringComparison.Ordinal));
        Assert.DoesNotContain("core team wait", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_member_of_a_listed_group_and_an_admin_see_it()
    {
        await SeedServicesAsync();
        Authorization.SetRoles(Roles.Editor);
        Authorization.SetClaims(new System.Security.Claims.Claim(EnmsClaims.Group, "core"));

        var member = Render<ServicesPage>();
        member.WaitForAssertion(() => Assert.Contains("core team wait", member.Markup, StringComparison.Ordinal));

        Authorization.SetRoles(Roles.Admin);
        Authorization.SetClaims();
        var admin = Render<ServicesPage>();
        admin.WaitForAssertion(() => Assert.Contains("core team wait", admin.Markup, StringComparison.Ordinal));
    }
}
