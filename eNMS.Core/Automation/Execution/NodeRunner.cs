using eNMS.Core.Automation.Handlers;
using eNMS.Core.Automation.Templates;
using eNMS.Core.Inventory;
using eNMS.Drivers;

namespace eNMS.Core.Automation.Execution;

/// <summary>Runs one service on one device (or once) with its skip condition, timeout and retries, and records
/// the result. A template error fails that device with its message; it never stops the run.</summary>
public sealed class NodeRunner(ServiceHandlers handlers, RunScope scope)
{
    public async Task<bool> RunAsync(Service service, string node, Device? device, CancellationToken ct)
    {
        var handler = handlers.Find(service.Kind);
        var started = scope.Time.GetUtcNow();
        var result = new RunResult
        {
            RunId = scope.Run.Id,
            Node = node,
            ServiceId = service.Id,
            ServiceName = service.Name,
            DeviceId = device?.Id,
            DeviceName = device?.Name ?? "",
            StartedAt = started,
        };
        var context = new ServiceContext(scope, service, node, device);
        scope.NodeStarted(node, device);
        if (handler is null)
        {
            result.Error = $"'{service.Kind}' is not a service kind eNMS knows.";
        }
        else if (await SkipAsync(service, context, result) is { } skip)
        {
            result.Success = result.Skipped = skip;
        }
        else if (device is not null && scope.Freezes is { } freezes && handler.ChangesDevices(service.Parameters)
            && await freezes.HoldingAsync(device.Id, ct) is { } hit)
        {
            result.Error = $"Refused: a change freeze began during this run — {hit.Describe()}.";
        }
        else
        {
            await ExecuteWithRetriesAsync(handler, service, context, result, ct);
        }
        result.DurationMs = (scope.Time.GetUtcNow() - started).TotalMilliseconds;
        scope.Record(result);
        // One line per node and device: the log reads as the run's progress, failures with their reason.
        scope.Log(Progress(service, node, device, result), result.Success ? "info" : "error");
        return result.Success;
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
