namespace eNMS.Drivers.Cli;

/// <summary>An interactive byte stream to a device's CLI, already decoded to text. The seam between the SSH transport
/// and the CLI logic: tests replay recorded transcripts through a scripted implementation.</summary>
public interface IShell : IAsyncDisposable
{
    /// <summary>Sends text as typed (include the newline).</summary>
    ValueTask WriteAsync(string text, CancellationToken ct);

    /// <summary>The next chunk the device sent; waits until one arrives. Null when the connection is closed.</summary>
    ValueTask<string?> ReadAsync(CancellationToken ct);
}
