using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Fluid;

namespace eNMS.Core.Automation.Templates;

/// <summary>A template that does not parse or fails to render; the message says where and why.</summary>
public sealed class TemplateException(string message) : Exception(message)
{
    public TemplateException() : this("template error") { }

    public TemplateException(string message, Exception inner) : this(message) => _ = inner;
}

/// <summary>
/// Renders Liquid (Fluid) in service fields. Sandboxed: the model is plain dictionaries and lists (no CLR objects,
/// so no reflection), no file system for includes, and bounded steps and recursion so a template cannot hang a run.
/// </summary>
public sealed partial class TemplateRenderer
{
    /// <summary>Fluid builds a range literal as a whole array before looping and checks no bound on it.</summary>
    public const int MaxRangeLength = 100_000;

    private static readonly FluidParser Parser = new();
    private readonly ConcurrentDictionary<string, IFluidTemplate> _cache = new();
    private readonly TemplateOptions _options = new()
    {
        MaxSteps = 100_000,
        MaxRecursion = 16,
        FileProvider = new Microsoft.Extensions.FileProviders.NullFileProvider(),
    };

    public static bool IsTemplate(string text) => text.Contains("{{", StringComparison.Ordinal) || text.Contains("{%", StringComparison.Ordinal);

    /// <summary>Why the text is not a valid template, or null.</summary>
    public static string? Check(string text) =>
        !IsTemplate(text) ? null : RangeProblem(text) ?? (Parser.TryParse(text, out _, out var error) ? null : error);

    private static string? RangeProblem(string text)
    {
        foreach (Match range in RangeLiteral().Matches(text))
        {
            if (long.TryParse(range.Groups[1].Value, out var from) && long.TryParse(range.Groups[2].Value, out var to) && Math.Abs(to - from) >= MaxRangeLength)
            {
                return $"The range {range.Value} is longer than {MaxRangeLength:N0} items.";
            }
        }
        return null;
    }

    [GeneratedRegex(@"\(\s*(-?\d+)\s*\.\.\s*(-?\d+)\s*\)")]
    private static partial Regex RangeLiteral();

    /// <exception cref="TemplateException">It does not parse or fails to render.</exception>
    public async ValueTask<string> RenderAsync(string text, IReadOnlyDictionary<string, object?> model)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(model);
        if (!IsTemplate(text))
        {
            return text;
        }
        var template = _cache.GetOrAdd(text, static source =>
            RangeProblem(source) is { } range ? throw new TemplateException($"Template error: {range}")
            : Parser.TryParse(source, out var parsed, out var error) ? parsed : throw new TemplateException($"Template error: {error}"));
        var context = new TemplateContext(_options);
        foreach (var (name, value) in model)
        {
            context.SetValue(name, value);
        }
        try
        {
            return await template.RenderAsync(context);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new TemplateException($"Template error: {e.Message}");
        }
    }
}
