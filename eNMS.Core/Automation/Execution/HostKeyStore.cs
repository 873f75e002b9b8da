using eNMS.Core.Data;
using eNMS.Drivers.Cli;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Automation.Execution;

/// <summary>An SSH host key fingerprint eNMS trusts for a device address ("host" or "[host]:port"), and the last
/// different key a device offered there (refused, waiting for an admin to accept it or not).</summary>
public sealed class KnownHostKey
{
    public int Id { get; set; }
    public required string Host { get; set; }
    public required string Fingerprint { get; set; }
    /// <summary>The trusted key's type (<c>ssh-ed25519</c>, …); empty for keys stored before it was recorded.</summary>
    public string Algorithm { get; set; } = "";
    /// <summary>When this fingerprint became trusted: learned on first use, or pinned by an admin.</summary>
    public DateTimeOffset FirstSeen { get; set; }
    /// <summary>The admin who pinned this fingerprint; null when it was learned on first use.</summary>
    public string? PinnedBy { get; set; }
    /// <summary>The last key refused for this address (a device offered it instead of the trusted one).</summary>
    public string? OfferedFingerprint { get; set; }
    public string? OfferedAlgorithm { get; set; }
    public DateTimeOffset? OfferedAt { get; set; }
    /// <summary>The device that was being connected to when the key was refused.</summary>
    public string? OfferedDevice { get; set; }
}

/// <summary>What <see cref="HostKeyStore.AcceptOfferedAsync"/> did.</summary>
public enum HostKeyAcceptance
{
    Accepted,
    /// <summary>No key is stored for that address.</summary>
    UnknownHost,
    /// <summary>The address's refused key is not the fingerprint given (none was refused, or another one since).</summary>
    NotOffered,
}

/// <summary>
/// Keeps the drivers' known-hosts store in the database, so trust on first use survives restarts and a changed key
/// is refused (naming the device and both fingerprints) instead of being learned again after a reboot. A refused key
/// is stored next to the trusted one, and only an admin's accept of that exact fingerprint makes it trusted.
/// </summary>
public sealed class HostKeyStore(IDbContextFactory<EnmsDbContext> dbFactory, KnownHosts knownHosts, TimeProvider time, Security.AuditLog audit)
{
    /// <summary>Trusts what the database holds. Called at startup and before each run or terminal, so that a key
    /// accepted through another node of a cluster is trusted here too.</summary>
    public async Task LoadAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        foreach (var key in await db.KnownHostKeys.AsNoTracking().ToListAsync(ct))
        {
            if (!knownHosts.Entries.TryGetValue(key.Host, out var trusted) || trusted != key.Fingerprint)
            {
                knownHosts.Pin(key.Host, key.Fingerprint, key.Algorithm);
            }
        }
    }

    /// <summary>Stores the keys learned and the keys refused since the last save.</summary>
    public async Task SaveAsync(CancellationToken ct)
    {
        var refused = knownHosts.Refused;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stored = await db.KnownHostKeys.ToDictionaryAsync(k => k.Host, StringComparer.OrdinalIgnoreCase, ct);
        var learned = knownHosts.Entries.Where(e => !stored.ContainsKey(e.Key)).ToList();
        if (learned.Count == 0 && refused.Count == 0)
        {
            return;
        }
        foreach (var (host, fingerprint) in learned)
        {
            stored[host] = db.KnownHostKeys.Add(new KnownHostKey
            {
                Host = host,
                Fingerprint = fingerprint,
                Algorithm = knownHosts.AlgorithmOf(host),
                FirstSeen = time.GetUtcNow(),
            }).Entity;
        }
        foreach (var offer in refused)
        {
            if (!stored.TryGetValue(offer.Key, out var key))
            {
                if (offer.Expected.Length == 0)
                {
                    // Nothing trusted to show it next to (a pinned-only store that never knew the address).
                    continue;
                }
                key = stored[offer.Key] = db.KnownHostKeys.Add(new KnownHostKey
                {
                    Host = offer.Key,
                    Fingerprint = offer.Expected,
                    Algorithm = knownHosts.AlgorithmOf(offer.Key),
                    FirstSeen = offer.At,
                }).Entity;
            }
            if (key.Fingerprint != offer.Fingerprint)
            {
                (key.OfferedFingerprint, key.OfferedAlgorithm, key.OfferedAt, key.OfferedDevice) =
                    (offer.Fingerprint, offer.Algorithm, offer.At, offer.Device);
            }
        }
        await db.SaveChangesAsync(ct);
        foreach (var offer in refused)
        {
            knownHosts.TakeRefused(offer);
        }
    }

    /// <summary>Trusts the key a device offered and was refused for, exactly that fingerprint (the one the admin
    /// saw): a key offered later that differs from it is refused again. Recorded in the audit log with both
    /// fingerprints.</summary>
    public async Task<HostKeyAcceptance> AcceptOfferedAsync(string host, string fingerprint, Security.AuditActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var key = await db.KnownHostKeys.FirstOrDefaultAsync(k => k.Host == host, ct);
        if (key is null)
        {
            return HostKeyAcceptance.UnknownHost;
        }
        if (string.IsNullOrEmpty(key.OfferedFingerprint) || key.OfferedFingerprint != fingerprint)
        {
            return HostKeyAcceptance.NotOffered;
        }
        var before = key.Fingerprint;
        (key.Fingerprint, key.Algorithm, key.FirstSeen, key.PinnedBy) = (fingerprint, key.OfferedAlgorithm ?? "", time.GetUtcNow(), actor.User);
        (key.OfferedFingerprint, key.OfferedAlgorithm, key.OfferedAt, key.OfferedDevice) = (null, null, null, null);
        audit.Add(db, actor, "host key accept", "host key", null, host, $"{before} → {fingerprint}");
        await db.SaveChangesAsync(ct);
        knownHosts.Pin(host, fingerprint, key.Algorithm);
        return HostKeyAcceptance.Accepted;
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
