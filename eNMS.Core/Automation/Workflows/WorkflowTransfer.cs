using eNMS.Core.Automation.Execution;
using eNMS.Core.Automation.Handlers;
using eNMS.Core.Data;
using eNMS.Core.Inventory.Editing;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Automation.Workflows;

/// <summary>A workflow and every service its graph uses (nested workflows included), as one JSON document.</summary>
public sealed class WorkflowDocument
{
    public const string CurrentFormat = "enms-workflow/1";

    public string Format { get; set; } = "";
    /// <summary>The id, within <see cref="Services"/>, of the exported workflow.</summary>
    public int Workflow { get; set; }
    public List<ServiceInput> Services { get; set; } = [];
    /// <summary>Parameters emptied on export because they hold secrets ("service: parameter").</summary>
    public List<string> RemovedSecrets { get; set; } = [];
}

/// <summary>Duplicates, exports and imports workflows. Imported services are always new (their ids in the file only
/// link them to each other); a name already taken gets " (2)", " (3)"… so nothing existing is overwritten. Owners and
/// access lists travel with the services (entries name users and groups, which the importing server must have).</summary>
public sealed class WorkflowTransfer(IDbContextFactory<EnmsDbContext> dbFactory, ServiceHandlers handlers, ServiceSecrets secrets)
{
    /// <summary>The workflow and its services with their owners and access lists (entries by user or group name); null when
    /// there is no such workflow or the current actor may not read it. A reader limited to <paramref name="scope"/> gets
    /// no target outside their pools (<see cref="ServiceInput.HideOutsideTargetsAsync"/>).</summary>
    public async Task<WorkflowDocument?> ExportAsync(int workflowId, IReadOnlyList<int>? scope, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var services = await ServiceGraph.LoadAsync(db, workflowId, ct);
        if (!services.TryGetValue(workflowId, out var root) || root.Kind != ServiceHandlers.WorkflowKind
            || !Security.ObjectAccess.Allows(Security.AuditActor.Current, root, Security.AccessRight.Read))
        {
            return null;
        }
        var document = new WorkflowDocument { Format = WorkflowDocument.CurrentFormat, Workflow = workflowId };
        var named = services.Values.Select(s => s.CredentialId).OfType<int>().Distinct().ToList();
        var credentials = await db.Credentials.Where(c => named.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        foreach (var service in services.Values.OrderBy(s => s.Id))
        {
            var input = ServiceInput.From(service);
            // By name: the importing server has its own ids (and never the secret).
            (input.CredentialId, input.CredentialName) = (null, service.CredentialId is int id ? credentials.GetValueOrDefault(id) : null);
            document.RemovedSecrets.AddRange(ServiceSecrets.Remove(input.Parameters, service.SecretParameters).Select(path => $"{service.Name}: {path}"));
            document.Services.Add(input);
        }
        await using var scoped = await dbFactory.CreateScopedAsync(scope, ct);
        await ServiceInput.HideOutsideTargetsAsync(scoped, document.Services, ct);
        return document;
    }

    /// <summary>Creates the document's services and workflows; returns the new top workflow's id, or the problems
    /// (nothing is created then).</summary>
    /// <exception cref="Security.OutOfScopeException">The user is limited to pools (<see cref="Security.ScopeRules.ImportRefusal"/>).</exception>
    public async Task<EditResult> ImportAsync(WorkflowDocument? document, IReadOnlyList<int>? scope, CancellationToken ct)
    {
        Security.ScopeRules.ThrowIf(Security.ScopeRules.ImportRefusal(scope));
        var errors = Check(document);
        if (errors.Count > 0)
        {
            return EditResult.Invalid(errors);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var credentials = await ImportedCredentialsAsync(db, document!, errors, ct);
        var access = await ImportedAccessAsync(db, document!, errors, ct);
        if (errors.Count > 0)
        {
            return EditResult.Invalid(errors);
        }
        var taken = (await db.Services.Select(s => s.Name).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var created = new Dictionary<int, Service>();
        foreach (var input in document!.Services)
        {
            // Device and pool ids mean nothing on another server: imported services keep no targets.
            var service = NewService(input, FreeName(input.Name.Trim(), taken), keepTargets: false);
            service.CredentialId = input.CredentialName is { } credential ? credentials[credential] : null;
            (service.Owner, service.ReadAccess, service.EditAccess, service.RunAccess) = access[input.Id];
            taken.Add(service.Name);
            created[input.Id] = service;
            db.Services.Add(service);
        }
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        // Graphs refer to services by id: map the file's ids to the new ones once they exist.
        foreach (var input in document.Services.Where(s => s.Kind == ServiceHandlers.WorkflowKind))
        {
            created[input.Id].Graph = Copy(input.Graph ?? new WorkflowGraph(), id => created[id].Id);
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return EditResult.Ok(created[document.Workflow].Id);
    }

    /// <summary>A new workflow "NAME (copy)" with the same graph, using the same services.</summary>
    /// <exception cref="Security.OutOfScopeException">The copy would keep targets outside the user's pools, or none.</exception>
    public async Task<EditResult> DuplicateAsync(int workflowId, WorkflowGraph? graph, IReadOnlyList<int>? scope, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var source = await db.Services.AsNoTracking().FirstOrDefaultAsync(s => s.Id == workflowId && s.Kind == ServiceHandlers.WorkflowKind, ct);
        if (source is null)
        {
            return EditResult.NotFound("This workflow");
        }
        // The copy is a new service with the source's targets: the rule for creating that service applies.
        Security.ScopeRules.ThrowIf(await Security.ScopeRules.ServiceRefusalAsync(db, scope, 0, (source.DeviceIds, source.PoolIds), ct));
        var taken = (await db.Services.Select(s => s.Name).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var service = NewService(ServiceInput.From(source), FreeName($"{source.Name} (copy)", taken), keepTargets: true);
        // From() masks secrets: the copy takes the stored (encrypted) parameters themselves.
        (service.Parameters, service.SecretParameters) = (source.Parameters, [.. source.SecretParameters]);
        service.Graph = Copy(graph ?? source.Graph ?? new WorkflowGraph(), id => id);
        db.Services.Add(service);
        await db.SaveChangesAsync(ct);
        return EditResult.Ok(service.Id);
    }

    // Bounds the credential names one document may make eNMS look up.
    private const int MaxNamedCredentials = 200;

    /// <summary>The credentials the document names, by name, once each is known here and the importer may use it; else
    /// the import is refused (a service must not lose its credential and run with another).</summary>
    private static async Task<Dictionary<string, int>> ImportedCredentialsAsync(EnmsDbContext db, WorkflowDocument document,
        Dictionary<string, string> errors, CancellationToken ct)
    {
        var names = document.Services.Select(s => s.CredentialName).OfType<string>().Distinct(StringComparer.Ordinal).Take(MaxNamedCredentials + 1).ToList();
        if (names.Count > MaxNamedCredentials)
        {
            errors["credential"] = $"A workflow names at most {MaxNamedCredentials} credentials.";
            return [];
        }
        var found = await db.Credentials.AsNoTracking().Where(c => names.Contains(c.Name)).ToListAsync(ct);
        var problems = names.Where(n => found.All(c => c.Name != n)).Select(n => $"no credential named {n} here")
            .Concat(found.Select(c => Inventory.CredentialResolver.UseRefusal(c, Security.AuditActor.Current)).OfType<string>()).ToList();
        if (problems.Count > 0)
        {
            errors["credential"] = $"The workflow names credentials you cannot give it: {string.Join("; ", problems.Take(10))}.";
        }
        return found.ToDictionary(c => c.Name, c => c.Id, StringComparer.Ordinal);
    }

    /// <summary>The owner and lists each imported service gets, by its id in the file. The file's own (names checked: an unknown
    /// user or group refuses the import, naming them) when the importer may give them — eNMS, an admin, or the owner the
    /// file names; else the importer's, with no list, as for a service they create (the lists name people of the file's
    /// owner). A service exported before owners existed (no owner, no list) is the importer's too.</summary>
    private static async Task<Dictionary<int, (string? Owner, List<string> Read, List<string> Edit, List<string> Run)>> ImportedAccessAsync(EnmsDbContext db,
        WorkflowDocument document, Dictionary<string, string> errors, CancellationToken ct)
    {
        var actor = Security.AuditActor.Current;
        var access = new Dictionary<int, (string?, List<string>, List<string>, List<string>)>();
        for (var i = 0; i < document.Services.Count; i++)
        {
            var input = document.Services[i];
            var lists = new Security.AccessLists
            {
                Owner = string.IsNullOrWhiteSpace(input.Owner) ? null : input.Owner.Trim(),
                ReadAccess = Security.ObjectAccess.Entries(input.ReadAccess) ?? [],
                EditAccess = Security.ObjectAccess.Entries(input.EditAccess) ?? [],
                RunAccess = Security.ObjectAccess.Entries(input.RunAccess) ?? [],
            };
            var listed = lists.ReadAccess.Count + lists.EditAccess.Count + lists.RunAccess.Count > 0;
            if (lists.Owner is null && !listed || !Security.ObjectAccess.MayChangeLists(actor, lists))
            {
                access[input.Id] = (actor?.User, [], [], []);
                continue;
            }
            var where = $"services[{i}] ({input.Name})";
            var owner = lists.Owner is null ? actor?.User : await Security.ObjectAccess.UserNameAsync(db, lists.Owner, ct);
            if (owner is null)
            {
                errors[$"services[{i}].owner"] = $"{where}: no user named '{lists.Owner}' here.";
            }
            if (await Security.ObjectAccess.EntryProblemAsync(db, lists.ReadAccess.Concat(lists.EditAccess).Concat(lists.RunAccess), ct) is { } problem)
            {
                errors[$"services[{i}].access"] = $"{where}: {problem}";
            }
            access[input.Id] = (owner, lists.ReadAccess, lists.EditAccess, lists.RunAccess);
        }
        return access;
    }

    private Service NewService(ServiceInput input, string name, bool keepTargets) => new()
    {
        CredentialId = input.CredentialId,
        Name = name,
        Kind = input.Kind,
        Description = input.Description,
        // A copy or an import is its maker's, with no access list (the source's lists name people of the source's owner).
        Owner = Security.AuditActor.Current?.User,
        // A file may carry secrets typed in clear: stored encrypted like any others.
        Parameters = secrets.Protect(input.Parameters, null, input.SecretParameters),
        SecretParameters = [.. input.SecretParameters],
        TargetMode = input.TargetMode,
        DeviceIds = keepTargets ? [.. input.DeviceIds] : [],
        PoolIds = keepTargets ? [.. input.PoolIds] : [],
        SkipWhen = input.SkipWhen,
        Retries = input.Retries,
        RetryDelaySeconds = input.RetryDelaySeconds,
        TimeoutSeconds = input.TimeoutSeconds,
        MaxParallelDevices = input.MaxParallelDevices,
        Inputs = [.. input.Inputs],
        IterateOver = input.IterateOver,
        IterateDevices = input.IterateDevices,
        MaxIterations = input.MaxIterations,
        Version = 1,
    };

    private Dictionary<string, string> Check(WorkflowDocument? document)
    {
        var errors = new Dictionary<string, string>();
        if (document is null || document.Format != WorkflowDocument.CurrentFormat)
        {
            errors["format"] = $"This is not an eNMS workflow export: \"format\" must be \"{WorkflowDocument.CurrentFormat}\".";
            return errors;
        }
        var ids = new HashSet<int>();
        for (var i = 0; i < document.Services.Count; i++)
        {
            var s = document.Services[i];
            var where = $"services[{i}] ({(s.Name.Length > 0 ? s.Name : "no name")})";
            if (!ids.Add(s.Id))
            {
                errors[$"services[{i}].id"] = $"{where}: the id {s.Id} appears twice.";
            }
            if (string.IsNullOrWhiteSpace(s.Name))
            {
                errors[$"services[{i}].name"] = $"{where}: a name is required.";
            }
            if (handlers.Validate(s.Kind, s.Parameters?.ToJsonString() ?? "{}") is { } problem)
            {
                errors[$"services[{i}].parameters"] = $"{where}: {problem}";
            }
            if ((RunInputs.DeclarationProblem(s.Inputs) ?? ServiceEditor.IterationProblem(s.IterateOver, s.MaxIterations)
                ?? ServiceEditor.IterationProblem(s.IterateDevices, s.MaxIterations)) is { } option)
            {
                errors[$"services[{i}].options"] = $"{where}: {option}";
            }
            if (handlers.WriteRefusal(s.Kind) is { } refusal)
            {
                errors[$"services[{i}].kind"] = $"{where}: {refusal}";
            }
        }
        foreach (var (s, i) in document.Services.Select((s, i) => (s, i)).Where(x => x.s.Graph is not null))
        {
            foreach (var node in s.Graph!.Nodes.Where(n => !ids.Contains(n.ServiceId)))
            {
                errors[$"services[{i}].graph"] = $"services[{i}] ({s.Name}): node '{node.Id}' runs service #{node.ServiceId}, which is not in the file.";
            }
        }
        var root = document.Services.FirstOrDefault(s => s.Id == document.Workflow);
        if (root?.Kind != ServiceHandlers.WorkflowKind)
        {
            errors["workflow"] = $"\"workflow\" is {document.Workflow}, which is not a workflow of the file.";
        }
        return errors;
    }

    public static WorkflowGraph Copy(WorkflowGraph graph, Func<int, int> serviceId)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(serviceId);
        return new WorkflowGraph
        {
            Start = graph.Start,
            Mode = graph.Mode,
            MaxIterations = graph.MaxIterations,
            Nodes = [.. graph.Nodes.Select(n => new WorkflowNode { Id = n.Id, ServiceId = serviceId(n.ServiceId), Label = n.Label, X = n.X, Y = n.Y })],
            Edges = [.. graph.Edges.Select(e => new WorkflowEdge { From = e.From, To = e.To, Kind = e.Kind })],
            Notes = [.. graph.Notes.Select(n => new WorkflowNote { Text = n.Text, X = n.X, Y = n.Y })],
        };
    }

    /// <summary>The name, or the name with the first free " (N)" suffix.</summary>
    public static string FreeName(string name, IReadOnlySet<string> taken)
    {
        ArgumentNullException.ThrowIfNull(taken);
        if (!taken.Contains(name))
        {
            return name;
        }
        return Enumerable.Range(2, int.MaxValue - 2).Select(i => $"{name} ({i})").First(n => !taken.Contains(n));
    }
}
