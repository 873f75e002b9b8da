using eNMS.Core.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace eNMS.Core.Security;

/// <summary>Why a sign-in through an identity source (LDAP directory, OpenID Connect provider) was refused.</summary>
public enum DirectoryRefusal
{
    None,
    /// <summary>Unknown user, wrong or empty password, a name taken by another source: the one answer a client gets.</summary>
    Invalid,
    /// <summary>The user proved who they are, but is in no group that maps to a role (and no default role is set).</summary>
    NoMappedGroup,
    /// <summary>An admin locked the shadow account.</summary>
    Locked,
    Unavailable,
}

public sealed record DirectorySignInResult(DirectoryRefusal Refusal, EnmsUser? User = null)
{
    public bool Succeeded => Refusal == DirectoryRefusal.None;

    /// <summary>Why it was refused, in a fixed phrase for the audit log only ("unknown user", "wrong password"): the
    /// client still gets the one answer of its <see cref="Refusal"/>. Empty: the refusal says it all.</summary>
    public string Reason { get; init; } = "";
}

/// <summary>Members of <see cref="Group"/> get <see cref="Role"/>; a member of several mapped groups gets the most
/// privileged of their roles. A group is a DN for LDAP, a value of the groups claim for OpenID Connect.</summary>
public sealed class GroupRoleMapping
{
    public string Group { get; set; } = "";
    public string Role { get; set; } = "";
}

/// <summary>Members of <see cref="Group"/> are limited to these pools (by name); a member of several gets them all. A
/// user in no pool-mapped group sees every device (as a local account without a scope).</summary>
public sealed class GroupPoolMapping
{
    public string Group { get; set; } = "";
    public List<string> Pools { get; set; } = [];
}

/// <summary>Members of <see cref="Group"/> are made members of the eNMS user group named <see cref="UserGroup"/> at each
/// sign-in, and leave it when they leave the source's group (its role and pools then apply: see <see cref="EffectiveAccess"/>).</summary>
public sealed class GroupUserGroupMapping
{
    public string Group { get; set; } = "";
    public string UserGroup { get; set; } = "";
}

/// <summary>How one identity source's groups become a role, pools and eNMS user groups. <see cref="DefaultRole"/>: the
/// role of a user in no role-mapped group and no role-giving user group (null: such a user is refused).</summary>
public sealed record GroupMappings(IReadOnlyList<GroupRoleMapping> Roles, IReadOnlyList<GroupPoolMapping> Pools, string? DefaultRole = null)
{
    public IReadOnlyList<GroupUserGroupMapping> UserGroups { get; init; } = [];
}

