using eNMS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Parsing;

/// <summary>What a save did: the template saved, or why not (<see cref="NotFound"/>: no template with that id).</summary>
public sealed record ParsingTemplateSaved(ParsingTemplate? Template, string Problem = "", bool NotFound = false);

/// <summary>Saves and deletes stored templates, refusing a template TextFSM would refuse (the problem names the line).</summary>
public sealed class ParsingTemplates(IDbContextFactory<EnmsDbContext> dbFactory)
{
    /// <summary>Why the template cannot be stored, or null.</summary>
    public static string? Problem(ParsingTemplate input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (string.IsNullOrWhiteSpace(input.Name))
        {
            return "Give the template a name.";
        }
        if (input.Name.Contains(':', StringComparison.Ordinal))
        {
            return "A template's name cannot hold ':' (it joins several templates).";
        }
        if (input.Command.Trim().Length > 0 != input.Platform.Trim().Length > 0)
        {
            return "Give both a platform and a command (to be found automatically), or neither (to be used by name).";
        }
        if (input.Command.Trim().Length > 0)
        {
            try
            {
                _ = TemplateIndex.CommandRegex(input.Command.Trim());
            }
            catch (ArgumentException e)
            {
                return $"The command is not a valid pattern: {e.Message}";
            }
        }
        try
        {
            _ = TextFsmTemplate.Parse(input.Text ?? "");
            return null;
        }
        catch (TextFsmTemplateException e)
        {
            return $"The template is not valid TextFSM: {e.Message}";
        }
    }

    public async Task<ParsingTemplateSaved> SaveAsync(int? id, ParsingTemplate input, CancellationToken ct)
    {
        if (Problem(input) is { } problem)
        {
            return new ParsingTemplateSaved(null, problem);
        }
        var name = input.Name.Trim();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.ParsingTemplates.AnyAsync(t => t.Name == name && t.Id != (id ?? 0), ct))
        {
            return new ParsingTemplateSaved(null, $"A parsing template named '{name}' already exists.");
        }
        var template = id is int existing
            ? await db.ParsingTemplates.FirstOrDefaultAsync(t => t.Id == existing, ct)
            : db.ParsingTemplates.Add(new ParsingTemplate { Name = name }).Entity;
        if (template is null)
        {
            return new ParsingTemplateSaved(null, NotFound: true);
        }
        (template.Name, template.Platform, template.Command, template.Description, template.Text) =
            (name, input.Platform.Trim(), input.Command.Trim(), input.Description ?? "", input.Text);
        await db.SaveChangesAsync(ct);
        return new ParsingTemplateSaved(template);
    }

    public async Task<bool> DeleteAsync(int id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Remove + SaveChanges (not ExecuteDelete): the audit interceptor sees the deletion.
        if (await db.ParsingTemplates.FirstOrDefaultAsync(t => t.Id == id, ct) is not { } template)
        {
            return false;
        }
        db.ParsingTemplates.Remove(template);
        await db.SaveChangesAsync(ct);
        return true;
    }
}
