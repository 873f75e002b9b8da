using eNMS.Core.Data;
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

    /// <exception cref="ArgumentException">The name is empty or taken, or the playbook is not valid (the message says why).</exception>
    public async Task<PlaybookSaved> SaveAsync(int? id, string name, string description, string content, string user, CancellationToken ct)
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
            ? await db.Playbooks.FirstOrDefaultAsync(p => p.Id == existing, ct) ?? throw new ArgumentException($"Playbook #{existing} does not exist.", nameof(id))
            : db.Playbooks.Add(new Playbook { Name = name }).Entity;
        (playbook.Name, playbook.Description) = (name, description ?? "");
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
