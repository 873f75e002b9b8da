namespace eNMS.Core.Automation.Templates;

/// <summary>
/// Bound from "Automation:Templates": what one rendering of a Liquid template may cost. Every template an editor
/// saves (service fields, compliance rules) is rendered with these limits, so no template can exhaust the server.
/// </summary>
public sealed class TemplateLimits
{
    /// <summary>Tags executed plus loop iterations, across nested loops, whatever the loop bound's origin.</summary>
    public int MaxSteps { get; set; } = 100_000;

    /// <summary>Characters of output, and of any one value (an <c>assign</c>, a <c>capture</c>, a filter's result).</summary>
    public int MaxOutputChars { get; set; } = 1_000_000;

    /// <summary>Wall-clock time of one rendering.</summary>
    public int TimeoutMilliseconds { get; set; } = 5_000;

    /// <summary>Blocks (if, for, case, capture…) nested in one another: checked when a template is saved and parsed,
    /// because the parser recurses per level and a deep enough template overflows the stack (which kills the process).
    /// Not configurable: it protects the parser, not a budget.</summary>
    public const int MaxNesting = 40;

    /// <summary>Characters of template text, checked at parse time.</summary>
    public const int MaxTemplateChars = 200_000;
}

/// <summary>A template exceeded one of its <see cref="TemplateLimits"/>; the message names the limit.</summary>
public sealed class TemplateBudgetException(string message) : InvalidOperationException(message)
{
    public TemplateBudgetException() : this("template exceeded its budget") { }

    public TemplateBudgetException(string message, Exception inner) : this(message) => _ = inner;
}
