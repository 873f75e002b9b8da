using eNMS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Security;

/// <summary>
/// A group of local accounts carrying a role and pools, as eNMS groups do: a member gets the most privileged of its own
/// role and its groups' roles, and the pools that its own scope and its groups name (see <see cref="EffectiveAccess"/>).
/// Members are user names (as <see cref="Scheduling.Schedule.CreatedBy"/> and access lists name users); a deleted user
/// leaves every group. The name is fixed once created: access lists and directory mappings refer to it.
/// </summary>
public sealed class UserGroup
{
    public const int MaxNameLength = 100;

    /// <summary>Most members one group holds: what a membership change renews the sessions of stays bounded.</summary>
    public const int MaxMembers = 5000;

    public int Id { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";

    /// <summary>One of <see cref="Roles.All"/>, or null: the group grants pools only.</summary>
    public string? Role { get; set; }

    /// <summary>Pools the members are limited to; empty: the group limits nothing (it grants its role only).</summary>
    public List<int> PoolIds { get; set; } = [];

    public List<string> Members { get; set; } = [];
}

/// <summary>A user's role, pool scope and groups once their groups are counted. Role null: no role (allows nothing);
/// ScopePoolIds null: every device.</summary>
public sealed record EffectiveUserAccess(string? Role, IReadOnlyList<int>? ScopePoolIds, IReadOnlyList<string> Groups);

/// <summary>
/// The one place that combines a user's own role and pools with their groups'. Every sign-in principal (cookie, API
/// token, a session's periodic refresh) is built from it by the claims factory, and so is a schedule's run, so pages,
/// endpoints and services that read the principal's roles and pool claims all see the groups without knowing of them.
/// Role: the most privileged of the user's and their groups'. Pools: the union of the pool lists that name pools (the
/// user's own and their groups'); a list that names none limits nothing, so a user is unlimited only when no list names
/// a pool — adding someone to a pool-limited group limits them (the group's purpose), it never widens a limited user.
/// </summary>
public static class EffectiveAccess
{
    public static async Task<EffectiveUserAccess> OfAsync(EnmsDbContext db, string userName, string? ownRole, IReadOnlyList<int> ownPools,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(ownPools);
        var groups = await db.Set<UserGroup>().AsNoTracking().Where(g => g.Members.Contains(userName))
            .OrderBy(g => g.Name).Select(g => new { g.Name, g.Role, g.PoolIds }).ToListAsync(ct);
        var roles = groups.Select(g => g.Role).Append(ownRole).Where(r => !string.IsNullOrEmpty(r)).ToHashSet(StringComparer.Ordinal);
        var role = Roles.All.FirstOrDefault(roles.Contains);
        var pools = ownPools.Concat(groups.SelectMany(g => g.PoolIds)).Distinct().Order().ToList();
        return new EffectiveUserAccess(role, pools.Count == 0 ? null : pools, [.. groups.Select(g => g.Name)]);
    }

    /// <summary>A user as they are now (role, pools and groups counted), as the actor that work done later on their behalf
    /// is checked as (a schedule's run, the playbook a run opens); null when there is no such user.</summary>
    public static async Task<(AuditActor Actor, EffectiveUserAccess Access)?> ActorAsync(EnmsDbContext db, string userName, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var user = await db.Users.AsNoTracking().Where(u => u.UserName == userName).Select(u => new { u.Id, u.UserName, u.ScopePoolIds }).FirstOrDefaultAsync(ct);
        if (user is null)
        {
            return null;
        }
        var ownRole = await db.UserRoles.Where(r => r.UserId == user.Id).Join(db.Roles, l => l.RoleId, r => r.Id, (l, r) => r.Name).FirstOrDefaultAsync(ct);
        var access = await OfAsync(db, user.UserName!, ownRole, user.ScopePoolIds, ct);
        return (new AuditActor(user.UserName!, null) { IsAdmin = access.Role == Roles.Admin, Groups = access.Groups }, access);
    }

    /// <summary>The actor a run's work is checked as (its credentials, the playbooks it opens): its starter as they are
    /// now; no name is eNMS itself (null), and a user who no longer exists acts with no role and no group.</summary>
    public static async Task<AuditActor?> RunActorAsync(EnmsDbContext db, string userName, CancellationToken ct) =>
        string.IsNullOrEmpty(userName) ? null : (await ActorAsync(db, userName, ct))?.Actor ?? new AuditActor(userName, null);
}
