using System.Text.Json.Nodes;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Automation.Handlers;
using eNMS.Core.Automation.Workflows;
using eNMS.Core.Data;
using eNMS.Core.Inventory.Editing;
using eNMS.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Automation;

/// <summary>A service as forms and the API read and write it; <see cref="Id"/> 0 creates.</summary>
public sealed class ServiceInput
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Description { get; set; } = "";
    /// <summary>Secret values read as <see cref="ServiceSecrets.Mask"/>; sending the mask back keeps the value.</summary>
    public JsonObject? Parameters { get; set; }
    /// <summary>Parameter paths to keep secret besides those named like secrets (<see cref="ServiceSecrets"/>).</summary>
    public List<string> SecretParameters { get; set; } = [];
    public TargetMode TargetMode { get; set; }
    public List<int> DeviceIds { get; set; } = [];
    public List<int> PoolIds { get; set; } = [];
    /// <summary>The credential its device connections use over the device's (null: the device's, or its workflow's).</summary>
    public int? CredentialId { get; set; }
    /// <summary>The credential by name, in workflow exports and imports (ids mean nothing on another server); ignored by saves.</summary>
    public string? CredentialName { get; set; }
    public string SkipWhen { get; set; } = "";
    public int Retries { get; set; }
    public int RetryDelaySeconds { get; set; } = 5;
    public int TimeoutSeconds { get; set; }
    public int MaxParallelDevices { get; set; } = 50;
    public List<InputField> Inputs { get; set; } = [];
    public string IterateOver { get; set; } = "";
    /// <summary>Device names or addresses derived from each device (<see cref="Service.IterateDevices"/>).</summary>
    public string IterateDevices { get; set; } = "";
    public int MaxIterations { get; set; } = Service.DefaultMaxIterations;
    public WorkflowGraph? Graph { get; set; }
    /// <summary>The version the editor started from; a save from an older version is refused.</summary>
    public int Version { get; set; }

    /// <summary>Owner and access lists (<see cref="ObjectAccess"/>): null keeps them as they are (a new service is owned
    /// by its creator); only the owner or an admin may change them.</summary>
    public string? Owner { get; set; }
    public List<string>? ReadAccess { get; set; }
    public List<string>? EditAccess { get; set; }
    public List<string>? RunAccess { get; set; }

    public static ServiceInput From(Service s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new()
        {
            Id = s.Id,
            Name = s.Name,
            Kind = s.Kind,
            Description = s.Description,
            Parameters = ServiceSecrets.Masked(s.Parameters, s.SecretParameters),
            SecretParameters = [.. s.SecretParameters],
            TargetMode = s.TargetMode,
            DeviceIds = [.. s.DeviceIds],
            PoolIds = [.. s.PoolIds],
            CredentialId = s.CredentialId,
            SkipWhen = s.SkipWhen,
            Retries = s.Retries,
            RetryDelaySeconds = s.RetryDelaySeconds,
            TimeoutSeconds = s.TimeoutSeconds,
            MaxParallelDevices = s.MaxParallelDevices,
            Inputs = [.. s.Inputs],
            IterateOver = s.IterateOver,
            IterateDevices = s.IterateDevices,
            MaxIterations = s.MaxIterations,
            Graph = s.Graph,
            Version = s.Version,
            Owner = s.Owner,
            ReadAccess = [.. s.ReadAccess],
            EditAccess = [.. s.EditAccess],
            RunAccess = [.. s.RunAccess],
        };
    }

    /// <summary>Leaves in each service only the target devices and pools that <paramref name="scoped"/> (a context limited to
    /// a reader's pools, <see cref="ScopedContexts.CreateScopedAsync"/>) sees: a user limited to pools reads a service's
    /// definition (page, API, export) without the ids of devices and pools outside them. An unscoped context changes
    /// nothing. A save never loses what was hidden: a service with a target outside the user's pools is not theirs to
    /// change (<see cref="ScopeRules.ServiceRefusalAsync"/>).</summary>
    public static async Task HideOutsideTargetsAsync(EnmsDbContext scoped, IReadOnlyCollection<ServiceInput> services, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scoped);
        ArgumentNullException.ThrowIfNull(services);
        if (scoped.ScopePoolIds is null)
        {
            return;
        }
        var deviceIds = services.SelectMany(s => s.DeviceIds).Distinct().ToList();
        var poolIds = services.SelectMany(s => s.PoolIds).Distinct().ToList();
        var devices = (await scoped.Devices.Where(d => deviceIds.Contains(d.Id)).Select(d => d.Id).ToListAsync(ct)).ToHashSet();
        var pools = (await scoped.Pools.Where(p => poolIds.Contains(p.Id)).Select(p => p.Id).ToListAsync(ct)).ToHashSet();
        foreach (var service in services)
        {
            (service.DeviceIds, service.PoolIds) = ([.. service.DeviceIds.Where(devices.Contains)], [.. service.PoolIds.Where(pools.Contains)]);
        }
    }
}

