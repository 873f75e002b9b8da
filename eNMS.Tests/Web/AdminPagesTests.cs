using Bunit;
using eNMS.Core;
using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Web.Components.Pages.Admin;
using Microsoft.AspNetCore.Identity;
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
        var page = Render<UsersPage>();
        page.WaitForAssertion(() => Assert.Equal(["alice"], page.FindAll("[data-testid=user-row-name]").Select(c => c.TextContent)));

        page.Find("input[data-testid=new-user-name]").Change("bob");
        page.Find("input[data-testid=new-user-password]").Change("another-long-password");
        await page.InvokeAsync(() => page.Find("[data-testid=create-user]").Click());

        page.WaitForAssertion(() => Assert.Equal(["alice", "bob"], page.FindAll("[data-testid=user-row-name]").Select(c => c.TextContent)));
        var bob = (await users.FindByNameAsync("bob"))!;
        Assert.Equal([Roles.Viewer], await users.GetRolesAsync(bob));
        Assert.True(await users.CheckPasswordAsync(bob, "another-long-password"));

        var bobRow = page.FindAll("tbody tr").Single(r => r.TextContent.Contains("bob", StringComparison.Ordinal));
        await page.InvokeAsync(() => bobRow.QuerySelectorAll("button").Single(b => b.TextContent.Trim() == "Lock").Click());
        page.WaitForAssertion(() => Assert.Contains("locked", page.FindAll("tbody tr").Single(r => r.TextContent.Contains("bob", StringComparison.Ordinal)).TextContent, StringComparison.Ordinal));
        users = Fresh();
        Assert.True(await users.IsLockedOutAsync((await users.FindByNameAsync("bob"))!));

        bobRow = page.FindAll("tbody tr").Single(r => r.TextContent.Contains("bob", StringComparison.Ordinal));
        await page.InvokeAsync(() => bobRow.QuerySelectorAll("button").Single(b => b.TextContent.Trim() == "Reset password").Click());
        var message = page.WaitForElement("[data-testid=users-message]").TextContent;
        var password = message[(message.LastIndexOf(": ", StringComparison.Ordinal) + 2)..].Trim();
        users = Fresh();
        bob = (await users.FindByNameAsync("bob"))!;
        Assert.True(await users.CheckPasswordAsync(bob, password));
        Assert.False(await users.CheckPasswordAsync(bob, "another-long-password"));
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
