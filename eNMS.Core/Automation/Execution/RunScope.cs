using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using eNMS.Core.Automation.Templates;
using eNMS.Core.Inventory;

namespace eNMS.Core.Automation.Execution;

/// <summary>The state one run shares between its nodes and devices: variables, results so far (for templates and
/// validations), connections, the recorder and the cancellation of the whole run.</summary>
public sealed class RunScope(Run run, DeviceConnections connections, RunRecorder recorder, TemplateRenderer renderer, TimeProvider time, int maxOutputChars)
{
    private readonly ConcurrentDictionary<int, ConcurrentQueue<RunResult>> _byDevice = new();
    private readonly ConcurrentQueue<RunResult> _runWide = new();
    private readonly ConcurrentDictionary<int, byte> _finished = new();
    private readonly ConcurrentDictionary<int, byte> _failedNode = new();
    private readonly Dictionary<string, object?> _variables = ToModel(run.Variables) as Dictionary<string, object?> ?? [];
    // The credential each workflow (by its node path prefix, "" for the run's own) hands its nodes.
    private readonly ConcurrentDictionary<string, int?> _workflowCredentials = new(StringComparer.Ordinal);
    private int _done;
    private int _failed;
    private int _recovered;
    private int _keptSlotTold;

    public Run Run { get; } = run;

    /// <summary>The run's inputs with secrets decrypted (in memory only): <c>inputs.*</c> in templates.</summary>
    public System.Text.Json.Nodes.JsonObject Inputs { get; init; } = [];
    public DeviceConnections Connections { get; } = connections;
    public TimeProvider Time { get; } = time;
    public int DevicesDone => _done;
    public int DevicesFailed => _failed;
    public int DevicesRecovered => _recovered;

    /// <summary>This node's execution slot the run holds while it works (see <see cref="RunSlots"/>).</summary>
    public RunSlot Slot { get; init; } = RunSlot.Unbounded();

    /// <summary>What this node's runs wait for, and its bound on waiting runs (see <see cref="WaitAsync{T}"/>).</summary>
    public RunWaits? Waits { get; init; }

    /// <summary>
    /// The one way a run waits (for people at an approval gate, between rollout batches, for a deferring change freeze to
    /// end, for batches on other cluster nodes) without holding what other work needs meanwhile: a device's session and
    /// platform place go back (its next node connects again), so does its turn among the run's parallel devices
    /// (<see cref="DeviceTurns"/>: the next devices go on), and so does the run's execution slot while nothing else of the
    /// run works (<see cref="RunSlot"/>) — unless this node's bound of waiting runs is reached (<see cref="RunWaits"/>),
    /// then the run keeps its slot. Each is taken back before <paramref name="wait"/>'s result is returned; cancelling
    /// <paramref name="ct"/> ends the wait (the caller's <paramref name="wait"/> observes it) and the run's cancellation follows.
    /// <paramref name="reason"/> is shown on the run page while it waits ("approval at 'gate'"). <paramref name="inNode"/>:
    /// the wait is a node's (its work pauses meanwhile), else the run's own (between batches).
    /// </summary>
    public async Task<T> WaitAsync<T>(string reason, Device? device, bool inNode, Func<Task<T>> wait, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(wait);
        using var counted = Waits?.Begin(Run.Id, reason);
        if (counted is { GivesBack: false } && Interlocked.Exchange(ref _keptSlotTold, 1) == 0)
        {
            Log($"Waiting for {reason} with this node's execution slot held: {RunSlots.WaitingRuns} runs already wait on this node without theirs.", "warning");
        }
        Func<Task<T>> waiting = counted is { GivesBack: false } ? wait : () => Slot.WaitingAsync(wait, inNode, ct);
        if (device is null)
        {
            return await waiting();
        }
        await Connections.ReleaseAsync(device);
        return await Turns.WaitingAsync(device, waiting, ct);
    }

    /// <summary>Change freezes that begin mid-run; null when an admin overrode freezes for this run.</summary>
    public FreezeGuard? Freezes { get; init; }

    /// <summary>The run's devices in parallel, a device waiting for people giving its turn back.</summary>
    public required DeviceTurns Turns { get; init; }

    /// <summary>The devices nodes derive from each device (<see cref="Service.IterateDevices"/>), within the run's user's pools.</summary>
    public required DerivedDevices Derived { get; init; }

    /// <summary>The cluster node executing this scope, kept on each result (<see cref="RunResult.ExecutedOn"/>); empty on a single node.</summary>
    public string ExecutedOn { get; init; } = "";

    /// <summary>Keeps each device's configuration before its first change; null when snapshots are turned off.</summary>
    public ChangeSnapshots? Snapshots { get; init; }

