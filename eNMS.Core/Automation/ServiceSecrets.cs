using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.DataProtection;

namespace eNMS.Core.Automation;

/// <summary>
/// Secret service parameters: a rest_call's <c>Authorization</c> header, a password field, or any parameter the
/// editor marks secret (<see cref="Service.SecretParameters"/>). They are stored encrypted with Data Protection (as
/// credential secrets are: <c>enms-secret:</c> + ciphertext inside the parameters JSON, so the audit log and database
/// only ever hold ciphertext), shown to every reader as <see cref="Mask"/> (write-only, like credential secrets: an
/// editor sends the mask back to keep the value), left out of workflow exports, and decrypted only when a run loads
/// the service. A parameter is addressed by its path: <c>password</c>, or <c>headers.X-Custom</c> one level down.
/// </summary>
public sealed partial class ServiceSecrets(IDataProtectionProvider provider)
{
    public const string Mask = "******";
    private const string Prefix = "enms-secret:";

    private readonly IDataProtector _protector = provider.CreateProtector("eNMS.ServiceParameters.v1");

    /// <summary>Names that are secret without being marked: password-like fields and credential-carrying headers.</summary>
    [GeneratedRegex(@"pass(word|phrase|wd)|secret|token|private_?key|api[-_]?key|authorization|cookie|community", RegexOptions.IgnoreCase)]
    public static partial Regex SecretName();

    /// <summary>The parameters to store: secret values encrypted; a value sent back as the mask (or left empty when
    /// one was stored) keeps what <paramref name="storedJson"/> holds at that path.</summary>
    public string Protect(JsonObject? parameters, string? storedJson, IReadOnlyCollection<string> marked)
    {
        var result = parameters?.DeepClone().AsObject() ?? [];
        var stored = Parse(storedJson);
        foreach (var (path, holder, key, value) in Secrets(result, marked))
        {
            var kept = Lookup(stored, path);
            if (value == Mask || (value.Length == 0 && kept is not null))
            {
                holder[key] = kept is null ? "" : Sealed(kept, kept);
            }
            else if (value.Length > 0)
            {
                holder[key] = Sealed(value, kept);
            }
        }
        return result.ToJsonString();
    }

    /// <summary>Ciphertext is taken as is only when it is what this very parameter already holds: ciphertext copied
    /// from another service would otherwise be decrypted by a run of this one.</summary>
    private string Sealed(string value, string? kept) =>
        value.StartsWith(Prefix, StringComparison.Ordinal) && value == kept ? value : Prefix + _protector.Protect(value);

    /// <summary>Parameters as readers see them: every secret (encrypted, or still in clear from before secrets were
    /// encrypted) as the mask.</summary>
    public static JsonObject Masked(string? json, IReadOnlyCollection<string> marked)
    {
        var result = Parse(json);
        foreach (var (_, holder, key, value) in Secrets(result, marked))
        {
            if (value.Length > 0)
            {
                holder[key] = Mask;
            }
        }
        return result;
    }

    /// <summary>Parameters for export: secrets emptied; returns the paths emptied.</summary>
    public static List<string> Remove(JsonObject? parameters, IReadOnlyCollection<string> marked)
    {
        var removed = new List<string>();
        foreach (var (path, holder, key, value) in Secrets(parameters ?? [], marked))
        {
            if (value.Length > 0)
            {
                holder[key] = "";
                removed.Add(path);
            }
        }
        return removed;
    }

    /// <summary>The parameters with every secret decrypted, for a run (never stored, never shown).</summary>
    public string Reveal(string json)
    {
        if (!json.Contains(Prefix, StringComparison.Ordinal))
        {
            return json;
        }
        var result = Parse(json);
        foreach (var (holder, key, value) in Strings(result))
        {
            if (value.StartsWith(Prefix, StringComparison.Ordinal))
            {
                holder[key] = _protector.Unprotect(value[Prefix.Length..]);
            }
        }
        return result.ToJsonString();
    }

    /// <summary>The secret values of (decrypted) parameters: what a run masks wherever it would show them.</summary>
    public static List<string> Values(string? json, IReadOnlyCollection<string> marked) =>
        [.. Secrets(Parse(json), marked).Select(s => s.Value).Where(v => v.Length > 0 && v != Mask)];

    /// <summary>Plaintext values in <paramref name="json"/> that <see cref="Protect"/> would encrypt (services saved
    /// before secret parameters existed).</summary>
    public static bool HasClearSecrets(string? json, IReadOnlyCollection<string> marked) =>
        Secrets(Parse(json), marked).Any(s => s.Value.Length > 0 && !s.Value.StartsWith(Prefix, StringComparison.Ordinal));

    private static List<(string Path, JsonObject Holder, string Key, string Value)> Secrets(JsonObject parameters, IReadOnlyCollection<string> marked)
    {
        var found = new List<(string, JsonObject, string, string)>();
        foreach (var (holder, key, value) in Strings(parameters))
        {
            var path = holder == parameters ? key : $"{PathOf(holder)}.{key}";
            if (SecretName().IsMatch(key) || marked.Contains(path) || value.StartsWith(Prefix, StringComparison.Ordinal))
            {
                found.Add((path, holder, key, value));
            }
        }
        return found;
    }

    /// <summary>String values at the top level and one object down (e.g. a rest_call's headers).</summary>
    private static List<(JsonObject Holder, string Key, string Value)> Strings(JsonObject parameters)
    {
        var strings = new List<(JsonObject, string, string)>();
        foreach (var (key, node) in parameters.ToList())
        {
            if (node is JsonObject inner)
            {
                strings.AddRange(inner.ToList().Where(p => IsString(p.Value)).Select(p => (inner, p.Key, p.Value!.GetValue<string>())));
            }
            else if (IsString(node))
            {
                strings.Add((parameters, key, node!.GetValue<string>()));
            }
        }
        return strings;
    }

    private static bool IsString(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String;

    private static string PathOf(JsonObject holder) => holder.GetPropertyName();

    private static string? Lookup(JsonObject stored, string path)
    {
        var dot = path.IndexOf('.', StringComparison.Ordinal);
        var node = dot < 0 ? stored[path] : (stored[path[..dot]] as JsonObject)?[path[(dot + 1)..]];
        return IsString(node) ? node!.GetValue<string>() : null;
    }

    private static JsonObject Parse(string? json) =>
        string.IsNullOrWhiteSpace(json) ? [] : JsonNode.Parse(json) as JsonObject ?? [];
}
