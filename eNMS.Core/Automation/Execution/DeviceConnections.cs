using System.Collections.Concurrent;
using eNMS.Core.Inventory;
using eNMS.Drivers;

namespace eNMS.Core.Automation.Execution;

/// <summary>A driver lent to one node on one device; disposing it returns it for the next node (the SSH
/// session stays open until the run ends) and frees the platform slot.</summary>
public sealed class DeviceSession(IDeviceDriver driver, Func<bool, ValueTask> release) : IAsyncDisposable
{
    private bool _broken;

    public IDeviceDriver Driver { get; } = driver;

    /// <summary>The connection failed: close it instead of reusing it.</summary>
    public void MarkBroken() => _broken = true;

    public ValueTask DisposeAsync() => release(_broken);
}

/// <summary>
/// The SSH connections of one run: one per device, opened on first use and reused by later nodes, closed when the
/// run ends. One node at a time uses a device's connection; per-platform limits cap how many sessions a fragile
/// platform sees at once across all runs.
/// </summary>
public sealed class DeviceConnections(DeviceTargets targets, DriverFactory drivers, PlatformLimits limits) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<int, Slot> _slots = new();
    private readonly ConcurrentDictionary<string, byte> _secrets = new();

    public async Task<DeviceSession> AcquireAsync(Device device, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(device);
        var slot = _slots.GetOrAdd(device.Id, _ => new Slot());
        await slot.Lock.WaitAsync(ct);
        var platform = await limits.EnterAsync(device.Platform, ct);
        try
        {
            if (slot.Driver is null)
            {
                var target = await targets.ForAsync(device, ct);
                foreach (var secret in target.Credential.Secrets)
                {
                    _secrets.TryAdd(secret, 0);
                }
                slot.Driver = await drivers.ConnectAsync(target, ct);
            }
            return new DeviceSession(slot.Driver, async broken =>
            {
                if (broken && slot.Driver is { } driver)
                {
                    slot.Driver = null;
                    await driver.DisposeAsync();
                }
                platform.Dispose();
                slot.Lock.Release();
            });
        }
        catch
        {
            platform.Dispose();
            slot.Lock.Release();
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

    public async ValueTask DisposeAsync()
    {
        foreach (var slot in _slots.Values)
        {
            if (slot.Driver is { } driver)
            {
                try
                {
                    await driver.DisposeAsync();
                }
                catch (DeviceException)
                {
                    // The device dropped the session first: nothing left to close.
                }
            }
            slot.Lock.Dispose();
        }
        _slots.Clear();
    }

    private sealed class Slot
    {
        public SemaphoreSlim Lock { get; } = new(1, 1);
        public IDeviceDriver? Driver { get; set; }
    }
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
