namespace eNMS.Drivers.Netconf;

/// <summary>The byte stream a NETCONF session runs over: SSH's <c>netconf</c> subsystem in production, recorded
/// bytes in tests.</summary>
public interface INetconfChannel : IAsyncDisposable
{
    ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken ct);

    /// <summary>Fills <paramref name="buffer"/> with what arrived next, waiting for at least one byte; 0 when the
    /// channel is closed.</summary>
    ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct);
}
