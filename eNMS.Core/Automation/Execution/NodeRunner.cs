using eNMS.Core.Automation.Handlers;
using eNMS.Core.Automation.Templates;
using eNMS.Core.Inventory;
using eNMS.Core.Scheduling;
using eNMS.Drivers;

namespace eNMS.Core.Automation.Execution;

/// <summary>Runs one service on one device (or once) with its skip condition, timeout and retries, and records
/// the result. A template error fails that device with its message; it never stops the run.</summary>
public sealed class NodeRunner(ServiceHandlers handlers, RunScope scope)
{
    public async Task<bool> RunAsync(Service service, string node, Device? device, CancellationToken ct)
    {
        var handler = handlers.Find(service.Kind);
        var result = NewResult(service, node, device);
        var started = result.StartedAt;
        var context = new ServiceContext(scope, service, node, device)
        {
            Credential = new CredentialRequest(scope.CredentialOf(service, node), handler?.ChangesDevices(service.Parameters) ?? false),
        };
        await using var working = await scope.Slot.WorkAsync(ct);
        scope.NodeStarted(node, device);
        if (handler is null)
        {
            result.Error = $"'{service.Kind}' is not a service kind eNMS knows.";
        }
        else if (await SkipAsync(service, context, result) is { } skip)
        {
            result.Success = result.Skipped = skip;
        }
        else if (service.IterateDevices.Length > 0)
        {
            await IterateDevicesAsync(handler, service, context, result, ct);
        }
        else
        {
            await RunOnDeviceAsync(handler, service, context, result, ct);
        }
        result.DurationMs = (scope.Time.GetUtcNow() - started).TotalMilliseconds;
        scope.Record(result);
        // One line per node and device: the log reads as the run's progress, failures with their reason.
        scope.Log(Progress(service, node, device, result), result.Success ? "info" : "error");
        return result.Success;
    }

    /// <summary>The service on the context's device (or once): refused when it would change a device it may not change
    /// now, else once per value when it iterates, else once.</summary>
    private async Task RunOnDeviceAsync(IServiceHandler handler, Service service, ServiceContext context, RunResult result, CancellationToken ct)
    {
        if (context.Device is not null && handler.ChangesDevices(service.Parameters) && await ChangeRefusalAsync(context, service, handler, ct) is { } refusal)
        {
            result.Error = refusal;
        }
        else if (service.IterateOver.Length > 0)
        {
            await IterateAsync(handler, service, context, result, ct);
        }
        else
        {
            await ExecuteWithRetriesAsync(handler, service, context, result, ct);
        }
    }

    /// <summary>A result of the service at this node for the device (null: run-wide), started now.</summary>
    private RunResult NewResult(Service service, string node, Device? device) => new()
    {
        RunId = scope.Run.Id,
        Node = node,
        ServiceId = service.Id,
        ServiceName = service.Name,
        DeviceId = device?.Id,
        DeviceName = device?.Name ?? "",
        StartedAt = scope.Time.GetUtcNow(),
    };

    /// <summary>Why a node that changes the device must not run on it now, or null.
    /// The snapshot comes last: it connects to the device, which the other refusals spare it.</summary>
    private async Task<string?> ChangeRefusalAsync(ServiceContext context, Service service, IServiceHandler handler, CancellationToken ct)
    {
        var device = context.Device!;
        if (scope.Freezes is { } freezes && await FrozenAsync(freezes, service, device, ct) is { } frozen)
        {
            return frozen;
        }
        if (!scope.Run.DeviceIds.Contains(device.Id) && await scope.Derived.FreezeAsync(device.Id, ct) is { } derived)
        {
            // A device derived by the node (iterateDevices): no freeze was checked for it when the run started.
            return $"Refused: a change freeze holds this derived device — {derived.Describe()}.";
        }
        if (await scope.Connections.ReadOnlyCredentialAsync(device, context.Credential) is { } readOnly)
        {
            return $"{readOnly} is a read-only credential: {service.Kind} changes the device";
        }
        return scope.Snapshots is { } snapshots && handler.ChangesConfiguration(service.Parameters)
            ? await snapshots.EnsureAsync(context, ct)
            : null;
    }

