using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Web.Components.Shared;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace eNMS.Web.Components.Pages.Admin;

/// <summary>Admins create users, give them a role and a pool scope, lock them and reset passwords. Every change
/// renews the user's security stamp, so their open sessions pick it up (or end) within a minute.</summary>
public sealed partial class UsersPage
{
    private List<UserRow> _users = [];
    private List<(int Id, string Name)> _pools = [];
    private string _newName = "";
    private string _newPassword = "";
    private string _newRole = Roles.Viewer;
    private string? _message;

    [Inject] private IServiceScopeFactory Scopes { get; set; } = default!;
    [Inject] private IDbContextFactory<EnmsDbContext> DbFactory { get; set; } = default!;
    [Inject] private UserAccess Access { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;

    private sealed record UserRow(string Id, string Name, string Role, IReadOnlyCollection<int> ScopePoolIds, bool Locked);

    protected override Task OnInitializedAsync() => LoadAsync();

    private string PoolName(int id) => _pools.FirstOrDefault(p => p.Id == id).Name ?? $"#{id}";

    private async Task LoadAsync()
    {
        await using (var db = await DbFactory.CreateDbContextAsync())
        {
            _pools = (await db.Pools.AsNoTracking().OrderBy(p => p.Name).Select(p => new { p.Id, p.Name }).ToListAsync()).Select(p => (p.Id, p.Name)).ToList();
        }
        await using var scope = Scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<EnmsUser>>();
        var now = Time.GetUtcNow();
        var rows = new List<UserRow>();
        foreach (var user in await users.Users.OrderBy(u => u.UserName).ToListAsync())
        {
            var roles = await users.GetRolesAsync(user);
            rows.Add(new UserRow(user.Id, user.UserName ?? "", roles.FirstOrDefault() ?? "", user.ScopePoolIds, user.LockoutEnd is { } end && end > now));
        }
        _users = rows;
    }

    /// <summary>Runs a change to one user as an admin, renews their stamp, reports Identity's errors.</summary>
    private async Task<bool> ChangeAsync(string userId, Func<UserManager<EnmsUser>, EnmsUser, Task<IdentityResult>> change, string done)
    {
        if (!await Access.AllowsAsync(Policies.Admin, Snackbar))
        {
            return false;
        }
        await using var scope = Scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<EnmsUser>>();
        if (await users.FindByIdAsync(userId) is not { } user)
        {
            return false;
        }
        var result = await change(users, user);
        if (result.Succeeded)
        {
            await users.UpdateSecurityStampAsync(user);
            Snackbar.Add(done, Severity.Success);
        }
        else
        {
            Snackbar.Add(string.Join(" ", result.Errors.Select(e => e.Description)), Severity.Error);
        }
        await LoadAsync();
        return result.Succeeded;
    }

    private async Task CreateAsync()
    {
        if (!await Access.AllowsAsync(Policies.Admin, Snackbar))
        {
            return;
        }
        await using var scope = Scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<EnmsUser>>();
        var user = new EnmsUser { UserName = _newName.Trim() };
        var result = await users.CreateAsync(user, _newPassword);
        if (result.Succeeded)
        {
            result = await users.AddToRoleAsync(user, _newRole);
        }
        if (!result.Succeeded)
        {
            Snackbar.Add(string.Join(" ", result.Errors.Select(e => e.Description)), Severity.Error);
            return;
        }
        Snackbar.Add($"Created {user.UserName}.", Severity.Success);
        (_newName, _newPassword) = ("", "");
        await LoadAsync();
    }

    private Task<bool> SetRoleAsync(UserRow row, string role) => ChangeAsync(row.Id, async (users, user) =>
    {
        var current = await users.GetRolesAsync(user);
        var removed = await users.RemoveFromRolesAsync(user, current);
        return !removed.Succeeded || role.Length == 0 ? removed : await users.AddToRoleAsync(user, role);
    }, $"{row.Name} is now {(role.Length == 0 ? "without a role" : role)}.");

    private Task<bool> SetScopeAsync(UserRow row, IEnumerable<int> poolIds) => ChangeAsync(row.Id, async (users, user) =>
    {
        user.ScopePoolIds = [.. poolIds];
        return await users.UpdateAsync(user);
    }, $"Pool scope of {row.Name} saved.");

    private Task<bool> SetLockedAsync(UserRow row, bool locked) => ChangeAsync(row.Id, async (users, user) =>
    {
        var result = await users.SetLockoutEndDateAsync(user, locked ? DateTimeOffset.MaxValue : null);
        return result.Succeeded && !locked ? await users.ResetAccessFailedCountAsync(user) : result;
    }, locked ? $"Locked {row.Name}." : $"Unlocked {row.Name}.");

    private async Task ResetPasswordAsync(UserRow row)
    {
        var password = AccountSeeder.RandomPassword();
        var reset = await ChangeAsync(row.Id, async (users, user) =>
        {
            var removed = await users.RemovePasswordAsync(user);
            return removed.Succeeded ? await users.AddPasswordAsync(user, password) : removed;
        }, $"Password of {row.Name} reset.");
        _message = reset ? $"New password for {row.Name} (shown once): {password}" : null;
    }
}
