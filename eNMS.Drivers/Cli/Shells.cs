namespace eNMS.Drivers.Cli;

/// <summary>Opens the shell of a target's transport, through its jump hosts in order: what <see cref="DriverFactory"/>
/// and the web terminal dial.</summary>
public static class Shells
{
    /// <summary>A shell for a driver's CLI session (terminal type dumb, 511 columns).</summary>
    public static Task<IShell> ConnectAsync(DeviceTarget target, KnownHosts knownHosts, CancellationToken ct) =>
        ThroughJumpsAsync(target, t => t.Transport switch
        {
            CliTransport.Telnet => TelnetShell.ConnectAsync(t, knownHosts, ct),
            _ => SshShell.ConnectAsync(t, knownHosts, ct),
        });

    /// <summary>A resizable shell for a person at a terminal emulator, logged in with the target's credential.</summary>
    public static Task<ITerminalShell> OpenTerminalAsync(DeviceTarget target, KnownHosts knownHosts, int columns, int rows,
        CancellationToken ct) =>
        ThroughJumpsAsync<ITerminalShell>(target, async t => t.Transport switch
        {
            CliTransport.Telnet => await TelnetShell.OpenTerminalAsync(t, knownHosts, columns, rows, ct),
            _ => await SshShell.OpenTerminalAsync(t, knownHosts, columns, rows, ct),
        });

    /// <summary>Tries the jump host, then each fallback, while the failure is an unreachable or silent hop (or
    /// device); a refused login, a changed host key or a cancellation ends it. The last failure names every hop tried.</summary>
    private static async Task<T> ThroughJumpsAsync<T>(DeviceTarget target, Func<DeviceTarget, Task<T>> open)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.Jump is null || target.FallbackJumps.Count == 0)
        {
            return await open(target);
        }
        var tried = new List<string>();
        var jumps = new[] { target.Jump }.Concat(target.FallbackJumps).ToList();
        for (int i = 0; ; i++)
        {
            try
            {
                return await open(target with { Jump = jumps[i], FallbackJumps = [] });
            }
            catch (DeviceException ex) when (ex is DeviceConnectionException or DeviceTimeoutException && i < jumps.Count - 1)
            {
                tried.Add($"{jumps[i].Host}: {Reason(target, ex)}");
            }
            catch (DeviceConnectionException ex) when (tried.Count > 0)
            {
                throw new DeviceConnectionException(target.Name, $"{Reason(target, ex)} (also tried through " +
                    $"{string.Join("; ", tried)})", ex);
            }
        }
    }

    private static string Reason(DeviceTarget target, DeviceException ex) =>
        ex.Message.StartsWith(target.Name + ": ", StringComparison.Ordinal) ? ex.Message[(target.Name.Length + 2)..] : ex.Message;
}
