using System.Text;
using Fluid;
using Fluid.Ast;
using Fluid.Values;

namespace eNMS.Core.Automation.Templates;

/// <summary>
/// One rendering's budget: the deadline and the size of values. Checked where a template can make the process do
/// unbounded work that Fluid's own step count does not see: ranges (Fluid builds a range as a whole array before
/// looping, so <c>(1..n)</c> with n = 10⁸ allocates gigabytes before the first step), values that double in size,
/// and output.
/// </summary>
internal sealed class TemplateBudget(TemplateLimits limits, CancellationToken ct)
{
    private const string Key = "enms.budget";

    public TemplateLimits Limits => limits;

    public void Attach(TemplateContext context) => context.AmbientValues[Key] = this;

    public static TemplateBudget Of(TemplateContext context) =>
        context.AmbientValues.TryGetValue(Key, out var budget) && budget is TemplateBudget b ? b
            : throw new InvalidOperationException("A template rendered without its budget.");

    /// <summary>Throws when the wall time is over (the renderer cancels <c>ct</c> at the deadline).</summary>
    public void CheckTime()
    {
        if (ct.IsCancellationRequested)
        {
            throw new TemplateBudgetException($"template exceeded {limits.TimeoutMilliseconds:N0} ms");
        }
    }

    public void CheckSize(long chars, string what)
    {
        CheckTime();
        if (chars > limits.MaxOutputChars)
        {
            throw new TemplateBudgetException($"template exceeded {limits.MaxOutputChars:N0} characters ({what})");
        }
    }

    public void CheckRange(long items)
    {
        CheckTime();
        if (items > limits.MaxSteps)
        {
            throw new TemplateBudgetException($"template exceeded {limits.MaxSteps:N0} iterations (a range of {items:N0} items)");
        }
    }

    public ValueTask<FluidValue> CheckValue(string name, FluidValue value)
    {
        switch (value)
        {
            case StringValue s:
                CheckSize(s.ToStringValue().Length, name);
                break;
            case ArrayValue a:
                CheckRange(a.Values.Count);
                break;
            default:
                CheckTime();
                break;
        }
        return ValueTask.FromResult(value);
    }

    /// <summary>Filters wrapped so each result is size-checked; <c>replace</c> and <c>join</c>, which can build a
    /// result far larger than their inputs in one call, are checked before they run.</summary>
    public static void Guard(TemplateOptions options)
    {
        foreach (var (name, filter) in options.Filters.ToList())
        {
            FilterDelegate before = name switch
            {
                "replace" => (input, args, context) =>
                {
                    var text = input.ToStringValue();
                    var find = args.At(0).ToStringValue();
                    var with = args.At(1).ToStringValue();
                    var count = find.Length == 0 ? 0 : CountOf(text, find);
                    Of(context).CheckSize(text.Length + (count * (long)Math.Max(0, with.Length - find.Length)), "replace");
                    return filter(input, args, context);
                }
                ,
                "join" => (input, args, context) =>
                {
                    var separator = args.At(0).ToStringValue();
                    var items = input.Enumerate(context).ToList();
                    Of(context).CheckSize(items.Sum(i => (long)i.ToStringValue().Length) + ((long)separator.Length * items.Count), "join");
                    return filter(input, args, context);
                }
                ,
                _ => filter,
            };
            options.Filters.AddFilter(name, async (input, args, context) => await Of(context).CheckValue(name, await before(input, args, context)));
        }
    }

