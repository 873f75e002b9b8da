using System.Collections.Concurrent;
using eNMS.Core.Configurations;
using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Drivers;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Automation.Execution;

/// <summary>
/// Keeps each device's configuration before a run first changes it (<see cref="ChangeSnapshot"/>), so that the run can
/// be reverted. Asked by every node whose kind changes the device, before it connects to change anything; one snapshot
/// per device and run, whichever node comes first and however many ask at once. A device whose configuration cannot be
/// read is not changed: a change that could not be reverted is refused rather than made blind.
/// </summary>
public sealed class ChangeSnapshots(IDbContextFactory<EnmsDbContext> dbFactory, DriverRegistry platforms, TimeProvider time)
{
    private readonly ConcurrentDictionary<(int Run, int Device), Lazy<Task<string?>>> _taken = new();

    /// <summary>Null when the device may be changed (its snapshot is kept, or it has no configuration to keep); else why not.</summary>
    public Task<string?> EnsureAsync(ServiceContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var device = context.Device ?? throw new ArgumentException("a snapshot is of a device", nameof(context));
        var key = (context.Run.Id, device.Id);
        var taken = _taken.GetOrAdd(key, _ => new Lazy<Task<string?>>(() => TakeAsync(context, device, ct)));
        return ForgetFailureAsync(key, taken);
    }

    /// <summary>Forgets the run's entries once it ends (the database keeps the snapshots).</summary>
    public void RunEnded(int runId)
    {
        foreach (var key in _taken.Keys.Where(k => k.Run == runId))
        {
            _taken.TryRemove(key, out _);
        }
    }

    // A failed read is asked again by the next node (a retry may reach the device); a kept snapshot is final.
    private async Task<string?> ForgetFailureAsync((int, int) key, Lazy<Task<string?>> taken)
    {
        var problem = await taken.Value;
        if (problem is not null)
        {
            _taken.TryRemove(KeyValuePair.Create(key, taken));
        }
        return problem;
    }

    private async Task<string?> TakeAsync(ServiceContext context, Device device, CancellationToken ct)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            // A resumed run keeps the snapshot taken before its interruption: the device may be half-changed since.
            if (await db.ChangeSnapshots.AnyAsync(s => s.RunId == context.Run.Id && s.DeviceId == device.Id, ct))
            {
                return null;
            }
        }
        // Read over the CLI, as the revert replaces it (a NETCONF datastore is XML the CLI cannot load).
        if (platforms.Find(device.Platform) is { } profile && !profile.Capabilities.HasFlag(DriverCapabilities.Config))
        {
            return await KeepAsync(context, device, null, $"{profile.Key} keeps no configuration eNMS can read: the change cannot be reverted by eNMS", ct);
        }
        string config;
        Drivers.Config.ConfigShape shape;
        try
        {
            await using var driver = await context.ConnectAsync(ct);
            (config, shape) = (await driver.GetRunningConfigAsync(ct), driver.RunningConfigShape);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return $"Not changed: its configuration could not be kept first (so that the run can be reverted): {context.Redact(e.Message)}";
        }
        // The checks a backup makes (empty, cut, garbled, no end marker; no earlier version to compare sizes with).
        if (BackupCheck.Problems(config, shape, previousGood: null, maxShrinkShare: 1) is { } flag)
        {
            context.Log($"the configuration read before the change is flagged ({flag}): this device cannot be reverted to it", "warning");
            return await KeepAsync(context, device, null, $"The configuration read before the change was flagged: {flag}", ct);
        }
        return await KeepAsync(context, device, config, null, ct);
    }

    private async Task<string?> KeepAsync(ServiceContext context, Device device, string? config, string? problem, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.ChangeSnapshots.Add(new ChangeSnapshot
        {
            RunId = context.Run.Id,
            DeviceId = device.Id,
            DeviceName = device.Name,
            TakenAt = time.GetUtcNow(),
            Config = config,
            Problem = problem,
        });
        await db.SaveChangesAsync(ct);
        return null;
    }
}
