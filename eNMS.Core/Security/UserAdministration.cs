using eNMS.Core.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Security;

/// <summary>A user as admins see it (page Users, <c>/api/users</c>): never a hash, a security stamp or a password.
/// Locked: by an admin, by the directory, or for minutes after wrong passwords (unlock ends them). Source: null for a
/// local account, "ldap" for a directory user's shadow account (its role and pools follow its groups at each sign-in).</summary>
public sealed record UserView(string Id, string UserName, string? Role, IReadOnlyList<int> ScopePoolIds, bool Locked, bool MustChangePassword,
    string? Source = null);

/// <summary>A new account. Without a password one is generated, returned once, and must be changed at first sign-in.</summary>
public sealed record UserCreate(string? UserName, string? Password, string? Role, IReadOnlyList<int>? ScopePoolIds, bool MustChangePassword = false);

public enum UserRefusal
{
    None,
    NotFound,
    Invalid,
    /// <summary>Allowed by the rules of each field, refused for what it would leave: no admin, or an admin locked out by themself.</summary>
    Conflict,
}

/// <summary>How a change went. <see cref="Errors"/> per field ("" for the whole request); <see cref="NewPassword"/> is
/// the generated password, to show once.</summary>
public sealed record UserOutcome(UserRefusal Refusal, IReadOnlyDictionary<string, string> Errors, UserView? User = null, string? NewPassword = null)
{
    public bool Succeeded => Refusal == UserRefusal.None;

    public static UserOutcome Ok(UserView user, string? newPassword = null) => new(UserRefusal.None, new Dictionary<string, string>(), user, newPassword);

    internal static UserOutcome Refused(UserRefusal refusal, string error, string field = "") =>
        new(refusal, new Dictionary<string, string> { [field] = error });
}

/// <summary>
/// Admins manage accounts here, from the Users page or the API: create, role, pool scope, lock, password reset, delete.
/// Every change renews the user's security stamp (their sessions pick it up or end within a minute) and is recorded
/// once in the audit log under <c>actor</c>, by this class: "create" (name, role, pools), "role change", "pool scope
/// change", "lock", "unlock" (the state before → after), "password reset"; a deleted user by <see cref="AuditInterceptor"/>.
/// No change may leave eNMS without an active admin, and nobody locks or deletes themself.
/// </summary>
public sealed class UserAdministration(UserManager<EnmsUser> users, IDbContextFactory<EnmsDbContext> dbFactory, AuditLog audit, TimeProvider time)
{
    /// <summary>Most pools one user may be limited to: a request cannot make the check below unbounded.</summary>
    public const int MaxScopePools = 1000;

