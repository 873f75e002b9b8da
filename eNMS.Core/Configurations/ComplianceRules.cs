namespace eNMS.Core.Configurations;

public static class ComplianceRules
{
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
