using System.Collections.Concurrent;
using Fluid;
using Microsoft.Extensions.Options;

namespace eNMS.Core.Automation.Templates;

/// <summary>A template that does not parse or fails to render; the message says where and why.</summary>
public sealed class TemplateException(string message) : Exception(message)
{
    public TemplateException() : this("template error") { }

    public TemplateException(string message, Exception inner) : this(message) => _ = inner;
}

/// <summary>
/// Renders Liquid (Fluid) in service fields. Sandboxed: the model is plain dictionaries and lists (no CLR objects,
/// so no reflection), no file system for includes. Bounded (<see cref="TemplateLimits"/>): steps and iterations,
/// ranges before they are built, the size of output and of every value, nesting (at parse time, so a saved template
/// cannot overflow the parser's stack) and wall time; rendering runs off the caller's thread.
/// </summary>
public sealed class TemplateRenderer
{
    private const int CachedTemplates = 1_000;
    private static readonly FluidParser Parser = new();
    private readonly ConcurrentDictionary<string, IFluidTemplate> _cache = new();
    private readonly TemplateLimits _limits;
    private readonly TemplateOptions _options;

    public TemplateRenderer() : this(Options.Create(new TemplateLimits())) { }

    public TemplateRenderer(IOptions<TemplateLimits> limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _limits = limits.Value;
        _options = new TemplateOptions
        {
            MaxSteps = _limits.MaxSteps,
            MaxRecursion = 16,
            FileProvider = new Microsoft.Extensions.FileProviders.NullFileProvider(),
            Assigned = (name, value, context) => TemplateBudget.Of(context).CheckValue(name, value),
            Captured = (name, value, context) => TemplateBudget.Of(context).CheckValue(name, value),
        };
        TemplateBudget.Guard(_options);
    }

    public static bool IsTemplate(string text) => text.Contains("{{", StringComparison.Ordinal) || text.Contains("{%", StringComparison.Ordinal);

    /// <summary>Why the text is not a valid template, or null.</summary>
    public static string? Check(string text) =>
        !IsTemplate(text) ? null : TemplateNesting.Problem(text) ?? (Parser.TryParse(text, out _, out var error) ? null : error);

    /// <exception cref="TemplateException">It does not parse, fails to render or exceeds its limits.</exception>
    public async ValueTask<string> RenderAsync(string text, IReadOnlyDictionary<string, object?> model, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(model);
        if (!IsTemplate(text))
        {
            return text;
        }
        var template = Parse(text);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(_limits.TimeoutMilliseconds);
        var budget = new TemplateBudget(_limits, deadline.Token);
        var context = new TemplateContext(_options);
        budget.Attach(context);
        foreach (var (name, value) in model)
        {
            context.SetValue(name, value);
        }
        var output = new BoundedWriter(budget);
        // Off the caller's thread (a request or a circuit), and awaited no longer than the deadline: work Fluid does
        // between two budget checks cannot hold the caller past it.
        var rendering = Task.Run(async () => await template.RenderAsync(output, NullEncoder.Default, context), CancellationToken.None);
        try
        {
            await rendering.WaitAsync(deadline.Token);
            return output.ToString();
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TemplateException($"Template error: template exceeded {_limits.TimeoutMilliseconds:N0} ms");
        }
        catch (TemplateBudgetException e)
        {
            throw new TemplateException($"Template error: {e.Message}", e);
        }
        catch (InvalidOperationException e) when (e.Message.StartsWith("The maximum", StringComparison.Ordinal))
        {
            // Fluid's step limit (its message speaks of recursion or statements, depending on the version).
            throw new TemplateException($"Template error: template exceeded {_limits.MaxSteps:N0} iterations (tags and loop iterations)", e);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new TemplateException($"Template error: {e.Message}", e);
        }
    }

    private IFluidTemplate Parse(string text)
    {
        if (_cache.TryGetValue(text, out var cached))
        {
            return cached;
        }
        if (TemplateNesting.Problem(text) is { } problem)
        {
            throw new TemplateException($"Template error: {problem}");
        }
        if (!Parser.TryParse(text, out var parsed, out var error))
        {
            throw new TemplateException($"Template error: {error}");
        }
        var bounded = new RangeBounder().VisitTemplate(parsed);
        if (_cache.Count >= CachedTemplates)
        {
            // Rendered texts can be unique per device: keep the cache from growing without end.
            _cache.Clear();
        }
        return _cache.GetOrAdd(text, bounded);
    }
}
