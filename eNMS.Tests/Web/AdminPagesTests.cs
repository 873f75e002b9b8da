using Bunit;
using eNMS.Core;
using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Web.Components.Pages.Admin;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Web;

/// <summary>The users and audit pages, rendered with the real Identity stores on the test database.</summary>
public sealed class AdminPagesTests : WebTestContext
{
    public AdminPagesTests()
    {
        Services.AddLogging();
        Services.AddScoped<EnmsDbContext>(_ => DbFactory.CreateDbContext());
        Services.AddEnmsAccounts();
    }

    private async Task<UserManager<EnmsUser>> SeedUsersAsync(params (string Name, string Role)[] users)
    {
        var scope = Services.CreateScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            await roles.CreateAsync(new IdentityRole(role));
        }
        var manager = scope.ServiceProvider.GetRequiredService<UserManager<EnmsUser>>();
        foreach (var (name, role) in users)
        {
            var user = new EnmsUser { UserName = name };
            Assert.True((await manager.CreateAsync(user, "a-long-test-password")).Succeeded);
            Assert.True((await manager.AddToRoleAsync(user, role)).Succeeded);
        }
        return manager;
    }

    /// <summary>A user manager on a new context (the page changed users through its own).</summary>
    private UserManager<EnmsUser> Fresh() => Services.CreateScope().ServiceProvider.GetRequiredService<UserManager<EnmsUser>>();

    [Fact]
    public async Task An_admin_creates_a_user_with_a_role_locks_it_and_resets_its_password()
    {
        var users = await SeedUsersAsync(("alice", Roles.Viewer));
        var provider = Render<MudBlazor.MudDialogProvider>();
        var page = Render<UsersPage>();
        page.WaitForAssertion(() => Assert.Equal(["alice"], page.FindAll("[data-testid=user-row-name]").Select(c => c.TextContent)));

        page.Find("input[data-testid=new-user-name]").Change("bob");
        page.Find("input[data-testid=new-user-password]").Change("another-long-password");
        await page.InvokeAsync(() => page.Find("[data-testid=create-user]").Click());

        page.WaitForAssertion(() => Assert.Equal(["alice", "bob"], page.FindAll("[data-testid=user-row-name]").Select(c => c.TextContent)));
        var bob = (await users.FindByNameAsync("bob"))!;
        Assert.Equal([Roles.Viewer], await users.GetRolesAsync(bob));
        Assert.True(await users.CheckPasswordAsync(bob, "another-long-password"));

        await ClickInRowAsync(page, "bob", "Lock");
        page.WaitForAssertion(() => Assert.Contains("locked", Row(page, "bob").TextContent, StringComparison.Ordinal));
        users = Fresh();
        Assert.True(await users.IsLockedOutAsync((await users.FindByNameAsync("bob"))!));

        // Asked first: cancelling changes nothing.
        await ClickInRowAsync(page, "bob", "Reset password");
        await provider.InvokeAsync(() => provider.FindAll(".mud-message-box button").Single(b => b.TextContent.Trim() == "Cancel").Click());
        Assert.Empty(page.FindAll("[data-testid=users-message]"));
        Assert.True(await Fresh().CheckPasswordAsync((await Fresh().FindByNameAsync("bob"))!, "another-long-password"));

        await ClickInRowAsync(page, "bob", "Reset password");
        await provider.InvokeAsync(() => provider.FindAll(".mud-message-box button").Single(b => b.TextContent.Trim() == "Reset, force a change").Click());
        var message = page.WaitForElement("[data-testid=users-message]").TextContent;
        Assert.Contains("to be changed at next sign-in", message, StringComparison.Ordinal);
        var password = message[(message.LastIndexOf(": ", StringComparison.Ordinal) + 2)..].Trim();
        users = Fresh();
        bob = (await users.FindByNameAsync("bob"))!;
        Assert.True(await users.CheckPasswordAsync(bob, password));
        Assert.False(await users.CheckPasswordAsync(bob, "another-long-password"));
        Assert.True(bob.MustChangePassword);
        page.WaitForAssertion(() => Assert.Contains("must change password", Row(page, "bob").TextContent, StringComparison.Ordinal));

        await ClickInRowAsync(page, "bob", "Reset password");
        await provider.InvokeAsync(() => provider.FindAll(".mud-message-box button").Single(b => b.TextContent.Trim() == "Reset, keep it").Click());
        page.WaitForAssertion(() => Assert.DoesNotContain("to be changed", page.Find("[data-testid=users-message]").TextContent, StringComparison.Ordinal));
        Assert.False((await Fresh().FindByNameAsync("bob"))!.MustChangePassword);
    }

    [Fact]
    public async Task Deleting_a_user_is_confirmed_and_the_last_admin_cannot_be_deleted()
    {
        await SeedUsersAsync(("alice", Roles.Admin), ("bob", Roles.Viewer));
        var provider = Render<MudBlazor.MudDialogProvider>();
        var page = Render<UsersPage>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=user-row-name]").Count));

        await ClickInRowAsync(page, "alice", "Delete");
        await provider.InvokeAsync(() => provider.FindAll(".mud-message-box button").Single(b => b.TextContent.Trim() == "Delete").Click());
        Assert.NotNull(await Fresh().FindByNameAsync("alice"));

        await ClickInRowAsync(page, "bob", "Delete");
        await provider.InvokeAsync(() => provider.FindAll(".mud-message-box button").Single(b => b.TextContent.Trim() == "Delete").Click());
        page.WaitForAssertion(() => Assert.Equal(["alice"], page.FindAll("[data-testid=user-row-name]").Select(c => c.TextContent)));
        Assert.Null(await Fresh().FindByNameAsync("bob"));
    }

    private static AngleSharp.Dom.IElement Row(IRenderedComponent<UsersPage> page, string name) =>
        page.FindAll("tbody tr").Single(r => r.QuerySelector("[data-testid=user-row-name]")?.TextContent == name);

    private static Task ClickInRowAsync(IRenderedComponent<UsersPage> page, string name, string button) =>
        page.InvokeAsync(() => Row(page, name).QuerySelectorAll("button").Single(b => b.TextContent.Trim() == button).Click());

    private async Task<List<string>> MembersOfAsync(string group)
    {
        await using var db = await DbFactory.CreateDbContextAsync();
        return (await db.UserGroups.SingleAsync(g => g.Name == group)).Members;
    }

    [Fact]
    public async Task Admins_create_groups_add_and_remove_members_and_delete_groups()
    {
        await SeedUsersAsync(("alice", Roles.Viewer));
        var provider = Render<MudBlazor.MudDialogProvider>();
        var section = Render<UserGroupsSection>();
        section.Find("input[data-testid=new-group-name]").Change("netops");
        await section.InvokeAsync(() => section.Find("[data-testid=create-group]").Click());
        section.WaitForAssertion(() => Assert.Equal(["netops"], section.FindAll("[data-testid=group-row-name]").Select(c => c.TextContent)));

        section.Find("input[data-testid=group-member-name]").Change("nobody");
        await section.InvokeAsync(() => section.FindAll("[data-testid=group-row-members] button").Single(b => b.TextContent.Trim() == "Add").Click());
        Assert.Empty(await MembersOfAsync("netops"));

        section.Find("input[data-testid=group-member-name]").Change("ALICE");
        await section.InvokeAsync(() => section.FindAll("[data-testid=group-row-members] button").Single(b => b.TextContent.Trim() == "Add").Click());
        section.WaitForAssertion(() => Assert.Contains("alice", section.Find("[data-testid=group-row-members]").TextContent, StringComparison.Ordinal));
        Assert.Equal(["alice"], await MembersOfAsync("netops"));

        await section.InvokeAsync(() => section.Find(".mud-chip-close-button").Click());
        section.WaitForAssertion(() => Assert.DoesNotContain("alice", section.Find("[data-testid=group-row-members]").TextContent, StringComparison.Ordinal));
        Assert.Empty(await MembersOfAsync("netops"));

        await section.InvokeAsync(() => section.FindAll("tbody tr button").Single(b => b.TextContent.Trim() == "Delete").Click());
        await provider.InvokeAsync(() => provider.FindAll(".mud-message-box button").Single(b => b.TextContent.Trim() == "Delete").Click());
        section.WaitForAssertion(() => Assert.Empty(section.FindAll("[data-testid=group-row-name]")));
    }

    [Fact]
    public async Task A_user_who_is_not_an_admin_cannot_create_groups_even_if_the_section_renders()
    {
        Authorization.SetRoles(Roles.Editor);
        Authorization.SetPolicies(Policies.Read, Policies.InventoryWrite, Policies.AutomationWrite, Policies.AutomationRun);
        var section = Render<UserGroupsSection>();
        section.Find("input[data-testid=new-group-name]").Change("sneaky");
        await section.InvokeAsync(() => section.Find("[data-testid=create-group]").Click());
        await using var db = await DbFactory.CreateDbContextAsync();
        Assert.Empty(await db.UserGroups.ToListAsync());
    }

    [Fact]
    public async Task A_user_who_is_not_an_admin_cannot_create_users_even_if_the_page_renders()
    {
        var users = await SeedUsersAsync(("alice", Roles.Viewer));
        Authorization.SetRoles(Roles.Editor);
        Authorization.SetPolicies(Policies.Read, Policies.InventoryWrite, Policies.AutomationWrite, Policies.AutomationRun);
        var page = Render<UsersPage>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=user-row-name]")));

        page.Find("input[data-testid=new-user-name]").Change("mallory");
        page.Find("input[data-testid=new-user-password]").Change("another-long-password");
        await page.InvokeAsync(() => page.Find("[data-testid=create-user]").Click());

        Assert.Null(await users.FindByNameAsync("mallory"));
        Assert.Single(page.FindAll("[data-testid=user-row-name]"));
    }

    [Fact]
    public async Task The_audit_page_lists_entries_newest_first_and_filters_them()
    {
        var start = TimeProvider.System.GetUtcNow();
        await SeedAsync(db => db.AuditEntries.AddRange(
            new AuditEntry { At = start.AddMinutes(-3), User = "alice", Action = "create", TargetKind = "device", TargetName = "paris-core" },
            new AuditEntry { At = start.AddMinutes(-2), User = "bob", Action = "run start", TargetKind = "run", TargetId = "7" },
            new AuditEntry { At = start.AddMinutes(-1), User = "alice", Action = "delete", TargetKind = "link", TargetName = "paris-london" }));
        var page = Render<AuditPage>();
        page.WaitForAssertion(() => Assert.Equal(["delete", "run start", "create"], page.FindAll("[data-testid=audit-action]").Select(c => c.TextContent)));

        page.FindAll("input")[0].Change("alice");
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent.Trim() == "Filter").Click());

        page.WaitForAssertion(() => Assert.Equal(["delete", "create"], page.FindAll("[data-testid=audit-action]").Select(c => c.TextContent)));
        Assert.All(page.FindAll("[data-testid=audit-user]"), c => Assert.Equal("alice", c.TextContent));
        Assert.Contains("user=alice", page.Find("[data-testid=audit-csv]").GetAttribute("href"), StringComparison.Ordinal);
    }
}
