using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Web.Components.Shared;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace eNMS.Web.Components.Pages.Admin;

/// <summary>Admins create users, give them a role and a pool scope, lock them, reset passwords and delete them, through
/// <see cref="UserAdministration"/> as <c>/api/users</c> does. Every change renews the user's security stamp, so their
/// open sessions pick it up (or end) within a minute.</summary>
public sealed partial class UsersPage
{
    private IReadOnlyList<UserView> _users = [];
    private List<(int Id, string Name)> _pools = [];
    private string _newName = "";
    private string _newPassword = "";
    private string _newRole = Roles.Viewer;
    private string? _message;

    [Inject] private IServiceScopeFactory Scopes { get; set; } = default!;
    [Inject] private IDbContextFactory<EnmsDbContext> DbFactory { get; set; } = default!;
    [Inject] private UserAccess Access { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;

    protected override Task OnInitializedAsync() => LoadAsync();

    private string PoolName(int id) => _pools.FirstOrDefault(p => p.Id == id).Name ?? $"#{id}";

    private async Task LoadAsync()
    {
        await using (var db = await DbFactory.CreateDbContextAsync())
        {
            _pools = (await db.Pools.AsNoTracking().OrderBy(p => p.Name).Select(p => new { p.Id, p.Name }).ToListAsync()).Select(p => (p.Id, p.Name)).ToList();
        }
        await using var scope = Scopes.CreateAsyncScope();
        _users = await scope.ServiceProvider.GetRequiredService<UserAdministration>().ListAsync(CancellationToken.None);
    }

    /// <summary>Runs one use case as the circuit's admin (each on its own Identity context), reports how it went.</summary>
    private async Task<UserOutcome?> ChangeAsync(Func<UserAdministration, AuditActor, Task<UserOutcome>> change, string done)
    {
        if (!await Access.AllowsAsync(Policies.Admin, Snackbar))
        {
            return null;
        }
        await using var scope = Scopes.CreateAsyncScope();
        var outcome = await change(scope.ServiceProvider.GetRequiredService<UserAdministration>(), await Access.ActorAsync());
        if (outcome.Succeeded)
        {
            Snackbar.Add(done, Severity.Success);
        }
        else
        {
            Snackbar.Add(string.Join(" ", outcome.Errors.Values), Severity.Error);
        }
        await LoadAsync();
        return outcome;
    }

    private async Task CreateAsync()
    {
        var name = _newName.Trim();
        var outcome = await ChangeAsync((users, actor) => users.CreateAsync(actor, new UserCreate(name, _newPassword, _newRole, []), CancellationToken.None),
            $"Created {name}.");
        if (outcome is { Succeeded: true })
        {
            (_newName, _newPassword) = ("", "");
        }
    }

    private Task<UserOutcome?> SetRoleAsync(UserView row, string role) =>
        ChangeAsync((users, actor) => users.SetRoleAsync(actor, row.Id, role, CancellationToken.None),
            $"{row.UserName} is now {(role.Length == 0 ? "without a role" : role)}.");

    private Task<UserOutcome?> SetScopeAsync(UserView row, IEnumerable<int> poolIds) =>
        ChangeAsync((users, actor) => users.SetScopeAsync(actor, row.Id, [.. poolIds], CancellationToken.None), $"Pool scope of {row.UserName} saved.");

    private Task<UserOutcome?> SetLockedAsync(UserView row, bool locked) =>
        ChangeAsync((users, actor) => users.SetLockedAsync(actor, row.Id, locked, CancellationToken.None),
            locked ? $"Locked {row.UserName}." : $"Unlocked {row.UserName}.");

    /// <summary>Asked first; the admin chooses whether the user keeps the generated password or must replace it at
    /// next sign-in. Either way it is shown here once.</summary>
    private async Task ResetPasswordAsync(UserView row)
    {
        var answer = await Dialogs.ShowMessageBoxAsync(new MessageBoxOptions
        {
            Title = $"Reset the password of {row.UserName}?",
            Message = "A new password is generated and shown to you once; the user's sessions end. Forcing a change makes the user "
                + "replace it at their next sign-in, so that nobody else keeps knowing it.",
            YesText = "Reset, force a change",
            NoText = "Reset, keep it",
            CancelText = "Cancel",
        });
        if (answer is not { } forceChange)
        {
            return;
        }
        var outcome = await ChangeAsync((users, actor) => users.ResetPasswordAsync(actor, row.Id, forceChange, CancellationToken.None),
            $"Password of {row.UserName} reset.");
        _message = outcome is { Succeeded: true, NewPassword: { } password }
            ? $"New password for {row.UserName} (shown once{(forceChange ? ", to be changed at next sign-in" : "")}): {password}"
            : null;
    }

    private async Task DeleteAsync(UserView row)
    {
        if (await Dialogs.DeleteAsync($"Delete {row.UserName}?", "The account and its API tokens are deleted; the audit log keeps its entries."))
        {
            await ChangeAsync((users, actor) => users.DeleteAsync(actor, row.Id, CancellationToken.None), $"Deleted {row.UserName}.");
        }
    }
}
