using Bunit;
using eNMS.Core.Inventory;
using eNMS.Core.Security;
using eNMS.Web.Components.Pages.Inventory;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Web;

public sealed class CredentialPagesTests : WebTestContext
{
    [Fact]
    public async Task List_shows_which_secrets_are_set_but_never_a_secret()
    {
        var protector = Services.GetRequiredService<SecretProtector>();
        var protectedPassword = protector.Protect("hunter2");
        await SeedAsync(db => db.Credentials.Add(new Credential
        {
            Name = "lab",
            Username = "admin",
            Priority = 5,
            Access = CredentialAccess.ReadOnly,
            ProtectedPassword = protectedPassword,
            Pools = [new Pool { Name = "core" }],
        }));

        var page = Render<CredentialsPage>();

        await page.WaitForAssertionAsync(() => Assert.Equal("lab", page.Find("[data-testid=credential-name]").TextContent.Trim()));
        Assert.Contains("set ✓", page.Find("[data-testid=credential-password]").TextContent, StringComparison.Ordinal);
        Assert.Equal("—", page.Find("[data-testid=credential-enable]").TextContent.Trim());
        Assert.Equal("read-only", page.Find("[data-testid=credential-access]").TextContent.Trim());
        Assert.Contains("core", page.Find("[data-testid=credential-table] tbody").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(protectedPassword, page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Edit_keeps_a_stored_password_when_the_field_stays_empty()
    {
        var protector = Services.GetRequiredService<SecretProtector>();
        var protectedPassword = protector.Protect("hunter2");
        await SeedAsync(db => db.Credentials.Add(new Credential { Name = "lab", Username = "admin", Access = CredentialAccess.ReadOnly, ProtectedPassword = protectedPassword }));
        var page = Render<CredentialEditPage>(p => p.Add(x => x.Id, 1));
        await page.WaitForAssertionAsync(() => Assert.NotNull(page.Find("[data-testid=clear-password]")));
        Assert.DoesNotContain(protectedPassword, page.Markup, StringComparison.Ordinal);

        page.Find("input[data-testid=field-username]").Change("netops");
        page.Find("button[data-testid=save]").Click();

        await using var db = await DbFactory.CreateDbContextAsync();
        await page.WaitForAssertionAsync(() => Assert.Equal("netops", db.Credentials.AsNoTracking().Single().Username));
        Assert.Equal("hunter2", protector.Unprotect(db.Credentials.AsNoTracking().Single().ProtectedPassword!));
        Assert.Equal(CredentialAccess.ReadOnly, db.Credentials.AsNoTracking().Single().Access);
    }

    [Fact]
    public async Task Only_an_admin_edits_who_may_use_a_credential_and_the_list_is_saved_from_the_form()
    {
        var protector = Services.GetRequiredService<SecretProtector>();
        await SeedAsync(db => db.UserGroups.AddRange(new UserGroup { Name = "netops" }, new UserGroup { Name = "core" }));
        await SeedAsync(db => db.Credentials.Add(new Credential { Name = "lab", Username = "admin", ProtectedPassword = protector.Protect("p"), UseAccess = ["group:netops"] }));
        Authorization.SetRoles(Roles.Editor);
        var editor = Render<CredentialEditPage>(p => p.Add(x => x.Id, 1));
        await editor.WaitForAssertionAsync(() => Assert.True(editor.Find("input[data-testid=field-use-access]").HasAttribute("disabled")));
        Assert.Equal("group:netops", editor.Find("input[data-testid=field-use-access]").GetAttribute("value"));

        Authorization.SetRoles(Roles.Admin);
        var admin = Render<CredentialEditPage>(p => p.Add(x => x.Id, 1));
        await admin.WaitForAssertionAsync(() => Assert.False(admin.Find("input[data-testid=field-use-access]").HasAttribute("disabled")));
        admin.Find("input[data-testid=field-use-access]").Change("group:nobody");
        admin.Find("button[data-testid=save]").Click();
        await admin.WaitForAssertionAsync(() => Assert.Contains("group:nobody", admin.Markup, StringComparison.Ordinal));
        admin.Find("input[data-testid=field-use-access]").Change("group:netops, group:core");
        admin.Find("button[data-testid=save]").Click();

        await using var db = await DbFactory.CreateDbContextAsync();
        await admin.WaitForAssertionAsync(() => Assert.Equal(["group:netops", "group:core"], db.Credentials.AsNoTracking().Single().UseAccess));
    }
}
