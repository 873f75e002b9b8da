using eNMS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Inventory;

/// <summary>Which credential logs in to a device: the one named on the device, else the highest-priority
/// credential whose pools contain it (ties: the lowest id, so the choice is stable).</summary>
public static class CredentialResolver
{
    public static async Task<Credential?> ResolveAsync(EnmsDbContext db, int deviceId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var explicitId = await db.Devices.Where(d => d.Id == deviceId).Select(d => d.CredentialId).FirstOrDefaultAsync(ct);
        if (explicitId is int id)
        {
            return await db.Credentials.FindAsync([id], ct);
        }
        return await db.Credentials
            .Where(c => c.Pools.Any(p => p.Devices.Any(d => d.Id == deviceId)))
            .OrderByDescending(c => c.Priority).ThenBy(c => c.Id)
            .FirstOrDefaultAsync(ct);
    }
}
