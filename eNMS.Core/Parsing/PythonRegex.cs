using System.Text;
using System.Text.RegularExpressions;
using eNMS.Core.Text;

namespace eNMS.Core.Parsing;

/// <summary>
/// Python <c>re</c> syntax, as TextFSM templates are written, turned into .NET syntax: <c>(?P&lt;n&gt;</c> →
/// <c>(?&lt;n&gt;</c>, <c>(?P=n)</c> → <c>\k&lt;n&gt;</c>, <c>\Z</c> → <c>\z</c>, <c>{,n}</c> → <c>{0,n}</c>. The rest
/// (classes, quantifiers, lookarounds, inline flags i/m/s/x) means the same in both. Every regex built here has a
/// match timeout, so no template can hold the server.
/// </summary>
public static class PythonRegex
{
    /// <exception cref="ArgumentException">The pattern is not valid (duplicate group name, bad syntax, unsupported flag).</exception>
    public static Regex Create(string pattern, bool anchoredAtStart)
    {
        var translated = Translate(pattern);
        try
        {
            // \G: Python's re.match anchors at the start of the line without scanning the rest of it.
            return new Regex(anchoredAtStart ? $"\\G(?:{translated})" : translated, RegexOptions.CultureInvariant, UserRegex.Timeout);
        }
        catch (RegexParseException e)
        {
            throw new ArgumentException(e.Message, nameof(pattern), e);
        }
    }

    /// <summary>The .NET form of a Python pattern.</summary>
    /// <exception cref="ArgumentException">A group name is defined twice, or an inline flag .NET lacks is used.</exception>
    public static string Translate(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var result = new StringBuilder(pattern.Length + 16);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                var next = pattern[i + 1];
                result.Append(!inClass && next == 'Z' ? "\\z" : $"\\{next}");
                i++;
                continue;
            }
            if (inClass)
            {
                // Python reads '[' inside a class as a plain character; .NET would read "-[" as a class subtraction.
                result.Append(c == '[' ? "\\[" : c.ToString());
                inClass = c != ']';
                continue;
            }
            if (c == '[')
            {
                result.Append(c);
                // A ']' right after '[' or '[^' is a literal member, not the end.
                if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                {
                    result.Append('^');
                    i++;
                }
                if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                {
                    result.Append("\\]");
                    i++;
                }
                inClass = true;
                continue;
            }
            if (c == '(' && At(pattern, i, "(?P<"))
            {
                var end = pattern.IndexOf('>', i + 4);
                var name = end < 0 ? "" : pattern[(i + 4)..end];
                if (!names.Add(name))
                {
                    throw new ArgumentException($"redefinition of group name '{name}'");
                }
                result.Append("(?<");
                i += 3;
                continue;
            }
            if (c == '(' && At(pattern, i, "(?P="))
            {
                var end = pattern.IndexOf(')', i);
                if (end < 0)
                {
                    throw new ArgumentException("missing ')' after a group reference");
                }
                result.Append("\\k<").Append(pattern[(i + 4)..end]).Append('>');
                i = end;
                continue;
            }
            if (c == '(' && At(pattern, i, "(?") && i + 2 < pattern.Length && char.IsAsciiLetterLower(pattern[i + 2]))
            {
                i = InlineFlags(pattern, i, result);
                continue;
            }
            if (c == '{' && At(pattern, i, "{,") && Regex.IsMatch(pattern[i..], @"^\{,\d+\}"))
            {
                result.Append("{0");
                continue;
            }
            result.Append(c);
        }
        return result.ToString();
    }

    private static bool At(string pattern, int index, string text) => string.CompareOrdinal(pattern, index, text, 0, text.Length) == 0;

    /// <summary>Copies <c>(?imsx)</c> (dropping Python's a and u, which only restate .NET's behaviour); returns the
    /// index of the last character consumed.</summary>
    private static int InlineFlags(string pattern, int start, StringBuilder result)
    {
        var i = start + 2;
        var flags = new StringBuilder();
        while (i < pattern.Length && char.IsAsciiLetterLower(pattern[i]))
        {
            var flag = pattern[i];
            if ("imsx".Contains(flag, StringComparison.Ordinal))
            {
                flags.Append(flag);
            }
            else if (flag is not ('a' or 'u'))
            {
                throw new ArgumentException($"the inline flag '{flag}' is not supported");
            }
            i++;
        }
        var global = i < pattern.Length && pattern[i] == ')';
        if (global && start > 0)
        {
            // Python 3.11+ refuses them elsewhere (so TextFSM refuses "^(?i)..."): refuse them too, to agree.
            throw new ArgumentException("global flags not at the start of the expression");
        }
        if (flags.Length == 0 && global)
        {
            return i;
        }
        // (?i) alone, or (?i:...), or (?i-s:...): .NET writes them the same way.
        result.Append("(?").Append(flags);
        return i - 1;
    }
}