    /// <summary>At most this many deferring freezes, one after another, are waited out by one node before it gives up.</summary>
    private const int MaxFreezeWaits = 10;

    /// <summary>A change freeze that began during the run, per its policy: a refusing one fails the node with its reason; a
    /// deferring one makes the node wait (logged once per freeze, cancellable) until no freeze holds the device — checked
    /// again every <see cref="FreezeGuard.Refresh"/> and at once when a freeze is saved or deleted on this node, so a freeze
    /// deleted or shortened meanwhile releases it early. It waits through the run's one owner of waits
    /// (<see cref="RunScope.WaitAsync{T}"/>): the device's turn and the run's slot go to other work meanwhile.</summary>
    private async Task<string?> FrozenAsync(FreezeGuard freezes, Service service, Device device, CancellationToken ct)
    {
        var waited = new HashSet<int>();
        var hit = await freezes.HoldingAsync(device.Id, ct);
        while (hit is not null)
        {
            if (hit.Action is FreezeAction.Refuse || (!waited.Contains(hit.FreezeId) && waited.Count >= MaxFreezeWaits))
            {
                return $"Refused: a change freeze began during this run — {hit.Describe()}.";
            }
            if (waited.Add(hit.FreezeId))
            {
                scope.Log($"Deferred: a change freeze began during this run — {hit.Describe()}: {service.Name} waits until then to change {device.Name}.", "warning");
            }
            var holding = hit;
            var until = holding.Until.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
            // One wait per freeze: the slot and turn go back once, not at every look.
            hit = await scope.WaitAsync($"change freeze '{holding.Name}' to end ({until})", device, inNode: true, async () =>
            {
                FreezeHit? now = holding;
                while (now is not null && now.FreezeId == holding.FreezeId)
                {
                    var left = now.Until - scope.Time.GetUtcNow();
                    await freezes.ChangedAsync(left < TimeSpan.Zero ? TimeSpan.Zero : left < FreezeGuard.Refresh ? left : FreezeGuard.Refresh, ct);
                    now = await freezes.HoldingAsync(device.Id, ct);
                }
                return now;
            }, ct);
        }
        return null;
    }

    private static string Progress(Service service, string node, Device? device, RunResult result)
    {
        var what = $"{service.Name}{(node is not RunResult.RunLevel && !node.Contains('/', StringComparison.Ordinal) ? $" [{node}]" : "")}{(device is null ? "" : $" · {device.Name}")}";
        var outcome = result.Skipped ? "skipped"
            : result.Success ? $"succeeded{(result.Changed ? ", changed" : "")}"
            : $"failed: {result.Error}";
        return $"{what}: {outcome} ({result.DurationMs:N0} ms{(result.Attempts > 1 ? $", {result.Attempts} attempts" : "")})";
    }

    /// <summary>True: skipped; false: the condition failed to render (the device fails); null: run it.</summary>
    private static async Task<bool?> SkipAsync(Service service, ServiceContext context, RunResult result)
    {
        if (string.IsNullOrWhiteSpace(service.SkipWhen))
        {
            return null;
        }
        try
        {
            var verdict = await context.RenderAsync(SkipTemplate(service.SkipWhen));
            if (verdict.Trim().Equals("true", StringComparison.OrdinalIgnoreCase))
            {
                result.Output = $"Skipped: '{service.SkipWhen}' is true";
                return true;
            }
            return null;
        }
        catch (TemplateException e)
        {
            result.Error = $"Skip condition: {e.Message}";
            return false;
        }
    }

    /// <summary>A bare condition (<c>device.vendor == 'Cisco'</c>) becomes a Liquid if; a template is used as is.</summary>
    public static string SkipTemplate(string condition) =>
        TemplateRenderer.IsTemplate(condition) ? condition : $"{{% if {condition} %}}true{{% endif %}}";

