using System.Threading.Channels;
using eNMS.Drivers.Cli;

namespace eNMS.Tests.Drivers;

/// <summary>The device side the test shells share: what the fake device emits waits in a channel until the driver
/// reads it, chunk by chunk as sent; closing ends the stream (a read then returns null, as on a dropped session).</summary>
internal abstract class ChannelShell : IShell
{
    private readonly Channel<string> _out = Channel.CreateUnbounded<string>();

    /// <summary>Sends a chunk from the device.</summary>
    public void Emit(string chunk) => _out.Writer.TryWrite(chunk);

    /// <summary>The device closes the connection.</summary>
    public void Close() => _out.Writer.TryComplete();

    public abstract ValueTask WriteAsync(string text, CancellationToken ct);

    public async ValueTask<string?> ReadAsync(CancellationToken ct)
    {
        while (await _out.Reader.WaitToReadAsync(ct))
        {
            if (_out.Reader.TryRead(out var chunk))
            {
                return chunk;
            }
        }
        return null;
    }

    public virtual ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }
}
