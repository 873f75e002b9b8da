namespace eNMS.Drivers.Cli;

/// <summary>Opens the shell of a target's transport: what <see cref="DriverFactory"/> and the web terminal dial.</summary>
public static class Shells
{
    /// <summary>A shell for a driver's CLI session (terminal type dumb, 511 columns).</summary>
    public static Task<IShell> ConnectAsync(DeviceTarget target, KnownHosts knownHosts, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        return target.Transport switch
        {
            CliTransport.Telnet => TelnetShell.ConnectAsync(target, knownHosts, ct),
            _ => SshShell.ConnectAsync(target, knownHosts, ct),
        };
    }

    /// <summary>A resizable shell for a person at a terminal emulator, logged in with the target's credential.</summary>
    public static async Task<ITerminalShell> OpenTerminalAsync(DeviceTarget target, KnownHosts knownHosts, int columns, int rows,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        return target.Transport switch
        {
            CliTransport.Telnet => await TelnetShell.OpenTerminalAsync(target, knownHosts, columns, rows, ct),
            _ => await SshShell.OpenTerminalAsync(target, knownHosts, columns, rows, ct),
        };
    }
}
