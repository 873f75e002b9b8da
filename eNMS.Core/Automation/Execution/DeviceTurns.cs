using System.Collections.Concurrent;
using eNMS.Core.Inventory;

namespace eNMS.Core.Automation.Execution;

/// <summary>
/// A run's devices in parallel (its service's <see cref="Service.MaxParallelDevices"/>): a device works only while it
/// holds a turn. A device waiting for people (at an approval gate) gives its turn back meanwhile — its session and
/// platform place go back too (<see cref="RunScope.WaitAsync{T}"/>) — so the next devices start and finish
/// while it waits; it takes a turn again before it goes on. Waiting devices are idle tasks, not workers.
/// </summary>
public sealed class DeviceTurns(int maxParallel) : IDisposable
{
    private readonly SemaphoreSlim _free = new(Math.Max(1, maxParallel));
    // The devices holding a turn now (working, not waiting for people).
    private readonly ConcurrentDictionary<int, byte> _holding = new();

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
                await _free.WaitAsync(failed.Token);
                _holding[device.Id] = 0;
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
            if (_holding.TryRemove(device.Id, out _))
            {
                _free.Release();
            }
        }
    }

    /// <summary>Runs <paramref name="wait"/> (a wait for people) with the device's turn given back, then takes one again
    /// (waiting for it when the run's parallelism is used up). A device not holding a turn (a service run once) just waits.</summary>
    public async Task<T> WaitingAsync<T>(Device device, Func<Task<T>> wait, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(wait);
        if (!_holding.TryRemove(device.Id, out _))
        {
            return await wait();
        }
        _free.Release();
        try
        {
            return await wait();
        }
        finally
        {
            // Cancelled while taking it again: the device ends without a turn (its end releases none).
            await _free.WaitAsync(ct);
            _holding[device.Id] = 0;
        }
    }

    public void Dispose() => _free.Dispose();
}
