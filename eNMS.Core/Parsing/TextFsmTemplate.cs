using System.Text;
using System.Text.RegularExpressions;

namespace eNMS.Core.Parsing;

/// <summary>The template is not valid TextFSM; <see cref="Line"/> is its 1-based line (0: the template as a whole).</summary>
public sealed class TextFsmTemplateException(string message, int line) : Exception(line > 0 ? $"line {line}: {message}" : message)
{
    public int Line { get; } = line;

    public TextFsmTemplateException() : this("invalid template", 0) { }

    public TextFsmTemplateException(string message) : this(message, 0) { }

    public TextFsmTemplateException(string message, Exception inner) : this(message, 0) => _ = inner;
}

public enum TextFsmOption
{
    Filldown,
    Fillup,
    Key,
    Required,
    List,
}

/// <summary><c>Value [Options] Name (regex)</c>.</summary>
public sealed record TextFsmValue(string Name, IReadOnlyList<TextFsmOption> Options, string Pattern)
{
    /// <summary>The pattern with its outer group named after the value: what <c>${Name}</c> stands for in rules.</summary>
    public string NamedPattern => $"(?P<{Name}>{Pattern[1..]}";

    public bool Has(TextFsmOption option) => Options.Contains(option);
}

public enum LineAction
{
    Next,
    Continue,
    Error,
}

public enum RecordAction
{
    NoRecord,
    Record,
    Clear,
    Clearall,
}

/// <summary>A rule of a state: <c>^regex -> LineAction.RecordAction NewState</c>. For <c>Error</c>,
/// <see cref="NewState"/> holds the optional message.</summary>
public sealed record TextFsmRule(int Line, string Source, Regex Regex, LineAction LineAction, RecordAction RecordAction, string NewState);

/// <summary>
/// A TextFSM template, parsed and checked as Google's TextFSM does (the language of ntc-templates): a block of
/// <c>Value</c> lines, a blank line, then states (a name at the start of a line, rules indented by one or two spaces or
/// a tab, a blank line between states). <c>Start</c> is required; <c>End</c> and <c>EOF</c> must be empty. In rules
/// <c>${Name}</c> (or <c>$Name</c>) is the value's regex and <c>$$</c> a literal <c>$</c>.
/// </summary>
public sealed partial class TextFsmTemplate
{
    public const int MaxLength = 256 * 1024;
    public const int MaxRules = 2_000;
    private const int MaxNameLength = 48;

    private static readonly string[] ReservedStates = ["Continue", "Next", "Error", "Clear", "Clearall", "Record", "NoRecord"];

    private TextFsmTemplate(List<TextFsmValue> values, Dictionary<string, List<TextFsmRule>> states, bool hasEof)
    {
        Values = values;
        States = states;
        HasEofState = hasEof;
    }

    public IReadOnlyList<TextFsmValue> Values { get; }

    /// <summary>The states and their rules (<c>End</c> left out, as it has none).</summary>
    public IReadOnlyDictionary<string, List<TextFsmRule>> States { get; }

    /// <summary>An empty <c>EOF</c> state is declared: the implicit record at the end of the input is not made.</summary>
    public bool HasEofState { get; }

    public IReadOnlyList<string> Header => Values.Select(v => v.Name).ToList();

