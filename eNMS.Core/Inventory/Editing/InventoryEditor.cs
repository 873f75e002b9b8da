using eNMS.Core.Data;
using eNMS.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Inventory.Editing;

/// <summary>
/// Creates, updates and deletes inventory objects for both the UI and the API, with one set of rules:
/// validation with a message per field, unique names, encrypted write-only secrets, pool membership kept current.
/// </summary>
public sealed class InventoryEditor(IDbContextFactory<EnmsDbContext> dbFactory, SecretProtector secrets)
{
    public async Task<EditResult> SaveDeviceAsync(DeviceInput input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var errors = InventoryValidation.Check(input);
        await CheckUniqueAsync(db.Devices.Where(d => d.Name == input.Name.Trim() && d.Id != input.Id), errors, ct);
        if (input.CredentialId is int credentialId && !await db.Credentials.AnyAsync(c => c.Id == credentialId, ct))
        {
            errors["credentialId"] = "This credential does not exist.";
        }
        var gatewayIds = input.GatewayIds ?? [];
        if (await GatewayProblemAsync(db, input.Id, gatewayIds, ct) is { } gatewayProblem)
        {
            errors["gatewayIds"] = gatewayProblem;
        }
        if (errors.Count > 0)
        {
            return EditResult.Invalid(errors);
        }
        var device = input.Id == 0 ? db.Devices.Add(new Device { Name = "" }).Entity
            : await db.Devices.Include(d => d.Pools).Include(d => d.Gateways).FirstOrDefaultAsync(d => d.Id == input.Id, ct);
        if (device is null)
        {
            return EditResult.NotFound("This device");
        }
        InventoryFields.Device.CopyAll(input.Values(), device);
        device.CredentialId = input.CredentialId;
        device.Gateways.Clear();
        device.Gateways.AddRange(gatewayIds.Select((id, priority) => new DeviceGateway { GatewayId = id, Priority = priority }));
        device.CustomProperties = input.CustomProperties.Select(p => new CustomProperty { Name = p.Name.Trim(), Kind = p.Kind, Value = p.Value }).ToList();
        await PoolMembership.RefreshAsync(db, device, ct);
        await db.SaveChangesAsync(ct);
        return EditResult.Ok(device.Id);
    }

    /// <summary>Gateways are other existing devices, each once, reached over SSH (a tunnel goes through an SSH server).</summary>
    private static async Task<string?> GatewayProblemAsync(EnmsDbContext db, int deviceId, List<int> gatewayIds, CancellationToken ct)
    {
        if (gatewayIds.Count == 0)
        {
            return null;
        }
        if (deviceId != 0 && gatewayIds.Contains(deviceId))
        {
            return "A device cannot be its own gateway.";
        }
        if (gatewayIds.Distinct().Count() != gatewayIds.Count)
        {
            return "A gateway is listed twice.";
        }
        var gateways = await db.Devices.IgnoreQueryFilters().Where(d => gatewayIds.Contains(d.Id))
            .Select(d => new { d.Name, d.Transport }).ToListAsync(ct);
        if (gateways.Count != gatewayIds.Count)
        {
            return "A gateway does not exist.";
        }
        return gateways.FirstOrDefault(g => DeviceTransports.Canonical(g.Transport) != DeviceTransports.Ssh) is { } telnet
            ? $"{telnet.Name} is reached over Telnet: a gateway is an SSH host."
            : null;
    }

    public async Task<EditResult> SaveLinkAsync(LinkInput input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var errors = InventoryValidation.Check(input);
        await CheckUniqueAsync(db.Links.Where(l => l.Name == input.Name.Trim() && l.Id != input.Id), errors, ct);
        var ends = await db.Devices.Where(d => d.Id == input.SourceId || d.Id == input.DestinationId).ToListAsync(ct);
        var source = ends.FirstOrDefault(d => d.Id == input.SourceId);
        var destination = ends.FirstOrDefault(d => d.Id == input.DestinationId);
        if (source is null)
        {
            errors.TryAdd("sourceId", "Choose the source device.");
        }
        if (destination is null)
        {
            errors.TryAdd("destinationId", "Choose the destination device.");
        }
        if (errors.Count > 0)
        {
            return EditResult.Invalid(errors);
        }
        var link = input.Id == 0 ? db.Links.Add(new Link { Name = "" }).Entity
            : await db.Links.Include(l => l.Pools).FirstOrDefaultAsync(l => l.Id == input.Id, ct);
        if (link is null)
        {
            return EditResult.NotFound("This link");
        }
        (link.Source, link.Destination) = (source, destination);
        InventoryFields.Link.CopyAll(input.Values(), link);
        link.CustomProperties = input.CustomProperties.Select(p => new CustomProperty { Name = p.Name.Trim(), Kind = p.Kind, Value = p.Value }).ToList();
        await PoolMembership.RefreshAsync(db, link, ct);
        await db.SaveChangesAsync(ct);
        return EditResult.Ok(link.Id);
    }