    /// <summary>Runs the service once per value of <see cref="Service.IterateOver"/> (one after the other), each with its own
    /// result (node <c>NODE[i]</c>); the node's result sums them up: success when every value succeeded, data the
    /// list of values with their outcome. More values than <see cref="Service.MaxIterations"/> fails before any runs.</summary>
    private async Task IterateAsync(IServiceHandler handler, Service service, ServiceContext context, RunResult result, CancellationToken ct)
    {
        List<object?> values;
        try
        {
            values = IterationValues(await context.RenderAsync(service.IterateOver));
        }
        catch (TemplateException e)
        {
            result.Error = $"Iterate over: {e.Message}";
            return;
        }
        if (CapExceeded(service, "Iterate over", values.Count, "values") is { } exceeded)
        {
            result.Error = exceeded;
            return;
        }
        var outcomes = new List<Dictionary<string, object?>>();
        var prefix = context.Node.Length > 0 ? context.Node : service.Name;
        for (var i = 0; i < values.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var iteration = new Iteration(i + 1, values[i]);
            var node = $"{prefix}[{iteration.Index}]";
            var one = NewResult(service, node, context.Device);
            await ExecuteWithRetriesAsync(handler, service, new ServiceContext(scope, service, node, context.Device, iteration) { Credential = context.Credential }, one, ct);
            one.DurationMs = (scope.Time.GetUtcNow() - one.StartedAt).TotalMilliseconds;
            scope.Record(one);
            outcomes.Add(new() { ["value"] = values[i], ["success"] = one.Success, ["error"] = one.Error, ["data"] = RunScope.ToModel(one.Data) });
            result.Changed |= one.Changed;
        }
        var failed = outcomes.Count(o => o["success"] is false);
        (result.Success, result.Attempts) = (failed == 0, 1);
        result.Output = $"{values.Count} iteration(s): {values.Count - failed} succeeded, {failed} failed";
        result.Error = failed == 0 ? "" : $"{failed} of {values.Count} iteration(s) failed";
        result.Data = System.Text.Json.JsonSerializer.Serialize(outcomes, ServiceJson.Options);
    }

    /// <summary>Why an iteration giving <paramref name="count"/> items may not run, or null: the one cap of values and
    /// derived devices (<see cref="Service.MaxIterations"/>, at most <see cref="Service.IterationCap"/>).</summary>
    private static string? CapExceeded(Service service, string field, int count, string items)
    {
        var cap = Math.Min(service.MaxIterations, Service.IterationCap);
        return count > cap ? $"{field} gave {count} {items}, more than the limit of {cap} (maxIterations): nothing was run." : null;
    }

