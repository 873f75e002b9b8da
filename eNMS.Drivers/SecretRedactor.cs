using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace eNMS.Drivers;

/// <summary>
/// The one way eNMS masks known secrets (credential passwords, enable secrets, passphrases, secret service
/// parameters) in text it keeps or shows: session transcripts, run results and logs, Ansible output, web terminal
/// recordings. It lives in the drivers library because the SSH session is the first place a secret is masked, and
/// everything above it (eNMS.Core, eNMS.Web) uses this same type.
/// <para>Every character of every occurrence of every secret is masked: where occurrences overlap or touch (a secret
/// that is a prefix of another, <c>abcd</c> inside <c>abcdefgh</c>) they become one marker, so no part of the longer
/// secret survives whichever is found first. A secret is also masked in its JSON-escaped form, as it appears in a
/// result's data after an HTTP server or a playbook echoed it.</para>
/// <para>Secrets shorter than <see cref="MinimumLength"/> characters are not masked: replacing every <c>a</c> or
/// <c>en</c> in a transcript would ruin it and, by the pattern of the markers, tell the secret anyway. Empty ones mean
/// "no secret".</para>
/// </summary>
public sealed class SecretRedactor
{
    /// <summary>What a secret is replaced by.</summary>
    public const string Marker = "********";

    /// <summary>Shorter secrets are left as they are (see the remarks above).</summary>
    public const int MinimumLength = 4;

    private static readonly JavaScriptEncoder[] JsonEncoders = [JavaScriptEncoder.Default, JavaScriptEncoder.UnsafeRelaxedJsonEscaping];

    private readonly string[] _originals;
    private readonly string[] _forms;

    public SecretRedactor(IEnumerable<string?> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        _originals = [.. secrets.Where(s => s is { Length: >= MinimumLength }).Select(s => s!).Distinct(StringComparer.Ordinal)];
        _forms = [.. _originals.SelectMany(Forms).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length)];
    }

    /// <summary>Masks nothing.</summary>
    public static SecretRedactor None { get; } = new([]);

    /// <summary>Whether there is anything to mask.</summary>
    public bool IsEmpty => _forms.Length == 0;

    /// <summary>This redactor with more secrets (itself when they add nothing).</summary>
    public SecretRedactor With(IEnumerable<string?> more)
    {
        var added = more.Where(s => s is { Length: >= MinimumLength } && !_originals.Contains(s, StringComparer.Ordinal)).ToList();
        return added.Count == 0 ? this : new SecretRedactor(_originals.Concat(added));
    }

    /// <summary>The text with every secret replaced by <see cref="Marker"/>; the same instance when none occurs.</summary>
    public string Redact(string text)
    {
        if (string.IsNullOrEmpty(text) || _forms.Length == 0)
        {
            return text;
        }
        List<(int Start, int End)>? spans = null;
        foreach (var secret in _forms)
        {
            var at = text.IndexOf(secret, StringComparison.Ordinal);
            while (at >= 0)
            {
                // Overlapping occurrences of one secret (aaaa in aaaaaa) grow one span rather than adding many.
                var (start, end) = (at, at + secret.Length);
                at = text.IndexOf(secret, at + 1, StringComparison.Ordinal);
                while (at >= 0 && at <= end)
                {
                    end = at + secret.Length;
                    at = text.IndexOf(secret, at + 1, StringComparison.Ordinal);
                }
                (spans ??= []).Add((start, end));
            }
        }
        if (spans is null)
        {
            return text;
        }
        spans.Sort();
        var masked = new StringBuilder(text.Length);
        var written = 0;
        for (var i = 0; i < spans.Count;)
        {
            var (start, end) = spans[i];
            while (++i < spans.Count && spans[i].Start <= end)
            {
                end = Math.Max(end, spans[i].End);
            }
            masked.Append(text, written, start - written).Append(Marker);
            written = end;
        }
        return masked.Append(text, written, text.Length - written).ToString();
    }

    /// <summary>Masks <paramref name="secrets"/> in <paramref name="text"/> (for a one-off; keep a redactor for many texts).</summary>
    public static string Redact(string text, IEnumerable<string?> secrets) => new SecretRedactor(secrets).Redact(text);

    /// <summary>The secret as written, and as JSON writes it inside a string (quotes, backslashes, non-ASCII escaped).</summary>
    private static List<string> Forms(string secret)
    {
        var forms = new List<string> { secret };
        foreach (var encoder in JsonEncoders)
        {
            try
            {
                forms.Add(JsonEncodedText.Encode(secret, encoder).Value);
            }
            catch (ArgumentException)
            {
                // Invalid UTF-16 (a lone surrogate) has no JSON form: JSON could not carry it either.
            }
        }
        return forms;
    }

    public override string ToString() => $"SecretRedactor {{ {_originals.Length} secret(s), redacted }}";
}
