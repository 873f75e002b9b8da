using eNMS.Core.Data;
using eNMS.Drivers.Cli;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Automation.Execution;

/// <summary>An SSH host key fingerprint eNMS trusts for a device address ("host" or "[host]:port").</summary>
public sealed class KnownHostKey
{
    public int Id { get; set; }
    public required string Host { get; set; }
    public required string Fingerprint { get; set; }
    public DateTimeOffset FirstSeen { get; set; }
}

/// <summary>
/// Keeps the drivers' known-hosts store in the database, so trust on first use survives restarts and a changed key
/// is refused (naming the device and both fingerprints) instead of being learned again after a reboot.
/// </summary>
public sealed class HostKeyStore(IDbContextFactory<EnmsDbContext> dbFactory, KnownHosts knownHosts, TimeProvider time, Security.AuditLog audit)
{
    public async Task LoadAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        foreach (var key in await db.KnownHostKeys.AsNoTracking().ToListAsync(ct))
        {
            knownHosts.Pin(key.Host, key.Fingerprint);
        }
    }

    /// <summary>Stores the keys learned since the last save.</summary>
    public async Task SaveLearnedAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stored = (await db.KnownHostKeys.Select(k => k.Host).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var learned = knownHosts.Entries.Where(e => !stored.Contains(e.Key)).ToList();
        if (learned.Count == 0)
        {
            return;
        }
        db.KnownHostKeys.AddRange(learned.Select(e => new KnownHostKey { Host = e.Key, Fingerprint = e.Value, FirstSeen = time.GetUtcNow() }));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Forgets a host's key (after a legitimate change, such as a replaced router); the next connection
    /// learns it. Recorded in the audit log with the fingerprint that was trusted.</summary>
    public async Task<bool> ForgetAsync(string host, Security.AuditActor actor, CancellationToken ct)
    {
        knownHosts.Forget(host);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var fingerprint = await db.KnownHostKeys.Where(k => k.Host == host).Select(k => k.Fingerprint).FirstOrDefaultAsync(ct);
        if (await db.KnownHostKeys.Where(k => k.Host == host).ExecuteDeleteAsync(ct) == 0)
        {
            return false;
        }
        await audit.WriteAsync(actor, "host key forget", "host key", null, host, fingerprint, ct);
        return true;
    }
}
