using eNMS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Security;

/// <summary>A group as admins see it (page Users, <c>/api/groups</c>).</summary>
public sealed record GroupView(int Id, string Name, string Description, string? Role, IReadOnlyList<int> PoolIds, IReadOnlyList<string> Members);

/// <summary>A new group, or (<see cref="GroupAdministration.UpdateAsync"/>) the fields to change: null stays as it is,
/// role "" removes the role, pools [] lift the group's pool limit. Name is only read at creation.</summary>
public sealed record GroupInput(string? Name = null, string? Description = null, string? Role = null, IReadOnlyList<int>? PoolIds = null,
    IReadOnlyList<string>? Members = null);

/// <summary>How a change went: the group after it, or the refusal with its errors per field ("" for the whole request).</summary>
public sealed record GroupOutcome(UserRefusal Refusal, IReadOnlyDictionary<string, string> Errors, GroupView? Group = null)
{
    public bool Succeeded => Refusal == UserRefusal.None;

    internal static GroupOutcome Refused(UserRefusal refusal, string error, string field = "") =>
        new(refusal, new Dictionary<string, string> { [field] = error });
}

/// <summary>
/// Admins manage user groups here, from the Users page or the API. Each change is saved once, so the audit records it
/// once (kind "user group", members and pools in its before/after), and renews the security stamp of every member it
/// affects: their open sessions pick up the new role and pools at their next check, API tokens at their next request.
/// </summary>
public sealed class GroupAdministration(IDbContextFactory<EnmsDbContext> dbFactory)
{
    public async Task<IReadOnlyList<GroupView>> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return [.. (await db.UserGroups.AsNoTracking().OrderBy(g => g.Name).ToListAsync(ct)).Select(View)];
    }

    public async Task<GroupView?> GetAsync(int id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.UserGroups.AsNoTracking().FirstOrDefaultAsync(g => g.Id == id, ct) is { } group ? View(group) : null;
    }

    public async Task<GroupOutcome> CreateAsync(GroupInput input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        var name = input.Name?.Trim() ?? "";
        if (name.Length is 0 or > UserGroup.MaxNameLength || name.Any(char.IsControl))
        {
            return GroupOutcome.Refused(UserRefusal.Invalid, $"Give a group name of 1 to {UserGroup.MaxNameLength} characters.", "name");
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.UserGroups.AnyAsync(g => g.Name == name, ct))
        {
            return GroupOutcome.Refused(UserRefusal.Invalid, $"A group named '{name}' exists already.", "name");
        }
        var group = new UserGroup { Name = name };
        return await SaveAsync(db, group, input, ct);
    }

    public async Task<GroupOutcome> UpdateAsync(int id, GroupInput change, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(change);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.UserGroups.FirstOrDefaultAsync(g => g.Id == id, ct) is { } group
            ? await SaveAsync(db, group, change with { Name = null }, ct)
            : NotFound();
    }

    public Task<GroupOutcome> AddMembersAsync(int id, IReadOnlyList<string>? userNames, CancellationToken ct) =>
        ChangeMembersAsync(id, current => [.. current.Union(userNames ?? [], StringComparer.OrdinalIgnoreCase)], ct);

    public Task<GroupOutcome> RemoveMembersAsync(int id, IReadOnlyList<string>? userNames, CancellationToken ct) =>
        ChangeMembersAsync(id, current => [.. current.Where(m => !(userNames ?? []).Contains(m, StringComparer.OrdinalIgnoreCase))], ct);

    public async Task<GroupOutcome> DeleteAsync(int id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.UserGroups.FirstOrDefaultAsync(g => g.Id == id, ct) is not { } group)
        {
            return NotFound();
        }
        db.UserGroups.Remove(group);
        await db.SaveChangesAsync(ct);
        await RenewSessionsAsync(db, group.Members, ct);
        return new GroupOutcome(UserRefusal.None, new Dictionary<string, string>(), View(group));
    }

    /// <summary>
    /// For identity sources that decide membership (the LDAP directory today, OpenID Connect claims later): of the groups
    /// named in <paramref name="managed"/>, the user ends up a member of exactly those in <paramref name="memberOf"/>;
    /// memberships of other groups (an admin's) stay. Names that match no group are ignored. Answers whether anything changed.
    /// </summary>
    public async Task<bool> SyncMembershipAsync(string userName, IReadOnlyCollection<string> memberOf, IReadOnlyCollection<string> managed,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(memberOf);
        ArgumentNullException.ThrowIfNull(managed);
        var names = managed.ToList();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var changed = false;
        foreach (var group in await db.UserGroups.Where(g => names.Contains(g.Name)).ToListAsync(ct))
        {
            var member = group.Members.Contains(userName, StringComparer.OrdinalIgnoreCase);
            var wanted = memberOf.Contains(group.Name, StringComparer.OrdinalIgnoreCase);
            if (member != wanted)
            {
                group.Members = wanted ? [.. group.Members, userName] : [.. group.Members.Where(m => !string.Equals(m, userName, StringComparison.OrdinalIgnoreCase))];
                changed = true;
            }
        }
        await db.SaveChangesAsync(ct);
        return changed;
    }

    /// <summary>A deleted user leaves every group, so that a later account of the same name inherits nothing.</summary>
    internal static async Task ForgetUserAsync(EnmsDbContext db, string userName, CancellationToken ct)
    {
        foreach (var group in await db.UserGroups.Where(g => g.Members.Contains(userName)).ToListAsync(ct))
        {
            group.Members = [.. group.Members.Where(m => m != userName)];
        }
        await db.SaveChangesAsync(ct);
    }

    private async Task<GroupOutcome> ChangeMembersAsync(int id, Func<List<string>, List<string>> change, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.UserGroups.FirstOrDefaultAsync(g => g.Id == id, ct) is { } group
            ? await SaveAsync(db, group, new GroupInput(Members: change(group.Members)), ct)
            : NotFound();
    }

    private async Task<GroupOutcome> SaveAsync(EnmsDbContext db, UserGroup group, GroupInput input, CancellationToken ct)
    {
        if (input.Description is { Length: > 1000 })
        {
            return GroupOutcome.Refused(UserRefusal.Invalid, "At most 1000 characters.", "description");
        }
        if (UserAdministration.RoleProblem(input.Role) is { } roleProblem)
        {
            return GroupOutcome.Refused(UserRefusal.Invalid, roleProblem, "role");
        }
        if (await UserAdministration.PoolProblemAsync(dbFactory, input.PoolIds, ct) is { } poolProblem)
        {
            return GroupOutcome.Refused(UserRefusal.Invalid, poolProblem, "poolIds");
        }
        List<string>? members = null;
        if (input.Members is { } wanted)
        {
            if (wanted.Count > UserGroup.MaxMembers)
            {
                return GroupOutcome.Refused(UserRefusal.Invalid, $"At most {UserGroup.MaxMembers} members.", "members");
            }
            // Stored as the accounts spell their names, so that the claims factory's exact match finds them.
            var asked = wanted.Select(n => n.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var upper = asked.Select(n => n.ToUpperInvariant()).ToList();
            members = await db.Users.Where(u => upper.Contains(u.NormalizedUserName!)).Select(u => u.UserName!).OrderBy(n => n).ToListAsync(ct);
            var unknown = asked.Where(n => !members.Contains(n, StringComparer.OrdinalIgnoreCase)).ToList();
            if (unknown.Count > 0)
            {
                return GroupOutcome.Refused(UserRefusal.Invalid, $"No user named {string.Join(", ", unknown.Take(10))}.", "members");
            }
        }
        var before = group.Members.ToList();
        var accessChanged = (input.Role is not null && NullIfEmpty(input.Role) != group.Role)
            || (input.PoolIds is not null && !input.PoolIds.Distinct().Order().SequenceEqual(group.PoolIds.Order()));
        group.Description = input.Description?.Trim() ?? group.Description;
        group.Role = input.Role is null ? group.Role : NullIfEmpty(input.Role);
        group.PoolIds = input.PoolIds is null ? group.PoolIds : [.. input.PoolIds.Distinct().Order()];
        group.Members = members ?? group.Members;
        if (group.Id == 0)
        {
            db.UserGroups.Add(group);
        }
        await db.SaveChangesAsync(ct);
        // Who gained or lost the group, or everyone in it when what it grants changed.
        var affected = accessChanged ? before.Union(group.Members) : before.Except(group.Members).Union(group.Members.Except(before));
        await RenewSessionsAsync(db, [.. affected], ct);
        return new GroupOutcome(UserRefusal.None, new Dictionary<string, string>(), View(group));
    }

    /// <summary>A new security stamp ends the cached principal of these users' sessions (bookkeeping, not audited: the group's
    /// own entry says what changed).</summary>
    private static async Task RenewSessionsAsync(EnmsDbContext db, List<string> userNames, CancellationToken ct)
    {
        if (userNames.Count > 0)
        {
            var stamp = Guid.NewGuid().ToString("N").ToUpperInvariant();
            await db.Users.Where(u => userNames.Contains(u.UserName!)).ExecuteUpdateAsync(s => s.SetProperty(u => u.SecurityStamp, stamp), ct);
        }
    }

    private static GroupOutcome NotFound() => GroupOutcome.Refused(UserRefusal.NotFound, "This group no longer exists.");

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static GroupView View(UserGroup g) => new(g.Id, g.Name, g.Description, g.Role, [.. g.PoolIds], [.. g.Members]);
}
