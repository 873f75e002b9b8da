using System.Collections.Concurrent;

namespace eNMS.Drivers;

/// <summary>
/// Keeps one connection per device while a run still needs it, so a workflow's services reuse it instead of logging
/// in again; the run releases a device once its path ends (1,000 idle sessions held to the end of a run cost ~300 MB). A lease gives one caller the device at a time (a load/compare/commit sequence is not interleaved with
/// another's); a connection left unusable by a timeout or a drop is replaced on the next lease.
/// </summary>
public sealed class DriverPool(DriverFactory factory) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<int, Slot> _slots = new();
    private int _open;

    /// <summary>Connections this pool holds open right now.</summary>
    public int OpenConnections => Volatile.Read(ref _open);

    /// <summary>Waits for the device to be free, connects if needed, and lends its driver until the lease is disposed.
    /// Keyed by the inventory's id, not the name: names are not a device's identity (two may differ only in case, a
    /// rename can happen mid-run).</summary>
    public async Task<DriverLease> LeaseAsync(int deviceId, DeviceTarget target, CancellationToken ct)
    {
        var slot = _slots.GetOrAdd(deviceId, _ => new Slot());
        await slot.Gate.WaitAsync(ct);
        try
        {
            if (slot.Driver is { } old && (!old.IsUsable || old.Target != target))
            {
                slot.Driver = null;
                await DisposeQuietlyAsync(old);
            }
            if (slot.Driver is null)
            {
                slot.Driver = await factory.ConnectAsync(target, ct);
                Interlocked.Increment(ref _open);
            }
            return new DriverLease(slot.Driver, slot.Gate);
        }
        catch
        {
            slot.Gate.Release();
            throw;
        }
    }

    /// <summary>Closes the device's connection (after the lease in use, if any, ends); a later lease reconnects.</summary>
    public async Task ReleaseAsync(int deviceId)
    {
        if (_slots.TryRemove(deviceId, out var slot))
        {
            await CloseAsync(slot);
        }
    }

    /// <summary>Closes every connection (waiting for leases in use to end).</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var slot in _slots.Values)
        {
            await CloseAsync(slot);
        }
    }

    private async Task CloseAsync(Slot slot)
    {
        await slot.Gate.WaitAsync();
        try
        {
            if (slot.Driver is { } driver)
            {
                slot.Driver = null;
                await DisposeQuietlyAsync(driver);
            }
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    private async Task DisposeQuietlyAsync(IDeviceDriver driver)
    {
        Interlocked.Decrement(ref _open);
        try
        {
            await driver.DisposeAsync();
        }
        catch (DeviceException)
        {
            // Closing a connection that already failed must not hide anything: the failure was reported when it happened.
        }
    }

    private sealed class Slot
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public IDeviceDriver? Driver { get; set; }
    }
}

/// <summary>A device's driver, lent by <see cref="DriverPool"/> until disposed (the connection stays open).</summary>
public sealed class DriverLease : IAsyncDisposable
{
    private SemaphoreSlim? _gate;

    internal DriverLease(IDeviceDriver driver, SemaphoreSlim gate) => (Driver, _gate) = (driver, gate);

    public IDeviceDriver Driver { get; }

    public ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _gate, null)?.Release();
        return ValueTask.CompletedTask;
    }
}
