using eNMS.Core;
using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Tests.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace eNMS.Tests.Core.Security;

/// <summary>The account use case with Identity's real user store on an in-memory SQLite database: each sign-in,
/// sign-out and password change leaves exactly one entry, saying who, from where and how it went.</summary>
public sealed class AccountAuditTests : IAsyncLifetime
{
    private const string Password = "correct horse battery";
    private readonly TestDatabase _db = new();
    private readonly AuditActor _caller = new("anonymous", "192.0.2.44");
    private ServiceProvider _services = null!;
    private AsyncServiceScope _scope;
    private UserManager<EnmsUser> _users = null!;
    private AccountAudit _account = null!;
    private EnmsUser _alice = null!;

    public async Task InitializeAsync()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 3, 0, 0, TimeSpan.Zero)));
        services.AddSingleton<IDbContextFactory<EnmsDbContext>>(_db);
        services.AddScoped(_ => _db.CreateDbContext());
        services.AddEnmsAccounts();
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        _scope = _services.CreateAsyncScope();
        _users = _scope.ServiceProvider.GetRequiredService<UserManager<EnmsUser>>();
        _account = _scope.ServiceProvider.GetRequiredService<AccountAudit>();
        _alice = new EnmsUser { UserName = "alice" };
        Assert.True((await _users.CreateAsync(_alice, Password)).Succeeded);
    }

    public async Task DisposeAsync()
    {
        await _scope.DisposeAsync();
        await _services.DisposeAsync();
        _db.Dispose();
    }

    private async Task<List<AuditEntry>> EntriesAsync()
    {
        await using var db = _db.CreateDbContext();
        return await db.AuditEntries.AsNoTracking().Where(e => e.TargetKind == "user").OrderBy(e => e.Id).ToListAsync();
    }

    [Fact]
    public async Task A_refused_sign_in_is_recorded_with_its_reason_under_the_typed_name_cut_to_its_limit()
    {
        var typed = new string('x', 100_000);
        await _account.SignInAsync(_caller, typed, SignInResult.Failed, accountExists: false, default);
        await _account.SignInAsync(_caller, "alice", SignInResult.LockedOut, accountExists: true, default);
        await _account.SignInAsync(_caller, null, SignInResult.Failed, accountExists: false, default);
        await _account.SignInAsync(_caller, "alice", SignInResult.Failed, accountExists: true, default);

        var entries = await EntriesAsync();
        Assert.Equal(["sign-in failed (unknown user)", "sign-in refused (locked out)", "sign-in failed (unknown user)", "sign-in failed (wrong password)"],
            entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal("source: local", e.After));
        Assert.Equal(AccountAudit.MaxNameLength, entries[0].User.Length);
        Assert.Equal(entries[0].User, entries[0].TargetName);
        Assert.Equal(("alice", "alice"), (entries[1].User, entries[1].TargetName));
        Assert.Equal("", entries[2].User);
        Assert.All(entries, e => Assert.Equal("192.0.2.44", e.Ip));
    }

    [Fact]
    public async Task A_sign_in_is_recorded_as_the_account_from_the_callers_address()
    {
        await _account.SignInAsync(_caller, "alice", SignInResult.Success, accountExists: true, default);

        var entry = Assert.Single(await EntriesAsync());
        Assert.Equal(("sign-in", "alice", "alice", "192.0.2.44"), (entry.Action, entry.User, entry.TargetName, entry.Ip));
    }

    [Fact]
    public async Task A_wrong_current_password_changes_nothing_and_is_recorded_as_refused_a_right_one_changes_it()
    {
        var refused = await _account.ChangePasswordAsync(_caller, _alice, "not the password", "a brand new passphrase", default);
        Assert.False(refused.Succeeded);
        Assert.True(await _users.CheckPasswordAsync(_alice, Password));
        var tooShort = await _account.ChangePasswordAsync(_caller, _alice, Password, "short", default);
        Assert.False(tooShort.Succeeded);

        var stamp = await _users.GetSecurityStampAsync(_alice);
        var changed = await _account.ChangePasswordAsync(_caller, _alice, Password, "a brand new passphrase", default);
        Assert.True(changed.Succeeded);
        Assert.True(await _users.CheckPasswordAsync(_alice, "a brand new passphrase"));
        Assert.NotEqual(stamp, await _users.GetSecurityStampAsync(_alice));

        var entries = await EntriesAsync();
        Assert.Equal(["password change refused", "password change refused", "password change"], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal(("alice", "alice", "192.0.2.44"), (e.User, e.TargetName, e.Ip)));
    }

    [Fact]
    public async Task A_forced_change_stays_until_a_different_password_is_set_and_leaves_one_entry_per_attempt()
    {
        _alice.MustChangePassword = true;
        Assert.True((await _users.UpdateAsync(_alice)).Succeeded);

        var same = await _account.ChangePasswordAsync(_caller, _alice, Password, Password, default);
        Assert.Equal("PasswordUnchanged", Assert.Single(same.Errors).Code);
        var wrong = await _account.ChangePasswordAsync(_caller, _alice, "not the password", "a brand new passphrase", default);
        Assert.False(wrong.Succeeded);
        Assert.True(await StoredMustChangeAsync());

        Assert.True((await _account.ChangePasswordAsync(_caller, _alice, Password, "a brand new passphrase", default)).Succeeded);
        Assert.False(await StoredMustChangeAsync());
        // The flag is password material to the audit: the change is its only entry, no "update" besides.
        Assert.Equal(["password change refused", "password change refused", "password change"], (await EntriesAsync()).Select(e => e.Action));
    }

    private async Task<bool> StoredMustChangeAsync()
    {
        await using var db = _db.CreateDbContext();
        return await db.Users.AsNoTracking().Where(u => u.Id == _alice.Id).Select(u => u.MustChangePassword).SingleAsync();
    }

    [Fact]
    public async Task Signing_out_everywhere_renews_the_security_stamp_and_each_sign_out_is_recorded_once()
    {
        var stamp = await _users.GetSecurityStampAsync(_alice);
        await _account.SignOutAsync(_caller, "alice", default);
        Assert.Equal(stamp, await _users.GetSecurityStampAsync(_alice));

        await _account.SignOutEverywhereAsync(_caller, _alice, "alice", default);
        Assert.NotEqual(stamp, await _users.GetSecurityStampAsync(_alice));
        // An account deleted meanwhile: nothing to renew, the sign-out is still recorded.
        await _account.SignOutEverywhereAsync(_caller, null, "bob", default);

        var entries = await EntriesAsync();
        Assert.Equal([("sign-out", "alice"), ("sign-out everywhere", "alice"), ("sign-out everywhere", "bob")],
            entries.Select(e => (e.Action, e.User)));
        Assert.All(entries, e => Assert.Equal(e.User, e.TargetName));
    }
}