    /// <exception cref="OutOfScopeException">The user is limited to pools (<see cref="ScopeRules.PoolRefusal"/>).</exception>
    public async Task<EditResult> SavePoolAsync(PoolInput input, IReadOnlyList<int>? scope, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        ScopeRules.ThrowIf(ScopeRules.PoolRefusal(scope));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var errors = InventoryValidation.Check(input);
        await CheckUniqueAsync(db.Pools.Where(p => p.Name == input.Name.Trim() && p.Id != input.Id), errors, ct);
        if (errors.Count > 0)
        {
            return EditResult.Invalid(errors);
        }
        var pool = input.Id == 0 ? db.Pools.Add(new Pool { Name = "" }).Entity
            : await db.Pools.Include(p => p.Devices).Include(p => p.Links).FirstOrDefaultAsync(p => p.Id == input.Id, ct);
        if (pool is null)
        {
            return EditResult.NotFound("This pool");
        }
        (pool.Name, pool.Description, pool.Mode) = (input.Name.Trim(), input.Description, input.Mode);
        pool.Criteria = input.Criteria.Select(c => new PoolCriterion
        {
            Target = c.Target,
            Property = c.Property.Trim(),
            Operator = c.Operator,
            Value = c.Value,
            Invert = c.Invert,
        }).ToList();
        if (pool.Mode == PoolMode.Manual)
        {
            pool.Devices = await db.Devices.Where(d => input.DeviceIds.Contains(d.Id)).ToListAsync(ct);
            pool.Links = await db.Links.Where(l => input.LinkIds.Contains(l.Id)).ToListAsync(ct);
        }
        else
        {
            var devices = await db.Devices.ToListAsync(ct);
            var links = await db.Links.Include(l => l.Source).Include(l => l.Destination).ToListAsync(ct);
            PoolMembership.Recompute(pool, devices, links);
        }
        await db.SaveChangesAsync(ct);
        return EditResult.Ok(pool.Id);
    }

    /// <exception cref="OutOfScopeException">The credential serves (or would serve) devices outside the user's pools.</exception>
    public async Task<EditResult> SaveCredentialAsync(CredentialInput input, IReadOnlyList<int>? scope, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        ScopeRules.ThrowIf(await ScopeRules.CredentialRefusalAsync(db, scope, input.Id, input.PoolIds, ct));
        var errors = InventoryValidation.Check(input);
        await CheckUniqueAsync(db.Credentials.Where(c => c.Name == input.Name.Trim() && c.Id != input.Id), errors, ct);
        var credential = input.Id == 0 ? new Credential { Name = "" }
            : await db.Credentials.Include(c => c.Pools).FirstOrDefaultAsync(c => c.Id == input.Id, ct);
        if (credential is null)
        {
            return EditResult.NotFound("This credential");
        }
        var password = input.ClearPassword ? null : secrets.Update(credential.ProtectedPassword, input.Password);
        var key = input.ClearPrivateKey ? null : secrets.Update(credential.ProtectedPrivateKey, input.PrivateKey);
        if (password is null && key is null)
        {
            errors.TryAdd("password", "Give a password or a private key.");
        }
        var useAccess = await UseAccessAsync(db, input, credential.UseAccess, errors, ct);
        if (errors.Count > 0)
        {
            return EditResult.Invalid(errors);
        }
        (credential.Name, credential.Description, credential.Username, credential.Priority) = (input.Name.Trim(), input.Description, input.Username.Trim(), input.Priority);
        (credential.Access, credential.UseAccess) = (input.Access, useAccess);
        (credential.ProtectedPassword, credential.ProtectedPrivateKey) = (password, key);
        credential.ProtectedPassphrase = key is null ? null : secrets.Update(credential.ProtectedPassphrase, input.Passphrase);
        credential.ProtectedEnableSecret = input.ClearEnableSecret ? null : secrets.Update(credential.ProtectedEnableSecret, input.EnableSecret);
        credential.Pools = await db.Pools.Where(p => input.PoolIds.Contains(p.Id)).ToListAsync(ct);
        if (credential.Id == 0)
        {
            db.Credentials.Add(credential);
        }
        await db.SaveChangesAsync(ct);
        return EditResult.Ok(credential.Id);
    }