    /// <exception cref="TextFsmTemplateException">The template is not valid (the message names the line).</exception>
    public static TextFsmTemplate Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxLength)
        {
            throw new TextFsmTemplateException($"the template is longer than {MaxLength:N0} characters");
        }
        if (text.Length == 0)
        {
            throw new TextFsmTemplateException("Null template.");
        }
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var index = 0;
        var values = ParseValues(lines, ref index);
        var map = values.ToDictionary(v => v.Name, v => v.NamedPattern, StringComparer.Ordinal);
        var states = new Dictionary<string, List<TextFsmRule>>(StringComparer.Ordinal);
        var rules = 0;
        while (ParseState(lines, ref index, map, states) is { } state)
        {
            rules += states[state].Count;
            if (rules > MaxRules)
            {
                throw new TextFsmTemplateException($"more than {MaxRules:N0} rules", index);
            }
        }
        return Validate(values, states);
    }

    private static bool IsComment(string line) => line.TrimStart().StartsWith('#');

    private static List<TextFsmValue> ParseValues(string[] lines, ref int index)
    {
        var values = new List<TextFsmValue>();
        for (; index < lines.Length; index++)
        {
            var line = lines[index].TrimEnd();
            var number = index + 1;
            if (line.Length == 0)
            {
                index++;
                break;
            }
            if (IsComment(line))
            {
                continue;
            }
            if (!line.StartsWith("Value ", StringComparison.Ordinal))
            {
                throw new TextFsmTemplateException(values.Count == 0 ? "No Value definitions found." : "Expected blank line after last Value entry.", number);
            }
            var value = ParseValue(line, number);
            if (values.Any(v => v.Name == value.Name))
            {
                throw new TextFsmTemplateException($"Duplicate declarations for Value '{value.Name}'.", number);
            }
            values.Add(value);
        }
        return values;
    }

    private static TextFsmValue ParseValue(string line, int number)
    {
        // Split on single spaces, as TextFSM does: the regex is everything after the name, spaces included.
        var tokens = line.Split(' ');
        if (tokens.Length < 3)
        {
            throw new TextFsmTemplateException("Expect at least 3 tokens on line.", number);
        }
        var options = new List<TextFsmOption>();
        string name;
        string pattern;
        if (!tokens[2].StartsWith('('))
        {
            foreach (var option in tokens[1].Split(','))
            {
                if (!Enum.GetNames<TextFsmOption>().Contains(option))
                {
                    throw new TextFsmTemplateException($"Unknown option \"{option}\"", number);
                }
                var parsed = Enum.Parse<TextFsmOption>(option);
                if (options.Contains(parsed))
                {
                    throw new TextFsmTemplateException($"Duplicate option \"{option}\"", number);
                }
                options.Add(parsed);
            }
            (name, pattern) = (tokens[2], string.Join(' ', tokens[3..]));
        }
        else
        {
            (name, pattern) = (tokens[1], string.Join(' ', tokens[2..]));
        }
        if (name.Length > MaxNameLength || !NamePattern().IsMatch(name))
        {
            throw new TextFsmTemplateException($"Invalid Value name '{name}' or name too long.", number);
        }
        if (!pattern.StartsWith('(') || !pattern.EndsWith(')') || pattern.Count(c => c == '(') != pattern.Count(c => c == ')'))
        {
            throw new TextFsmTemplateException($"Value '{pattern}' must be contained within a '()' pair.", number);
        }
        try
        {
            _ = PythonRegex.Create(pattern, anchoredAtStart: false);
        }
        catch (ArgumentException e)
        {
            throw new TextFsmTemplateException($"Value '{name}': invalid regular expression '{pattern}': {e.Message}", number);
        }
        return new TextFsmValue(name, options, pattern);
    }

    /// <summary>Reads one state and its rules; returns its name, or null at the end of the template.</summary>
    private static string? ParseState(string[] lines, ref int index, Dictionary<string, string> map, Dictionary<string, List<TextFsmRule>> states)
    {
        string? name = null;
        for (; index < lines.Length; index++)
        {
            var line = lines[index].TrimEnd();
            if (line.Length == 0 || IsComment(line))
            {
                continue;
            }
            if (!StateName().IsMatch(line) || line.Length > MaxNameLength || ReservedStates.Contains(line))
            {
                throw new TextFsmTemplateException($"Invalid state name: '{line}'.", index + 1);
            }
            if (states.ContainsKey(line))
            {
                throw new TextFsmTemplateException($"Duplicate state name: '{line}'.", index + 1);
            }
            name = line;
            states[name] = [];
            index++;
            break;
        }
        if (name is null)
        {
            return null;
        }
        for (; index < lines.Length; index++)
        {
            var line = lines[index].TrimEnd();
            if (line.Length == 0)
            {
                index++;
                break;
            }
            if (IsComment(line))
            {
                continue;
            }
            if (!(line.StartsWith(" ^", StringComparison.Ordinal) || line.StartsWith("  ^", StringComparison.Ordinal) || line.StartsWith("\t^", StringComparison.Ordinal)))
            {
                throw new TextFsmTemplateException("Missing white space or carat ('^') before rule.", index + 1);
            }
            states[name].Add(ParseRule(line.Trim(), index + 1, map));
        }
        return name;
    }

    private static TextFsmRule ParseRule(string line, int number, Dictionary<string, string> map)
    {
        var arrow = MatchAction().Match(line);
        var match = arrow.Success ? arrow.Groups["match"].Value : line;
        var pattern = Substitute(match, map, number);
        Regex regex;
        try
        {
            regex = PythonRegex.Create(pattern, anchoredAtStart: true);
        }
        catch (ArgumentException e)
        {
            throw new TextFsmTemplateException($"Invalid regular expression: '{pattern}': {e.Message}", number);
        }
        if (!arrow.Success)
        {
            return new TextFsmRule(number, line, regex, LineAction.Next, RecordAction.NoRecord, "");
        }
        var action = arrow.Groups["action"].Value;
        var parsed = FullAction().Match(action);
        if (!parsed.Success)
        {
            parsed = RecordOnlyAction().Match(action);
        }
        if (!parsed.Success)
        {
            parsed = StateOnlyAction().Match(action);
        }
        if (!parsed.Success)
        {
            throw new TextFsmTemplateException($"Badly formatted rule '{line}'.", number);
        }
        var lineAction = parsed.Groups["line"].Success ? Enum.Parse<LineAction>(parsed.Groups["line"].Value) : LineAction.Next;
        var recordAction = parsed.Groups["record"].Success ? Enum.Parse<RecordAction>(parsed.Groups["record"].Value) : RecordAction.NoRecord;
        var state = parsed.Groups["state"].Value;
        if (lineAction == LineAction.Continue && state.Length > 0)
        {
            throw new TextFsmTemplateException($"Action 'Continue' with new state {state} specified.", number);
        }
        if (lineAction != LineAction.Error && state.Length > 0 && !WordStart().IsMatch(state))
        {
            throw new TextFsmTemplateException("Alphanumeric characters only in state names.", number);
        }
        return new TextFsmRule(number, line, regex, lineAction, recordAction, state);
    }

    /// <summary>Python's <c>string.Template.substitute</c>: <c>$$</c>, <c>$name</c>, <c>${name}</c>; any other
    /// <c>$</c> (a bare end-of-line anchor) or an unknown name is an error, as in TextFSM.</summary>
    private static string Substitute(string match, Dictionary<string, string> map, int number)
    {
        var result = new StringBuilder(match.Length * 2);
        for (var i = 0; i < match.Length; i++)
        {
            if (match[i] != '$')
            {
                result.Append(match[i]);
                continue;
            }
            var reference = Reference().Match(match, i);
            if (!reference.Success)
            {
                throw new TextFsmTemplateException($"Duplicate or invalid variable substitution: '{match}' (a literal '$' is written '$$').", number);
            }
            if (reference.Groups["escaped"].Success)
            {
                result.Append('$');
            }
            else
            {
                var name = reference.Groups["named"].Success ? reference.Groups["named"].Value : reference.Groups["braced"].Value;
                if (!map.TryGetValue(name, out var pattern))
                {
                    throw new TextFsmTemplateException($"Duplicate or invalid variable substitution: '{match}' (no Value '{name}').", number);
                }
                result.Append(pattern);
            }
            i += reference.Length - 1;
        }
        return result.ToString();
    }

    private static TextFsmTemplate Validate(List<TextFsmValue> values, Dictionary<string, List<TextFsmRule>> states)
    {
        if (!states.ContainsKey("Start"))
        {
            throw new TextFsmTemplateException("Missing state 'Start'.");
        }
        foreach (var reserved in new[] { "End", "EOF" })
        {
            if (states.TryGetValue(reserved, out var rules) && rules.Count > 0)
            {
                throw new TextFsmTemplateException($"Non-Empty '{reserved}' state.", rules[0].Line);
            }
        }
        var hasEof = states.Remove("EOF");
        states.Remove("End");
        foreach (var (state, rules) in states)
        {
            foreach (var rule in rules.Where(r => r.LineAction != LineAction.Error && r.NewState is { Length: > 0 } and not ("End" or "EOF")))
            {
                if (!states.ContainsKey(rule.NewState))
                {
                    throw new TextFsmTemplateException($"State '{rule.NewState}' not found, referenced in state '{state}'", rule.Line);
                }
            }
        }
        return new TextFsmTemplate(values, states, hasEof);
    }

    [GeneratedRegex(@"^\w+$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^\w+$")]
    private static partial Regex StateName();

    [GeneratedRegex(@"^\w")]
    private static partial Regex WordStart();

    [GeneratedRegex(@"^(?<match>.*)(\s->(?<action>.*))$")]
    private static partial Regex MatchAction();

    [GeneratedRegex("""^\s+(?<line>Continue|Next|Error)(\.(?<record>Clearall|Clear|Record|NoRecord))?(\s+(?<state>\w+|".*"))?$""")]
    private static partial Regex FullAction();

    [GeneratedRegex("""^\s+(?<record>Clearall|Clear|Record|NoRecord)(\s+(?<state>\w+|".*"))?$""")]
    private static partial Regex RecordOnlyAction();

    [GeneratedRegex("""^(\s+(?<state>\w+|".*"))?$""")]
    private static partial Regex StateOnlyAction();

    [GeneratedRegex(@"\G\$(?:(?<escaped>\$)|(?<named>[_a-zA-Z][_a-zA-Z0-9]*)|\{(?<braced>[_a-zA-Z][_a-zA-Z0-9]*)\})")]
    private static partial Regex Reference();
}
