using System.Buffers;
using System.Globalization;
using System.Text;

namespace eNMS.Drivers.Netconf;

/// <summary>How NETCONF messages are delimited on the SSH channel (RFC 6242).</summary>
public enum NetconfFraming
{
    /// <summary>NETCONF 1.0: each message ends with <c>]]&gt;]]&gt;</c>. The hellos always use it.</summary>
    EndOfMessage,

    /// <summary>NETCONF 1.1 (both peers announce <c>:base:1.1</c>): <c>\n#LEN\n</c> chunks ended by <c>\n##\n</c>.</summary>
    Chunked,
}

/// <summary>The bytes on the channel break the framing (a bad chunk header, a message over the size limit): the
/// session cannot be resynchronised and must be closed (RFC 6242 §4.2).</summary>
public sealed class NetconfFramingException(string message) : Exception(message)
{
    public NetconfFramingException() : this("NETCONF framing error") { }

    public NetconfFramingException(string message, Exception inner) : this(message + ": " + inner.Message) { }
}

/// <summary>
/// Cuts the byte stream of a NETCONF session into messages and frames outgoing ones, in either framing. Bytes that
/// follow a message stay buffered and are read with the framing in force when the next message is asked for, since
/// the session switches to chunked framing right after the hellos. A message (or a chunk header announcing one)
/// larger than <see cref="MaxMessageBytes"/> fails before it is buffered whole.
/// </summary>
public sealed class NetconfFramer(long maxMessageBytes)
{
    public const string EndOfMessageMarker = "]]>]]>";
    private static readonly byte[] EndOfMessageBytes = Encoding.ASCII.GetBytes(EndOfMessageMarker);
    // A chunk header is "\n#" + at most 10 digits + "\n" (RFC 6242: chunk-size up to 4294967295).
    private const int MaxChunkHeader = 13;
    private const long MaxChunkSize = 4294967295;

    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;
    private int _scanned; // EOM: bytes after _start already searched for the marker
    private readonly ArrayBufferWriter<byte> _message = new(); // chunked: the data of the chunks read so far

    public NetconfFraming Framing { get; set; } = NetconfFraming.EndOfMessage;

    // Held in one array: at most 1 GiB.
    public long MaxMessageBytes { get; } = maxMessageBytes is > 0 and <= 1L << 30 ? maxMessageBytes
        : throw new ArgumentOutOfRangeException(nameof(maxMessageBytes), "between 1 byte and 1 GiB");

    /// <summary>Bytes received and not yet part of a complete message.</summary>
    public long Pending => _end - _start + _message.WrittenCount;

    /// <summary>Adds bytes as they came off the channel.</summary>
    public void Feed(ReadOnlySpan<byte> bytes)
    {
        if (_end + bytes.Length > _buffer.Length)
        {
            int used = _end - _start;
            var target = used + bytes.Length > _buffer.Length ? new byte[Math.Max(_buffer.Length * 2, used + bytes.Length)] : _buffer;
            Buffer.BlockCopy(_buffer, _start, target, 0, used);
            (_buffer, _start, _end) = (target, 0, used);
        }
        bytes.CopyTo(_buffer.AsSpan(_end));
        _end += bytes.Length;
    }

    /// <summary>The next complete message, decoded as UTF-8, or false when more bytes are needed.</summary>
    /// <exception cref="NetconfFramingException">The stream is not valid in the current framing, or too large.</exception>
    public bool TryRead(out string message) =>
        Framing == NetconfFraming.EndOfMessage ? TryReadEndOfMessage(out message) : TryReadChunked(out message);

