using eNMS.Core.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace eNMS.Core.Security.Ldap;

public enum DirectoryRefusal
{
    None,
    /// <summary>Unknown user, wrong or empty password: the one answer a client gets for both.</summary>
    Invalid,
    /// <summary>The password was right, but the user is in no group that maps to a role.</summary>
    NoMappedGroup,
    /// <summary>An admin locked the shadow account.</summary>
    Locked,
    Unavailable,
}

public sealed record DirectorySignInResult(DirectoryRefusal Refusal, EnmsUser? User = null)
{
    public bool Succeeded => Refusal == DirectoryRefusal.None;
}

/// <summary>
/// Sign-in of directory users and the upkeep of their shadow accounts. The directory decides at each sign-in (and at an
/// API token's recheck): gone or in no mapped group locks the shadow account (sessions end at their next stamp check,
/// tokens stop); mapped gives it the role and pools of its groups, and lifts a lock that the directory had set.
/// Changes of role or pools are saved under the user's name (the audit records them) plus one "directory mapping" entry.
/// </summary>
public sealed class DirectorySignIn(LdapDirectory directory, IOptionsMonitor<LdapOptions> options, UserManager<EnmsUser> users,
    IDbContextFactory<EnmsDbContext> dbFactory, AuditLog audit, TimeProvider time, ILogger<DirectorySignIn> logger, GroupAdministration userGroups)
{
    public const string Source = "ldap";

    public bool Enabled => options.CurrentValue.Enabled;

    /// <summary>Whether <paramref name="user"/> (found by the typed name, or null) is signed in through the directory rather
    /// than by its local password: a local account with a password always signs in locally (the break-glass path).</summary>
    public bool Handles(EnmsUser? user) => Enabled && (user is null || user.DirectorySource is not null);

    public async Task<DirectorySignInResult> SignInAsync(AuditActor? caller, string userName, string password, CancellationToken ct)
    {
        if (userName.Length is 0 or > AccountAudit.MaxNameLength || userName.Any(char.IsControl))
        {
            return new DirectorySignInResult(DirectoryRefusal.Invalid);
        }
        var lookup = await directory.AuthenticateAsync(userName, password, ct);
        var shadow = await users.FindByNameAsync(userName);
        if (shadow is { DirectorySource: null })
        {
            return new DirectorySignInResult(DirectoryRefusal.Invalid);
        }
        return lookup.Answer switch
        {
            DirectoryAnswer.Unavailable => new DirectorySignInResult(DirectoryRefusal.Unavailable),
            DirectoryAnswer.WrongPassword => new DirectorySignInResult(DirectoryRefusal.Invalid),
            // Gone from the directory: a shadow account left behind must not keep its tokens.
            DirectoryAnswer.UnknownUser => await LockAsync(caller, shadow, "no longer in the directory", DirectoryRefusal.Invalid, ct),
            _ => await ApplyAsync(caller, userName, shadow, lookup.Account!, ct),
        };
    }

    /// <summary>Whether a directory user's API token may be used: asks the directory again when the last check is older
    /// than <see cref="LdapOptions.RecheckMinutes"/>. While the directory is unreachable the last answer stands.</summary>
    public async Task<bool> IsStillActiveAsync(EnmsUser user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        var settings = options.CurrentValue;
        if (user.DirectorySource is null || !settings.Enabled || settings.RecheckMinutes == 0
            || user.DirectoryCheckedAt is { } checkedAt && time.GetUtcNow() - checkedAt < TimeSpan.FromMinutes(settings.RecheckMinutes))
        {
            return !user.IsDisabled;
        }
        var lookup = await directory.LookupAsync(user.UserName ?? "", ct);
        var actor = new AuditActor(user.UserName ?? "?", null);
        var result = lookup.Answer switch
        {
            DirectoryAnswer.Found => await ApplyAsync(actor, user.UserName!, user, lookup.Account!, ct),
            DirectoryAnswer.UnknownUser => await LockAsync(actor, user, "no longer in the directory", DirectoryRefusal.Invalid, ct),
            _ => null,
        };
        return result is null ? !user.IsDisabled : result.Succeeded;
    }

    private async Task<DirectorySignInResult> ApplyAsync(AuditActor? caller, string userName, EnmsUser? shadow, DirectoryAccount account,
        CancellationToken ct)
    {
        var settings = options.CurrentValue;
        var groups = account.Groups.Select(Normalize).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var role = Roles.All.FirstOrDefault(r => settings.RoleMappings.Any(m => m.Role == r && groups.Contains(Normalize(m.Group))));
        var managed = settings.UserGroupMappings.Select(m => m.UserGroup).Distinct(StringComparer.Ordinal).ToList();
        var memberOf = settings.UserGroupMappings.Where(m => groups.Contains(Normalize(m.Group))).Select(m => m.UserGroup).Distinct(StringComparer.Ordinal).ToList();
        if (role is null && !await GrantsRoleAsync(memberOf, ct))
        {
            return await LockAsync(caller, shadow, "in no mapped directory group", DirectoryRefusal.NoMappedGroup, ct);
        }
        var poolNames = settings.PoolMappings.Where(m => groups.Contains(Normalize(m.Group))).SelectMany(m => m.Pools).Distinct().ToList();
        if (await PoolIdsAsync(poolNames, ct) is not { } poolIds)
        {
            // A mapped pool that does not exist would leave an empty scope, which means every device: refuse instead.
            logger.LogWarning("LDAP sign-in of {User} refused: Ldap:PoolMappings names pools that do not exist ({Pools})", userName, string.Join(", ", poolNames));
            return new DirectorySignInResult(DirectoryRefusal.Unavailable);
        }
        if (shadow is { IsDisabled: true, LockedByDirectory: false })
        {
            return new DirectorySignInResult(DirectoryRefusal.Locked, shadow);
        }
        using var acting = ActAs(caller, userName);
        if (shadow is null)
        {
            shadow = new EnmsUser { UserName = userName, DirectorySource = Source };
            if (!(await users.CreateAsync(shadow)).Succeeded)
            {
                logger.LogWarning("LDAP user {User} has a name eNMS cannot take for an account", userName);
                return new DirectorySignInResult(DirectoryRefusal.Invalid);
            }
        }
        var previousRole = (await users.GetRolesAsync(shadow)).FirstOrDefault();
        var changed = previousRole != role || !shadow.ScopePoolIds.Order().SequenceEqual(poolIds.Order()) || shadow.LockedByDirectory;
        if (previousRole != role)
        {
            Check(await users.RemoveFromRolesAsync(shadow, await users.GetRolesAsync(shadow)));
            if (role is not null)
            {
                Check(await users.AddToRoleAsync(shadow, role));
            }
        }
        changed |= await userGroups.SyncMembershipAsync(userName, memberOf, managed, ct);
        shadow.ScopePoolIds = poolIds;
        shadow.DirectoryCheckedAt = time.GetUtcNow();
        if (shadow.LockedByDirectory)
        {
            shadow.LockedByDirectory = false;
            shadow.LockoutEnd = null;
        }
        Check(changed ? await users.UpdateSecurityStampAsync(shadow) : await users.UpdateAsync(shadow));
        if (changed)
        {
            await audit.WriteAsync(new AuditActor(userName, caller?.Ip), "directory mapping", "user", shadow.Id, userName,
                $"role {role ?? "(from its groups)"}, pools [{string.Join(", ", poolNames)}], groups [{string.Join(", ", memberOf)}] from the directory groups", ct);
        }
        return new DirectorySignInResult(DirectoryRefusal.None, shadow);
    }

    private async Task<DirectorySignInResult> LockAsync(AuditActor? caller, EnmsUser? shadow, string why, DirectoryRefusal refusal, CancellationToken ct)
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
            // A new stamp ends the account's open sessions at their next check.
            Check(newlyLocked ? await users.UpdateSecurityStampAsync(shadow) : await users.UpdateAsync(shadow));
            if (newlyLocked)
            {
                await audit.WriteAsync(new AuditActor(shadow.UserName ?? "?", caller?.Ip), "directory lock", "user", shadow.Id, shadow.UserName, why, ct);
            }
        }
        return new DirectorySignInResult(refusal, shadow);
    }

    /// <summary>Whether one of these eNMS user groups gives a role (then a directory user needs no role mapping of their own).</summary>
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

    /// <summary>The entity changes saved for a directory user are recorded under their name, from the caller's address.</summary>
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

    /// <summary>DNs compare without the spaces some tools put after commas.</summary>
    private static string Normalize(string dn) => string.Join(',', dn.Split(',').Select(part => part.Trim()));

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
