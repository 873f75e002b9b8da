using eNMS.Core.Scheduling;

namespace eNMS.Core.Automation.Execution;

/// <summary>Keeps a running run to the change freezes that begin while it runs: before a node that changes a device,
/// asks whether a freeze now holds that device. The answer for the run's devices is refreshed at most every
/// <see cref="Refresh"/> (at once after a freeze is saved or deleted on this node), so thousands of devices cost one
/// query per interval, not one per node.</summary>
public sealed class FreezeGuard(ChangeFreezes freezes, TimeProvider time, IReadOnlyCollection<int> deviceIds) : IDisposable
{
    public static readonly TimeSpan Refresh = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private Dictionary<int, FreezeHit> _held = [];
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;
    private long _version = -1;

    /// <summary>The freeze holding this device now, or null.</summary>
    public async Task<FreezeHit?> HoldingAsync(int deviceId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (Stale(now))
        {
            await _gate.WaitAsync(ct);
            try
            {
                if (Stale(now))
                {
                    var version = freezes.Version;
                    var held = new Dictionary<int, FreezeHit>();
                    foreach (var hit in await freezes.HoldingAsync(deviceIds, now, ct))
                    {
                        foreach (var id in hit.DeviceIds)
                        {
                            held.TryAdd(id, hit);
                        }
                    }
                    (_held, _readAt, _version) = (held, now, version);
                }
            }
            finally
            {
                _gate.Release();
            }
        }
        return _held.TryGetValue(deviceId, out var holding) && holding.Until > now ? holding : null;
    }

    /// <summary>Waits until a freeze is saved or deleted on this node, or <paramref name="within"/> passed: a deferred
    /// node looks again then.</summary>
    public async Task ChangedAsync(TimeSpan within, CancellationToken ct)
    {
        try
        {
            await freezes.NextChange.WaitAsync(within, time, ct);
        }
        catch (TimeoutException)
        {
            // Time to look again anyway (another node's edit, or the freeze's end).
        }
    }

    /// <summary>Read again after <see cref="Refresh"/>, or at once when a freeze was saved or deleted on this node.</summary>
    private bool Stale(DateTimeOffset now) => now - _readAt >= Refresh || freezes.Version != _version;

    public void Dispose() => _gate.Dispose();
}