    private bool TryReadEndOfMessage(out string message)
    {
        message = "";
        var pending = _buffer.AsSpan(_start, _end - _start);
        // Resume a few bytes back: the marker may straddle two reads.
        int from = Math.Max(0, _scanned - (EndOfMessageBytes.Length - 1));
        int found = pending[from..].IndexOf(EndOfMessageBytes);
        if (found < 0)
        {
            _scanned = pending.Length;
            if (pending.Length > MaxMessageBytes)
            {
                throw new NetconfFramingException($"a message exceeds the limit of {N(MaxMessageBytes)} bytes without its end marker");
            }
            return false;
        }
        int length = from + found;
        if (length > MaxMessageBytes)
        {
            throw new NetconfFramingException($"a message of {N(length)} bytes exceeds the limit of {N(MaxMessageBytes)} bytes");
        }
        message = Encoding.UTF8.GetString(pending[..length]);
        Consume(length + EndOfMessageBytes.Length);
        return true;
    }

    private bool TryReadChunked(out string message)
    {
        message = "";
        while (true)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            // Between messages, 1.0 peers and some servers leave line ends; only inside a message is the format strict.
            if (_message.WrittenCount == 0)
            {
                int skip = 0;
                while (skip < pending.Length && pending[skip] is (byte)'\r' or (byte)' ' or (byte)'\t'
                    || skip + 1 < pending.Length && pending[skip] == '\n' && pending[skip + 1] == '\n')
                {
                    skip++;
                }
                Consume(skip);
                pending = pending[skip..];
            }
            if (pending.Length < 4)
            {
                CheckHeaderStart(pending);
                return false;
            }
            CheckHeaderStart(pending);
            if (pending[2] == '#')
            {
                if (pending[3] != '\n')
                {
                    throw new NetconfFramingException($"bad end-of-chunks marker {Show(pending[..4])}");
                }
                if (_message.WrittenCount == 0)
                {
                    throw new NetconfFramingException("an end-of-chunks marker came before any chunk");
                }
                Consume(4);
                message = Encoding.UTF8.GetString(_message.WrittenSpan);
                _message.ResetWrittenCount();
                return true;
            }
            int newline = pending[2..Math.Min(pending.Length, MaxChunkHeader)].IndexOf((byte)'\n');
            if (newline < 0)
            {
                if (pending.Length >= MaxChunkHeader)
                {
                    throw new NetconfFramingException($"bad chunk header {Show(pending[..MaxChunkHeader])}");
                }
                return false;
            }
            var digits = pending.Slice(2, newline);
            if (digits.Length == 0 || digits[0] == '0' || !long.TryParse(Encoding.ASCII.GetString(digits), NumberStyles.None, CultureInfo.InvariantCulture, out long size)
                || size > MaxChunkSize)
            {
                throw new NetconfFramingException($"bad chunk size in header {Show(pending[..(newline + 3)])}");
            }
            if (_message.WrittenCount + size > MaxMessageBytes)
            {
                throw new NetconfFramingException($"a message exceeds the limit of {N(MaxMessageBytes)} bytes " +
                    $"(chunk of {N(size)} bytes after {N(_message.WrittenCount)})");
            }
            int header = newline + 3;
            if (pending.Length < header + size)
            {
                return false;
            }
            _message.Write(pending.Slice(header, (int)size));
            Consume(header + (int)size);
        }
    }

    private static void CheckHeaderStart(ReadOnlySpan<byte> pending)
    {
        if (pending.Length >= 1 && pending[0] != '\n' || pending.Length >= 2 && pending[1] != '#')
        {
            throw new NetconfFramingException($"expected a chunk header (\\n#), got {Show(pending[..Math.Min(pending.Length, 16)])}");
        }
    }

    private void Consume(int count)
    {
        _start += count;
        _scanned = 0;
        if (_start == _end)
        {
            (_start, _end) = (0, 0);
        }
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Show(ReadOnlySpan<byte> bytes) =>
        "'" + Encoding.ASCII.GetString(bytes).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal) + "'";

    /// <summary>One message as it goes on the channel in the given framing.</summary>
    public static byte[] Frame(string message, NetconfFraming framing)
    {
        ArgumentNullException.ThrowIfNull(message);
        var body = Encoding.UTF8.GetBytes(message);
        if (framing == NetconfFraming.EndOfMessage)
        {
            return [.. body, .. EndOfMessageBytes];
        }
        var header = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"\n#{body.Length}\n"));
        return [.. header, .. body, .. "\n##\n"u8];
    }
}
