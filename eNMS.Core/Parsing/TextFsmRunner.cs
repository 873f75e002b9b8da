using System.Diagnostics;
using System.Text.RegularExpressions;
using eNMS.Core.Text;

namespace eNMS.Core.Parsing;

/// <summary>The input made the template fail: an <c>Error</c> rule fired, or a bound was passed.</summary>
public sealed class TextFsmParseException(string message) : Exception(message)
{
    public TextFsmParseException() : this("the template could not parse the text") { }

    public TextFsmParseException(string message, Exception inner) : this(message) => _ = inner;
}

/// <summary>What a template made of a text: the values' names and one row per record. A cell is a string, or for a
/// <c>List</c> value a list of strings (of name → string maps when its regex has named groups).</summary>
public sealed record TextFsmTable(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<object?>> Rows)
{
    /// <summary>The rows as name → cell maps (ntc-templates' "structured data" shape).</summary>
    public List<Dictionary<string, object?>> ToDictionaries() =>
        Rows.Select(row => Header.Select((name, i) => (name, row[i])).ToDictionary(c => c.name, c => c.Item2, StringComparer.Ordinal)).ToList();
}

/// <summary>
/// Runs a <see cref="TextFsmTemplate"/> over a text, line by line, with TextFSM's semantics: the first matching rule of
/// the current state acts (<c>Next</c> takes the next line, <c>Continue</c> tries the state's following rules on the
/// same line, <c>Error</c> stops); <c>Record</c> keeps the record unless a <c>Required</c> value is empty or every
/// value is, then clears it but for <c>Filldown</c> values; <c>Fillup</c> copies a value up into the records above
/// that lack it; <c>List</c> values gather every match. At the end of the text a record is made unless the template
/// declared an empty <c>EOF</c> state or went to <c>End</c>.
/// </summary>
public static class TextFsmRunner
{
    public const int MaxInputLength = 4 * 1024 * 1024;
    public const int MaxRecords = 100_000;

    /// <summary>Longest a whole parse may take (each single match is also bounded by the regex timeout).</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromSeconds(10);

    private static readonly char[] LineBreaks = ['\n', '\r', '\v', '\f', '\x1c', '\x1d', '\x1e', '\x85', '\u2028', '\u2029'];

