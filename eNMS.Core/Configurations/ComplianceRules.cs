using eNMS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Configurations;

/// <summary>What saving a rule gave: the saved rule, or why not (<see cref="NotFound"/>: no such rule).</summary>
public sealed record ComplianceRuleSave(ComplianceRule? Rule, string? Problem, bool NotFound = false);

/// <summary>The one place compliance rules are checked, saved and deleted (the page and the API both come here), through
/// the change tracker so that the audit records each change.</summary>
public static class ComplianceRules
{
    /// <summary>Creates (<paramref name="id"/> null) or updates a rule from <paramref name="input"/>.</summary>
    public static async Task<ComplianceRuleSave> SaveAsync(IDbContextFactory<EnmsDbContext> dbFactory, int? id, ComplianceRule input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dbFactory);
        ArgumentNullException.ThrowIfNull(input);
        input.Platform ??= "";
        if (Problem(input) is { } problem)
        {
            return new(null, problem);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var name = input.Name.Trim();
        if (await db.ComplianceRules.AnyAsync(r => r.Name == name && r.Id != (id ?? 0), ct))
        {
            return new(null, $"A compliance rule named '{name}' already exists.");
        }
        if (input.PoolId is int poolId && !await db.Pools.AnyAsync(p => p.Id == poolId, ct))
        {
            return new(null, $"{name}: pool: no pool #{poolId}.");
        }
        var rule = id is int existing ? await db.ComplianceRules.FirstOrDefaultAsync(r => r.Id == existing, ct) : db.ComplianceRules.Add(new ComplianceRule { Name = name }).Entity;
        if (rule is null)
        {
            return new(null, "No such compliance rule.", NotFound: true);
        }
        (rule.Name, rule.PoolId, rule.Platform, rule.Mode, rule.Template) = (name, input.PoolId, input.Platform.Trim(), input.Mode, input.Template);
        await db.SaveChangesAsync(ct);
        return new(rule, null);
    }

    /// <summary>Deletes a rule; false when there is none.</summary>
    public static async Task<bool> DeleteAsync(IDbContextFactory<EnmsDbContext> dbFactory, int id, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dbFactory);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.ComplianceRules.FirstOrDefaultAsync(r => r.Id == id, ct) is not { } rule)
        {
            return false;
        }
        db.ComplianceRules.Remove(rule);
        await db.SaveChangesAsync(ct);
        return true;
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
