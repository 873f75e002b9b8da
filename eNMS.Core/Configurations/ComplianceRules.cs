using System.Globalization;
using eNMS.Core.Data;
using eNMS.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Configurations;

/// <summary>What saving a rule gave: the saved rule, or why not (<see cref="NotFound"/>: no such rule).</summary>
public sealed record ComplianceRuleSave(ComplianceRule? Rule, string? Problem, bool NotFound = false);

/// <summary>The one place compliance rules are checked, read for a change, saved and deleted (the page and the API both
/// come here), through the change tracker so that the audit records each change. A rule has an owner and read and edit
/// lists (<see cref="ObjectAccess"/>, with the current actor <see cref="AuditActor.Current"/>): a rule the actor may not
/// read is missing to them; one they may not edit is refused (403), and the refusal is audited. A rule of a pool outside
/// a pool-limited user's pools is missing to them too: the pool scope of <see cref="EnmsDbContext"/> (its query filter
/// on rules) hides it wherever a context limited to their pools reads rules (the scope their saves and deletes are given).</summary>
public static class ComplianceRules
{
    /// <summary>Creates (<paramref name="id"/> null) or updates a rule from <paramref name="input"/>, with the owner and
    /// lists of <paramref name="access"/> (null, or null fields: kept; a new rule is its creator's). <paramref name="scope"/>:
    /// the actor's pools (null: every pool); a rule of another pool is missing to them, and none may be given one.</summary>
    /// <exception cref="AccessDeniedException">The rule's edit list leaves the actor out, or they may not change its owner
    /// or lists (audited as "update refused").</exception>
    public static async Task<ComplianceRuleSave> SaveAsync(IDbContextFactory<EnmsDbContext> dbFactory, AuditLog audit, int? id, ComplianceRule input,
        AccessChange? access, IReadOnlyList<int>? scope, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dbFactory);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(input);
        input.Platform ??= "";
        if (Problem(input) is { } problem)
        {
            return new(null, problem);
        }
        await using var db = await dbFactory.CreateScopedAsync(scope, ct);
        var name = input.Name.Trim();
        var rule = id is int existing ? await ReadableAsync(db, existing, AuditActor.Current, ct) : null;
        if (id is not null && rule is null)
        {
            return new(null, "No such compliance rule.", NotFound: true);
        }
        // Names are unique across every pool, seen or not.
        if (await db.ComplianceRules.IgnoreQueryFilters().AnyAsync(r => r.Name == name && r.Id != (id ?? 0), ct))
        {
            return new(null, $"A compliance rule named '{name}' already exists.");
        }
        if (input.PoolId is int poolId && !await db.Pools.AnyAsync(p => p.Id == poolId, ct))
        {
            return new(null, $"{name}: pool: no pool #{poolId}.");
        }
        var errors = new Dictionary<string, string>();
        AccessLists lists;
        try
        {
            lists = await ObjectAccess.ChangeAsync(db, rule is null ? null : AccessLists.Of(rule), $"Compliance rule '{rule?.Name}'", access, errors, ct);
        }
        catch (AccessDeniedException e)
        {
            await audit.WriteAsync(AuditActor.Current, "update refused", "compliance rule", id?.ToString(CultureInfo.InvariantCulture), rule?.Name, e.Message, ct);
            throw;
        }
        if (errors.Count > 0)
        {
            return new(null, $"{name}: {string.Join(" ", errors.Select(e => $"{e.Key}: {e.Value}"))}");
        }
        rule ??= db.ComplianceRules.Add(new ComplianceRule { Name = name }).Entity;
        (rule.Name, rule.PoolId, rule.Platform, rule.Mode, rule.Template) = (name, input.PoolId, input.Platform.Trim(), input.Mode, input.Template);
        (rule.Owner, rule.ReadAccess, rule.EditAccess) = (lists.Owner, lists.ReadAccess, lists.EditAccess);
        await db.SaveChangesAsync(ct);
        return new(rule, null);
    }

    /// <summary>Deletes a rule; false when there is none (or the actor may not read it).</summary>
    /// <exception cref="AccessDeniedException">The rule's edit list leaves the actor out (audited as "delete refused").</exception>
    public static async Task<bool> DeleteAsync(IDbContextFactory<EnmsDbContext> dbFactory, AuditLog audit, int id, IReadOnlyList<int>? scope, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dbFactory);
        ArgumentNullException.ThrowIfNull(audit);
        await using var db = await dbFactory.CreateScopedAsync(scope, ct);
        if (await ReadableAsync(db, id, AuditActor.Current, ct) is not { } rule)
        {
            return false;
        }
        if (ObjectAccess.Refusal(AuditActor.Current, rule, $"Compliance rule '{rule.Name}'", AccessRight.Edit) is { } refusal)
        {
            await audit.WriteAsync(AuditActor.Current, "delete refused", "compliance rule", id.ToString(CultureInfo.InvariantCulture), rule.Name, refusal, ct);
            throw new AccessDeniedException(refusal);
        }
        db.ComplianceRules.Remove(rule);
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>The rules <paramref name="reader"/> may read, by name (filtered in memory: access lists are not queryable
    /// columns); a context limited to pools (<see cref="ScopedContexts.CreateScopedAsync"/>) lists only the rules of
    /// those pools and those of no pool. What the compliance page, the API and the checker list.</summary>
    public static async Task<List<ComplianceRule>> ListAsync(EnmsDbContext db, AuditActor? reader, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return (await db.ComplianceRules.AsNoTracking().OrderBy(r => r.Name).ToListAsync(ct)).Readable(reader);
    }

    /// <summary>The rule (tracked) when it exists and <paramref name="reader"/> may read it, else null.</summary>
    public static async Task<ComplianceRule?> ReadableAsync(EnmsDbContext db, int id, AuditActor? reader, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return (await db.ComplianceRules.Where(r => r.Id == id).ToListAsync(ct)).Readable(reader).FirstOrDefault();
    }

    /// <summary>Why the rule cannot be saved (naming the field), or null.</summary>
    public static string? Problem(ComplianceRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (string.IsNullOrWhiteSpace(rule.Name))
        {
            return "name: give the rule a name.";
        }
        if (rule.PoolId is null && string.IsNullOrWhiteSpace(rule.Platform))
        {
            return $"{rule.Name}: choose a pool or a platform the rule applies to.";
        }
        if (string.IsNullOrWhiteSpace(rule.Template))
        {
            return $"{rule.Name}: template: give the intended configuration, snippets or regular expressions.";
        }
        return Automation.Templates.TemplateRenderer.Check(rule.Template) is { } error ? $"{rule.Name}: template: {error}" : null;
    }
}
