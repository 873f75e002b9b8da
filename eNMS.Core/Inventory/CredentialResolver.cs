using eNMS.Core.Data;
using eNMS.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Inventory;

/// <summary>What a connection asks of a credential: the one a service names (its own or its workflow's; null: none),
/// whether the node changes the device, and who uses it (null: eNMS itself, which may use any).</summary>
public sealed record CredentialRequest(int? Named = null, bool Writes = false, AuditActor? User = null)
{
    public static readonly CredentialRequest Any = new();
}

/// <summary>The credential chosen for a device, or why none may be used (<see cref="Refusal"/>: the user may not use
/// the one that applies). Both null: no credential applies.</summary>
public sealed record CredentialChoice(Credential? Credential, string? Refusal);

/// <summary>
/// The one place that decides which credential logs in to a device (runs, gateways, Python and Ansible handlers, the
/// web terminal, the device page). In order:
/// <list type="number">
/// <item>the credential the service names (or its enclosing workflow), overriding the device's;</item>
/// <item>else the credential named on the device;</item>
/// <item>else, among the credentials whose pools contain the device and that the user may use (their use list), the
/// highest priority — for a node that changes the device a read-write one before any read-only one, whatever their
/// priority; ties: the lowest id, so the choice is stable. eNMS picks by priority among the credentials matching the
/// device and the user's pools in the same way.</item>
/// </list>
/// A named credential (service or device) the user may not use is refused ("may not use credential X"), never
/// replaced by another; so is a device whose pool credentials are all closed to the user. A read-only choice for a
/// node that changes the device is refused by the run (<c>NodeRunner</c>), not here.
/// </summary>
public static class CredentialResolver
{
    public static async Task<CredentialChoice> ChooseAsync(EnmsDbContext db, int deviceId, CredentialRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(request);
        var named = request.Named ?? await db.Devices.Where(d => d.Id == deviceId).Select(d => d.CredentialId).FirstOrDefaultAsync(ct);
        if (named is int id)
        {
            var credential = await db.Credentials.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
            return credential is null || credential.MayBeUsedBy(request.User) ? new(credential, null) : new(null, Refusal(credential));
        }
        var applying = await db.Credentials.AsNoTracking()
            .Where(c => c.Pools.Any(p => p.Devices.Any(d => d.Id == deviceId)))
            .OrderByDescending(c => c.Priority).ThenBy(c => c.Id)
            .Take(MaxCandidates).ToListAsync(ct);
        var usable = applying.Where(c => c.MayBeUsedBy(request.User)).ToList();
        var chosen = (request.Writes ? usable.FirstOrDefault(c => c.Access == CredentialAccess.ReadWrite) : null) ?? usable.FirstOrDefault();
        return chosen is not null || applying.Count == 0 ? new(chosen, null) : new(null, Refusal(applying[0]));
    }

    /// <summary>The credential eNMS itself would use for a device (no user, no change): what the device page shows.</summary>
    public static async Task<Credential?> ResolveAsync(EnmsDbContext db, int deviceId, CancellationToken ct) =>
        (await ChooseAsync(db, deviceId, CredentialRequest.Any, ct)).Credential;

    /// <summary>Why a user may not name this credential on a service, or null.</summary>
    public static string? UseRefusal(Credential credential, AuditActor? user)
    {
        ArgumentNullException.ThrowIfNull(credential);
        return credential.MayBeUsedBy(user) ? null : Refusal(credential);
    }

    // Bounds the pool credentials read per device (a pathological inventory must not load them all for each device).
    private const int MaxCandidates = 200;

    private static string Refusal(Credential credential) =>
        $"may not use credential {credential.Name}: its use list does not name you or one of your groups";
}
