using System.Text;

namespace eNMS.Drivers.Cli;

/// <summary>
/// The Telnet protocol of one connection, apart from its socket: RFC 854's NVT stream (IAC commands out of band, IAC
/// IAC a data 255, CR NUL a carriage return) and RFC 855 option negotiation — the server echoes and suppresses
/// go-ahead; terminal type (RFC 1091) and window size (RFC 1073) are offered; every other option is refused.
/// </summary>
internal sealed class TelnetProtocol(string terminalType, int columns, int rows)
{
    internal const byte Se = 240, Sb = 250, Will = 251, Wont = 252, Do = 253, Dont = 254, Iac = 255;
    internal const byte OptionEcho = 1, OptionSuppressGoAhead = 3, OptionTerminalType = 24, OptionWindowSize = 31;
    private const byte TerminalTypeIs = 0, TerminalTypeSend = 1;

    private readonly List<byte> _subnegotiation = [];
    // Options each side has agreed to (RFC 1143's "yes" state): a request that would not change one is not answered,
    // which is what keeps two implementations from negotiating in a loop.
    private readonly HashSet<byte> _ours = [];
    private readonly HashSet<byte> _theirs = [];
    private ParseState _state;
    private byte _verb;
    private bool _afterCarriageReturn;
    private int _columns = columns;
    private int _rows = rows;

    private enum ParseState
    {
        Data,
        Command,
        Option,
        Subnegotiation,
        SubnegotiationCommand,
    }

    /// <summary>Whether the device asked for our window size (NAWS), so that a resize is worth telling it.</summary>
    public bool SendsWindowSize => _ours.Contains(OptionWindowSize);

    /// <summary>The terminal's new size, and the NAWS message telling it (send it when <see cref="SendsWindowSize"/>).</summary>
    public byte[] Resize(int columns, int rows)
    {
        (_columns, _rows) = (Math.Clamp(columns, 10, 1000), Math.Clamp(rows, 2, 500));
        return WindowSize();
    }

    /// <summary>RFC 854's NVT stream: IAC commands and option negotiation out of band, IAC IAC a data 255, CR NUL a
    /// carriage return.</summary>
    public void Parse(ReadOnlySpan<byte> input, List<byte> data, List<byte> replies)
    {
        foreach (var b in input)
        {
            switch (_state)
            {
                case ParseState.Data when b == Iac:
                    _state = ParseState.Command;
                    break;
                case ParseState.Data:
                    if (!(b == 0 && _afterCarriageReturn))
                    {
                        data.Add(b);
                    }
                    _afterCarriageReturn = b == '\r';
                    break;
                case ParseState.Command:
                    _state = ParseState.Data;
                    if (b == Iac)
                    {
                        data.Add(Iac);
                    }
                    else if (b is Will or Wont or Do or Dont)
                    {
                        (_verb, _state) = (b, ParseState.Option);
                    }
                    else if (b == Sb)
                    {
                        _subnegotiation.Clear();
                        _state = ParseState.Subnegotiation;
                    }
                    // GA, NOP, DM, AYT and the other one-byte commands mean nothing to a program reading a CLI
                    // (binary mode is refused, so the stream stays 7-bit NVT plus whatever UTF-8 the device sends).
                    break;
                case ParseState.Option:
                    _state = ParseState.Data;
                    Negotiate(_verb, b, replies);
                    break;
                case ParseState.Subnegotiation:
                    if (b == Iac)
                    {
                        _state = ParseState.SubnegotiationCommand;
                    }
                    else if (_subnegotiation.Count < 256)
                    {
                        _subnegotiation.Add(b);
                    }
                    break;
                case ParseState.SubnegotiationCommand:
                    if (b == Se)
                    {
                        _state = ParseState.Data;
                        Subnegotiate(replies);
                    }
                    else
                    {
                        _state = ParseState.Subnegotiation;
                        if (b == Iac && _subnegotiation.Count < 256)
                        {
                            _subnegotiation.Add(Iac);
                        }
                    }
                    break;
            }
        }
    }

    private void Negotiate(byte verb, byte option, List<byte> replies)
    {
        switch (verb)
        {
            case Do when option is OptionTerminalType or OptionWindowSize or OptionSuppressGoAhead:
                if (_ours.Add(option))
                {
                    replies.AddRange([Iac, Will, option]);
                    if (option == OptionWindowSize)
                    {
                        replies.AddRange(WindowSize());
                    }
                }
                break;
            case Do:
                // Refused (binary, linemode, environment, authentication...): we stay a plain NVT.
                replies.AddRange([Iac, Wont, option]);
                break;
            case Dont:
                if (_ours.Remove(option))
                {
                    replies.AddRange([Iac, Wont, option]);
                }
                break;
            case Will when option is OptionEcho or OptionSuppressGoAhead:
                if (_theirs.Add(option))
                {
                    replies.AddRange([Iac, Do, option]);
                }
                break;
            case Will:
                replies.AddRange([Iac, Dont, option]);
                break;
            case Wont:
                if (_theirs.Remove(option))
                {
                    replies.AddRange([Iac, Dont, option]);
                }
                break;
        }
    }

    private void Subnegotiate(List<byte> replies)
    {
        // RFC 1091: the server asks (SEND) and we answer with our one terminal type (IS); asked again, the same type
        // again tells it the list is over.
        if (_subnegotiation is [OptionTerminalType, TerminalTypeSend, ..] && _ours.Contains(OptionTerminalType))
        {
            replies.AddRange([Iac, Sb, OptionTerminalType, TerminalTypeIs]);
            replies.AddRange(Encoding.ASCII.GetBytes(terminalType));
            replies.AddRange([Iac, Se]);
        }
    }

    /// <summary>RFC 1073: IAC SB NAWS width(16 bits) height(16 bits) IAC SE, a 255 byte doubled.</summary>
    private byte[] WindowSize()
    {
        var message = new List<byte> { Iac, Sb, OptionWindowSize };
        foreach (var value in new[] { _columns, _rows })
        {
            foreach (var b in new[] { (byte)(value >> 8), (byte)value })
            {
                message.Add(b);
                if (b == Iac)
                {
                    message.Add(Iac);
                }
            }
        }
        message.AddRange([Iac, Se]);
        return [.. message];
    }

    /// <summary>Text as typed, in the NVT's terms: a newline goes as CR LF (the NVT's end of line), a lone carriage
    /// return (the Enter key of a terminal emulator) as CR NUL, a 255 byte doubled.</summary>
    internal static byte[] Encode(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var output = new List<byte>(bytes.Length + 8);
        for (int i = 0; i < bytes.Length; i++)
        {
            switch (bytes[i])
            {
                case (byte)'\n':
                    output.AddRange("\r\n"u8);
                    break;
                case (byte)'\r' when i + 1 < bytes.Length && bytes[i + 1] == '\n':
                    break;
                case (byte)'\r':
                    output.AddRange([(byte)'\r', 0]);
                    break;
                case Iac:
                    output.AddRange([Iac, Iac]);
                    break;
                default:
                    output.Add(bytes[i]);
                    break;
            }
        }
        return [.. output];
    }
}