    /// <exception cref="TextFsmParseException">An Error rule fired, or the text or the work passed a bound.</exception>
    public static TextFsmTable Parse(TextFsmTemplate template, string text)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxInputLength)
        {
            throw new TextFsmParseException($"The text is longer than {MaxInputLength:N0} characters.");
        }
        var machine = new Machine(template);
        var clock = Stopwatch.StartNew();
        var state = "Start";
        foreach (var line in SplitLines(text))
        {
            if (clock.Elapsed > MaxDuration)
            {
                throw new TextFsmParseException($"Parsing took longer than {MaxDuration.TotalSeconds:N0} s: simplify the template.");
            }
            try
            {
                state = UserRegex.Guard(() => machine.Step(state, line));
            }
            catch (UserRegexTimeoutException e)
            {
                throw new TextFsmParseException(e.Message, e);
            }
            if (state is "End" or "EOF")
            {
                break;
            }
        }
        if (state != "End" && !template.HasEofState)
        {
            machine.AppendRecord();
        }
        return new TextFsmTable(template.Header, machine.Result);
    }

    /// <summary>Python's <c>str.splitlines()</c>: a final line break does not start an empty line.</summary>
    private static List<string> SplitLines(string text)
    {
        var lines = new List<string>();
        var start = 0;
        while (start < text.Length)
        {
            var end = text.IndexOfAny(LineBreaks, start);
            if (end < 0)
            {
                lines.Add(text[start..]);
                break;
            }
            lines.Add(text[start..end]);
            start = end + (text[end] == '\r' && end + 1 < text.Length && text[end + 1] == '\n' ? 2 : 1);
        }
        return lines;
    }

    /// <summary>The record being built and the rows kept so far.</summary>
    private sealed class Machine(TextFsmTemplate template)
    {
        private readonly Slot[] _slots = template.Values.Select(v => new Slot(v)).ToArray();

        public List<IReadOnlyList<object?>> Result { get; } = [];

        /// <summary>Passes one line through the state's rules; returns the state for the next line.</summary>
        public string Step(string state, string line)
        {
            foreach (var rule in template.States[state])
            {
                var match = rule.Regex.Match(line);
                if (!match.Success)
                {
                    continue;
                }
                foreach (var group in match.Groups.Cast<Group>().Where(g => !int.TryParse(g.Name, out _)))
                {
                    if (Array.Find(_slots, s => s.Value.Name == group.Name) is { } slot)
                    {
                        Assign(slot, group.Success ? group.Value : null);
                    }
                }
                switch (rule.RecordAction)
                {
                    case RecordAction.Record:
                        AppendRecord();
                        break;
                    case RecordAction.Clear:
                        ClearRecord();
                        break;
                    case RecordAction.Clearall:
                        foreach (var slot in _slots)
                        {
                            slot.ClearAll();
                        }
                        break;
                    default:
                        break;
                }
                if (rule.LineAction == LineAction.Error)
                {
                    throw new TextFsmParseException(rule.NewState.Length > 0
                        ? $"Error: {rule.NewState}. Rule Line: {rule.Line}. Input Line: {line}."
                        : $"State Error raised. Rule Line: {rule.Line}. Input Line: {line}");
                }
                if (rule.LineAction == LineAction.Next)
                {
                    return rule.NewState.Length > 0 ? rule.NewState : state;
                }
            }
            return state;
        }

        private void Assign(Slot slot, string? value)
        {
            slot.Current = value;
            foreach (var option in slot.Value.Options)
            {
                switch (option)
                {
                    case TextFsmOption.Filldown:
                        slot.Kept = value;
                        break;
                    case TextFsmOption.Fillup when !string.IsNullOrEmpty(value):
                        var column = Array.IndexOf(_slots, slot);
                        for (var i = Result.Count - 1; i >= 0 && !Truthy(Result[i][column]); i--)
                        {
                            ((object?[])Result[i])[column] = value;
                        }
                        break;
                    case TextFsmOption.List:
                        slot.Items.Add(slot.Nested(value));
                        break;
                    default:
                        break;
                }
            }
        }

        public void AppendRecord()
        {
            if (_slots.Length == 0)
            {
                return;
            }
            var record = new object?[_slots.Length];
            for (var i = 0; i < _slots.Length; i++)
            {
                var slot = _slots[i];
                foreach (var option in slot.Value.Options)
                {
                    if (option == TextFsmOption.Required && !Truthy(slot.Current))
                    {
                        ClearRecord();
                        return;
                    }
                    if (option == TextFsmOption.List)
                    {
                        slot.Current = slot.Items.ToList();
                    }
                }
                record[i] = slot.Current;
            }
            if (record.All(c => c is null || c is List<object?> { Count: 0 }))
            {
                return;
            }
            if (Result.Count >= MaxRecords)
            {
                throw new TextFsmParseException($"More than {MaxRecords:N0} records.");
            }
            Result.Add(record.Select(c => c ?? "").ToArray());
            ClearRecord();
        }

        private void ClearRecord()
        {
            foreach (var slot in _slots)
            {
                slot.Clear();
            }
        }

        private static bool Truthy(object? cell) => cell switch
        {
            null => false,
            string s => s.Length > 0,
            List<object?> list => list.Count > 0,
            _ => true,
        };
    }

    /// <summary>One value's state while parsing.</summary>
    private sealed class Slot(TextFsmValue value)
    {
        private readonly Regex? _listRegex = value.Has(TextFsmOption.List) ? PythonRegex.Create(value.Pattern, anchoredAtStart: true) : null;

        public TextFsmValue Value { get; } = value;

        /// <summary>What goes into the record: a string, null, or (once recorded) the list.</summary>
        public object? Current { get; set; }

        /// <summary>The Filldown value carried into the next record.</summary>
        public string? Kept { get; set; }

        public List<object?> Items { get; } = [];

        /// <summary>A List item: the named groups of the value's own regex when it has some, else the string.</summary>
        public object? Nested(string? matched)
        {
            if (_listRegex is null || matched is null || _listRegex.GetGroupNumbers().Length <= 2)
            {
                return matched;
            }
            var match = _listRegex.Match(matched);
            var names = _listRegex.GetGroupNames().Where(n => !int.TryParse(n, out _)).ToList();
            return match.Success && names.Count > 0
                ? names.ToDictionary(n => n, n => match.Groups[n].Success ? match.Groups[n].Value : null, StringComparer.Ordinal)
                : matched;
        }

        public void Clear()
        {
            Current = Value.Has(TextFsmOption.Filldown) ? Kept : null;
            if (Value.Has(TextFsmOption.List) && !Value.Has(TextFsmOption.Filldown))
            {
                Items.Clear();
            }
        }

        public void ClearAll()
        {
            Current = null;
            Kept = null;
            Items.Clear();
        }
    }
}
