using System.Collections.Concurrent;
using eNMS.Core.Inventory;

namespace eNMS.Core.Automation.Execution;

/// <summary>
/// A run's devices in parallel (its service's <see cref="Service.MaxParallelDevices"/>): a device works only while it
/// holds a turn. A device waiting for people (at an approval gate) gives its turn back meanwhile — its session and
/// platform place go back too (<see cref="RunScope.WaitAsync{T}"/>) — so the next devices start and finish
/// while it waits; it takes a turn again before it goes on. Waiting devices are idle tasks, not workers.
/// With <see cref="Shared"/> (a run distributed across a cluster) a turn is also a place of the run's cap shared by
/// every node (<see cref="ClusterLeases"/>): the run's parallelism holds across all its batches, not per batch.
/// </summary>
public sealed class DeviceTurns(int maxParallel) : IDisposable
{
    private readonly SemaphoreSlim _free = new(Math.Max(1, maxParallel));
    // The devices holding a turn now (working, not waiting for people), with their place in the shared cap if any.
    private readonly ConcurrentDictionary<int, ClusterLease?> _holding = new();

    /// <summary>The run's cap across the cluster's nodes; null: this process's turns only.</summary>
    public ClusterCap? Shared { get; init; }

    /// <summary>Whether the device works for the run right now (it holds a turn).</summary>
    public bool Working(int deviceId) => _holding.ContainsKey(deviceId);

    /// <summary>Runs <paramref name="body"/> for each device, at most the run's parallelism at once (waiting devices not
    /// counted), in their order. A body that throws stops the devices not started yet, as <see cref="Parallel.ForEachAsync{TSource}(IEnumerable{TSource}, ParallelOptions, Func{TSource, CancellationToken, ValueTask})"/> does.</summary>
    public async Task ForEachAsync(IReadOnlyList<Device> devices, Func<Device, CancellationToken, ValueTask> body, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(body);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var running = new List<Task>();
        try
        {
            foreach (var device in devices)
            {
                _holding[device.Id] = await TakeAsync(failed.Token);
                running.Add(RunAsync(device, body, failed));
                // Finished devices are let go of: a 10,000-device run keeps only those in flight.
                running.RemoveAll(t => t.IsCompletedSuccessfully);
            }
        }
        catch (OperationCanceledException) when (failed.IsCancellationRequested)
        {
            // Cancelled, or a device's body failed: the devices started end below, with that failure.
        }
        await Task.WhenAll(running);
        ct.ThrowIfCancellationRequested();
    }

    private async Task RunAsync(Device device, Func<Device, CancellationToken, ValueTask> body, CancellationTokenSource failed)
    {
        // Off the loop's thread: the loop starts the next device while this one connects.
        await Task.Yield();
        try
        {
            await body(device, failed.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await failed.CancelAsync();
            throw;
        }
        finally
        {
            if (_holding.TryRemove(device.Id, out var place))
            {
                Give(place);
            }
        }
    }

    /// <summary>A turn: one of this process's, then (in a cluster) a place of the run's shared cap.</summary>
    private async Task<ClusterLease?> TakeAsync(CancellationToken ct)
    {
        await _free.WaitAsync(ct);
        if (Shared is null)
        {
            return null;
        }
        try
        {
            return await Shared.TakeAsync(ct);
        }
        catch
        {
            _free.Release();
            throw;
        }
    }

    private void Give(ClusterLease? place)
    {
        place?.Dispose();
        _free.Release();
    }

    /// <summary>Runs <paramref name="wait"/> (a wait for people) with the device's turn given back, then takes one again
    /// (waiting for it when the run's parallelism is used up). A device not holding a turn (a service run once) just waits.</summary>
    public async Task<T> WaitingAsync<T>(Device device, Func<Task<T>> wait, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(wait);
        if (!_holding.TryRemove(device.Id, out var place))
        {
            return await wait();
        }
        Give(place);
        try
        {
            return await wait();
        }
        finally
        {
            // Cancelled while taking it again: the device ends without a turn (its end releases none).
            _holding[device.Id] = await TakeAsync(ct);
        }
    }

    public void Dispose() => _free.Dispose();
}
