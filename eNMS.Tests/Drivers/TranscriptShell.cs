using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace eNMS.Tests.Drivers;

/// <summary>
/// Replays a session recorded from a real device (lab FRR or emulator) in <c>Transcripts/&lt;platform&gt;/&lt;scenario&gt;.txt</c>:
/// one JSON string per line, <c>&lt;</c> for what the device sent (chunk by chunk, as received), <c>&gt;</c> for what
/// the client wrote (secrets recorded as <c>********</c>). Each write must be the next recorded one; then the device's
/// recorded chunks up to the next write are replayed. Generated names (EOS sessions <c>enms-xxxxxxxx</c>, NX-OS checkpoints <c>enms_xxxxxxxx</c>) are
/// bound at their first use: the recorded name stands for the one the driver chose, in writes and replies alike.
/// </summary>
internal sealed class TranscriptShell : ChannelShell
{
    private readonly List<(bool Sent, string Text)> _entries;
    private static readonly Regex GeneratedName = new("enms[-_][0-9a-f]{8}");
    private readonly Dictionary<string, string> _bindings = [];
    private int _next;

    /// <summary>Reads the recording next to this source file (no copy into the build output needed).</summary>
    public TranscriptShell(string relativePath, [CallerFilePath] string source = "")
    {
        var path = Path.Combine(Path.GetDirectoryName(source)!, "Transcripts", relativePath);
        _entries = [.. File.ReadAllLines(path).Where(l => l.Length > 2)
            .Select(l => (l[0] == '>', JsonSerializer.Deserialize<string>(l[2..])!))];
        EmitDeviceChunks();
    }

    /// <summary>True when the client wrote everything the recording holds.</summary>
    public bool Finished => !_entries.Skip(_next).Any(e => e.Sent);

    public override ValueTask WriteAsync(string text, CancellationToken ct)
    {
        var expected = _next < _entries.Count ? _entries[_next] : (true, "(end of transcript)");
        var recorded = Bind(expected.Item2);
        var (recordedNames, actualNames) = (GeneratedName.Matches(recorded), GeneratedName.Matches(text));
        if (recordedNames.Count == actualNames.Count)
        {
            for (int i = 0; i < recordedNames.Count; i++)
            {
                _bindings.TryAdd(recordedNames[i].Value, actualNames[i].Value);
            }
            recorded = Bind(expected.Item2);
        }
        bool matches = expected.Item1 && (recorded == text || (recorded.Contains("********", StringComparison.Ordinal)
            && text.Length > 0 && recorded.Replace("********", "", StringComparison.Ordinal).Length < text.Length));
        if (!matches)
        {
            throw new TranscriptMismatchException($"entry {_next}: expected the client to send {JsonSerializer.Serialize(expected.Item2)}, got {JsonSerializer.Serialize(text)}");
        }
        _next++;
        EmitDeviceChunks();
        return ValueTask.CompletedTask;
    }

    private string Bind(string text) =>
        _bindings.Aggregate(text, (t, b) => t.Replace(b.Key, b.Value, StringComparison.Ordinal));

    private void EmitDeviceChunks()
    {
        while (_next < _entries.Count && !_entries[_next].Sent)
        {
            Emit(Bind(_entries[_next++].Text));
        }
    }
}

internal sealed class TranscriptMismatchException(string message) : Exception(message);
