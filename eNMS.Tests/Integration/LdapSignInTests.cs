using System.Net;
using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace eNMS.Tests.Integration;

/// <summary>Sign-in from a real OpenLDAP server (slapd started by <see cref="LdapServer"/>) through the login endpoint:
/// the mapping of groups to role and pools, every refusal, TLS, and what a removal from the directory ends.</summary>
public sealed class LdapSignInTests(LdapServer ldap) : IClassFixture<LdapServer>
{
    private const string Signed = "/devices";

    private async Task<EnmsAppFactory> AppAsync(params (string Key, string Value)[] settings)
    {
        ldap.Require();
        var app = new EnmsAppFactory { Settings = ldap.Settings(settings) };
        try
        {
            await using var db = await app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
            db.Pools.Add(new Pool { Name = "Paris" });
            await db.SaveChangesAsync();
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    private static async Task<(EnmsUser? User, string? Role)> AccountAsync(EnmsAppFactory app, string userName)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<EnmsUser>>();
        var user = await users.FindByNameAsync(userName);
        return (user, user is null ? null : (await users.GetRolesAsync(user)).SingleOrDefault());
    }

    private static async Task<List<AuditEntry>> AuditAsync(EnmsAppFactory app, string userName)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        return await db.AuditEntries.AsNoTracking().Where(e => e.TargetName == userName).OrderBy(e => e.Id).ToListAsync();
    }

    [RequiresFact(LdapServer.Prerequisite)]
    public async Task Wrong_empty_or_unknown_credentials_get_the_one_refusal_and_create_no_account()
    {
        await using var app = await AppAsync();
        using var browser = app.Browser();
        Assert.Equal($"/login?error=invalid&returnUrl=%2Fdevices", await browser.SignInAsync("alice", "not-alice-password"));
        // An LDAP bind with an empty password is an anonymous bind, which succeeds: it must never get that far.
        Assert.StartsWith("/login?error=invalid", await browser.SignInAsync("alice", ""), StringComparison.Ordinal);
        Assert.StartsWith("/login?error=invalid", await browser.SignInAsync("nobody", LdapServer.PasswordOf("alice")), StringComparison.Ordinal);
        Assert.Null((await AccountAsync(app, "alice")).User);
        Assert.Null((await AccountAsync(app, "nobody")).User);
        // The browser got one answer; the audit (read by admins) tells why each failed.
        Assert.Equal([("sign-in failed (wrong password)", "source: ldap"), ("sign-in failed (empty password)", "source: ldap")],
            (await AuditAsync(app, "alice")).Select(e => (e.Action, e.After)));
        Assert.Equal([("sign-in failed (unknown user)", "source: ldap")], (await AuditAsync(app, "nobody")).Select(e => (e.Action, e.After)));
    }

    [RequiresFact(LdapServer.Prerequisite)]
    public async Task Filter_characters_in_the_user_name_match_only_themselves()
    {
        await using var app = await AppAsync();
        using var browser = app.Browser();
        // Unescaped, "al*" would find alice and her password would sign in; "*)(uid=*" would widen or break the filter.
        foreach (var name in new[] { "al*", "*", "*)(uid=*", "alice)(|(uid=*", "\\2a" })
        {
            Assert.StartsWith("/login?error=invalid", await browser.SignInAsync(name, LdapServer.PasswordOf("alice")), StringComparison.Ordinal);
        }
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        Assert.Equal(["admin"], await db.Users.Select(u => u.UserName).ToListAsync());
    }

    [RequiresFact(LdapServer.Prerequisite)]
    public async Task Right_password_signs_in_with_the_role_and_pools_of_the_mapped_groups_and_local_admin_stays()
    {
        await using var app = await AppAsync();
        using var browser = app.Browser();
        Assert.Contains("Sign in with your directory account", await browser.GetStringAsync("/login"), StringComparison.Ordinal);

        Assert.Equal(Signed, await browser.SignInAsync("alice", LdapServer.PasswordOf("alice")));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/devices")).StatusCode);
        var (alice, role) = await AccountAsync(app, "alice");
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync())
        {
            Assert.Equal([await db.Pools.Where(p => p.Name == "Paris").Select(p => p.Id).SingleAsync()], alice!.ScopePoolIds);
        }
        Assert.Equal(("admin", "ldap", null), (role, alice.DirectorySource, alice.PasswordHash));
        var audit = await AuditAsync(app, "alice");
        Assert.Contains(audit, e => e.Action == "sign-in" && e.After == "source: ldap");
        Assert.Contains(audit, e => e.Action == "directory mapping" && e.After!.Contains("role admin, pools [Paris]", StringComparison.Ordinal));

