using System.Collections.Concurrent;
using eNMS.Core.Inventory;
using eNMS.Drivers;

namespace eNMS.Core.Automation.Execution;

/// <summary>A driver lent to one node on one device; disposing it returns it for the next node (the SSH
/// session stays open until the device's path in the run ends) and frees the platform slot.</summary>
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
/// a timeout or drop left it unusable, closed when the device is done or the run ends), the run's credentials resolved once per device,
/// and the per-platform limits that cap how many sessions a fragile platform sees at once across all runs.
/// </summary>
public sealed class DeviceConnections(DeviceTargets targets, DriverFactory drivers, PlatformLimits limits) : IAsyncDisposable
{
    private readonly DriverPool _pool = new(drivers);
    private readonly ConcurrentDictionary<int, Lazy<Task<DeviceTarget>>> _targets = new();
    // What Redact reads on every result and log line: an immutable redactor, replaced (under the lock) when a
    // device or a service parameter brings a secret it does not know yet.
    private volatile SecretRedactor _secrets = SecretRedactor.None;
    private readonly Lock _secretsLock = new();

    public async Task<DeviceSession> AcquireAsync(Device device, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(device);
        var target = await _targets.GetOrAdd(device.Id, _ => new Lazy<Task<DeviceTarget>>(() => targets.ForAsync(device, CancellationToken.None))).Value;
        AddSecrets(target.Credential.Secrets);
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

    /// <summary>SSH sessions this run holds open right now.</summary>
    public int OpenSessions => _pool.OpenConnections;

    /// <summary>The device has no node left in this run: close its session now rather than when the run ends.</summary>
    public async Task ReleaseAsync(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        _targets.TryRemove(device.Id, out _);
        await _pool.ReleaseAsync(device.Name);
    }

    /// <summary>Secrets this run knows (a device's credential, the decrypted secret parameters of its services),
    /// masked from then on in every result and log line.</summary>
    public void AddSecrets(IEnumerable<string> secrets)
    {
        var known = secrets.ToList();
        if (_secrets.With(known) == _secrets)
        {
            return;
        }
        lock (_secretsLock)
        {
            // Under the lock, so that no redactor built concurrently can drop a secret added here.
            _secrets = _secrets.With(known);
        }
    }

    /// <summary>Replaces every secret this run knows by a marker (see <see cref="SecretRedactor"/>).</summary>
    public string Redact(string text) => _secrets.Redact(text);

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