    /// <summary>A workflow's nodes at <paramref name="prefix"/> use the credential it names, else the one its enclosing
    /// workflow hands on (a service naming its own keeps it: <see cref="CredentialOf"/>).</summary>
    public void EnterWorkflow(string prefix, Service workflow)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        _workflowCredentials[prefix] = workflow.CredentialId ?? (prefix.Length == 0 ? null : _workflowCredentials.GetValueOrDefault(ParentOf(prefix)));
    }

    /// <summary>The credential a node logs in with before the device's own: its service's, else its workflow's; null: neither names one.</summary>
    public int? CredentialOf(Service service, string node)
    {
        ArgumentNullException.ThrowIfNull(service);
        return service.CredentialId ?? (node == RunResult.RunLevel ? null : _workflowCredentials.GetValueOrDefault(ParentOf(node)));
    }

    private static string ParentOf(string path) => path.LastIndexOf('/') is var slash and >= 0 ? path[..slash] : "";

    /// <summary>Whether a node failed for this device in this run (its outcome may still be success).</summary>
    public bool NodeFailed(Device device) => device is not null && _failedNode.ContainsKey(device.Id);

    /// <summary>Results reused from the run this one restarts, visible to templates as if they were this run's.</summary>
    /// <param name="earlier">Results stored before, each for a device or run-wide.</param>
    /// <param name="sameRun">They are this run's own (a device's path resumed on another cluster node): a failed node among
    /// them counts for the device's outcome (<see cref="NodeFailed"/>) as if it had failed here.</param>
    public void Preload(IEnumerable<RunResult> earlier, bool sameRun = false)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        foreach (var result in earlier)
        {
            if (sameRun && result is { DeviceId: int device, IsRunLevel: false, Success: false })
            {
                _failedNode.TryAdd(device, 0);
            }
            Remember(result);
        }
    }

    public void Record(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        result.Output = Cap(Connections.Redact(result.Output));
        result.Error = Connections.Redact(result.Error);
        result.Diff = Connections.Redact(result.Diff);
        // Data is JSON: the redactor also knows each secret in its JSON-escaped form.
        result.Data = Connections.Redact(result.Data);
        result.ExecutedOn = ExecutedOn;
        if (result is { DeviceId: int device, IsRunLevel: false, Success: false })
        {
            _failedNode.TryAdd(device, 0);
        }
        Remember(result);
        recorder.Add(result);
    }

    public void NodeStarted(string node, Device? device) => recorder.Started(Run.Id, node, device);

    public void TransferProgressed(string node, Device? device, string path, long bytes, long? total) =>
        recorder.Publish(new TransferProgressed(Run.Id, node, device?.Id, device?.Name ?? "", path, bytes, total));

    public void Log(string message, string level = "info") =>
        recorder.Add(new RunLogEntry { RunId = Run.Id, Time = Time.GetUtcNow(), Level = level, Message = Connections.Redact(message) });

    /// <summary>A recovered run counts what its dead node already finished.</summary>
    public void Continue(int done, int failed, int recovered) => (_done, _failed, _recovered) = (done, failed, recovered);

    /// <remarks>recovered: it succeeded by its path although one of its nodes failed.</remarks>
    public void DeviceFinished(bool success, bool recovered = false)
    {
        Interlocked.Increment(ref _done);
        if (!success)
        {
            Interlocked.Increment(ref _failed);
        }
        else if (recovered)
        {
            Interlocked.Increment(ref _recovered);
        }
    }

    /// <summary>The device has no node left: its SSH session closes and its results (outputs, configurations) are
    /// no longer kept for templates, so a 1,000-device run does not hold every device's buffers to its end.</summary>
    public async Task DeviceDoneAsync(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        _finished.TryAdd(device.Id, 0);
        _byDevice.TryRemove(device.Id, out _);
        await Connections.ReleaseAsync(device);
    }

    public IReadOnlyList<RunResult> ResultsFor(Device? device) =>
        (device is not null && _byDevice.TryGetValue(device.Id, out var results) ? results.Concat(_runWide) : _runWide).ToList();

    public ValueTask<string> RenderAsync(string text, Device? device, Iteration? iteration = null)
    {
        if (!TemplateRenderer.IsTemplate(text))
        {
            return ValueTask.FromResult(text);
        }
        var results = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var result in ResultsFor(device))
        {
            var entry = new Dictionary<string, object?>
            {
                ["success"] = result.Success,
                ["changed"] = result.Changed,
                ["output"] = result.Output,
                ["data"] = ToModel(result.Data),
            };
            results[result.ServiceName] = entry;
            if (!result.IsRunLevel)
            {
                results[result.Node] = entry;
            }
        }
        var model = new Dictionary<string, object?>
        {
            ["device"] = device is null ? null : DeviceModel(device),
            ["variables"] = _variables,
            ["inputs"] = ToModel(Inputs.ToJsonString()),
            ["run"] = new Dictionary<string, object?> { ["id"] = Run.Id, ["trigger"] = Run.Trigger, ["created_by"] = Run.CreatedBy },
            ["results"] = results,
            ["iteration"] = iteration is null ? null : new Dictionary<string, object?> { ["index"] = iteration.Index, ["value"] = iteration.Value },
        };
        return renderer.RenderAsync(text, model);
    }

    private void Remember(RunResult result)
    {
        if (result.DeviceId is int id)
        {
            if (_finished.ContainsKey(id))
            {
                return;
            }
            _byDevice.GetOrAdd(id, _ => new ConcurrentQueue<RunResult>()).Enqueue(result);
        }
        else
        {
            _runWide.Enqueue(result);
        }
    }

    private string Cap(string output) =>
        output.Length <= maxOutputChars ? output
            : string.Concat(output.AsSpan(0, maxOutputChars), $"\n[… output truncated by eNMS: {output.Length - maxOutputChars:N0} more characters not kept]");

    /// <summary>What templates see as <c>device</c>: its fields and custom properties.</summary>
    public static Dictionary<string, object?> DeviceModel(Device d)
    {
        var model = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in d.CustomProperties)
        {
            model[property.Name] = property.Kind switch
            {
                PropertyKind.Number when double.TryParse(property.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) => n,
                PropertyKind.Boolean => property.Value == "true",
                _ => property.Value,
            };
        }
        foreach (var field in InventoryFields.Device.All)
        {
            model[field.Name] = field.Get(d);
        }
        model["id"] = d.Id;
        return model;
    }

    /// <summary>JSON as plain dictionaries and lists: all the template sandbox lets a template see.</summary>
    public static object? ToModel(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(json);
            return ToModel(document.RootElement);
        }
        catch (JsonException)
        {
            return json;
        }
    }

    private static object? ToModel(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => ToModel(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().Select(ToModel).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.GetDecimal(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