    private static long CountOf(string text, string find)
    {
        long count = 0;
        for (var at = text.IndexOf(find, StringComparison.Ordinal); at >= 0; at = text.IndexOf(find, at + find.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }
}

/// <summary>A range whose length is checked against the budget before Fluid materializes it.</summary>
internal sealed class BoundedRangeExpression(RangeExpression range) : Expression
{
    public override async ValueTask<FluidValue> EvaluateAsync(TemplateContext context)
    {
        var from = (await range.From.EvaluateAsync(context)).ToNumberValue();
        var to = (await range.To.EvaluateAsync(context)).ToNumberValue();
        TemplateBudget.Of(context).CheckRange((long)Math.Min(Math.Abs(to - from) + 1, long.MaxValue));
        return await range.EvaluateAsync(context);
    }
}

/// <summary>Replaces every range of a parsed template with a <see cref="BoundedRangeExpression"/>.</summary>
internal sealed class RangeBounder : AstRewriter
{
    protected override Expression VisitRangeExpression(RangeExpression rangeExpression) =>
        new BoundedRangeExpression((RangeExpression)base.VisitRangeExpression(rangeExpression));
}

/// <summary>The output of one rendering, refusing to grow past the budget.</summary>
internal sealed class BoundedWriter(TemplateBudget budget) : TextWriter
{
    private readonly StringBuilder _text = new();

    public override Encoding Encoding => Encoding.Unicode;

    public override void Write(char value) => Append(new ReadOnlySpan<char>(in value));

    public override void Write(char[] buffer, int index, int count) => Append(buffer.AsSpan(index, count));

    public override void Write(string? value) => Append(value);

    public override void Write(ReadOnlySpan<char> buffer) => Append(buffer);

    public override Task WriteAsync(char value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteAsync(string? value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteAsync(char[] buffer, int index, int count)
    {
        Write(buffer, index, count);
        return Task.CompletedTask;
    }

    public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
    {
        Append(buffer.Span);
        return Task.CompletedTask;
    }

    private void Append(ReadOnlySpan<char> chars)
    {
        budget.CheckSize(_text.Length + (long)chars.Length, "output");
        _text.Append(chars);
    }

    public override string ToString() => _text.ToString();
}

/// <summary>Nesting of blocks counted on the text, before the parser (which recurses per level) sees it.</summary>
internal static class TemplateNesting
{
    private static readonly HashSet<string> Blocks = new(StringComparer.Ordinal)
    {
        "if", "unless", "for", "case", "capture", "tablerow", "comment", "raw", "ifchanged", "macro", "paginate", "block",
    };

    /// <summary>Why the text nests too deep or is too long to parse safely, or null.</summary>
    public static string? Problem(string text)
    {
        if (text.Length > TemplateLimits.MaxTemplateChars)
        {
            return $"template exceeded {TemplateLimits.MaxTemplateChars:N0} characters of text.";
        }
        var depth = 0;
        foreach (var tag in Tags(text))
        {
            if (Blocks.Contains(tag))
            {
                if (++depth > TemplateLimits.MaxNesting)
                {
                    return $"template exceeded {TemplateLimits.MaxNesting} nested blocks.";
                }
            }
            else if (tag.StartsWith("end", StringComparison.Ordinal) && Blocks.Contains(tag[3..]))
            {
                depth = Math.Max(0, depth - 1);
            }
        }
        return null;
    }

    /// <summary>The first word of each tag, and of each line of a <c>{% liquid %}</c> tag.</summary>
    private static IEnumerable<string> Tags(string text)
    {
        for (var at = text.IndexOf("{%", StringComparison.Ordinal); at >= 0; at = text.IndexOf("{%", at + 2, StringComparison.Ordinal))
        {
            var end = text.IndexOf("%}", at + 2, StringComparison.Ordinal);
            var body = text[(at + 2)..(end < 0 ? text.Length : end)].TrimStart('-');
            var first = FirstWord(body);
            if (first == "liquid")
            {
                foreach (var line in body.Split('\n').Skip(1))
                {
                    yield return FirstWord(line);
                }
            }
            else
            {
                yield return first;
            }
        }
    }

    private static string FirstWord(string text)
    {
        var trimmed = text.AsSpan().TrimStart();
        var length = 0;
        while (length < trimmed.Length && (char.IsLetterOrDigit(trimmed[length]) || trimmed[length] == '_'))
        {
            length++;
        }
        return trimmed[..length].ToString();
    }
}
