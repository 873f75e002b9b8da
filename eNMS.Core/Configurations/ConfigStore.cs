using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using eNMS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Configurations;

/// <summary>Keeps every distinct configuration of each device; an unchanged backup adds no version.</summary>
public sealed partial class ConfigStore(IDbContextFactory<EnmsDbContext> dbFactory, TimeProvider time)
{
    /// <summary>Stores the configuration if it differs from the latest version; true when it did.</summary>
    public async Task<(bool Changed, ConfigVersion Latest)> SaveAsync(int deviceId, string deviceName, string config, int? runId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(config);
        var hash = Hash(config);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var latest = await db.ConfigVersions.Where(v => v.DeviceId == deviceId).OrderByDescending(v => v.Id).FirstOrDefaultAsync(ct);
        if (latest is not null && latest.Hash == hash)
        {
            return (false, latest);
        }
        var version = new ConfigVersion { DeviceId = deviceId, DeviceName = deviceName, RunId = runId, CreatedAt = time.GetUtcNow(), Config = config, Hash = hash };
        db.ConfigVersions.Add(version);
        await db.SaveChangesAsync(ct);
        return (true, version);
    }

    public async Task<ConfigVersion?> FindAsync(long versionId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ConfigVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == versionId, ct);
    }

    /// <summary>Volatile lines (timestamps, uptime banners) do not count as a change.</summary>
    public static string Hash(string config)
    {
        var stable = string.Join('\n', config.Replace("\r", "", StringComparison.Ordinal).Split('\n')
            .Where(line => !VolatileLine().IsMatch(line)).Select(line => line.TrimEnd()));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(stable.Trim())));
    }

    [GeneratedRegex(@"^(! Last configuration change at|! NVRAM config last updated at|## Last commit:|! Time:|Current configuration : \d+ bytes|Building configuration)", RegexOptions.IgnoreCase)]
    private static partial Regex VolatileLine();
}
