using eNMS.Core.Automation.Handlers;
using eNMS.Core.Automation.Templates;
using eNMS.Core.Automation.Workflows;
using eNMS.Core.Configurations;
using eNMS.Core.Data;
using eNMS.Core.Inventory;
using eNMS.Drivers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace eNMS.Core.Automation.Execution;

/// <summary>Executes one queued run in three steps, each its own method: <see cref="StartAsync"/> marks it running
/// and loads what it needs, <see cref="RunAsync"/> runs its service on its devices and closes what that opened,
/// <see cref="FinishAsync"/> stores the outcome.</summary>
public sealed partial class RunExecutor(
    IDbContextFactory<EnmsDbContext> dbFactory, ServiceHandlers handlers, DeviceTargets targets, DriverFactory drivers,
    PlatformLimits limits, TemplateRenderer renderer, RunNotifier notifier, HostKeyStore hostKeys, GitMirror mirror,
    ServiceSecrets secrets, RunInputs inputs, TimeProvider time, IOptionsMonitor<AutomationOptions> options, RunMetrics metrics, Scheduling.ChangeFreezes freezes,
    ChangeSnapshots snapshots, Approvals.ApprovalGate gate, RunWaits waits, ClusterBatches? cluster = null, ClusterLeases? leases = null)
{
    /// <param name="runId">A run in the Pending state.</param>
    /// <param name="slot">This node's execution slot the run holds (it gives it back while it only waits for people).</param>
    /// <param name="cancel">Cancels the run (status Cancelled).</param>
    /// <param name="stopping">The app is stopping (status Interrupted: it can be resumed).</param>
    /// <param name="recovering">The node that executed this run died: finish only the devices without a recorded outcome.</param>
    public async Task ExecuteAsync(int runId, RunSlot slot, CancellationToken cancel, CancellationToken stopping, bool recovering = false)
    {
        if (await StartAsync(runId, recovering) is not { } started)
        {
            return;
        }
        var scope = await RunAsync(started, slot, cancel, stopping);
        await FinishAsync(started.Run, scope);
    }

    /// <summary>A run once started: the run (now Running), its services (the run's own and those its workflows
    /// nest) with their secret parameters revealed, the values of those secrets, the devices left to run on and,
    /// when recovering, what the dead node had already finished.</summary>
    private sealed record StartedRun(Run Run, Dictionary<int, Service> Services, List<Device> Devices, List<string> Secrets,
        bool Recovering, (int Done, int Failed, int Recovered) Before)
    {
        /// <summary>Who the run's credentials are chosen for: its creator (a schedule's runs: the schedule's) as they are now.</summary>
        public Security.AuditActor? User { get; init; }

        /// <summary>The pools that user may use now (null: every device); a user who no longer exists may use none.</summary>
        public IReadOnlyList<int>? ScopePoolIds { get; init; }
    }

    /// <summary>Step 1, start: a pending run (or a running one whose node died, when recovering) becomes Running, with
    /// its services and devices loaded; null when the run already ended (nothing to do).</summary>
    private async Task<StartedRun?> StartAsync(int runId, bool recovering)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var run = await db.Runs.SingleAsync(r => r.Id == runId, CancellationToken.None);
        // Only a pending run starts; a running one only when its node died. Anything else already ended.
        if (!(run.Status == RunStatus.Pending || recovering && run.Status == RunStatus.Running))
        {
            return null;
        }
        var (services, revealed) = await RevealAsync(db, run.ServiceId, CancellationToken.None);
        var devices = await db.Devices.AsNoTracking().Where(d => run.DeviceIds.Contains(d.Id)).OrderBy(d => d.Name).ToListAsync(CancellationToken.None);
        var total = devices.Count;
        (int Done, int Failed, int Recovered) before = (0, 0, 0);
        if (recovering)
        {
            var outcomes = await db.RunResults.Where(r => r.RunId == runId && r.Node == RunResult.RunLevel && r.DeviceId != null)
                .Select(r => new { Device = r.DeviceId!.Value, r.Success, r.Output }).ToListAsync(CancellationToken.None);
            var done = outcomes.Select(o => o.Device).ToHashSet();
            before = (done.Count, outcomes.Where(o => !o.Success).Select(o => o.Device).Distinct().Count(),
                outcomes.Where(o => o.Success && o.Output == RecoveredOutcome).Select(o => o.Device).Distinct().Count());
            devices = devices.Where(d => !done.Contains(d.Id)).ToList();
            run.Rollout = run.Rollout?.Continuing(run.RolloutProgress, total);
        }
        (run.Status, run.StartedAt, run.DevicesTotal) = (RunStatus.Running, run.StartedAt ?? time.GetUtcNow(), total);
        await db.SaveChangesAsync(CancellationToken.None);
        Publish(run);
        metrics.Started(run);
        var actor = string.IsNullOrEmpty(run.CreatedBy) ? null : await Security.EffectiveAccess.ActorAsync(db, run.CreatedBy, CancellationToken.None);
        return new StartedRun(run, services, devices, revealed, recovering, before)
        {
            User = await Security.EffectiveAccess.RunActorAsync(db, run.CreatedBy, CancellationToken.None),
            ScopePoolIds = string.IsNullOrEmpty(run.CreatedBy) ? null : actor is { } user ? user.Access.ScopePoolIds : [],
        };
    }

    /// <summary>The run's services (its own and those its workflows nest) with their secret parameters revealed, and
    /// the values of those secrets.</summary>
    private async Task<(Dictionary<int, Service> Services, List<string> Secrets)> RevealAsync(EnmsDbContext db, int serviceId, CancellationToken ct)
    {
        var services = await ServiceGraph.LoadAsync(db, serviceId, ct);
        var revealed = new List<string>();
        foreach (var loaded in services.Values)
        {
            // Untracked entities: the decrypted parameters live only in this run's memory.
            loaded.Parameters = secrets.Reveal(loaded.Parameters);
            revealed.AddRange(ServiceSecrets.Values(loaded.Parameters, loaded.SecretParameters));
        }
        return (services, revealed);
    }

    /// <summary>Step 2, execute: runs the service on the devices and sets the run's status from how that went
    /// (completed, failed, cancelled, interrupted); then closes what the run opened, whatever happened.</summary>
    private async Task<RunScope> RunAsync(StartedRun started, RunSlot slot, CancellationToken cancel, CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancel, stopping);
        var ct = linked.Token;
        var (run, devices) = (started.Run, started.Devices);
        // An admin's override covers the whole run, freezes that begin during it included.
        using var guard = run.FreezeOverride.Length == 0 ? new FreezeGuard(freezes, time, run.DeviceIds) : null;
        var (scope, recorder) = await OpenAsync(started, slot, guard);
        using var turns = scope.Turns;
        if (started.Recovering)
        {
            scope.Continue(started.Before.Done, started.Before.Failed, started.Before.Recovered);
            scope.Log($"Run recovered on another node: {started.Before.Done} device(s) were done, {devices.Count} left", "warning");
        }
        try
        {
            if (!started.Services.TryGetValue(run.ServiceId, out var service))
            {
                throw new InvalidOperationException($"Service #{run.ServiceId} no longer exists.");
            }
            if (run.RestartOfRunId is int earlier)
            {
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                scope.Preload(await db.RunResults.AsNoTracking().Where(r => r.RunId == earlier && r.Node != RunResult.RunLevel).ToListAsync(ct));
            }
            scope.Log($"Run of {service.Name} on {devices.Count} device(s) started by {run.CreatedBy} ({run.Trigger})");
            string? stopped = null;
            if (!(started.Recovering && devices.Count == 0 && run.DevicesTotal > 0))
            {
                stopped = await RunOnDevicesAsync(service, started.Services, devices, scope, ct);
            }
            // A stopped rollout fails the run even when no device did: devices were left out (a resume runs them).
            run.Status = scope.DevicesFailed > 0 || stopped is not null ? RunStatus.Failed : RunStatus.Completed;
            run.Error = stopped is null ? run.Error : $"Rollout stopped, {stopped}";
            scope.Log($"Run {(run.Status == RunStatus.Completed ? "completed" : "failed")}: {scope.DevicesDone} device(s) done, " +
                $"{scope.DevicesDone - scope.DevicesFailed} succeeded, {scope.DevicesFailed} failed", run.Status == RunStatus.Completed ? "info" : "error");
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            run.Status = stopping.IsCancellationRequested ? RunStatus.Interrupted : RunStatus.Cancelled;
            scope.Log(run.Status == RunStatus.Cancelled ? "Run cancelled" : "Run interrupted: the app is stopping", "warning");
        }
        catch (Exception e)
        {
            (run.Status, run.Error) = (RunStatus.Failed, e.Message);
            scope.Log($"Run failed: {e.Message}", "error");
        }
        finally
        {
            Report(run, scope);
            snapshots.RunEnded(run.Id);
            await CloseAsync(started, scope, recorder, stopping);
        }
        return scope;
    }

    /// <summary>What executing a run (or one batch of it, on a node of a cluster) works with: its connections (caps
    /// per platform, secrets to mask), its recorder and its scope, results marked with this node's name in a cluster.</summary>
    private async Task<(RunScope Scope, RunRecorder Recorder)> OpenAsync(StartedRun started, RunSlot slot, FreezeGuard? guard)
    {
        var run = started.Run;
        var recorder = new RunRecorder(dbFactory, notifier, metrics);
        await hostKeys.LoadAsync(CancellationToken.None);
        // The run's own caps per platform start from the configured limits, else from the run's parallelism.
        var parallelism = started.Services.TryGetValue(run.ServiceId, out var top) ? top.MaxParallelDevices : 1;
        // Runs distributed across a cluster: the run's parallelism and its caps per platform hold across every node
        // executing its batches (places shared in the database), not per batch.
        var fanOut = new AdaptiveLimits(parallelism, limits.Configured, options.CurrentValue.ConnectRetries, time)
        {
            Shared = leases is null ? null : (platform, start) => leases.Cap(ClusterLeases.RunPlatformScope(run.Id, platform), start, run.Id),
        };
        var connections = new DeviceConnections(targets, drivers, limits, hostKeys, fanOut)
        {
            HoldCapUntilReleased = top is null || top.Graph?.Mode != WorkflowMode.ServiceByService,
            User = started.User,
        };
        // A secret parameter echoed back (a device repeating a command, an HTTP server its Authorization header)
        // is masked in results and logs like a device's password.
        connections.AddSecrets(started.Secrets);
        var (runInputs, inputSecrets) = inputs.Unprotect(run.Inputs);
        connections.AddSecrets(inputSecrets);
        var scope = new RunScope(run, connections, recorder, renderer, time, options.CurrentValue.MaxOutputChars)
        {
            Turns = new DeviceTurns(parallelism) { Shared = leases?.Cap(ClusterLeases.RunScope(run.Id), parallelism, run.Id) },
            Derived = new DerivedDevices(dbFactory, started.ScopePoolIds, run.CreatedBy) { Freezes = guard is null ? null : freezes, Time = time },
            Inputs = runInputs,
            Slot = slot,
            Waits = waits,
            Freezes = guard,
            Snapshots = options.CurrentValue.SnapshotBeforeChange ? snapshots : null,
            ExecutedOn = cluster?.Node ?? "",
        };
        fanOut.Log = (message, level) => scope.Log(message, level);
        // The run page shows the fan-out as it goes (merged per frame by its feed), not only once the run ended.
        fanOut.Changed = () =>
        {
            if (fanOut.Report() is { } report)
            {
                notifier.Publish(new FanOutChanged(run.Id, report));
            }
        };
        return (scope, recorder);
    }

    /// <summary>Which caps held per platform, told in the log and kept with the run (its devices' retries were told as
    /// they happened).</summary>
    private static void Report(Run run, RunScope scope)
    {
        if (scope.Connections.FanOut.Report() is not { } report)
        {
            return;
        }
        foreach (var platform in report.Platforms)
        {
            scope.Log(platform.Summary, "warning");
        }
        run.FanOutJson = report.ToJson();
    }

    /// <summary>The end of step 2: the optional Git mirror, the device sessions, the results still queued (a
    /// database that refuses them fails the run) and the host keys learned.</summary>
    private async Task CloseAsync(StartedRun started, RunScope scope, RunRecorder recorder, CancellationToken stopping)
    {
        var run = started.Run;
        await MirrorAsync(run, started.Services, scope, stopping);
        await scope.Connections.DisposeAsync();
        try
        {
            await recorder.DisposeAsync();
        }
        catch (Exception e)
        {
            // The database refused the results (full disk, lost server): the run still ends, as failed and saying so,
            // rather than staying Running forever.
            (run.Status, run.Error) = (RunStatus.Failed, $"Results could not be stored: {e.Message}");
        }
        await hostKeys.SaveAsync(CancellationToken.None);
    }

    /// <summary>The service on each device (or once), or the workflow on each device: node by node per device, or
    /// service by service across them; with a staged rollout, batch by batch.</summary>
    /// <returns>Why a staged rollout stopped before its last batch, or null.</returns>
    private async Task<string?> RunOnDevicesAsync(Service service, Dictionary<int, Service> services, List<Device> devices, RunScope scope, CancellationToken ct)
    {
        var nodes = new NodeRunner(handlers, scope);
        var workflow = service.Kind == ServiceHandlers.WorkflowKind ? new WorkflowRunner(services, nodes, scope) : null;
        var startAt = scope.Run.RestartFromNode;
        if (devices.Count == 0 || workflow is null && service.TargetMode == TargetMode.Once)
        {
            scope.DeviceFinished(workflow is null ? await nodes.RunAsync(service, RunResult.RunLevel, null, ct) : await workflow.RunDeviceAsync(service, null, "", startAt, ct));
            return null;
        }
        if (cluster is not null && ClusterBatches.Splits(scope.Run.DevicesTotal, cluster.BatchSize))
        {
            if (ClusterBatches.KeptOnOneNode(scope.Run, service, services) is { } why)
            {
                scope.Log($"Run kept on node {cluster.Node} rather than split across the cluster: {why}");
            }
            else
            {
                // Cluster mode: the devices are split into batches that any node executes (Quartz jobs); this node waits.
                await cluster.RunAsync(scope, devices, service.MaxParallelDevices, () => Publish(scope), ct);
                return null;
            }
        }
        // At most maxParallelDevices at once, devices waiting for people not counted (DeviceTurns).
        Func<IReadOnlyList<Device>, CancellationToken, Task> runBatch = workflow is null
            ? (batch, token) => scope.Turns.ForEachAsync(batch, async (device, token) =>
            {
                var success = await nodes.RunAsync(service, RunResult.RunLevel, device, token);
                await scope.DeviceDoneAsync(device);
                scope.DeviceFinished(success);
                Publish(scope);
            }, token)
            : service.Graph!.Mode == WorkflowMode.ServiceByService
            ? async (batch, token) =>
            {
                var outcomes = await workflow.RunServiceByServiceAsync(service, batch, startAt, token);
                foreach (var device in batch)
                {
                    await Summarize(scope, service, device, outcomes[device.Id]);
                }
            }
        : (batch, token) => scope.Turns.ForEachAsync(batch, async (device, token) =>
            await Summarize(scope, service, device, await workflow.RunDeviceAsync(service, device, "", startAt, token)), token);
        if (scope.Run.Rollout is not { } plan)
        {
            await runBatch(devices, ct);
            return null;
        }
        return await new StagedRollout(plan, scope, dbFactory, gate).RunAsync(devices, runBatch, ct);
    }

    /// <summary>A workflow's outcome for one device, recorded and counted (<see cref="RecordOutcomeAsync"/>).</summary>
    private async Task Summarize(RunScope scope, Service workflow, Device device, bool success)
    {
        var recovered = await RecordOutcomeAsync(scope, workflow, device, success);
        scope.DeviceFinished(success, recovered);
        Publish(scope);
    }

    /// <summary>A workflow's outcome for one device, recorded at run level so that what a run finished is known
    /// after a restart (a plain service's own result already is). The device is done: its session closes.</summary>
    /// <returns>Whether it succeeded after a failed node.</returns>
    private async Task<bool> RecordOutcomeAsync(RunScope scope, Service workflow, Device device, bool success)
    {
        // eNMS's rule: the outcome is the last node's. A failure the path recovered from is still said, not hidden.
        var recovered = success && scope.NodeFailed(device);
        scope.Record(new RunResult
        {
            RunId = scope.Run.Id,
            ServiceId = workflow.Id,
            ServiceName = workflow.Name,
            DeviceId = device.Id,
            DeviceName = device.Name,
            Success = success,
            Output = !success ? "Workflow failed" : recovered ? RecoveredOutcome : "Workflow succeeded",
            StartedAt = time.GetUtcNow(),
        });
        await scope.DeviceDoneAsync(device);
        return recovered;
    }

    /// <summary>The outcome text of a device that succeeded after a failed node (how a recovered run counts them).</summary>
    public const string RecoveredOutcome = "Workflow succeeded after a failed node (recovered)";

    /// <summary>After a run that backed up configurations, the optional Git mirror of them. Its failure is a
    /// warning in the run log, never the run's (the backups are stored already).</summary>
    private async Task MirrorAsync(Run run, Dictionary<int, Service> services, RunScope scope, CancellationToken ct)
    {
        if (!mirror.Enabled || !services.Values.Any(s => s.Kind == ConfigBackupHandler.KindName))
        {
            return;
        }
        try
        {
            await mirror.MirrorRunAsync(run, (message, level) => scope.Log(message, level), ct);
        }
        catch (Exception e)
        {
            scope.Log($"Git mirror failed, the backups are kept: {e.Message}", "warning");
        }
    }

    /// <summary>Step 3, finish: the run's status, end time and device counts are stored and published.</summary>
    private async Task FinishAsync(Run run, RunScope scope)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var stored = await db.Runs.SingleAsync(r => r.Id == run.Id, CancellationToken.None);
        (stored.Status, stored.EndedAt, stored.Error, stored.FanOutJson) = (run.Status, time.GetUtcNow(), run.Error, run.FanOutJson);
        (stored.DevicesDone, stored.DevicesFailed, stored.DevicesRecovered, stored.DevicesTotal) =
            (scope.DevicesDone, scope.DevicesFailed, scope.DevicesRecovered, run.DevicesTotal);
        await db.SaveChangesAsync(CancellationToken.None);
        metrics.Finished(stored.Status);
        Publish(stored);
    }

    private void Publish(RunScope scope) =>
        notifier.Publish(new RunProgressed(scope.Run.Id, RunStatus.Running, scope.DevicesDone, scope.DevicesFailed, scope.Run.DevicesTotal, scope.DevicesRecovered));

    private void Publish(Run run) =>
        notifier.Publish(new RunProgressed(run.Id, run.Status, run.DevicesDone, run.DevicesFailed, run.DevicesTotal, run.DevicesRecovered));
}
