using System.Collections.Concurrent;
using eNMS.Core.Automation.Handlers;
using eNMS.Core.Automation.Workflows;
using eNMS.Core.Inventory;

namespace eNMS.Core.Automation.Execution;

/// <summary>
/// Moves devices through a workflow graph. Device by device: each device follows its own path, taking the success
/// or failure edges of each node as soon as it is done there. Service by service: all devices finish a node before
/// any moves on. A node of kind <c>workflow</c> runs the nested workflow for the device. A device's outcome is the
/// outcome of the last node it ran.
/// </summary>
public sealed class WorkflowRunner(IReadOnlyDictionary<int, Service> services, NodeRunner nodes, RunScope scope)
{
    // Services that run once per run are run by the first device that reaches them; the others share the outcome.
    private readonly ConcurrentDictionary<string, Lazy<Task<bool>>> _once = new(StringComparer.Ordinal);

    public async Task<bool> RunDeviceAsync(Service workflow, Device? device, string prefix, string? startAt, CancellationToken ct)
    {
        var graph = workflow.Graph!;
        scope.EnterWorkflow(prefix, workflow);
        var visits = new Dictionary<string, int>(StringComparer.Ordinal);
        var queue = new Queue<string>([startAt is { Length: > 0 } ? startAt : graph.Start]);
        var last = true;
        while (queue.TryDequeue(out var id))
        {
            ct.ThrowIfCancellationRequested();
            visits[id] = visits.GetValueOrDefault(id) + 1;
            if (visits[id] > Math.Max(1, graph.MaxIterations))
            {
                scope.Log($"{workflow.Name}{(device is null ? "" : $" · {device.Name}")}: node '{id}' reached its limit of {Math.Max(1, graph.MaxIterations)} iterations", "warning");
                return false;
            }
            last = await RunNodeAsync(graph.Nodes.First(n => n.Id == id), device, prefix, ct);
            var kind = last ? EdgeKind.Success : EdgeKind.Failure;
            foreach (var edge in graph.Edges.Where(e => e.From == id && e.Kind == kind))
            {
                queue.Enqueue(edge.To);
            }
        }
        return last;
    }

    /// <summary>All devices through the graph together, node by node. Returns each device's outcome.</summary>
    public async Task<Dictionary<int, bool>> RunServiceByServiceAsync(Service workflow, IReadOnlyList<Device> devices, string? startAt, CancellationToken ct)
    {
        var graph = workflow.Graph!;
        scope.EnterWorkflow("", workflow);
        var outcome = devices.ToDictionary(d => d.Id, _ => true);
        var visits = new Dictionary<(int, string), int>();
        var frontier = new Dictionary<string, List<Device>> { [startAt is { Length: > 0 } ? startAt : graph.Start] = [.. devices] };
        while (frontier.Count > 0)
        {
            var next = new Dictionary<string, List<Device>>(StringComparer.Ordinal);
            foreach (var (id, atNode) in frontier)
            {
                var node = graph.Nodes.First(n => n.Id == id);
                var allowed = new List<Device>();
                foreach (var device in atNode)
                {
                    var count = visits[(device.Id, id)] = visits.GetValueOrDefault((device.Id, id)) + 1;
                    if (count <= Math.Max(1, graph.MaxIterations))
                    {
                        allowed.Add(device);
                    }
                    else
                    {
                        outcome[device.Id] = false;
                    }
                }
                var results = new ConcurrentDictionary<int, bool>();
                // The run's parallelism, devices waiting at an approval gate not counted: the others reach the gate meanwhile.
                await scope.Turns.ForEachAsync(allowed, async (device, token) => results[device.Id] = await RunNodeAsync(node, device, "", token), ct);
                foreach (var device in allowed)
                {
                    var success = outcome[device.Id] = results[device.Id];
                    var kind = success ? EdgeKind.Success : EdgeKind.Failure;
                    foreach (var edge in graph.Edges.Where(e => e.From == id && e.Kind == kind))
                    {
                        (next.TryGetValue(edge.To, out var list) ? list : next[edge.To] = []).Add(device);
                    }
                }
            }
            // A device no edge took further has run its last node: its session closes now, not when the run ends.
            var moving = next.Values.SelectMany(d => d).Select(d => d.Id).ToHashSet();
            foreach (var device in frontier.Values.SelectMany(d => d).Where(d => !moving.Contains(d.Id)).DistinctBy(d => d.Id))
            {
                await scope.DeviceDoneAsync(device);
            }
            frontier = next;
        }
        return outcome;
    }

    private Task<bool> RunNodeAsync(WorkflowNode node, Device? device, string prefix, CancellationToken ct)
    {
        var service = services[node.ServiceId];
        var path = prefix.Length == 0 ? node.Id : $"{prefix}/{node.Id}";
        if (service.Kind == ServiceHandlers.WorkflowKind)
        {
            return RunDeviceAsync(service, device, path, null, ct);
        }
        if (service.TargetMode == TargetMode.Once || device is null)
        {
            return _once.GetOrAdd(path, _ => new Lazy<Task<bool>>(() => nodes.RunAsync(service, path, null, ct))).Value;
        }
        return nodes.RunAsync(service, path, device, ct);
    }
}
