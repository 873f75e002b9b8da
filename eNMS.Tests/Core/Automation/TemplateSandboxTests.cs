using eNMS.Core.Automation.Templates;

namespace eNMS.Tests.Core.Automation;

public class TemplateSandboxTests
{
    private readonly TemplateRenderer _renderer = new();

    private static readonly Dictionary<string, object?> Model = new()
    {
        ["device"] = new Dictionary<string, object?> { ["name"] = "paris-core", ["vendor"] = "Cisco", ["rack"] = 12.0 },
        ["variables"] = new Dictionary<string, object?> { ["vlan"] = 42m },
    };

    [Fact]
    public async Task Device_properties_and_variables_render()
    {
        var text = await _renderer.RenderAsync("hostname {{ device.name | upcase }}\nvlan {{ variables.vlan }} rack {{ device.rack }}", Model);
        Assert.Equal("hostname PARIS-CORE\nvlan 42 rack 12", text);
    }

    [Theory]
    [InlineData("{{ device.GetType }}")]
    [InlineData("{{ device.name.Length }}")]
    [InlineData("{{ device | json }}{{ 'x' | system }}")]
    public async Task CLR_members_are_not_reachable(string template)
    {
        var text = await _renderer.RenderAsync(template, Model);
        Assert.DoesNotContain("System.", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Includes_cannot_read_files()
    {
        await Assert.ThrowsAsync<TemplateException>(async () => await _renderer.RenderAsync("{% include '/etc/passwd' %}", Model));
    }

    [Fact]
    public async Task A_huge_range_is_refused_before_it_allocates()
    {
        var error = await Assert.ThrowsAsync<TemplateException>(async () =>
            await _renderer.RenderAsync("{% for i in (1..100000000) %}{{ i }}{% endfor %}", Model));
        Assert.Contains("exceeded 100,000 iterations", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_runaway_loop_stops_at_the_step_limit_instead_of_hanging_the_run()
    {
        var error = await Assert.ThrowsAsync<TemplateException>(async () =>
            await _renderer.RenderAsync("{% for i in (1..50000) %}{% for j in (1..50000) %}x{% endfor %}{% endfor %}", Model));
        Assert.Contains("exceeded 100,000 iterations", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Syntax_errors_are_reported_before_saving()
    {
        Assert.NotNull(TemplateRenderer.Check("{% if device.name %}"));
        Assert.Null(TemplateRenderer.Check("plain text"));
    }

    [Fact]
    public async Task Device_values_are_data_never_template_code()
    {
        var model = new Dictionary<string, object?> { ["device"] = new Dictionary<string, object?> { ["name"] = "{{ 7 | times: 6 }}" } };
        Assert.Equal("{{ 7 | times: 6 }}", await _renderer.RenderAsync("{{ device.name }}", model));
    }
}
