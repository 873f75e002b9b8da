using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Automation;

public enum RunInputType
{
    Text,
    Number,
    Choice,
    /// <summary>A device id, picked from the inventory.</summary>
    Device,
    /// <summary>A pool id.</summary>
    Pool,
    /// <summary>Text kept encrypted in the run and shown as the mask to every reader.</summary>
    Secret,
}

/// <summary>One typed input a service or workflow declares; the run dialog, the schedule editor and the API ask for it
/// (<c>inputs.NAME</c> in templates, <c>inputs</c> on a script's stdin).</summary>
public sealed class InputField
{
    public string Name { get; set; } = "";
    public string Label { get; set; } = "";
    public RunInputType Type { get; set; }
    public bool Required { get; set; }
    /// <summary>The value when none is given (never for a secret).</summary>
    public string Default { get; set; } = "";
    /// <summary>The allowed values of a <see cref="RunInputType.Choice"/>.</summary>
    public List<string> Choices { get; set; } = [];
}

/// <summary>
/// Run-time inputs: declarations checked when a service is saved, values checked against them when a run is started
/// or scheduled (one error per field), secrets encrypted at rest in the run and the schedule (<c>enms-secret:</c> +
/// ciphertext, as secret parameters are) and masked in every reply, decrypted only for the run itself.
/// </summary>
public sealed partial class RunInputs(IDataProtectionProvider provider)
{
    public const int MaxFields = 50;
    public const int MaxValueChars = 10_000;
    private const string Prefix = "enms-secret:";
    private readonly IDataProtector _protector = provider.CreateProtector("eNMS.RunInputs.v1");

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,63}$")]
    private static partial Regex NameRule();

    /// <summary>Why these declarations are unusable, or null.</summary>
    public static string? DeclarationProblem(IReadOnlyList<InputField> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (fields.Count > MaxFields)
        {
            return $"At most {MaxFields} inputs.";
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            var problem = !NameRule().IsMatch(field.Name) ? $"'{field.Name}' is not an input name: letters, digits and _ (not first), up to 64."
                : !names.Add(field.Name) ? $"The input '{field.Name}' is declared twice."
                : field.Type == RunInputType.Choice && field.Choices.Count == 0 ? $"The choice input '{field.Name}' lists no choices."
                : field.Type == RunInputType.Secret && field.Default.Length > 0 ? $"The secret input '{field.Name}' cannot have a default: it would be stored in clear."
                : field.Default.Length > 0 && ValueProblem(field, JsonValue.Create(field.Default)) is { } bad ? $"The default of '{field.Name}': {bad}"
                : null;
            if (problem is not null)
            {
                return problem;
            }
        }
        return null;
    }

    /// <summary>The values to run with (defaults filled in, numbers and ids as numbers), or one error per field
    /// (keyed <c>inputs.NAME</c>). Names the service does not declare are refused.</summary>
    public static (JsonObject Values, Dictionary<string, string> Errors) Validate(IReadOnlyList<InputField> fields, JsonObject? submitted)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var values = new JsonObject();
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, _) in submitted ?? [])
        {
            if (!fields.Any(f => f.Name == name))
            {
                errors[$"inputs.{name}"] = $"'{name}' is not an input of this service.";
            }
        }
        foreach (var field in fields)
        {
            var given = submitted?[field.Name];
            if (given is null || given is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length == 0)
            {
                given = field.Default.Length > 0 ? JsonValue.Create(field.Default) : null;
            }
            if (given is null)
            {
                if (field.Required)
                {
                    errors[$"inputs.{field.Name}"] = $"{LabelOf(field)} is required.";
                }
                continue;
            }
            if (ValueProblem(field, given) is { } problem)
            {
                errors[$"inputs.{field.Name}"] = $"{LabelOf(field)}: {problem}";
                continue;
            }
            values[field.Name] = Normalized(field, given);
        }
        return (values, errors);
    }

    private static string LabelOf(InputField field) => field.Label.Length > 0 ? field.Label : field.Name;

    private static string? ValueProblem(InputField field, JsonNode value)
    {
        var text = value is JsonValue v && v.GetValueKind() is JsonValueKind.String or JsonValueKind.Number ? v.ToString() : null;
        if (text is null)
        {
            return "a text or a number is expected.";
        }
        if (text.Length > MaxValueChars)
        {
            return $"longer than {MaxValueChars:N0} characters.";
        }
        return field.Type switch
        {
            RunInputType.Number when !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _) => $"'{text}' is not a number.",
            RunInputType.Device or RunInputType.Pool when !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _) =>
                $"'{text}' is not a {field.Type.ToString().ToLowerInvariant()} id.",
            RunInputType.Choice when !field.Choices.Contains(text, StringComparer.Ordinal) => $"'{text}' is not one of {string.Join(", ", field.Choices)}.",
            _ => null,
        };
    }

    private static JsonValue Normalized(InputField field, JsonNode value)
    {
        var text = value.ToString();
        return field.Type switch
        {
            RunInputType.Number => JsonValue.Create(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)),
            RunInputType.Device or RunInputType.Pool => JsonValue.Create(int.Parse(text, CultureInfo.InvariantCulture)),
            _ => JsonValue.Create(text),
        };
    }

    /// <summary>Device and pool values that name nothing, or something outside the user's pools (by id only).</summary>
    public static async Task<Dictionary<string, string>> PickProblemsAsync(Data.EnmsDbContext db, IReadOnlyList<InputField> fields, JsonObject values,
        IReadOnlyList<int>? scopePoolIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(values);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in fields.Where(f => f.Type is RunInputType.Device or RunInputType.Pool && values[f.Name] is not null))
        {
            var id = values[field.Name]!.GetValue<int>();
            var known = field.Type == RunInputType.Device
                ? await db.Devices.AnyAsync(d => d.Id == id && (scopePoolIds == null || d.Pools.Any(p => scopePoolIds.Contains(p.Id))), ct)
                : await db.Pools.AnyAsync(p => p.Id == id, ct) && (scopePoolIds is null || scopePoolIds.Contains(id));
            if (!known)
            {
                errors[$"inputs.{field.Name}"] = $"{LabelOf(field)}: no {field.Type.ToString().ToLowerInvariant()} #{id} you may use.";
            }
        }
        return errors;
    }

    /// <summary>Validated values as stored in a run or schedule: secret ones encrypted.</summary>
    public string Protect(IReadOnlyList<InputField> fields, JsonObject values)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(values);
        var stored = values.DeepClone().AsObject();
        foreach (var field in fields.Where(f => f.Type == RunInputType.Secret && stored[f.Name] is not null))
        {
            stored[field.Name] = Prefix + _protector.Protect(stored[field.Name]!.ToString());
        }
        return stored.ToJsonString();
    }

    /// <summary>Stored values with secrets decrypted, for the run only; and those secrets, for its redactor.</summary>
    public (JsonObject Values, List<string> Secrets) Unprotect(string stored)
    {
        var values = Parse(stored);
        var secrets = new List<string>();
        foreach (var (name, value) in values.ToList())
        {
            if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { } text && text.StartsWith(Prefix, StringComparison.Ordinal))
            {
                var clear = _protector.Unprotect(text[Prefix.Length..]);
                secrets.Add(clear);
                values[name] = clear;
            }
        }
        return (values, secrets);
    }

    /// <summary>Stored values as every reader sees them: secrets as <see cref="ServiceSecrets.Mask"/>.</summary>
    public static JsonObject Masked(string? stored)
    {
        var values = Parse(stored);
        foreach (var (name, value) in values.ToList())
        {
            if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().StartsWith(Prefix, StringComparison.Ordinal))
            {
                values[name] = ServiceSecrets.Mask;
            }
        }
        return values;
    }

    /// <summary>The declarations as a JSON Schema (draft 2020-12) object, for API clients and form builders.</summary>
    public static JsonObject Schema(IReadOnlyList<InputField> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var properties = new JsonObject();
        foreach (var field in fields)
        {
            var property = new JsonObject { ["title"] = LabelOf(field) };
            switch (field.Type)
            {
                case RunInputType.Number:
                    property["type"] = "number";
                    break;
                case RunInputType.Device or RunInputType.Pool:
                    (property["type"], property["x-enms-picker"]) = ("integer", field.Type.ToString().ToLowerInvariant());
                    break;
                case RunInputType.Choice:
                    (property["type"], property["enum"]) = ("string", new JsonArray([.. field.Choices.Select(c => (JsonNode)JsonValue.Create(c))]));
                    break;
                case RunInputType.Secret:
                    (property["type"], property["writeOnly"], property["format"]) = ("string", true, "password");
                    break;
                default:
                    property["type"] = "string";
                    break;
            }
            if (field.Default.Length > 0)
            {
                property["default"] = Normalized(field, JsonValue.Create(field.Default));
            }
            properties[field.Name] = property;
        }
        return new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["type"] = "object",
            ["properties"] = properties,
            ["required"] = new JsonArray([.. fields.Where(f => f.Required).Select(f => (JsonNode)JsonValue.Create(f.Name))]),
            ["additionalProperties"] = false,
        };
    }

    private static JsonObject Parse(string? json)
    {
        try
        {
            return string.IsNullOrWhiteSpace(json) ? [] : JsonNode.Parse(json) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
