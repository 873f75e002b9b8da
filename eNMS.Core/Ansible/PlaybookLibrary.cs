using eNMS.Core.Data;
using eNMS.Core.Security;
using Microsoft.EntityFrameworkCore;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace eNMS.Core.Ansible;

/// <summary>What a playbook save did: the playbook, and the version now current (new only when the text changed).</summary>
public sealed record PlaybookSaved(int PlaybookId, int Version, bool NewVersion);

/// <summary>The playbook library: checks that a playbook is YAML shaped like a playbook and keeps every version.</summary>
public sealed class PlaybookLibrary(IDbContextFactory<EnmsDbContext> dbFactory, TimeProvider time)
{
    /// <summary>Why the text is not a usable playbook (with line and column), or null.</summary>
    public static string? Validate(string content)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return "The playbook is empty.";
        }
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(content));
        }
        catch (YamlException e)
        {
            return $"Line {e.Start.Line}, column {e.Start.Column}: {e.InnerException?.Message ?? e.Message}";
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlSequenceNode plays)
        {
            return "A playbook is one YAML document holding a list of plays (each starting with '- hosts: ...').";
        }
        foreach (var play in plays)
        {
            if (play is not YamlMappingNode mapping)
            {
                return $"Line {play.Start.Line}: a play is a mapping (hosts, tasks, …), not a {play.NodeType.ToString().ToLowerInvariant()}.";
            }
            var keys = mapping.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value).ToHashSet(StringComparer.Ordinal);
            if (!keys.Contains("hosts") && !keys.Contains("import_playbook") && !keys.Contains("ansible.builtin.import_playbook"))
            {
                return $"Line {play.Start.Line}: the play has no 'hosts'.";
            }
        }
        return null;
    }

    /// <exception cref="ArgumentException">The name is empty or taken, the playbook is not valid, or the owner or lists name
    /// no user or group (the message says why); ParamName "id" when the playbook does not exist for the current user.</exception>
    /// <exception cref="AccessDeniedException">Its edit list leaves the current user out, or they may not change its lists.</exception>
    public async Task<PlaybookSaved> SaveAsync(int? id, string name, string description, string content, string user, CancellationToken ct,
        AccessChange? access = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        name = name?.Trim() ?? "";
        if (name.Length == 0)
        {
            throw new ArgumentException("Give the playbook a name.", nameof(name));
        }
        if (Validate(content) is { } problem)
        {
            throw new ArgumentException($"{name}: {problem}", nameof(content));
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Playbooks.AnyAsync(p => p.Name == name && p.Id != (id ?? 0), ct))
        {
            throw new ArgumentException($"A playbook named '{name}' already exists.", nameof(name));
        }
        var playbook = id is int existing
            ? (await db.Playbooks.Where(p => p.Id == existing).ToListAsync(ct)).Readable(AuditActor.Current).FirstOrDefault()
                ?? throw new ArgumentException($"Playbook #{existing} does not exist.", nameof(id))
            : db.Playbooks.Add(new Playbook { Name = name }).Entity;
        var errors = new Dictionary<string, string>();
        var lists = await ObjectAccess.ChangeAsync(db, id is null ? null : AccessLists.Of(playbook), $"Playbook '{playbook.Name}'", access, errors, ct);
        if (errors.Count > 0)
        {
            throw new ArgumentException($"{name}: {string.Join(" ", errors.Values)}", nameof(access));
        }
        (playbook.Name, playbook.Description) = (name, description ?? "");
        (playbook.Owner, playbook.ReadAccess, playbook.EditAccess, playbook.RunAccess) = (lists.Owner, lists.ReadAccess, lists.EditAccess, lists.RunAccess);
        var latest = playbook.Id == 0 ? null
            : await db.PlaybookVersions.Where(v => v.PlaybookId == playbook.Id).OrderByDescending(v => v.Number).FirstOrDefaultAsync(ct);
        var changed = latest is null || latest.Content != content;
        if (changed)
        {
            playbook.Versions.Add(new PlaybookVersion { Number = (latest?.Number ?? 0) + 1, Content = content, CreatedAt = time.GetUtcNow(), CreatedBy = user });
        }
        await db.SaveChangesAsync(ct);
        return new PlaybookSaved(playbook.Id, (latest?.Number ?? 0) + (changed ? 1 : 0), changed);
    }

    /// <summary>Deletes a playbook the current user may read; false when there is none.</summary>
    /// <exception cref="AccessDeniedException">Its edit list leaves the current user out.</exception>
    public async Task<bool> DeleteAsync(int id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if ((await db.Playbooks.Where(p => p.Id == id).ToListAsync(ct)).Readable(AuditActor.Current).FirstOrDefault() is not { } playbook)
        {
            return false;
        }
        ObjectAccess.Demand(AuditActor.Current, playbook, $"Playbook '{playbook.Name}'", AccessRight.Edit);
        db.Playbooks.Remove(playbook);
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>Why <paramref name="user"/> (a run's user, as they are now) may not run the playbook, or null. Checked
    /// when an <c>ansible_playbook</c> service runs, not when it is saved: the list may change in between, and a
    /// workflow's run list does not give the right to run a playbook that says otherwise.</summary>
    public async Task<string?> RunRefusalAsync(int playbookId, string user, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var playbook = await db.Playbooks.AsNoTracking().FirstOrDefaultAsync(p => p.Id == playbookId, ct);
        if (playbook is null || playbook.RunAccess.Count == 0)
        {
            return null;
        }
        var actor = await EffectiveAccess.RunActorAsync(db, user, ct) ?? new AuditActor(user, null);
        return ObjectAccess.Refusal(actor, playbook, $"Playbook '{playbook.Name}'", AccessRight.Run);
    }

    /// <summary>A version of a playbook (0: the latest), or null.</summary>
    public async Task<PlaybookVersion?> FindAsync(int playbookId, int version, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var versions = db.PlaybookVersions.AsNoTracking().Where(v => v.PlaybookId == playbookId);
        return version > 0
            ? await versions.FirstOrDefaultAsync(v => v.Number == version, ct)
            : await versions.OrderByDescending(v => v.Number).FirstOrDefaultAsync(ct);
    }
}