/// <summary>Creates, updates and deletes services and workflows with one set of rules for the UI and the API.
/// A refused change (403: the edit list or owner rules, or the user's pools) is audited as "create refused", "update
/// refused" or "delete refused" with the reason, as compliance rules' are.</summary>
public sealed class ServiceEditor(IDbContextFactory<EnmsDbContext> dbFactory, ServiceHandlers handlers, ServiceSecrets secrets, AuditLog audit)
{
    /// <exception cref="Security.OutOfScopeException">The service reaches (or would reach) devices outside the user's pools.</exception>
    /// <exception cref="AccessDeniedException">The service's edit list leaves out the actor (<see cref="AuditActor.Current"/>), or
    /// an actor other than its owner or an admin changes its owner or lists.</exception>
    public async Task<EditResult> SaveAsync(ServiceInput input, IReadOnlyList<int>? scope, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        AccessLists access;
        var errors = new Dictionary<string, string>();
        try
        {
            Security.ScopeRules.ThrowIf(await Security.ScopeRules.ServiceRefusalAsync(db, scope, input.Id, (input.DeviceIds, input.PoolIds), ct));
            access = await AccessAsync(db, input, errors, ct);
        }
        catch (OutOfScopeException e)
        {
            var stored = input.Id == 0 ? null : await db.Services.AsNoTracking().Where(s => s.Id == input.Id).Select(s => new { s.Name, s.Kind }).FirstOrDefaultAsync(ct);
            await RefusedAsync(input.Id == 0 ? "create refused" : "update refused", stored?.Kind ?? input.Kind, input.Id == 0 ? null : input.Id,
                stored?.Name ?? input.Name.Trim(), e, ct);
            throw;
        }
        var parameters = input.Parameters?.ToJsonString() ?? "{}";
        if (Inventory.InventoryNames.Problem(input.Name) is { } nameProblem)
        {
            errors["name"] = nameProblem;
        }
        else if (await db.Services.AnyAsync(s => s.Name == input.Name.Trim() && s.Id != input.Id, ct))
        {
            errors["name"] = "This name is already taken.";
        }
        if (handlers.Validate(input.Kind, parameters) is { } problem)
        {
            errors[input.Kind == "" || handlers.Find(input.Kind) is null && input.Kind != ServiceHandlers.WorkflowKind ? "kind" : "parameters"] = problem;
        }
        var storedKind = input.Id == 0 ? null : await db.Services.Where(s => s.Id == input.Id).Select(s => s.Kind).FirstOrDefaultAsync(ct);
        if ((handlers.WriteRefusal(input.Kind) ?? (storedKind is null ? null : handlers.WriteRefusal(storedKind))) is { } refusal)
        {
            errors["kind"] = refusal;
        }
        if (input.Kind == ServiceHandlers.WorkflowKind && input.Graph is null)
        {
            input.Graph = new WorkflowGraph();
        }
        if (input.SkipWhen.Length > 0 && Templates.TemplateRenderer.Check(NodeRunner.SkipTemplate(input.SkipWhen)) is { } skip)
        {
            errors["skipWhen"] = skip;
        }
        if (input.Retries is < 0 or > 10 || input.RetryDelaySeconds < 0 || input.TimeoutSeconds < 0 || input.MaxParallelDevices < 1)
        {
            errors["options"] = "Retries are 0–10, delays and timeouts not negative, and at least one device runs at a time.";
        }
        if (RunInputs.DeclarationProblem(input.Inputs) is { } inputs)
        {
            errors["inputs"] = inputs;
        }
        if (IterationProblem(input.IterateOver, input.MaxIterations) is { } iteration)
        {
            errors["iterateOver"] = iteration;
        }
        if (IterationProblem(input.IterateDevices, input.MaxIterations) is { } derived)
        {
            errors["iterateDevices"] = derived;
        }
        if (await CredentialProblemAsync(db, input, ct) is { } credential)
        {
            errors["credential"] = credential;
        }
        if (errors.Count > 0)
        {
            return EditResult.Invalid(errors);
        }
        var service = input.Id == 0 ? db.Services.Add(new Service { Name = "", Kind = input.Kind }).Entity
            : await db.Services.FirstOrDefaultAsync(s => s.Id == input.Id, ct);
        if (service is null)
        {
            return EditResult.NotFound("This service");
        }
        if (input.Id != 0 && service.Version != input.Version)
        {
            return EditResult.Invalid(new() { ["version"] = $"{service.Name} was changed by someone else since you opened it (version {service.Version}, yours {input.Version}): reload it." });
        }
        var marked = input.SecretParameters.Select(p => p.Trim()).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        parameters = secrets.Protect(input.Parameters, input.Id == 0 ? null : service.Parameters, marked);
        (service.Name, service.Kind, service.Description, service.Parameters, service.SecretParameters) = (input.Name.Trim(), input.Kind, input.Description, parameters, marked);
        (service.TargetMode, service.DeviceIds, service.PoolIds, service.SkipWhen) = (input.TargetMode, input.DeviceIds, input.PoolIds, input.SkipWhen);
        service.CredentialId = input.CredentialId;
        (service.Retries, service.RetryDelaySeconds, service.TimeoutSeconds) = (input.Retries, input.RetryDelaySeconds, input.TimeoutSeconds);
        (service.Inputs, service.IterateOver, service.MaxIterations) = (input.Inputs, input.IterateOver.Trim(), input.MaxIterations);
        service.IterateDevices = input.IterateDevices.Trim();
        (service.MaxParallelDevices, service.Graph) = (input.MaxParallelDevices, input.Kind == ServiceHandlers.WorkflowKind ? input.Graph : null);
        (service.Owner, service.ReadAccess, service.EditAccess, service.RunAccess) = (access.Owner, access.ReadAccess, access.EditAccess, access.RunAccess);
        service.Version++;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return EditResult.Invalid(new() { ["version"] = $"{service.Name} was changed by someone else at the same time: reload it." });
        }
        return EditResult.Ok(service.Id);
    }

    /// <summary>Audits a refused change of a service or workflow (403) with its reason: who tried what on which.</summary>
    private Task RefusedAsync(string action, string kind, int? id, string? name, OutOfScopeException refusal, CancellationToken ct) =>
        audit.WriteAsync(AuditActor.Current, action, kind == ServiceHandlers.WorkflowKind ? "workflow" : "service",
            id?.ToString(System.Globalization.CultureInfo.InvariantCulture), name, refusal.Message, ct);

    /// <summary>The owner and lists the service will have (<see cref="ObjectAccess.ChangeAsync"/>).</summary>
    private static async Task<AccessLists> AccessAsync(EnmsDbContext db, ServiceInput input, Dictionary<string, string> errors, CancellationToken ct)
    {
        var before = input.Id == 0 ? null : await db.Services.AsNoTracking().Where(s => s.Id == input.Id)
            .Select(s => new Service { Name = s.Name, Kind = s.Kind, Owner = s.Owner, ReadAccess = s.ReadAccess, EditAccess = s.EditAccess, RunAccess = s.RunAccess })
            .FirstOrDefaultAsync(ct);
        return await ObjectAccess.ChangeAsync(db, before, $"Service '{before?.Name}'", new(input.Owner, input.ReadAccess, input.EditAccess, input.RunAccess), errors, ct);
    }

    /// <summary>Why the service may not name its credential: no such credential, or the actor may not use it. Checked
    /// when the credential is set or changed (keeping one someone else chose uses nothing: each run checks its own user).</summary>
    private static async Task<string?> CredentialProblemAsync(EnmsDbContext db, ServiceInput input, CancellationToken ct)
    {
        if (input.CredentialId is not int id
            || input.Id != 0 && await db.Services.AnyAsync(s => s.Id == input.Id && s.CredentialId == id, ct))
        {
            return null;
        }
        var credential = await db.Credentials.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        return credential is null ? $"No credential #{id}."
            : Inventory.CredentialResolver.UseRefusal(credential, AuditActor.Current) is { } refusal ? $"You {refusal}." : null;
    }

    /// <summary>Why an iteration setting (values or derived devices) is unusable, or null.</summary>
    public static string? IterationProblem(string iterateOver, int maxIterations) =>
        maxIterations is < 1 or > Service.IterationCap ? $"At most 1–{Service.IterationCap} iterations."
            : iterateOver.Length > 10_000 ? "The iteration list is longer than 10,000 characters."
            : Templates.TemplateRenderer.Check(iterateOver);

    /// <summary>Why the service cannot run as saved (workflow graph problems included), empty when it can.</summary>
    public async Task<List<string>> ProblemsAsync(int serviceId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return ServiceGraph.Problems(await ServiceGraph.LoadAsync(db, serviceId, ct), serviceId, handlers);
    }

    /// <exception cref="Security.OutOfScopeException">One of the services reaches devices outside the user's pools.</exception>
    public async Task<int> DeleteAsync(IReadOnlyCollection<int> ids, IReadOnlyList<int>? scope, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ids);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        foreach (var id in ids)
        {
            try
            {
                Security.ScopeRules.ThrowIf(await Security.ScopeRules.ServiceRefusalAsync(db, scope, id, null, ct));
            }
            catch (OutOfScopeException e)
            {
                var stored = await db.Services.AsNoTracking().Where(s => s.Id == id).Select(s => new { s.Name, s.Kind }).FirstOrDefaultAsync(ct);
                await RefusedAsync("delete refused", stored?.Kind ?? "", id, stored?.Name, e, ct);
                throw;
            }
        }
        foreach (var stored in await db.Services.AsNoTracking().Where(s => ids.Contains(s.Id) && s.EditAccess.Count > 0).ToListAsync(ct))
        {
            if (ObjectAccess.Refusal(AuditActor.Current, stored, $"Service '{stored.Name}'", AccessRight.Edit) is { } refusal)
            {
                var denied = new AccessDeniedException(refusal);
                await RefusedAsync("delete refused", stored.Kind, stored.Id, stored.Name, denied, ct);
                throw denied;
            }
        }
        var gone = (await db.Services.Where(s => ids.Contains(s.Id)).Select(s => new { s.Id, s.Name }).ToListAsync(ct)).Select(x => (x.Id, x.Name)).ToList();
        var count = await db.Services.Where(s => ids.Contains(s.Id)).ExecuteDeleteAsync(ct);
        await AuditDeletes.RecordAsync(db, "service", gone, ct);
        // Their schedules stay, disabled with the reason (their Quartz triggers remove themselves at the next fire).
        await db.Schedules.Where(s => ids.Contains(s.ServiceId) && s.DisabledReason == "")
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.DisabledReason, s => "Its service '" + s.ServiceName + "' was deleted."), ct);
        return count;
    }
}
