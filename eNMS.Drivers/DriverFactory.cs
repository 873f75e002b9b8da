using eNMS.Drivers.Cli;

namespace eNMS.Drivers;

/// <summary>Opens a connected, logged-in driver for a target: SSH shell, CLI session, platform driver.</summary>
public sealed class DriverFactory(DriverRegistry registry, KnownHosts knownHosts, TimeProvider? time = null)
{
    /// <summary>How shells are opened; SSH by default, a scripted shell in tests.</summary>
    public Func<DeviceTarget, CancellationToken, Task<IShell>> OpenShell { get; init; } =
        (target, ct) => SshShell.ConnectAsync(target, knownHosts, ct);

    public DriverRegistry Registry => registry;

    public async Task<IDeviceDriver> ConnectAsync(DeviceTarget target, CancellationToken ct)
    {
        if (!registry.Supports(target.Platform))
        {
            throw new NotSupportedException($"{target.Name}: no driver for platform '{target.Platform}'");
        }
        var shell = await OpenShell(target, ct);
        var session = new CliSession(shell, target, time);
        try
        {
            var driver = registry.Create(session);
            await driver.OpenAsync(ct);
            return driver;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }
}
