using eNMS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Security;

/// <summary>A change or a run refused by an object's access list (answered 403 by the API, shown as an error by the pages).</summary>
public sealed class AccessDeniedException(string message) : OutOfScopeException(message)
{
    public override string Title => "Not on the access list";
}

public enum AccessRight
{
    Read,
    Edit,
    Run,
}

/// <summary>An object's owner and access lists (services and workflows today). Entries are <c>user:NAME</c> or
/// <c>group:NAME</c>; an empty list leaves the right to the role, as before access lists existed.</summary>
public interface IAccessControlled
{
    string? Owner { get; }
    List<string> ReadAccess { get; }
    List<string> EditAccess { get; }
    List<string> RunAccess { get; }
}

/// <summary>An owner and lists, as a form or the API sends them: null keeps what the object has.</summary>
public sealed record AccessChange(string? Owner = null, List<string>? ReadAccess = null, List<string>? EditAccess = null, List<string>? RunAccess = null)
{
    public static AccessChange Of(IAccessControlled target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return new(target.Owner, [.. target.ReadAccess], [.. target.EditAccess], [.. target.RunAccess]);
    }
}

/// <summary>An object's owner and lists on their own: what a change is checked on, and what it leaves.</summary>
public sealed class AccessLists : IAccessControlled
{
    public string? Owner { get; init; }
    public List<string> ReadAccess { get; init; } = [];
    public List<string> EditAccess { get; init; } = [];
    public List<string> RunAccess { get; init; } = [];

    public static AccessLists Of(IAccessControlled target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return new() { Owner = target.Owner, ReadAccess = [.. target.ReadAccess], EditAccess = [.. target.EditAccess], RunAccess = [.. target.RunAccess] };
    }
}

/// <summary>
/// The one owner of per-object access: whether an actor (<see cref="AuditActor"/> with its groups) may read, edit or run
/// an object with an owner and access lists. Roles still come first (policies gate every page and endpoint); a list
/// only narrows: with a non-empty list, only the admins, the owner and those named (as a user or through a group) have
/// the right. Read is also given by the edit and run lists. A null actor is eNMS itself (the engine, startup), never
/// refused. Who may change the owner and the lists: the owner and admins (<see cref="ListChangeRefusal"/>).
/// Used by the service editor (pages, designer, API, import), the run launcher (a workflow's run checks the workflow,
/// not its nested services) and the schedules.
/// </summary>
public static class ObjectAccess
{
    public const int MaxEntries = 200;
    public const string UserPrefix = "user:";
    public const string GroupPrefix = "group:";

    public static bool Allows(AuditActor? actor, IAccessControlled target, AccessRight right)
    {
        ArgumentNullException.ThrowIfNull(target);
        var lists = right switch
        {
            AccessRight.Edit => [target.EditAccess],
            AccessRight.Run => [target.RunAccess],
            _ => new[] { target.ReadAccess, target.EditAccess, target.RunAccess },
        };
        if (actor is null || actor.IsAdmin || lists[0].Count == 0 || IsOwner(actor, target))
        {
            return true;
        }
        return lists.SelectMany(l => l).Any(entry => Names(actor, entry));
    }

    /// <summary>Whether one list gives <paramref name="actor"/> its right on its own (no owner): empty, eNMS itself, an admin,
    /// or named by the list. What a credential's use list asks.</summary>
    public static bool ListAllows(AuditActor? actor, IReadOnlyCollection<string> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return actor is null || actor.IsAdmin || entries.Count == 0 || entries.Any(entry => Names(actor, entry));
    }

    /// <summary>The items <paramref name="actor"/> may read, in their order (filtered in memory: access lists are not
    /// queryable columns). Every list of services a page shows goes through this.</summary>
    public static List<T> Readable<T>(this IEnumerable<T> items, AuditActor? actor) where T : IAccessControlled =>
        [.. items.Where(item => Allows(actor, item, AccessRight.Read))];

    /// <summary>Why <paramref name="actor"/> may not <paramref name="right"/> the object, or null.</summary>
    public static string? Refusal(AuditActor? actor, IAccessControlled target, string what, AccessRight right) =>
        Allows(actor, target, right) ? null
            : $"{what} has an access list that does not give you the right to {right.ToString().ToLowerInvariant()} it: ask its owner ({target.Owner ?? "none"}) or an admin.";

    /// <summary>Throws the refusal as an <see cref="AccessDeniedException"/>.</summary>
    public static void Demand(AuditActor? actor, IAccessControlled target, string what, AccessRight right)
    {
        if (Refusal(actor, target, what, right) is { } refusal)
        {
            throw new AccessDeniedException(refusal);
        }
    }

