using System.Text;

namespace eNMS.Drivers.Cli;

/// <summary>
/// Turns what a device sends into plain lines as a dumb terminal would show them: ANSI escapes removed,
/// carriage returns and backspaces applied (the way <c>--More--</c> prompts are erased), other control characters
/// dropped. Fed chunk by chunk; an escape or line split across chunks is handled. Keeps at most
/// <c>maxChars</c> of completed text and remembers that the rest was cut.
/// </summary>
internal sealed class TerminalScreen(int maxChars)
{
    private const int MaxLineChars = 8192;
    private readonly StringBuilder _text = new();
    private readonly StringBuilder _line = new();
    private int _col;
    private bool _overwritten;
    private bool _movedBack;
    private Escape _escape;

    /// <summary>The numeric parameter of the control sequence being read (ESC [ n D).</summary>
    private int _csiCount;
    private long _dropped;

    private enum Escape
    {
        None,
        Start,
        Csi,
        Osc,
        OscEsc,
    }

    /// <summary>The line being written and not yet ended: where prompts appear.</summary>
    public string PartialLine => _line.ToString();

    public bool Truncated => _dropped > 0;

    public void Feed(string chunk)
    {
        foreach (char c in chunk)
        {
            if (_escape is not Escape.None)
            {
                Unescape(c);
                continue;
            }
            // The cursor went back over the line (a pager's prompt erased with backspaces, spaces and backspaces on
            // IOS, or CR, spaces, CR on Junos): what is written now rewrites it, and the spaces the erase left are no
            // output, so the line is trimmed when it ends (a blank line came back as a row of spaces).
            if (_movedBack && c != '\n')
            {
                _overwritten = true;
            }
            _movedBack = false;
            switch (c)
            {
                case '\x1b':
                    _escape = Escape.Start;
                    break;
                case '\n':
                    EndLine();
                    break;
                case '\r':
                    // Only the end of the line if a line feed follows; anything else rewrites the line.
                    _movedBack = _col > 0;
                    _col = 0;
                    break;
                case '\b':
                    _overwritten |= _col > 0;
                    _col = Math.Max(0, _col - 1);
                    break;
                case '\t':
                    Put(c);
                    break;
                default:
                    if (c >= ' ' && c != '\x7f')
                    {
                        Put(c);
                    }
                    break;
            }
        }
    }

    /// <summary>Forgets the partial line (a <c>--More--</c> prompt answered, a prompt consumed).</summary>
    public void DropPartialLine()
    {
        _line.Clear();
        _col = 0;
        _overwritten = false;
        _movedBack = false;
    }

    /// <summary>Starts afresh for the next command.</summary>
    public void Reset()
    {
        _text.Clear();
        _dropped = 0;
        DropPartialLine();
    }

    /// <summary>The completed lines (without the partial line), with a marker where output was cut.</summary>
    public string CompletedText(string truncationMarker)
    {
        if (_dropped == 0)
        {
            return _text.ToString();
        }
        return _text.ToString() + truncationMarker.Replace("{0}", _dropped.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal) + "\n";
    }

    private void Put(char c)
    {
        if (_col < _line.Length)
        {
            _line[_col] = c;
            _overwritten = true;
        }
        else
        {
            _line.Append(c);
        }
        _col++;
        if (_line.Length >= MaxLineChars)
        {
            EndLine();
        }
    }

    private void EndLine()
    {
        var line = _overwritten ? _line.ToString().TrimEnd() : _line.ToString();
        if (_text.Length + line.Length + 1 <= maxChars && _dropped == 0)
        {
            _text.Append(line).Append('\n');
        }
        else
        {
            _dropped += line.Length + 1;
        }
        DropPartialLine();
    }

    private void Unescape(char c)
    {
        if (_escape is Escape.Csi && c is >= '0' and <= '9')
        {
            _csiCount = Math.Min(_csiCount * 10 + (c - '0'), MaxLineChars);
        }
        else if (_escape is Escape.Csi && c == ';')
        {
            _csiCount = 0;
        }
        else if (_escape is Escape.Csi && c == 'D')
        {
            // Cursor left n columns: Huawei erases its pager prompt with ESC[42D, spaces, ESC[42D, and writes
            // " ESC[1D" after an echo; like a backspace, what comes next rewrites the line.
            _overwritten |= _col > 0;
            _col = Math.Max(0, _col - Math.Max(1, _csiCount));
        }
        if (_escape is Escape.Start)
        {
            _csiCount = 0;
        }
        _escape = _escape switch
        {
            Escape.Start when c == '[' => Escape.Csi,
            Escape.Start when c == ']' => Escape.Osc,
            Escape.Start => Escape.None,
            Escape.Csi when c is >= '@' and <= '~' => Escape.None,
            Escape.Csi => Escape.Csi,
            Escape.Osc when c == '\a' => Escape.None,
            Escape.Osc when c == '\x1b' => Escape.OscEsc,
            Escape.Osc => Escape.Osc,
            _ => Escape.None,
        };
    }
}
