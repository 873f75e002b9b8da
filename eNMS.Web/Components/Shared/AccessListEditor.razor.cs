using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Web.Components.Shared;

/// <summary>Edits an object's owner and access lists in place (<see cref="AccessFields"/>); the page saves them with the
/// object, through its editor, which checks <see cref="ObjectAccess"/> again.</summary>
public sealed partial class AccessListEditor
{
    private const int MaxSuggestions = 20;
    private bool _editable;

    [Inject] private IDbContextFactory<EnmsDbContext> DbFactory { get; set; } = default!;
    [Inject] private UserAccess Access { get; set; } = default!;

    [Parameter, EditorRequired] public AccessFields Fields { get; set; } = default!;
    /// <summary>The object as stored (null: a new one, its creator's): whose owner decides who may change the lists.</summary>
    [Parameter] public IAccessControlled? Stored { get; set; }
    /// <summary>Objects that are not run by hand (schedules, compliance rules) have no run list.</summary>
    [Parameter] public bool ShowRun { get; set; } = true;
    /// <summary>The owner or a list was changed here (not saved yet): the designer shows its unsaved mark.</summary>
    [Parameter] public EventCallback Changed { get; set; }

    protected override async Task OnParametersSetAsync() => _editable = ObjectAccess.MayChangeLists(await Access.ActorAsync(), Stored);

    private string Summary => $"Owner and access lists · {Fields.Owner ?? "no owner"}"
        + (Fields.ReadAccess.Count + Fields.EditAccess.Count + Fields.RunAccess.Count == 0 ? " · the role decides" : "");

    private IEnumerable<(string Title, List<string> List, string Right)> Lists()
    {
        yield return ("Read", Fields.ReadAccess, "read");
        yield return ("Edit", Fields.EditAccess, "edit");
        if (ShowRun)
        {
            yield return ("Run", Fields.RunAccess, "run");
        }
    }

    private async Task AddAsync(List<string> list, string? entry)
    {
        if (entry is { Length: > 0 } && !list.Contains(entry, StringComparer.Ordinal) && list.Count < ObjectAccess.MaxEntries)
        {
            list.Add(entry);
            await Changed.InvokeAsync();
        }
    }

    private async Task RemoveAsync(List<string> list, string entry)
    {
        list.Remove(entry);
        await Changed.InvokeAsync();
    }

    private async Task SetOwnerAsync(string? owner)
    {
        Fields.Owner = owner;
        await Changed.InvokeAsync();
    }

    private async Task<IEnumerable<string>> SearchUsersAsync(string? text, CancellationToken ct)
    {
        await using var db = await DbFactory.CreateDbContextAsync(ct);
        var pattern = (text ?? "").Trim().ToUpperInvariant();
        return await db.Users.AsNoTracking().Where(u => u.NormalizedUserName!.Contains(pattern)).OrderBy(u => u.UserName)
            .Select(u => u.UserName!).Take(MaxSuggestions).ToListAsync(ct);
    }

    /// <summary>Users and groups whose name holds the text, as list entries (<c>user:NAME</c>, <c>group:NAME</c>).</summary>
    private async Task<IEnumerable<string>> SearchEntriesAsync(string? text, CancellationToken ct)
    {
        var term = (text ?? "").Trim();
        foreach (var prefix in new[] { ObjectAccess.UserPrefix, ObjectAccess.GroupPrefix })
        {
            term = term.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? term[prefix.Length..] : term;
        }
        var users = (await SearchUsersAsync(term, ct)).Select(u => ObjectAccess.UserPrefix + u);
        await using var db = await DbFactory.CreateDbContextAsync(ct);
        var groups = await db.UserGroups.AsNoTracking().Where(g => g.Name.Contains(term)).OrderBy(g => g.Name)
            .Select(g => g.Name).Take(MaxSuggestions).ToListAsync(ct);
        return groups.Select(g => ObjectAccess.GroupPrefix + g).Concat(users).Take(MaxSuggestions).ToList();
    }
}

/// <summary>What <see cref="AccessListEditor"/> edits: an owner and three lists, copied from the object and back.</summary>
public sealed class AccessFields
{
    public string? Owner { get; set; }
    public List<string> ReadAccess { get; init; } = [];
    public List<string> EditAccess { get; init; } = [];
    public List<string> RunAccess { get; init; } = [];

    /// <summary>Whom a new object belongs to unless the owner field names someone else.</summary>
    private string? _creator;

    /// <summary>The owner to save: null while a new object's owner field still shows its creator, who owns it anyway
    /// (the creator is whoever saves it, as the server knows them).</summary>
    public string? OwnerChange => _creator is not null && string.Equals(Owner, _creator, StringComparison.Ordinal) ? null : Owner;

    /// <summary>The object's fields (null: a new object, owned by <paramref name="creator"/>).</summary>
    public static AccessFields From(IAccessControlled? stored, string? creator = null) => stored is null ? new() { Owner = creator, _creator = creator }
        : new() { Owner = stored.Owner, ReadAccess = [.. stored.ReadAccess], EditAccess = [.. stored.EditAccess], RunAccess = [.. stored.RunAccess] };

    public static AccessFields From(string? owner, List<string>? read, List<string>? edit, List<string>? run) =>
        new() { Owner = owner, ReadAccess = [.. read ?? []], EditAccess = [.. edit ?? []], RunAccess = [.. run ?? []] };

    public AccessChange ToChange() => new(OwnerChange, [.. ReadAccess], [.. EditAccess], [.. RunAccess]);
}
