using eNMS.Core.Automation.Handlers;
using eNMS.Core.Automation.Workflows;
using eNMS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Automation.Execution;

/// <summary>A service and, for a workflow, every service its graph uses, nested workflows included.</summary>
public static class ServiceGraph
{
    public static async Task<Dictionary<int, Service>> LoadAsync(EnmsDbContext db, int serviceId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var services = new Dictionary<int, Service>();
        var wanted = new HashSet<int> { serviceId };
        while (wanted.Count > 0)
        {
            var batch = await db.Services.AsNoTracking().Where(s => wanted.Contains(s.Id)).ToListAsync(ct);
            foreach (var service in batch)
            {
                services[service.Id] = service;
            }
            wanted = batch.Where(s => s.Graph is not null)
                .SelectMany(s => s.Graph!.Nodes.Select(n => n.ServiceId))
                .Where(id => !services.ContainsKey(id)).ToHashSet();
        }
        return services;
    }

    /// <summary>Every reason the service cannot run: its parameters, and for workflows their graphs.</summary>
    public static List<string> Problems(Dictionary<int, Service> services, int serviceId, ServiceHandlers handlers)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(handlers);
        if (!services.TryGetValue(serviceId, out var root))
        {
            return [$"Service #{serviceId} does not exist."];
        }
        var problems = new List<string>();
        foreach (var service in services.Values)
        {
            if (service.Kind == ServiceHandlers.WorkflowKind)
            {
                problems.AddRange(WorkflowValidator.Problems(service.Graph, services, service.Id).Select(p => $"{service.Name}: {p}"));
            }
            else if (handlers.Validate(service.Kind, service.Parameters) is { } problem)
            {
                problems.Add($"{service.Name}: {problem}");
            }
        }
        if (root.Kind == ServiceHandlers.WorkflowKind && NestsItself(services, root.Id, []))
        {
            problems.Add($"{root.Name}: a workflow cannot contain itself, directly or through nested workflows.");
        }
        return problems;
    }

    private static bool NestsItself(Dictionary<int, Service> services, int id, HashSet<int> path)
    {
        if (!path.Add(id))
        {
            return true;
        }
        var nested = services.TryGetValue(id, out var s) && s.Graph is not null
            ? s.Graph.Nodes.Select(n => n.ServiceId).Distinct().Where(n => services.TryGetValue(n, out var c) && c.Kind == ServiceHandlers.WorkflowKind)
            : [];
        var found = nested.Any(n => NestsItself(services, n, path));
        path.Remove(id);
        return found;
    }
}
