using System.Collections.Concurrent;
using eNMS.Drivers.Cli;

namespace eNMS.Drivers.Simulation;

/// <summary>
/// The in-process network that answers for devices marked simulated (the demo network): connections, commands,
/// configuration changes, pings and TCP probes are answered here and never leave the process. Device state lives
/// in memory for the life of the process (a restart brings every device back to its first configuration).
/// </summary>
public sealed class DeviceSimulator(TimeProvider? time = null)
{
    private readonly ConcurrentDictionary<string, SimulatedDevice> _devices = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Which device is cabled to which, by device name: what simulated devices answer to their LLDP commands.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<SimulatedNeighbor>> Cabling { get; init; } =
        new Dictionary<string, IReadOnlyList<SimulatedNeighbor>>(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long each command takes, so runs on simulated devices progress at a pace a person can follow.</summary>
    public TimeSpan CommandDelay { get; init; } = TimeSpan.FromMilliseconds(150);

    /// <summary>The device a target names (created with its platform's first configuration on first use).</summary>
    /// <exception cref="NotSupportedException">The simulator has no model of the platform.</exception>
    public SimulatedDevice Device(DeviceTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!SimulatedPlatform.All.TryGetValue(target.Platform, out var platform))
        {
            throw new NotSupportedException($"{target.Name}: the simulator has no '{target.Platform}' device " +
                $"(simulated platforms: {string.Join(", ", SimulatedPlatform.All.Keys.Order())})");
        }
        var device = _devices.GetOrAdd(target.Name, name => new SimulatedDevice(name, target.Host, platform, _time, NeighborsOf(name)));
        return device.Platform == platform ? device
            : _devices[target.Name] = new SimulatedDevice(target.Name, target.Host, platform, _time, NeighborsOf(target.Name));
    }

    /// <summary>A logged-in driver for a simulated device.</summary>
    public async Task<IDeviceDriver> ConnectAsync(DeviceTarget target, CancellationToken ct)
    {
        var device = Device(target);
        await PauseAsync(ct);
        return new SimulatedDriver(target, device, this);
    }

    /// <summary>A terminal for a person on a simulated device (the web terminal): its prompt, commands and
    /// configuration mode, answered in process like every connection to it.</summary>
    public async Task<ITerminalShell> OpenTerminalAsync(DeviceTarget target, CancellationToken ct)
    {
        var device = Device(target);
        await PauseAsync(ct);
        return new SimulatedTerminalShell(device, this);
    }

    /// <summary>An echo reply's round-trip time in milliseconds: simulated devices always answer.</summary>
    public async Task<int> PingAsync(DeviceTarget target, CancellationToken ct)
    {
        var device = Device(target);
        await PauseAsync(ct);
        return 8 + device.Number % 23;
    }

    /// <summary>Whether the device listens on a TCP port: SSH on its port, plus the management ports of its platform.</summary>
    public bool IsListening(DeviceTarget target, int port)
    {
        var device = Device(target);
        return port == target.Port || port == 22 || (device.Platform.Key, port) is ("juniper_junos", 830) or ("arista_eos", 443) or ("cisco_nxos", 443);
    }

    private IReadOnlyList<SimulatedNeighbor> NeighborsOf(string name) => Cabling.TryGetValue(name, out var neighbors) ? neighbors : [];

    internal Task PauseAsync(CancellationToken ct) =>
        CommandDelay > TimeSpan.Zero ? Task.Delay(CommandDelay, _time, ct) : Task.CompletedTask;
}

/// <summary>A cable from a simulated device's interface to another device's port, as LLDP shows it; the neighbour's
/// platform decides what it advertises (its LLDP system description, whether it speaks CDP).</summary>
public sealed record SimulatedNeighbor(string LocalInterface, string Device, string Port, string Address, string Platform = "");
