using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using eNMS.Core.Data;
using eNMS.Drivers.Config;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace eNMS.Core.Configurations;

/// <summary>Keeps every distinct configuration of each device; an unchanged backup adds no version. A backup that
/// is not a complete configuration (<see cref="BackupCheck"/>) is kept flagged and never becomes the current version.</summary>
public sealed partial class ConfigStore(IDbContextFactory<EnmsDbContext> dbFactory, TimeProvider time, IOptions<ConfigurationOptions>? options = null)
{
    private readonly double _maxShrinkShare = options?.Value.MaxShrinkShare ?? new ConfigurationOptions().MaxShrinkShare;

    /// <summary>Stores the configuration if it differs from the device's last good version. A backup that fails
    /// <see cref="BackupCheck"/> against the platform's <paramref name="shape"/> is stored flagged (once per distinct
    /// text) and leaves the last good version current.</summary>
    public async Task<BackupOutcome> SaveAsync(int deviceId, string deviceName, string config, int? runId, ConfigShape shape, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(config);
        var hash = Hash(config);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var device = db.ConfigVersions.AsNoTracking().Where(v => v.DeviceId == deviceId).OrderByDescending(v => v.Id);
        var good = await device.FirstOrDefaultAsync(v => v.Flag == null, ct);
        var flag = BackupCheck.Problems(config, shape, good?.Config, _maxShrinkShare);
        if (flag is null && good is not null && good.Hash == hash)
        {
            return new BackupOutcome(false, good, null, null);
        }
        if (flag is not null && await device.FirstOrDefaultAsync(ct) is { Flag: not null } repeated && repeated.Hash == hash)
        {
            return new BackupOutcome(false, repeated, good, flag);
        }
        var version = new ConfigVersion { DeviceId = deviceId, DeviceName = deviceName, RunId = runId, CreatedAt = time.GetUtcNow(), Config = config, Hash = hash, Flag = flag };
        db.ConfigVersions.Add(version);
        await db.SaveChangesAsync(ct);
        return new BackupOutcome(flag is null, version, good, flag);
    }

    /// <summary>A device's versions, newest first, without their text.</summary>
    public async Task<List<ConfigVersionInfo>> VersionsAsync(int deviceId, IReadOnlyList<int>? scopePoolIds, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateScopedAsync(scopePoolIds, ct);
        var versions = await db.ConfigVersions.AsNoTracking().Where(v => v.DeviceId == deviceId).OrderByDescending(v => v.Id)
            .Select(v => new ConfigVersionInfo(v.Id, v.DeviceId, v.DeviceName, v.CreatedAt, v.RunId, v.Hash, v.Config.Length, v.Flag)).ToListAsync(ct);
        // All of the device's versions, newest first: the oldest is 1.
        return versions.Select((v, i) => v with { Number = versions.Count - i }).ToList();
    }

    /// <summary>Backups that found a change (a version with a predecessor), newest first: what changed lately.</summary>
    public async Task<List<ConfigChange>> LatestChangesAsync(int take, IReadOnlyList<int>? scopePoolIds, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateScopedAsync(scopePoolIds, ct);
        var versions = db.ConfigVersions.AsNoTracking().Where(v => v.Flag == null);
        return await versions
            .Select(v => new { v, Previous = versions.Where(p => p.DeviceId == v.DeviceId && p.Id < v.Id).Max(p => (long?)p.Id) })
            .Where(x => x.Previous != null)
            .OrderByDescending(x => x.v.Id).Take(Math.Clamp(take, 1, 1000))
            .Select(x => new ConfigChange(x.v.Id, x.Previous!.Value, x.v.DeviceId, x.v.DeviceName, x.v.CreatedAt, x.v.RunId)).ToListAsync(ct);
    }

    /// <summary>The latest good version of every device in scope (or of the given ones): flagged backups never count.</summary>
    public async Task<List<ConfigVersion>> LatestAsync(IReadOnlyCollection<int>? deviceIds, IReadOnlyList<int>? scopePoolIds, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateScopedAsync(scopePoolIds, ct);
        var versions = db.ConfigVersions.AsNoTracking().Where(v => v.Flag == null);
        var latestIds = versions.GroupBy(v => v.DeviceId).Select(g => g.Max(v => v.Id));
        var query = versions.Where(v => latestIds.Contains(v.Id));
        query = deviceIds is null ? query : query.Where(v => deviceIds.Contains(v.DeviceId));
        return await query.OrderBy(v => v.DeviceName).ToListAsync(ct);
    }

    /// <summary>The per-device numbers of versions (<see cref="ConfigVersionInfo.Number"/>), by version id.</summary>
    public async Task<Dictionary<long, int>> NumbersAsync(IReadOnlyCollection<long> versionIds, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var versions = db.ConfigVersions;
        return await versions.Where(v => versionIds.Contains(v.Id))
            .Select(v => new { v.Id, Number = versions.Count(p => p.DeviceId == v.DeviceId && p.Id <= v.Id) })
            .ToDictionaryAsync(x => x.Id, x => x.Number, ct);
    }

    /// <summary>Flagged backups (not complete configurations), newest first: what the dashboard warns about.</summary>
    public async Task<List<ConfigVersionInfo>> FlaggedAsync(int take, IReadOnlyList<int>? scopePoolIds, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateScopedAsync(scopePoolIds, ct);
        var versions = db.ConfigVersions.AsNoTracking();
        // Only attempts no good backup has followed since: a device that backed up fine afterwards is healthy again.
        return await versions.Where(v => v.Flag != null && !versions.Any(g => g.DeviceId == v.DeviceId && g.Id > v.Id && g.Flag == null))
            .OrderByDescending(v => v.Id).Take(Math.Clamp(take, 1, 1000))
            .Select(v => new ConfigVersionInfo(v.Id, v.DeviceId, v.DeviceName, v.CreatedAt, v.RunId, v.Hash, v.Config.Length, v.Flag)
            {
                Number = versions.Count(p => p.DeviceId == v.DeviceId && p.Id <= v.Id),
            }).ToListAsync(ct);
    }

    /// <summary>A version, if it exists and its device is in scope.</summary>
    public async Task<ConfigVersion?> FindAsync(long versionId, IReadOnlyList<int>? scopePoolIds, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateScopedAsync(scopePoolIds, ct);
        return await db.ConfigVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == versionId, ct);
    }

    /// <summary>Volatile lines (timestamps, uptime banners) do not count as a change.</summary>
    public static string Hash(string config)
    {
        var stable = string.Join('\n', config.Replace("\r", "", StringComparison.Ordinal).Split('\n')
            .Where(line => !IsVolatile(line)).Select(line => line.TrimEnd()));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(stable.Trim())));
    }

    /// <summary>A timestamp or size line that changes without the configuration changing.</summary>
    public static bool IsVolatile(string line) => VolatileLine().IsMatch(line);

    [GeneratedRegex(@"^(! Last configuration change at|! NVRAM config last updated at|## Last commit:|! Time:|Current configuration : \d+ bytes|Building configuration)", RegexOptions.IgnoreCase)]
    private static partial Regex VolatileLine();
}
