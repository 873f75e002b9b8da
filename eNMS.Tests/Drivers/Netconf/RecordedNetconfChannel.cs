using System.Runtime.CompilerServices;
using System.Text;
using eNMS.Drivers.Netconf;

namespace eNMS.Tests.Drivers.Netconf;

/// <summary>
/// Plays back what a NETCONF server sent, in reads of <see cref="ReadSize"/> bytes, and keeps what the client wrote.
/// The server bytes come from a recording of the lab's netconfd (<c>Recordings/*.bin</c>, raw channel bytes) or from
/// the test. Once they run out the channel stays silent (a server that does not answer) or, with
/// <see cref="CloseWhenDone"/>, closes (a dropped connection).
/// </summary>
internal sealed class RecordedNetconfChannel(byte[] serverBytes) : INetconfChannel
{
    private int _position;

    public int ReadSize { get; init; } = 4096;

    public bool CloseWhenDone { get; init; }

    public List<byte[]> Writes { get; } = [];

    public string Written => string.Concat(Writes.Select(w => Encoding.UTF8.GetString(w)));

    public bool Disposed { get; private set; }

    public static byte[] Recording(string name, [CallerFilePath] string source = "") =>
        File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(source)!, "Recordings", name));

    public ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        Writes.Add(bytes.ToArray());
        return ValueTask.CompletedTask;
    }

    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct)
    {
        if (_position >= serverBytes.Length)
        {
            if (CloseWhenDone)
            {
                return 0;
            }
            await Task.Delay(Timeout.Infinite, ct);
        }
        int count = Math.Min(Math.Min(ReadSize, buffer.Length), serverBytes.Length - _position);
        serverBytes.AsMemory(_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}
