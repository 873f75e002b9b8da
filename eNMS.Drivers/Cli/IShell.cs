namespace eNMS.Drivers.Cli;

/// <summary>An interactive byte stream to a device's CLI, already decoded to text. The seam between the transports
/// (<see cref="SshShell"/>, <see cref="TelnetShell"/>) and the CLI logic: tests replay recorded transcripts through a
/// scripted implementation.</summary>
public interface IShell : IAsyncDisposable
{
    /// <summary>Sends text as typed (include the newline).</summary>
    ValueTask WriteAsync(string text, CancellationToken ct);

    /// <summary>The next chunk the device sent; waits until one arrives. Null when the connection is closed.</summary>
    ValueTask<string?> ReadAsync(CancellationToken ct);

    /// <summary>Copies a file to the device (SCP over a second connection with the same credentials), e.g. a candidate
    /// configuration to <c>flash:</c>. Shells that cannot (Telnet, scripted ones) say so.</summary>
    /// <exception cref="DeviceException">The device refused the transfer or the connection failed.</exception>
    ValueTask UploadAsync(string path, string content, CancellationToken ct) =>
        throw new NotSupportedException("this connection cannot copy files");
}

/// <summary>A shell for a person at a terminal emulator (the web terminal): resizable.</summary>
public interface ITerminalShell : IShell
{
    /// <summary>Tells the device the terminal's new size (SSH window-change, Telnet NAWS).</summary>
    void Resize(int columns, int rows);
}