/// <summary>
/// The local shadow accounts of users from an identity source (<see cref="EnmsUser.DirectorySource"/>): no password here,
/// role and pools from the source's groups at each sign-in. In no mapped group locks the account (sessions end at their
/// next stamp check, tokens stop); mapped gives it the role and pools of its groups, and lifts a lock the source had set
/// (never an admin's). A change of role, pools or user groups is one "directory mapping" entry under the user's name
/// (before → after; a group's membership is also its group's entry), a lock one "directory lock" entry.
/// </summary>
public sealed class ShadowAccounts(UserManager<EnmsUser> users, IDbContextFactory<EnmsDbContext> dbFactory, AuditLog audit, TimeProvider time,
    ILogger<ShadowAccounts> logger, GroupAdministration userGroups)
{
    /// <summary>Most groups read from one user: a source that sends more is cut there (the mapping needs only a few).</summary>
    public const int MaxGroups = 1000;

    public async Task<DirectorySignInResult> ApplyAsync(AuditActor? caller, string source, string userName, EnmsUser? shadow,
        IEnumerable<string> groups, GroupMappings mappings, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(mappings);
        var memberOf = groups.Take(MaxGroups).Select(Normalize).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var role = Roles.All.FirstOrDefault(r => mappings.Roles.Any(m => m.Role == r && memberOf.Contains(Normalize(m.Group))));
        var managedGroups = mappings.UserGroups.Select(m => m.UserGroup).Distinct(StringComparer.Ordinal).ToList();
        var userGroupsOf = mappings.UserGroups.Where(m => memberOf.Contains(Normalize(m.Group))).Select(m => m.UserGroup)
            .Distinct(StringComparer.Ordinal).ToList();
        // A user group that gives a role is enough: the user then needs no role (nor the default) of their own.
        var roleFromGroups = role is null && await GrantsRoleAsync(userGroupsOf, ct);
        role ??= roleFromGroups ? null : mappings.DefaultRole;
        if (role is null && !roleFromGroups)
        {
            return await LockAsync(caller, shadow, $"in no mapped {source} group", DirectoryRefusal.NoMappedGroup, ct);
        }
        var poolNames = mappings.Pools.Where(m => memberOf.Contains(Normalize(m.Group))).SelectMany(m => m.Pools).Distinct().ToList();
        if (await PoolIdsAsync(poolNames, ct) is not { } poolIds)
        {
            // A mapped pool that does not exist would leave an empty scope, which means every device: refuse instead.
            logger.LogWarning("{Source} sign-in of {User} refused: the pool mappings name pools that do not exist ({Pools})", source, userName,
                string.Join(", ", poolNames));
            return new DirectorySignInResult(DirectoryRefusal.Unavailable) { Reason = "no such mapped pool" };
        }
        if (shadow is { IsDisabled: true, LockedByDirectory: false })
        {
            return new DirectorySignInResult(DirectoryRefusal.Locked, shadow);
        }
        using var acting = ActAs(caller, userName);
        var created = shadow is null;
        if (shadow is null)
        {
            shadow = new EnmsUser { UserName = userName, DirectorySource = source };
            if (!(await users.CreateAsync(shadow)).Succeeded)
            {
                logger.LogWarning("{Source} user {User} has a name eNMS cannot take for an account", source, userName);
                return new DirectorySignInResult(DirectoryRefusal.Invalid) { Reason = "a name eNMS cannot take for an account" };
            }
        }
        var previousRole = (await users.GetRolesAsync(shadow)).FirstOrDefault();
        // The role and pools as they were (none for a new account): the "directory mapping" entry shows before → after.
        var before = created ? null
            : $"role {previousRole ?? "(from its user groups)"}, pools [{string.Join(", ", await UserAdministration.PoolNamesAsync(dbFactory, shadow.ScopePoolIds, ct))}]";
        var lockLifted = shadow.LockedByDirectory;
        var changed = previousRole != role || !shadow.ScopePoolIds.Order().SequenceEqual(poolIds.Order()) || lockLifted;
        // The role rows and the account's own update are told by that one entry, not recorded apart (a group's
        // membership is its group's change, recorded as such).
        using (AuditInterceptor.RecordedByCaller())
        {
            if (previousRole != role)
            {
                Check(await users.RemoveFromRolesAsync(shadow, await users.GetRolesAsync(shadow)));
                if (role is not null)
                {
                    Check(await users.AddToRoleAsync(shadow, role));
                }
            }
        }
        changed |= await userGroups.SyncMembershipAsync(userName, userGroupsOf, managedGroups, ct);
        shadow.ScopePoolIds = poolIds;
        shadow.DirectoryCheckedAt = time.GetUtcNow();
        if (lockLifted)
        {
            shadow.LockedByDirectory = false;
            shadow.LockoutEnd = null;
        }
        using (AuditInterceptor.RecordedByCaller())
        {
            Check(changed ? await users.UpdateSecurityStampAsync(shadow) : await users.UpdateAsync(shadow));
        }
        if (changed)
        {
            await audit.WriteChangeAsync(new AuditActor(userName, caller?.Ip), "directory mapping", "user", shadow.Id, userName, before,
                $"role {role ?? "(from its user groups)"}, pools [{string.Join(", ", poolNames)}]" +
                (managedGroups.Count == 0 ? "" : $", user groups [{string.Join(", ", userGroupsOf)}]") + $" from the {source} groups"
                + (lockLifted ? "; the directory's lock lifted" : ""), ct);
        }
        return new DirectorySignInResult(DirectoryRefusal.None, shadow);
    }

    /// <summary>Locks a shadow account (not a local one) because the source no longer admits it; records why once.</summary>
    public async Task<DirectorySignInResult> LockAsync(AuditActor? caller, EnmsUser? shadow, string why, DirectoryRefusal refusal, CancellationToken ct)
    {
        if (shadow is { DirectorySource: not null })
        {
            var newlyLocked = !shadow.IsDisabled;
            using var acting = ActAs(caller, shadow.UserName ?? "?");
            shadow.DirectoryCheckedAt = time.GetUtcNow();
            if (newlyLocked)
            {
                shadow.LockedByDirectory = true;
                shadow.LockoutEnd = DateTimeOffset.MaxValue;
            }
            // A new stamp ends the account's open sessions at their next check. The "directory lock" entry below tells it.
            using (AuditInterceptor.RecordedByCaller())
            {
                Check(newlyLocked ? await users.UpdateSecurityStampAsync(shadow) : await users.UpdateAsync(shadow));
            }
            if (newlyLocked)
            {
                await audit.WriteAsync(new AuditActor(shadow.UserName ?? "?", caller?.Ip), "directory lock", "user", shadow.Id, shadow.UserName, why, ct);
            }
        }
        return new DirectorySignInResult(refusal, shadow);
    }

    /// <summary>Whether one of these eNMS user groups gives a role.</summary>
    private async Task<bool> GrantsRoleAsync(List<string> names, CancellationToken ct)
    {
        if (names.Count == 0)
        {
            return false;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.UserGroups.AnyAsync(g => names.Contains(g.Name) && g.Role != null, ct);
    }

    /// <summary>Ids of the named pools, or null when one does not exist.</summary>
    private async Task<List<int>?> PoolIdsAsync(List<string> names, CancellationToken ct)
    {
        if (names.Count == 0)
        {
            return [];
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = await db.Pools.Where(p => names.Contains(p.Name)).Select(p => new { p.Id, p.Name }).ToListAsync(ct);
        return ids.Select(p => p.Name).Distinct().Count() == names.Count ? [.. ids.Select(p => p.Id).Order()] : null;
    }

    /// <summary>The entity changes saved for a shadow account are recorded under its name, from the caller's address.</summary>
    private static Restore ActAs(AuditActor? caller, string userName)
    {
        var previous = AuditActor.Current;
        AuditActor.Current = new AuditActor(userName, caller?.Ip);
        return new Restore(previous);
    }

    private sealed class Restore(AuditActor? previous) : IDisposable
    {
        public void Dispose() => AuditActor.Current = previous;
    }

    /// <summary>DNs compare without the spaces some tools put after commas (harmless for other group names).</summary>
    private static string Normalize(string group) => string.Join(',', group.Split(',').Select(part => part.Trim()));

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
