using eNMS.Core.Automation.Templates;
using Microsoft.Extensions.Options;

namespace eNMS.Tests.Core.Automation;

/// <summary>Templates that would exhaust the process (issue 17) end with an error naming the limit.</summary>
public class TemplateBudgetTests
{
    private readonly TemplateRenderer _renderer = new();
    private static readonly Dictionary<string, object?> Model = new() { ["device"] = new Dictionary<string, object?> { ["name"] = "r1" } };

    private async Task<string> FailureOf(string template) =>
        (await Assert.ThrowsAsync<TemplateException>(async () => await _renderer.RenderAsync(template, Model))).Message;

    [Fact]
    public async Task A_range_with_a_variable_bound_is_refused_before_it_is_built()
    {
        var before = GC.GetTotalAllocatedBytes();
        var error = await FailureOf("{% assign n = 100000000 %}{% for i in (1..n) %}{{ i }}{% endfor %}");
        Assert.Contains("template exceeded 100,000 iterations", error, StringComparison.Ordinal);
        Assert.True(GC.GetTotalAllocatedBytes() - before < 200_000_000, "the range was materialized");
    }

    [Fact]
    public async Task A_range_assigned_to_a_variable_is_bounded_too()
    {
        var error = await FailureOf("{% assign n = 50000000 %}{% assign all = (1..n) %}{{ all | size }}");
        Assert.Contains("exceeded 100,000 iterations", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doubling_a_string_stops_at_the_size_limit()
    {
        var doubling = string.Concat(Enumerable.Repeat("{% assign s = s | append: s %}", 25));
        var error = await FailureOf("{% assign s = 'xxxxxxxxxx' %}" + doubling + "{{ s | size }}");
        Assert.Contains("template exceeded 1,000,000 characters", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doubling_by_capture_and_replace_stops_too()
    {
        var capture = string.Concat(Enumerable.Repeat("{% capture s %}{{ s }}{{ s }}{% endcapture %}", 25));
        Assert.Contains("characters", await FailureOf("{% assign s = 'xxxxxxxxxx' %}" + capture), StringComparison.Ordinal);
        var replace = "{% assign s = 'xxxxxxxxxxxxxxxxxxxx' %}{% assign s = s | replace: 'x', s %}{% assign s = s | replace: 'x', s %}{% assign s = s | replace: 'x', s %}{% assign s = s | replace: 'x', s %}{% assign s = s | replace: 'x', s %}";
        Assert.Contains("characters (replace)", await FailureOf(replace), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Output_stops_at_the_size_limit()
    {
        var error = await FailureOf("{% for i in (1..100000) %}" + new string('x', 100) + "{% endfor %}");
        Assert.Contains("characters (output)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deep_nesting_is_refused_at_parse_time_without_overflowing_the_stack()
    {
        var nested = string.Concat(Enumerable.Repeat("{% if true %}", 5_000)) + string.Concat(Enumerable.Repeat("{% endif %}", 5_000));
        Assert.Contains("nested blocks", TemplateRenderer.Check(nested), StringComparison.Ordinal);
        Assert.Contains("nested blocks", await FailureOf(nested), StringComparison.Ordinal);
        var fine = string.Concat(Enumerable.Repeat("{% if true %}", 30)) + "ok" + string.Concat(Enumerable.Repeat("{% endif %}", 30));
        Assert.Equal("ok", await _renderer.RenderAsync(fine, Model));
    }

    [Fact]
    public async Task A_slow_template_ends_at_the_wall_time_limit()
    {
        var renderer = new TemplateRenderer(Options.Create(new TemplateLimits { TimeoutMilliseconds = 200, MaxSteps = 10_000_000 }));
        // Five million iterations finish, slowly, without the wall-time limit: the error says the limit ended it.
        var error = await Assert.ThrowsAsync<TemplateException>(async () => await renderer.RenderAsync(
            "{% assign s = 'ab' %}{% for i in (1..5000000) %}{% assign t = s | append: i %}{% endfor %}", Model));
        Assert.Contains("template exceeded 200 ms", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Limits_are_settings()
    {
        var renderer = new TemplateRenderer(Options.Create(new TemplateLimits { MaxSteps = 50 }));
        var error = await Assert.ThrowsAsync<TemplateException>(async () => await renderer.RenderAsync("{% for i in (1..100) %}{{ i }}{% endfor %}", Model));
        Assert.Contains("exceeded 50 iterations", error.Message, StringComparison.Ordinal);
    }
}
