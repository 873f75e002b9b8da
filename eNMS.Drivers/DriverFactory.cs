using eNMS.Drivers.Cli;
using eNMS.Drivers.Netconf;
using eNMS.Drivers.Simulation;
using eNMS.Drivers.Transfer;

namespace eNMS.Drivers;

/// <summary>Opens a connected, logged-in driver for a target: SSH or Telnet shell, CLI session, platform driver — or,
/// for a simulated target, a connection to the in-process simulator. Documentation addresses are never dialled (see
/// <see cref="SshShell.ConnectAsync(DeviceTarget, KnownHosts, CancellationToken)"/> and <see cref="TelnetShell"/>).</summary>
public sealed class DriverFactory(DriverRegistry registry, KnownHosts knownHosts, TimeProvider? time = null, DeviceSimulator? simulator = null)
{
    /// <summary>How shells are opened; the target's transport by default, a scripted shell in tests.</summary>
    public Func<DeviceTarget, CancellationToken, Task<IShell>> OpenShell { get; init; } =
        (target, ct) => Shells.ConnectAsync(target, knownHosts, ct);

    /// <summary>How NETCONF channels are opened; SSH's <c>netconf</c> subsystem by default, recorded bytes in tests.</summary>
    public Func<DeviceTarget, CancellationToken, Task<INetconfChannel>> OpenNetconfChannel { get; init; } =
        (target, ct) => SshNetconfChannel.ConnectAsync(target, knownHosts, ct);

    /// <summary>Limits of NETCONF sessions (largest reply).</summary>
    public NetconfOptions Netconf { get; init; } = new();

    public DriverRegistry Registry => registry;

    /// <summary>Answers for simulated targets.</summary>
    public DeviceSimulator Simulator { get; } = simulator ?? new DeviceSimulator(time);

    public async Task<IDeviceDriver> ConnectAsync(DeviceTarget target, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.Simulated)
        {
            return await DriverMetrics.MeasureAsync(target, "simulated", () => Simulator.ConnectAsync(target, ct));
        }
        if (!registry.Supports(target.Platform))
        {
            throw new NotSupportedException($"{target.Name}: no driver for platform '{target.Platform}'");
        }
        return await DriverMetrics.MeasureAsync(target, target.Transport == CliTransport.Telnet ? "telnet" : "ssh", () => OpenDriverAsync(target, ct));
    }

    private async Task<IDeviceDriver> OpenDriverAsync(DeviceTarget target, CancellationToken ct)
    {
        var dialled = registry.Find(target.Platform)?.LoginSuffix is { Length: > 0 } suffix && !target.Credential.Username.Contains('+', StringComparison.Ordinal)
            ? target with { Credential = target.Credential with { Username = target.Credential.Username + suffix } }
            : target;
        var shell = await OpenShell(dialled, ct);
        var session = new CliSession(shell, target, time) { Reopen = reconnect => OpenShell(dialled, reconnect) };
        try
        {
            var driver = registry.Create(session);
            driver.Reconnect = fresh => ConnectAsync(target, fresh);
            await driver.OpenAsync(ct);
            return driver;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    /// <summary>An SFTP or SCP connection with the target, host key checked as for the CLI.</summary>
    public Task<SshFileTransfer> ConnectFileTransferAsync(DeviceTarget target, FileTransferProtocol protocol, CancellationToken ct) =>
        DriverMetrics.MeasureAsync(target, "ssh", () => SshFileTransfer.ConnectAsync(target, protocol, knownHosts, ct));

    /// <summary>A NETCONF session with the target (its <see cref="DeviceTarget.Port"/> is the NETCONF port, 830 by
    /// convention), hellos exchanged. Host keys are checked as for the CLI, under host:port.</summary>
    public async Task<NetconfSession> ConnectNetconfAsync(DeviceTarget target, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.Simulated)
        {
            throw new DeviceException(target.Name, "a simulated device does not speak NETCONF (the simulator answers CLI sessions only)");
        }
        return await DriverMetrics.MeasureAsync(target, "netconf", () => OpenNetconfAsync(target, ct));
    }

    private async Task<NetconfSession> OpenNetconfAsync(DeviceTarget target, CancellationToken ct)
    {
        var channel = await OpenNetconfChannel(target, ct);
        try
        {
            return await NetconfSession.OpenAsync(channel, target, Netconf, time, ct);
        }
        catch
        {
            await channel.DisposeAsync();
            throw;
        }
    }
}