        // A directory user has no password here to reset.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var reset = await scope.ServiceProvider.GetRequiredService<UserAdministration>().ResetPasswordAsync(null, alice.Id, false, CancellationToken.None);
            Assert.Equal((UserRefusal.Conflict, null), (reset.Refusal, (await AccountAsync(app, "alice")).User!.PasswordHash));
        }

        // The local account with a password is the break-glass path, directory or not.
        using var other = app.Browser();
        Assert.Equal(Signed, await other.SignInAsync("admin", EnmsAppFactory.AdminPassword));
        Assert.Contains(await AuditAsync(app, "admin"), e => e.Action == "sign-in" && e.After == "source: local");
    }

    [RequiresFact(LdapServer.Prerequisite)]
    public async Task An_admins_lock_on_a_directory_account_stands_whatever_the_directory_says()
    {
        await using var app = await AppAsync();
        Assert.Equal(Signed, await app.Browser().SignInAsync("alice", LdapServer.PasswordOf("alice")));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var locked = await scope.ServiceProvider.GetRequiredService<UserAdministration>()
                .SetLockedAsync(null, (await AccountAsync(app, "alice")).User!.Id, true, CancellationToken.None);
            Assert.True(locked.Succeeded);
        }
        Assert.StartsWith("/login?error=invalid", await app.Browser().SignInAsync("alice", LdapServer.PasswordOf("alice")), StringComparison.Ordinal);
        Assert.True((await AccountAsync(app, "alice")).User!.IsDisabled);
        Assert.Contains(await AuditAsync(app, "alice"), e => e.Action == "sign-in refused (locked out)" && e.After == "source: ldap");
    }

    [RequiresFact(LdapServer.Prerequisite)]
    public async Task A_user_in_no_mapped_group_is_refused_with_a_message_that_says_so()
    {
        await using var app = await AppAsync();
        using var browser = app.Browser();
        var refused = await browser.SignInAsync("carol", LdapServer.PasswordOf("carol"));
        Assert.StartsWith("/login?error=unmapped", refused, StringComparison.Ordinal);
        Assert.Contains("in no group that gives access to eNMS", await browser.GetStringAsync(refused), StringComparison.Ordinal);
        Assert.Null((await AccountAsync(app, "carol")).User);
        Assert.Contains(await AuditAsync(app, "carol"), e => e.Action == "sign-in refused (no mapped group)");
    }

    [RequiresFact(LdapServer.Prerequisite)]
    public async Task A_directory_group_mapped_to_an_enms_group_makes_its_members_members_with_its_role()
    {
        // carol is only in "others", which maps to no role: refused, until "others" maps to the eNMS group "support".
        await using var app = await AppAsync(("Ldap:UserGroupMappings:0:Group", LdapServer.GroupDn("others")), ("Ldap:UserGroupMappings:0:UserGroup", "support"));
        var browser = app.Browser();
        Assert.StartsWith("/login?error=unmapped", await browser.SignInAsync("carol", LdapServer.PasswordOf("carol")), StringComparison.Ordinal);
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync())
        {
            db.UserGroups.Add(new UserGroup { Name = "support", Role = Roles.Viewer });
            await db.SaveChangesAsync();
        }
        Assert.Equal(Signed, await app.Browser().SignInAsync("carol", LdapServer.PasswordOf("carol")));
        var (carol, role) = await AccountAsync(app, "carol");
        Assert.Null(role);
        await using var check = await app.Services.GetRequiredService<IDbContextFactory<EnmsDbContext>>().CreateDbContextAsync();
        Assert.Equal(["carol"], (await check.UserGroups.SingleAsync(g => g.Name == "support")).Members);
        Assert.False(carol!.IsDisabled);
    }

    [RequiresFact(LdapServer.Prerequisite)]
    public async Task A_nested_group_counts_only_when_nested_groups_are_followed()
    {
        // bob is in juniors, which is a member of operators.
        await using (var off = await AppAsync())
        {
            Assert.StartsWith("/login?error=unmapped", await off.Browser().SignInAsync("bob", LdapServer.PasswordOf("bob")), StringComparison.Ordinal);
        }
        foreach (var membership in new[] { "MemberOf", "GroupSearch" })
        {
            await using var app = await AppAsync(("Ldap:NestedGroups", "Recursive"), ("Ldap:GroupMembership", membership));
            Assert.Equal(Signed, await app.Browser().SignInAsync("bob", LdapServer.PasswordOf("bob")));
            var (bob, role) = await AccountAsync(app, "bob");
            Assert.Equal(("operator", 0), (role, bob!.ScopePoolIds.Count));
        }
    }

    [RequiresFact(LdapServer.Prerequisite)]
    public async Task Plain_ldap_is_refused_at_startup_unless_allowed_and_starttls_upgrades_it()
    {
        var plain = $"ldap://127.0.0.1:{ldap.LdapPort}";
        var problem = await Assert.ThrowsAnyAsync<Exception>(() => AppAsync(("Ldap:Url", plain), ("Ldap:StartTls", "false")));
        Assert.Contains("Ldap:Urls", Flatten(problem), StringComparison.Ordinal);

        await using (var allowed = await AppAsync(("Ldap:Url", plain), ("Ldap:StartTls", "false"), ("Ldap:AllowPlainLdap", "true")))
        {
            Assert.Equal(Signed, await allowed.Browser().SignInAsync("alice", LdapServer.PasswordOf("alice")));
        }
        await using var startTls = await AppAsync(("Ldap:Url", plain));
        Assert.True(Signed == await startTls.Browser().SignInAsync("alice", LdapServer.PasswordOf("alice")), string.Join("\n", startTls.Logs.Lines.Where(l => l.Contains("LDAP", StringComparison.Ordinal))));
    }

    [RequiresFact(LdapServer.Prerequisite)]
    public async Task Tls_with_a_certificate_from_another_ca_is_refused()
    {
        foreach (var url in new[] { $"ldaps://127.0.0.1:{ldap.LdapsPort}", $"ldap://127.0.0.1:{ldap.LdapPort}" })
        {
            await using var app = await AppAsync(("Ldap:Url", url), ("Ldap:CaCertificateFile", ldap.OtherCaFile));
            Assert.StartsWith("/login?error=directory", await app.Browser().SignInAsync("alice", LdapServer.PasswordOf("alice")), StringComparison.Ordinal);
            Assert.Null((await AccountAsync(app, "alice")).User);
            Assert.Equal(["sign-in failed (directory unavailable)"], (await AuditAsync(app, "alice")).Select(e => e.Action));
        }
    }

    [RequiresFact(LdapServer.Prerequisite)]
    public async Task A_user_removed_from_the_directory_cannot_sign_in_again_and_the_shadow_account_and_its_tokens_are_locked()
    {
        await using var app = await AppAsync();
        Assert.Equal(Signed, await app.Browser().SignInAsync("dave", LdapServer.PasswordOf("dave")));
        var token = await app.CreateTokenAsync((await AccountAsync(app, "dave")).User!);
        using var api = app.CreateClient(token);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/devices")).StatusCode);

        await ldap.DeleteAsync(LdapServer.UserDn("dave"));
        Assert.StartsWith("/login?error=invalid", await app.Browser().SignInAsync("dave", LdapServer.PasswordOf("dave")), StringComparison.Ordinal);
        var (dave, _) = await AccountAsync(app, "dave");
        Assert.True(dave!.IsDisabled && dave.LockedByDirectory);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/devices")).StatusCode);
        Assert.Contains(await AuditAsync(app, "dave"), e => e.Action == "directory lock" && e.After == "no longer in the directory");
        Assert.Contains(await AuditAsync(app, "dave"), e => e.Action == "sign-in failed (unknown user: no longer in the directory)");
    }

    [RequiresFact(LdapServer.Prerequisite)]
    public async Task A_token_of_a_removed_user_stops_at_its_next_directory_recheck()
    {
        await using var app = await AppAsync();
        Assert.Equal(Signed, await app.Browser().SignInAsync("erin", LdapServer.PasswordOf("erin")));
        var token = await app.CreateTokenAsync((await AccountAsync(app, "erin")).User!);
        using var api = app.CreateClient(token);
        await ldap.DeleteAsync(LdapServer.UserDn("erin"));
        // Checked at sign-in moments ago: the token works until the recheck is due (Ldap:RecheckMinutes).
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/devices")).StatusCode);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<EnmsUser>>();
            var erin = await users.FindByNameAsync("erin");
            erin!.DirectoryCheckedAt -= TimeSpan.FromHours(1);
            await users.UpdateAsync(erin);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/devices")).StatusCode);
        Assert.True((await AccountAsync(app, "erin")).User!.LockedByDirectory);
    }

    private static string Flatten(Exception e) => e.InnerException is null ? e.Message : e.Message + " | " + Flatten(e.InnerException);
}
