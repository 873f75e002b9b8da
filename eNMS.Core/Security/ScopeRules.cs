using eNMS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Security;

/// <summary>A write by a user limited to pools that would reach beyond them.</summary>
public class OutOfScopeException(string message) : Exception(message)
{
    /// <summary>The problem's title in an API reply.</summary>
    public virtual string Title => "Outside your pools";
}

/// <summary>
/// What a user limited to pools may change beyond its own devices and links. Reads are limited by the scoped
/// context's query filters; these are the objects whose change would act on other devices:
/// <list type="bullet">
/// <item>pools: a pool may be the very one that limits the user (widening its criteria would reach every device),
/// so pools are changed only by users who are not limited;</item>
/// <item>credentials: changed only when confined to the user's pools — every pool of the credential in scope and no
/// device outside them naming it — both before and after the change;</item>
/// <item>services and workflows: changed only when every explicit target is in scope; one with no target runs
/// wherever its launcher points it, so it is shared and left to users who are not limited.</item>
/// </list>
/// Each method answers null when the change is allowed, else why not (for a 403). The context given is unscoped.
/// The Core use cases that change these objects (<c>InventoryEditor</c>, <c>ServiceEditor</c>, <c>WorkflowTransfer</c>)
/// take the user's scope as a required argument and ask these rules themselves, so a page and an endpoint cannot
/// differ and a new caller cannot forget.
/// </summary>
public static class ScopeRules
{
    public const string Pools = "Pools are changed only by users who are not limited to pools (a pool may be what limits you).";
    private const string SharedCredential = "This credential also serves devices outside your pools: only users who are not limited to pools may change it.";
    private const string SharedService = "This service can run on devices outside your pools (a target outside them, or no target at all): only users who are not limited to pools may change it.";

    private const string Import = "Imported services keep no targets, so they could run on any device: only users who are not limited to pools may import workflows.";

    public static string? PoolRefusal(IReadOnlyList<int>? scope) => scope is null ? null : Pools;

    /// <summary>Why a workflow import is refused (its services arrive without targets: shared by construction).</summary>
    public static string? ImportRefusal(IReadOnlyList<int>? scope) => scope is null ? null : Import;

    /// <summary>Throws the refusal, if any, as an <see cref="OutOfScopeException"/> (answered 403 by the API and
    /// shown as an error by the pages).</summary>
    public static void ThrowIf(string? refusal)
    {
        if (refusal is not null)
        {
            throw new OutOfScopeException(refusal);
        }
    }

    /// <remarks>credentialId: 0 for a new credential.
    /// poolIds: The pools the credential will have (null for a delete).</remarks>
    public static async Task<string?> CredentialRefusalAsync(EnmsDbContext db, IReadOnlyList<int>? scope, int credentialId,
        IReadOnlyCollection<int>? poolIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (scope is null)
        {
            return null;
        }
        if (poolIds is not null && (poolIds.Count == 0 || poolIds.Any(id => !scope.Contains(id))))
        {
            return SharedCredential;
        }
        if (credentialId == 0)
        {
            return null;
        }
        var shared = await db.Credentials.AnyAsync(c => c.Id == credentialId && (c.Pools.Count == 0 || c.Pools.Any(p => !scope.Contains(p.Id))), ct)
            || await db.Devices.AnyAsync(d => d.CredentialId == credentialId && !d.Pools.Any(p => scope.Contains(p.Id)), ct);
        return shared ? SharedCredential : null;
    }

    /// <remarks>serviceId: 0 for a new service.
    /// targets: The devices and pools the service will target (null for a delete).</remarks>
    public static async Task<string?> ServiceRefusalAsync(EnmsDbContext db, IReadOnlyList<int>? scope, int serviceId,
        (IReadOnlyCollection<int> DeviceIds, IReadOnlyCollection<int> PoolIds)? targets, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (scope is null)
        {
            return null;
        }
        if (targets is { } after && !await TargetsInScopeAsync(db, scope, after.DeviceIds, after.PoolIds, ct))
        {
            return SharedService;
        }
        if (serviceId == 0)
        {
            return null;
        }
        var before = await db.Services.AsNoTracking().Where(s => s.Id == serviceId).Select(s => new { s.DeviceIds, s.PoolIds }).FirstOrDefaultAsync(ct);
        return before is null || await TargetsInScopeAsync(db, scope, before.DeviceIds, before.PoolIds, ct) ? null : SharedService;
    }

    private static async Task<bool> TargetsInScopeAsync(EnmsDbContext db, IReadOnlyList<int> scope, IReadOnlyCollection<int> deviceIds,
        IReadOnlyCollection<int> poolIds, CancellationToken ct)
    {
        if (deviceIds.Count + poolIds.Count == 0 || poolIds.Any(id => !scope.Contains(id)))
        {
            return false;
        }
        var ids = deviceIds.Distinct().ToList();
        return await db.Devices.CountAsync(d => ids.Contains(d.Id) && d.Pools.Any(p => scope.Contains(p.Id)), ct) == ids.Count;
    }
}
