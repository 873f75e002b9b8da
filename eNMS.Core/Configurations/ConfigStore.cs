using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using eNMS.Core.Data;
using eNMS.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Configurations;

/// <summary>Keeps every distinct configuration of each device; an unchanged backup adds no version.</summary>
public sealed partial class ConfigStore(IDbContextFactory<EnmsDbContext> dbFactory, TimeProvider time)
{
    /// <summary>Stores the configuration if it differs from the latest version; true when it did. Previous is the
    /// version it replaced (null for a device's first backup).</summary>
    public async Task<(bool Changed, ConfigVersion Latest, ConfigVersion? Previous)> SaveAsync(int deviceId, string deviceName, string config, int? runId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(config);
        var hash = Hash(config);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var latest = await db.ConfigVersions.AsNoTracking().Where(v => v.DeviceId == deviceId).OrderByDescending(v => v.Id).FirstOrDefaultAsync(ct);
        if (latest is not null && latest.Hash == hash)
        {
            return (false, latest, null);
        }
        var version = new ConfigVersion { DeviceId = deviceId, DeviceName = deviceName, RunId = runId, CreatedAt = time.GetUtcNow(), Config = config, Hash = hash };
        db.ConfigVersions.Add(version);
        await db.SaveChangesAsync(ct);
        return (true, version, latest);
    }

    /// <summary>A device's versions, newest first, without their text.</summary>
    public async Task<List<ConfigVersionInfo>> VersionsAsync(int deviceId, IReadOnlyList<int>? scopePoolIds, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Scoped(scopePoolIds).ConfigVersions.Where(v => v.DeviceId == deviceId).OrderByDescending(v => v.Id)
            .Select(v => new ConfigVersionInfo(v.Id, v.DeviceId, v.DeviceName, v.CreatedAt, v.RunId, v.Hash, v.Config.Length)).ToListAsync(ct);
    }

    /// <summary>Backups that found a change (a version with a predecessor), newest first: what changed lately.</summary>
    public async Task<List<ConfigChange>> LatestChangesAsync(int take, IReadOnlyList<int>? scopePoolIds, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var versions = db.Scoped(scopePoolIds).ConfigVersions;
        return await versions
            .Select(v => new { v, Previous = versions.Where(p => p.DeviceId == v.DeviceId && p.Id < v.Id).Max(p => (long?)p.Id) })
            .Where(x => x.Previous != null)
            .OrderByDescending(x => x.v.Id).Take(Math.Clamp(take, 1, 1000))
            .Select(x => new ConfigChange(x.v.Id, x.Previous!.Value, x.v.DeviceId, x.v.DeviceName, x.v.CreatedAt, x.v.RunId)).ToListAsync(ct);
    }

    /// <summary>The latest version of every device in scope (or of the given ones).</summary>
    public async Task<List<ConfigVersion>> LatestAsync(IReadOnlyCollection<int>? deviceIds, IReadOnlyList<int>? scopePoolIds, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var versions = db.Scoped(scopePoolIds).ConfigVersions;
        var latestIds = versions.GroupBy(v => v.DeviceId).Select(g => g.Max(v => v.Id));
        var query = versions.Where(v => latestIds.Contains(v.Id));
        query = deviceIds is null ? query : query.Where(v => deviceIds.Contains(v.DeviceId));
        return await query.OrderBy(v => v.DeviceName).ToListAsync(ct);
    }

    /// <summary>A version, if it exists and its device is in scope.</summary>
    public async Task<ConfigVersion?> FindAsync(long versionId, IReadOnlyList<int>? scopePoolIds, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Scoped(scopePoolIds).ConfigVersions.FirstOrDefaultAsync(v => v.Id == versionId, ct);
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