    /// <summary>Runs the service on each device <see cref="Service.IterateDevices"/> derives from the context's device (one
    /// after the other; per value on each when it also iterates over values), each with its own result attributed to the
    /// derived device (node <c>NODE[via PARENT]</c>); the node's result on the parent sums them up: success when every
    /// derived device succeeded, data the list of devices with their outcome. Too many devices, a value naming no device or
    /// one outside the run's user's pools fails the parent, naming them, before any runs.</summary>
    private async Task IterateDevicesAsync(IServiceHandler handler, Service service, ServiceContext context, RunResult result, CancellationToken ct)
    {
        List<Device> devices;
        try
        {
            var values = IterationValues(await context.RenderAsync(service.IterateDevices))
                .DistinctBy(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)?.Trim(), StringComparer.OrdinalIgnoreCase).ToList();
            if (CapExceeded(service, "Iterate devices", values.Count, "devices") is { } exceeded)
            {
                result.Error = exceeded;
                return;
            }
            devices = await scope.Derived.ResolveAsync(values, ct);
        }
        catch (Exception e) when (e is TemplateException or DerivedDeviceException)
        {
            result.Error = $"Iterate devices: {e.Message}{(e is DerivedDeviceException ? ": nothing was run." : "")}";
            return;
        }
        var parent = context.Device;
        if (parent is not null)
        {
            // The node works on the derived devices, not on this one: its session and platform place go back meanwhile
            // (a derived device of its platform may need that place) and its next node connects again.
            await scope.Connections.ReleaseAsync(parent);
        }
        var outcomes = new List<Dictionary<string, object?>>();
        var prefix = context.Node.Length > 0 ? context.Node : service.Name;
        foreach (var device in devices)
        {
            ct.ThrowIfCancellationRequested();
            var node = $"{prefix}[via {parent?.Name ?? "the run"}]";
            var one = NewResult(service, node, device);
            scope.NodeStarted(node, device);
            await RunOnDeviceAsync(handler, service, new ServiceContext(scope, service, node, device) { Credential = context.Credential }, one, ct);
            one.DurationMs = (scope.Time.GetUtcNow() - one.StartedAt).TotalMilliseconds;
            scope.Record(one);
            scope.Log(Progress(service, node, device, one), one.Success ? "info" : "error");
            if (!scope.Turns.Working(device.Id))
            {
                // Its place in the platform's caps goes to the next device; a device the run works on itself keeps it.
                await scope.Connections.ReleaseAsync(device);
            }
            outcomes.Add(new() { ["device"] = device.Name, ["success"] = one.Success, ["error"] = one.Error, ["data"] = RunScope.ToModel(one.Data) });
            result.Changed |= one.Changed;
        }
        var failed = outcomes.Where(o => o["success"] is false).Select(o => (string)o["device"]!).ToList();
        (result.Success, result.Attempts) = (failed.Count == 0, 1);
        result.Output = $"{devices.Count} derived device(s): {devices.Count - failed.Count} succeeded, {failed.Count} failed";
        result.Error = failed.Count == 0 ? "" : $"{failed.Count} of {devices.Count} derived device(s) failed: {string.Join(", ", failed.Take(10))}{(failed.Count > 10 ? ", ..." : "")}";
        result.Data = System.Text.Json.JsonSerializer.Serialize(outcomes, ServiceJson.Options);
    }

    /// <summary>A JSON list gives its items; any other text gives its non-empty lines.</summary>
    public static List<object?> IterationValues(string rendered)
    {
        ArgumentNullException.ThrowIfNull(rendered);
        var text = rendered.Trim();
        if (text.StartsWith('[') && RunScope.ToModel(text) is List<object?> list)
        {
            return list;
        }
        return [.. text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).Cast<object?>()];
    }

    private async Task ExecuteWithRetriesAsync(IServiceHandler handler, Service service, ServiceContext context, RunResult result, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            result.Attempts = attempt;
            // A linked source only when there is a timeout: linking registers on the run's token, which every device
            // of the run shares (50 at once), for each node.
            using var timeout = service.TimeoutSeconds > 0 ? CancellationTokenSource.CreateLinkedTokenSource(ct) : null;
            timeout?.CancelAfter(TimeSpan.FromSeconds(service.TimeoutSeconds));
            var retryable = true;
            try
            {
                var outcome = await handler.ExecuteAsync(context, timeout?.Token ?? ct);
                (result.Success, result.Changed, result.Output, result.Diff, result.Error) =
                    (outcome.Success, outcome.Changed, outcome.Output, outcome.Diff, outcome.Error);
                result.Data = outcome.Data is null ? "" : System.Text.Json.JsonSerializer.Serialize(outcome.Data, ServiceJson.Options);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                (result.Success, result.Error) = (false, $"Timed out after {service.TimeoutSeconds} s");
            }
            catch (TemplateException e)
            {
                (result.Success, result.Error, retryable) = (false, e.Message, false);
            }
            catch (ConnectGaveUpException e)
            {
                // Retried with backoff already, within the platform's lowered cap: another round would double that.
                (result.Success, result.Error, retryable) = (false, e.Message, false);
            }
            catch (DeviceException e)
            {
                (result.Success, result.Error) = (false, e.Message);
                if (e.PartialOutput.Length > 0)
                {
                    // What the device sent before it failed: often the reason itself, kept and marked as cut short.
                    result.Output = e.PartialOutput + "\n[eNMS: partial output, the command did not finish]";
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                (result.Success, result.Error) = (false, $"{e.GetType().Name}: {e.Message}");
            }
            if (result.Success || !retryable || attempt > service.Retries)
            {
                return;
            }
            scope.Log($"{service.Name}{(context.Device is null ? "" : $" · {context.Device.Name}")}: attempt {attempt} failed ({result.Error}); retrying in {service.RetryDelaySeconds} s", "warning");
            await Task.Delay(TimeSpan.FromSeconds(service.RetryDelaySeconds), scope.Time, ct);
        }
    }
}