    public static bool IsOwner(AuditActor actor, IAccessControlled target)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(target);
        return target.Owner is { } owner && string.Equals(owner, actor.User, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Why the actor may not change the owner or the lists from <paramref name="before"/> to <paramref name="after"/>
    /// (null when nothing changes, or the actor is eNMS, an admin or the owner).</summary>
    public static string? ListChangeRefusal(AuditActor? actor, IAccessControlled before, IAccessControlled after) =>
        MayChangeLists(actor, before) || SameLists(before, after) ? null : ListChangeRule;

    public const string ListChangeRule = "Only its owner or an admin may change the owner or the access lists.";

    /// <summary>Whether the actor may change the owner and the lists of <paramref name="target"/> (null: a new object, its creator's).</summary>
    public static bool MayChangeLists(AuditActor? actor, IAccessControlled? target) =>
        actor is null || actor.IsAdmin || target is null || IsOwner(actor, target);

    /// <summary>The owner and lists <paramref name="what"/> will have after <paramref name="change"/>, once the current
    /// actor's right to edit it (<paramref name="before"/>; null for a new object, which is its creator's) and to change
    /// its lists is checked. Unknown users or groups go to <paramref name="errors"/> (fields <c>owner</c>, <c>access</c>).
    /// Every editor of an object with lists (services, playbooks, schedules, compliance rules) goes through this.</summary>
    /// <exception cref="AccessDeniedException">The actor may not edit it, or not change its owner or lists.</exception>
    public static async Task<AccessLists> ChangeAsync(EnmsDbContext db, IAccessControlled? before, string what, AccessChange? change,
        Dictionary<string, string> errors, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(errors);
        var actor = AuditActor.Current;
        if (before is not null)
        {
            Demand(actor, before, what, AccessRight.Edit);
        }
        // A new object is its creator's: the lists they give it are theirs to give.
        before ??= new AccessLists { Owner = actor?.User };
        change ??= new();
        var after = new AccessLists
        {
            Owner = change.Owner is { Length: > 0 } owner ? await UserNameAsync(db, owner, ct) ?? owner.Trim() : before.Owner,
            ReadAccess = Entries(change.ReadAccess) ?? [.. before.ReadAccess],
            EditAccess = Entries(change.EditAccess) ?? [.. before.EditAccess],
            RunAccess = Entries(change.RunAccess) ?? [.. before.RunAccess],
        };
        if (ListChangeRefusal(actor, before, after) is { } refusal)
        {
            throw new AccessDeniedException(refusal);
        }
        if (after.Owner is { } named && !string.Equals(after.Owner, before.Owner, StringComparison.Ordinal) && await UserNameAsync(db, named, ct) is null)
        {
            errors["owner"] = $"No user named '{Cut(named)}'.";
        }
        if (await EntryProblemAsync(db, after.ReadAccess.Concat(after.EditAccess).Concat(after.RunAccess), ct) is { } problem)
        {
            errors["access"] = problem;
        }
        return after;
    }

    /// <summary>A list's entries trimmed, without blanks and repeats (null: none given).</summary>
    internal static List<string>? Entries(List<string>? entries) =>
        entries?.Select(e => e.Trim()).Where(e => e.Length > 0).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Why the entries are unusable (malformed, too many, naming no user or group), or null.</summary>
    public static async Task<string?> EntryProblemAsync(EnmsDbContext db, IEnumerable<string> entries, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var all = entries.ToList();
        if (all.Count > MaxEntries)
        {
            return $"At most {MaxEntries} entries in the access lists.";
        }
        if (all.FirstOrDefault(e => !e.StartsWith(UserPrefix, StringComparison.Ordinal) && !e.StartsWith(GroupPrefix, StringComparison.Ordinal)) is { } bad)
        {
            return $"'{Cut(bad)}' is neither user:NAME nor group:NAME.";
        }
        var users = all.Where(e => e.StartsWith(UserPrefix, StringComparison.Ordinal)).Select(e => e[UserPrefix.Length..].ToUpperInvariant()).Distinct().ToList();
        var groups = all.Where(e => e.StartsWith(GroupPrefix, StringComparison.Ordinal)).Select(e => e[GroupPrefix.Length..]).Distinct().ToList();
        var knownUsers = await db.Users.Where(u => users.Contains(u.NormalizedUserName!)).Select(u => u.NormalizedUserName!).ToListAsync(ct);
        var knownGroups = await db.UserGroups.Where(g => groups.Contains(g.Name)).Select(g => g.Name).ToListAsync(ct);
        var unknown = users.Except(knownUsers).Select(u => UserPrefix + u.ToLowerInvariant()).Concat(groups.Except(knownGroups).Select(g => GroupPrefix + g)).ToList();
        return unknown.Count == 0 ? null : $"No such user or group: {string.Join(", ", unknown.Take(10).Select(Cut))}.";
    }

    /// <summary>The owner's name as the accounts spell it, or null when there is no such user.</summary>
    public static Task<string?> UserNameAsync(EnmsDbContext db, string name, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var normalized = name.Trim().ToUpperInvariant();
        return db.Users.Where(u => u.NormalizedUserName == normalized).Select(u => u.UserName).FirstOrDefaultAsync(ct);
    }

    private static bool Names(AuditActor actor, string entry) =>
        entry.StartsWith(UserPrefix, StringComparison.Ordinal)
            ? string.Equals(entry[UserPrefix.Length..], actor.User, StringComparison.OrdinalIgnoreCase)
            : entry.StartsWith(GroupPrefix, StringComparison.Ordinal) && actor.Groups.Contains(entry[GroupPrefix.Length..], StringComparer.Ordinal);

    private static bool SameLists(IAccessControlled a, IAccessControlled b) =>
        string.Equals(a.Owner, b.Owner, StringComparison.OrdinalIgnoreCase) && a.ReadAccess.Order().SequenceEqual(b.ReadAccess.Order())
        && a.EditAccess.Order().SequenceEqual(b.EditAccess.Order()) && a.RunAccess.Order().SequenceEqual(b.RunAccess.Order());

    private static string Cut(string value) => value.Length <= 100 ? value : value[..100] + "…";
}
