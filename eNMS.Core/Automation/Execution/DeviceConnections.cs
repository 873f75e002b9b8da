using System.Collections.Concurrent;
using eNMS.Core.Inventory;
using eNMS.Drivers;

namespace eNMS.Core.Automation.Execution;

/// <summary>A driver lent to one node on one device; disposing it returns it for the next node (the SSH
/// session stays open until the run ends) and frees the platform slot.</summary>
public sealed class DeviceSession(DriverLease lease, IDisposable platformSlot) : IAsyncDisposable
{
    public IDeviceDriver Driver => lease.Driver;

    public async ValueTask DisposeAsync()
    {
        await lease.DisposeAsync();
        platformSlot.Dispose();
    }
}

/// <summary>
/// The SSH connections of one run (a <see cref="DriverPool"/>: one per device, reused by later nodes, replaced when
/// a timeout or drop left it unusable, closed when the run ends), the run's credentials resolved once per device,
/// and the per-platform limits that cap how many sessions a fragile platform sees at once across all runs.
/// </summary>
public sealed class DeviceConnections(DeviceTargets targets, DriverFactory drivers, PlatformLimits limits) : IAsyncDisposable
{
    private readonly DriverPool _pool = new(drivers);
    private readonly ConcurrentDictionary<int, Lazy<Task<DeviceTarget>>> _targets = new();
    private readonly ConcurrentDictionary<string, byte> _secrets = new();

    public async Task<DeviceSession> AcquireAsync(Device device, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(device);
        var target = await _targets.GetOrAdd(device.Id, _ => new Lazy<Task<DeviceTarget>>(() => targets.ForAsync(device, CancellationToken.None))).Value;
        foreach (var secret in target.Credential.Secrets)
        {
            _secrets.TryAdd(secret, 0);
        }
        var platform = await limits.EnterAsync(device.Platform, ct);
        try
        {
            return new DeviceSession(await _pool.LeaseAsync(target, ct), platform);
        }
        catch
        {
            platform.Dispose();
            throw;
        }
    }

    /// <summary>Replaces every secret sent to a device in this run by a marker.</summary>
    public string Redact(string text)
    {
        foreach (var secret in _secrets.Keys)
        {
            text = text.Replace(secret, "********", StringComparison.Ordinal);
        }
        return text;
    }

    public ValueTask DisposeAsync() => _pool.DisposeAsync();
}

/// <summary>How many sessions each platform may have open at once across all runs (Automation:PlatformLimits);
/// platforms not listed are unlimited.</summary>
public sealed class PlatformLimits(IReadOnlyDictionary<string, int> limits)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.OrdinalIgnoreCase);

    public async Task<IDisposable> EnterAsync(string platform, CancellationToken ct)
    {
        if (!limits.TryGetValue(platform, out var limit) || limit <= 0)
        {
            return Lease.None;
        }
        var gate = _gates.GetOrAdd(platform, _ => new SemaphoreSlim(limit, limit));
        await gate.WaitAsync(ct);
        return new Lease(gate);
    }

    private sealed class Lease(SemaphoreSlim? gate) : IDisposable
    {
        public static readonly Lease None = new(null);

        public void Dispose() => gate?.Release();
    }
}