    public async Task<IReadOnlyList<UserView>> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var accounts = await db.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(ct);
        var roles = await RolesByUserAsync(db, null, ct);
        return [.. accounts.Select(u => View(u, roles.GetValueOrDefault(u.Id)))];
    }

    public async Task<UserView?> GetAsync(string id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct) is { } user
            ? View(user, (await RolesByUserAsync(db, id, ct)).GetValueOrDefault(id))
            : null;
    }

    public async Task<UserOutcome> CreateAsync(AuditActor? actor, UserCreate request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = request.UserName?.Trim() ?? "";
        if (name.Length is 0 or > AccountAudit.MaxNameLength)
        {
            return UserOutcome.Refused(UserRefusal.Invalid, $"Give a user name of 1 to {AccountAudit.MaxNameLength} characters.", "userName");
        }
        if (RoleProblem(request.Role) is { } roleProblem)
        {
            return UserOutcome.Refused(UserRefusal.Invalid, roleProblem, "role");
        }
        if (await PoolProblemAsync(dbFactory, request.ScopePoolIds, ct) is { } poolProblem)
        {
            return UserOutcome.Refused(UserRefusal.Invalid, poolProblem, "scopePoolIds");
        }
        var generated = string.IsNullOrEmpty(request.Password) ? AccountSeeder.RandomPassword() : null;
        var user = new EnmsUser
        {
            UserName = name,
            ScopePoolIds = [.. request.ScopePoolIds ?? []],
            MustChangePassword = generated is not null || request.MustChangePassword,
        };
        // One entry for the account and its role (a role is a join row the interceptor would record apart).
        using (AuditInterceptor.RecordedByCaller())
        {
            var created = await users.CreateAsync(user, generated ?? request.Password!);
            if (!created.Succeeded)
            {
                return new UserOutcome(UserRefusal.Invalid, created.Errors.GroupBy(e => e.Code.StartsWith("Password", StringComparison.Ordinal) ? "password" : "userName")
                    .ToDictionary(g => g.Key, g => string.Join(" ", g.Select(e => e.Description))));
            }
            if (!string.IsNullOrEmpty(request.Role))
            {
                Check(await users.AddToRoleAsync(user, request.Role));
            }
        }
        await audit.WriteAsync(actor, "create", "user", user.Id, user.UserName, Json(new
        {
            userName = user.UserName,
            role = NullIfEmpty(request.Role),
            pools = await PoolNamesAsync(user.ScopePoolIds, ct),
            mustChangePassword = user.MustChangePassword,
        }), ct);
        return UserOutcome.Ok(View(user, NullIfEmpty(request.Role)), generated);
    }

    /// <summary>Gives the user <paramref name="role"/> (null or empty: no role, which allows nothing).</summary>
    public Task<UserOutcome> SetRoleAsync(AuditActor? actor, string id, string? role, CancellationToken ct) =>
        ChangeAsync(actor, id, new("role change", (_, current) => Task.FromResult(Json(new { role = current }))), async (user, current) =>
        {
            if (RoleProblem(role) is { } problem)
            {
                return UserOutcome.Refused(UserRefusal.Invalid, problem, "role");
            }
            if (current == Roles.Admin && role != Roles.Admin && await IsLastActiveAdminAsync(user, ct))
            {
                return LastAdmin(user);
            }
            if (current == NullIfEmpty(role))
            {
                return null;
            }
            Check(await users.RemoveFromRolesAsync(user, await users.GetRolesAsync(user)));
            if (!string.IsNullOrEmpty(role))
            {
                Check(await users.AddToRoleAsync(user, role));
            }
            return null;
        }, ct);

    /// <summary>Limits the user to these pools (empty: every device).</summary>
    public Task<UserOutcome> SetScopeAsync(AuditActor? actor, string id, IReadOnlyList<int>? poolIds, CancellationToken ct) =>
        ChangeAsync(actor, id, new("pool scope change", async (user, _) => Json(new { pools = await PoolNamesAsync(user.ScopePoolIds, ct) })), async (user, _) =>
        {
            if (await PoolProblemAsync(dbFactory, poolIds, ct) is { } problem)
            {
                return UserOutcome.Refused(UserRefusal.Invalid, problem, "scopePoolIds");
            }
            user.ScopePoolIds = [.. (poolIds ?? []).Distinct()];
            Check(await users.UpdateAsync(user));
            return null;
        }, ct);

    /// <summary>Locks the account until an admin unlocks it (sessions and API tokens stop), or unlocks it.</summary>
    public Task<UserOutcome> SetLockedAsync(AuditActor? actor, string id, bool locked, CancellationToken ct) =>
        ChangeAsync(actor, id, new(locked ? "lock" : "unlock", (user, _) => Task.FromResult(Json(new { locked = user.LockoutEnd > time.GetUtcNow() }))), async (user, role) =>
        {
            if (locked && IsActor(actor, user))
            {
                return UserOutcome.Refused(UserRefusal.Conflict, "You cannot lock yourself out.");
            }
            if (locked && role == Roles.Admin && await IsLastActiveAdminAsync(user, ct))
            {
                return LastAdmin(user);
            }
            // An admin's decision: the directory's next check neither lifts this lock nor counts it as its own.
            user.LockedByDirectory = false;
            Check(await users.SetLockoutEndDateAsync(user, locked ? DateTimeOffset.MaxValue : null));
            if (!locked)
            {
                Check(await users.ResetAccessFailedCountAsync(user));
            }
            return null;
        }, ct);

    /// <summary>Gives the user a generated password, returned once in <see cref="UserOutcome.NewPassword"/>; with
    /// <paramref name="forceChange"/> the user must replace it at their next sign-in (then whoever saw it cannot keep using it).</summary>
    public async Task<UserOutcome> ResetPasswordAsync(AuditActor? actor, string id, bool forceChange, CancellationToken ct)
    {
        var password = AccountSeeder.RandomPassword();
        var outcome = await ChangeAsync(actor, id, null, (user, _) =>
        {
            if (user.DirectorySource is not null)
            {
                return Task.FromResult<UserOutcome?>(UserOutcome.Refused(UserRefusal.Conflict,
                    $"{user.UserName} signs in through {user.DirectorySource} (their directory or single sign-on password): eNMS keeps none to reset."));
            }
            // One save (the hash, the flag and the stamp together) rather than Identity's remove-then-add password.
            user.PasswordHash = users.PasswordHasher.HashPassword(user, password);
            user.MustChangePassword = forceChange;
            return Task.FromResult<UserOutcome?>(null);
        }, ct);
        if (!outcome.Succeeded)
        {
            return outcome;
        }
        await audit.WriteAsync(actor, "password reset", "user", id, outcome.User!.UserName,
            forceChange ? "the user must change it at next sign-in" : "shown once to the admin", ct);
        return outcome with { NewPassword = password };
    }

    public async Task<UserOutcome> DeleteAsync(AuditActor? actor, string id, CancellationToken ct)
    {
        if (await users.FindByIdAsync(id) is not { } user)
        {
            return NotFound();
        }
        if (IsActor(actor, user))
        {
            return UserOutcome.Refused(UserRefusal.Conflict, "You cannot delete your own account.");
        }
        var role = (await users.GetRolesAsync(user)).FirstOrDefault();
        if (role == Roles.Admin && await IsLastActiveAdminAsync(user, ct))
        {
            return LastAdmin(user);
        }
        var view = View(user, role);
        Check(await users.DeleteAsync(user));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await GroupAdministration.ForgetUserAsync(db, view.UserName, ct);
        return UserOutcome.Ok(view);
    }

    /// <summary>What a change records: its action and the user's state it changes, as JSON, read before and after.</summary>
    private sealed record Audited(string Action, Func<EnmsUser, string?, Task<string>> State);

    /// <summary>Applies <paramref name="change"/> (null: done, else the refusal) to the user with its current role,
    /// then renews the stamp, which saves what the change left unsaved. The one audit entry is this class's
    /// (<paramref name="audited"/>'s action, the state before → after, none when nothing changed; a password reset writes
    /// its own): the saves themselves are not recorded, as a role alone is two join rows.</summary>
    private async Task<UserOutcome> ChangeAsync(AuditActor? actor, string id, Audited? audited, Func<EnmsUser, string?, Task<UserOutcome?>> change,
        CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        using var recorded = AuditInterceptor.RecordedByCaller();
        if (await users.FindByIdAsync(id) is not { } user)
        {
            return NotFound();
        }
        var role = (await users.GetRolesAsync(user)).FirstOrDefault();
        var before = audited is null ? null : await audited.State(user, role);
        if (await change(user, role) is { } refused)
        {
            return refused;
        }
        Check(await users.UpdateSecurityStampAsync(user));
        role = (await users.GetRolesAsync(user)).FirstOrDefault();
        if (audited is not null && await audited.State(user, role) is var after && after != before)
        {
            await audit.WriteChangeAsync(actor, audited.Action, "user", user.Id, user.UserName, before!, after, ct);
        }
        return UserOutcome.Ok(View(user, role));
    }

    private static string Json(object state) => System.Text.Json.JsonSerializer.Serialize(state);

    private Task<List<string>> PoolNamesAsync(List<int> poolIds, CancellationToken ct) => PoolNamesAsync(dbFactory, poolIds, ct);

    /// <summary>The pools' names (by id when one is gone), in name order: what an entry shows of a scope.</summary>
    internal static async Task<List<string>> PoolNamesAsync(IDbContextFactory<EnmsDbContext> dbFactory, List<int> poolIds, CancellationToken ct)
    {
        if (poolIds.Count == 0)
        {
            return [];
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = poolIds.ToList();
        var names = await db.Pools.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        return [.. ids.Select(i => names.GetValueOrDefault(i) ?? $"#{i}").Order(StringComparer.Ordinal)];
    }

    private async Task<bool> IsLastActiveAdminAsync(EnmsUser user, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return !(await users.GetUsersInRoleAsync(Roles.Admin)).Any(u => u.Id != user.Id && !u.IsDisabled);
    }

    private static bool IsActor(AuditActor? actor, EnmsUser user) =>
        actor is not null && string.Equals(actor.User, user.UserName, StringComparison.OrdinalIgnoreCase);

    private static UserOutcome LastAdmin(EnmsUser user) =>
        UserOutcome.Refused(UserRefusal.Conflict, $"{user.UserName} is the last active admin: make another admin first.");

    private static UserOutcome NotFound() => UserOutcome.Refused(UserRefusal.NotFound, "This user no longer exists.");

    internal static string? RoleProblem(string? role) =>
        string.IsNullOrEmpty(role) || Roles.All.Contains(role) ? null : $"Choose one of: {string.Join(", ", Roles.All)} (or none).";

    /// <summary>Why these pools cannot be a scope (too many, or one that does not exist), or null.</summary>
    internal static async Task<string?> PoolProblemAsync(IDbContextFactory<EnmsDbContext> dbFactory, IReadOnlyList<int>? poolIds, CancellationToken ct)
    {
        if (poolIds is not { Count: > 0 })
        {
            return null;
        }
        if (poolIds.Count > MaxScopePools)
        {
            return $"At most {MaxScopePools} pools.";
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var wanted = poolIds.Distinct().ToList();
        var known = await db.Pools.Where(p => wanted.Contains(p.Id)).Select(p => p.Id).ToListAsync(ct);
        var missing = wanted.Except(known).ToList();
        return missing.Count == 0 ? null : $"No pool with id {string.Join(", ", missing.Take(10))}.";
    }

    private static async Task<Dictionary<string, string>> RolesByUserAsync(EnmsDbContext db, string? userId, CancellationToken ct)
    {
        var links = db.UserRoles.AsNoTracking().Where(r => userId == null || r.UserId == userId);
        var rows = await links.Join(db.Roles, l => l.RoleId, r => r.Id, (l, r) => new { l.UserId, r.Name }).ToListAsync(ct);
        return rows.GroupBy(r => r.UserId).ToDictionary(g => g.Key, g => g.Select(r => r.Name ?? "").Order(StringComparer.Ordinal).First());
    }

    private UserView View(EnmsUser user, string? role) =>
        new(user.Id, user.UserName ?? "", NullIfEmpty(role), [.. user.ScopePoolIds], user.LockoutEnd > time.GetUtcNow(), user.MustChangePassword,
            user.DirectorySource);

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
