using System.Text.RegularExpressions;
using eNMS.Core.Text;

namespace eNMS.Core.Inventory;

public enum PoolTarget
{
    Device,
    Link,
}

public enum CriterionOperator
{
    Equals,
    Contains,
    Regex,
    Empty,
}

/// <summary>One condition on a device or link property (built-in or custom), invertible.</summary>
public sealed class PoolCriterion
{
    public PoolTarget Target { get; set; }
    public required string Property { get; set; }
    public CriterionOperator Operator { get; set; }
    public string Value { get; set; } = "";
    public bool Invert { get; set; }


    public bool Matches(string? actual)
    {
        actual ??= "";
        var hit = Operator switch
        {
            CriterionOperator.Equals => string.Equals(actual, Value, StringComparison.OrdinalIgnoreCase),
            CriterionOperator.Contains => actual.Contains(Value, StringComparison.OrdinalIgnoreCase),
            CriterionOperator.Regex => UserRegex.IsMatch(actual, Value, RegexOptions.IgnoreCase),
            CriterionOperator.Empty => actual.Length == 0,
            _ => false,
        };
        return hit != Invert;
    }

    /// <summary>Why this criterion cannot be used, or null when it is valid.</summary>
    public string? Problem()
    {
        if (string.IsNullOrWhiteSpace(Property))
        {
            return "A criterion needs a property.";
        }
        if (Operator == CriterionOperator.Regex)
        {
            if (UserRegex.Problem(Value, RegexOptions.IgnoreCase) is { } problem)
            {
                return problem;
            }
        }
        // Names that are not built-in fields refer to custom properties, so any name is accepted.
        return null;
    }
}