    /// <summary>The use list the credential will have: only admins (and eNMS) change it — a list names who may log in
    /// with it, so an editor must not widen it to themselves; unknown users or groups go to <paramref name="errors"/>.</summary>
    /// <exception cref="AccessDeniedException">A user who is not an admin changes the list.</exception>
    private static async Task<List<string>> UseAccessAsync(EnmsDbContext db, CredentialInput input, List<string> before,
        Dictionary<string, string> errors, CancellationToken ct)
    {
        var after = input.UseAccess?.Select(e => e.Trim()).Where(e => e.Length > 0).Distinct(StringComparer.Ordinal).ToList() ?? before;
        if (after.Order(StringComparer.Ordinal).SequenceEqual(before.Order(StringComparer.Ordinal)))
        {
            return before;
        }
        if (AuditActor.Current is { IsAdmin: false })
        {
            throw new AccessDeniedException("Only an admin may change who may use a credential.");
        }
        if (await ObjectAccess.EntryProblemAsync(db, after, ct) is { } problem)
        {
            errors["useAccess"] = problem;
        }
        return after;
    }

    public async Task<int> DeleteDevicesAsync(IReadOnlyCollection<int> ids, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var gone = (await db.Devices.Where(d => ids.Contains(d.Id)).Select(d => new { d.Id, d.Name }).ToListAsync(ct)).Select(x => (x.Id, x.Name)).ToList();
        var count = await db.Devices.Where(d => ids.Contains(d.Id)).ExecuteDeleteAsync(ct);
        await AuditDeletes.RecordAsync(db, "device", gone, ct);
        return count;
    }

    public async Task<int> DeleteLinksAsync(IReadOnlyCollection<int> ids, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var gone = (await db.Links.Where(l => ids.Contains(l.Id)).Select(l => new { l.Id, l.Name }).ToListAsync(ct)).Select(x => (x.Id, x.Name)).ToList();
        var count = await db.Links.Where(l => ids.Contains(l.Id)).ExecuteDeleteAsync(ct);
        await AuditDeletes.RecordAsync(db, "link", gone, ct);
        return count;
    }

    /// <exception cref="OutOfScopeException">The user is limited to pools.</exception>
    public async Task<int> DeletePoolsAsync(IReadOnlyCollection<int> ids, IReadOnlyList<int>? scope, CancellationToken ct)
    {
        ScopeRules.ThrowIf(ScopeRules.PoolRefusal(scope));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var gone = (await db.Pools.Where(p => ids.Contains(p.Id)).Select(p => new { p.Id, p.Name }).ToListAsync(ct)).Select(x => (x.Id, x.Name)).ToList();
        var count = await db.Pools.Where(p => ids.Contains(p.Id)).ExecuteDeleteAsync(ct);
        await AuditDeletes.RecordAsync(db, "pool", gone, ct);
        return count;
    }

    /// <exception cref="OutOfScopeException">One of the credentials serves devices outside the user's pools.</exception>
    public async Task<int> DeleteCredentialsAsync(IReadOnlyCollection<int> ids, IReadOnlyList<int>? scope, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ids);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        foreach (var id in ids)
        {
            ScopeRules.ThrowIf(await ScopeRules.CredentialRefusalAsync(db, scope, id, null, ct));
        }
        // Devices that named one of these credentials fall back to pool resolution.
        await db.Devices.Where(d => d.CredentialId != null && ids.Contains(d.CredentialId.Value))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.CredentialId, (int?)null), ct);
        var gone = (await db.Credentials.Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.Name }).ToListAsync(ct)).Select(x => (x.Id, x.Name)).ToList();
        var count = await db.Credentials.Where(c => ids.Contains(c.Id)).ExecuteDeleteAsync(ct);
        await AuditDeletes.RecordAsync(db, "credential", gone, ct);
        return count;
    }

    private static async Task CheckUniqueAsync<T>(IQueryable<T> sameName, Dictionary<string, string> errors, CancellationToken ct)
    {
        if (!errors.ContainsKey("name") && await sameName.AnyAsync(ct))
        {
            errors["name"] = "This name is already taken.";
        }
    }
}
