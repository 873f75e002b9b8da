using System.Text.Json;
using System.Text.RegularExpressions;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Text;

namespace eNMS.Core.Automation.Handlers;

public enum CheckKind
{
    Contains,
    Regex,
    /// <summary>A dotted path into the result's data (e.g. <c>interfaces.0.status</c>) equals the value.</summary>
    JsonPathEquals,
}

public sealed class ValidationCheck
{
    public CheckKind Kind { get; set; }
    public string Path { get; set; } = "";
    public string Value { get; set; } = "";
    public bool Negate { get; set; }
}

public sealed class DataValidationParameters
{
    /// <summary>The earlier node id or service name whose result is checked; empty means the latest result.</summary>
    public string Source { get; set; } = "";
    public List<ValidationCheck> Checks { get; set; } = [];
}

/// <summary><c>data_validation</c>: assertions on an earlier result of the same device; passes only if all hold.</summary>
public sealed class DataValidationHandler : ServiceHandler<DataValidationParameters>
{
    public override string Kind => "data_validation";

    public override string Description => "Checks an earlier result of the workflow (its output or extracted data) and fails the device when a check does not hold.";

    protected override DataValidationParameters ExampleParameters => new() { Checks = [new ValidationCheck { Kind = CheckKind.Contains, Value = "{{ device.name }}" }] };

    protected override string? Validate(DataValidationParameters p)
    {
        if (p.Checks.Count == 0)
        {
            return "Add at least one check.";
        }
        foreach (var check in p.Checks.Where(c => c.Kind == CheckKind.Regex))
        {
            if (!Templates.TemplateRenderer.IsTemplate(check.Value) && UserRegex.Problem(check.Value, RegexOptions.Multiline) is { } problem)
            {
                return problem;
            }
        }
        return null;
    }

    protected override async Task<ServiceResult> ExecuteAsync(ServiceContext context, DataValidationParameters p, CancellationToken ct)
    {
        var source = p.Source.Length == 0
            ? context.EarlierResults.LastOrDefault(r => r.ServiceId != context.Service.Id)
            : context.EarlierResults.LastOrDefault(r => r.Node == p.Source || r.Node.EndsWith($"/{p.Source}", StringComparison.Ordinal) || r.ServiceName == p.Source);
        if (source is null)
        {
            return ServiceResult.Fail($"No earlier result{(p.Source.Length > 0 ? $" of '{p.Source}'" : "")} to validate.");
        }
        var failures = new List<string>();
        var lines = new List<string>();
        foreach (var check in p.Checks)
        {
            var expected = await context.RenderAsync(check.Value);
            var (held, actual) = Evaluate(check, expected, source);
            held ^= check.Negate;
            var line = $"{(held ? "PASS" : "FAIL")} {(check.Negate ? "not " : "")}{check.Kind} {check.Path} '{expected}'{(actual is null ? "" : $" (found '{actual}')")}";
            lines.Add(line);
            if (!held)
            {
                failures.Add(line);
            }
        }
        var output = string.Join('\n', lines);
        return failures.Count == 0 ? ServiceResult.Ok(output) : ServiceResult.Fail($"{failures.Count} of {p.Checks.Count} checks failed", output);
    }

    private static (bool Held, string? Actual) Evaluate(ValidationCheck check, string expected, RunResult source) => check.Kind switch
    {
        CheckKind.Contains => (source.Output.Contains(expected, StringComparison.Ordinal), null),
        CheckKind.Regex => (UserRegex.IsMatch(source.Output, expected, RegexOptions.Multiline), null),
        _ => Lookup(source.Data, check.Path) is { } actual ? (actual == expected, actual) : (false, "(missing)"),
    };

    private static string? Lookup(string json, string path)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }
        var element = JsonDocument.Parse(json).RootElement;
        foreach (var part in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(part, out var child))
            {
                element = child;
            }
            else if (element.ValueKind == JsonValueKind.Array && int.TryParse(part, out var index) && index < element.GetArrayLength())
            {
                element = element[index];
            }
            else
            {
                return null;
            }
        }
        return element.ValueKind == JsonValueKind.String ? element.GetString() : element.GetRawText();
    }
}
