using System.Globalization;
using System.Text.Json;
using eNMS.Core.Automation;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Automation.Handlers;
using eNMS.Core.Data;
using eNMS.Core.Security;
using eNMS.Drivers;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Configurations;

/// <summary>
/// Rollback to a stored version and compliance remediation, started from the configuration pages as ordinary runs
/// (so they are queued, logged, audited and visible like any other): each goes through a service named for what it
/// does (created on first use, its parameters refreshed each time). Those services are ad hoc (<see cref="ServiceCatalogue"/>):
/// out of the catalogue, so a hundred rollbacks do not leave a hundred services in lists, pickers and counts; the run is
/// titled with what it did to which device ("Roll back paris-core to version 3 (preview)"), a title only users who may
/// see the device read, as a run is only theirs when its targets are. A preview is the dry run: the device's candidate
/// diff, nothing applied.
/// </summary>
public sealed class ConfigActions(IDbContextFactory<EnmsDbContext> dbFactory, RunLauncher launcher, AuditLog audit)
{
    /// <summary>Rolls the device back to a stored version (a preview is the dry run). Audited here, once, as "rollback"
    /// or "rollback preview" on the device (or "... refused" with why), whichever page or endpoint asked.</summary>
    public async Task<LaunchResult> RollbackAsync(int deviceId, long versionId, bool preview, AuditActor actor, IReadOnlyList<int>? scopePoolIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var audited = new AuditedAction(preview ? "rollback preview" : "rollback", "device", deviceId.ToString(CultureInfo.InvariantCulture),
            $"to configuration version #{versionId}");
        // Scoped: a version of a device outside the user's pools does not exist for them.
        await using var db = await dbFactory.CreateScopedAsync(scopePoolIds, ct);
        var version = await db.ConfigVersions.Where(v => v.Id == versionId && v.DeviceId == deviceId)
            .Select(v => new { v.Id, v.DeviceName, v.Flag, Number = db.ConfigVersions.Count(p => p.DeviceId == v.DeviceId && p.Id <= v.Id) })
            .FirstOrDefaultAsync(ct);
        if (version is null)
        {
            return await RefusedAsync(actor, audited, $"Configuration version #{versionId} of device #{deviceId} does not exist.", ct);
        }
        if (version.Flag is not null)
        {
            return await RefusedAsync(actor, audited, $"Configuration version #{versionId} is a flagged backup ({version.Flag}), not a configuration to roll back to.", ct);
        }
        // The service's name is only a unique key (by ids: it stays the same when the device is renamed); the run's title
        // is what people read.
        var key = $"config_rollback device #{deviceId} version #{version.Id}{(preview ? " preview" : "")} (one-off)";
        var serviceId = await UpsertAsync(db, key, "config_rollback", new ConfigRollbackParameters { VersionId = version.Id, DryRun = preview }, ct);
        var title = $"Roll back {version.DeviceName} to version {version.Number}{(preview ? " (preview)" : "")}";
        return await launcher.StartAsync(new RunRequest(serviceId, [deviceId], Trigger: "rollback", User: actor.User)
        { ScopePoolIds = scopePoolIds, Title = title, Actor = actor }, audited, ct);
    }

    /// <summary>Deploys the rule's intended configuration (replace for a full config, merge for snippets). Audited here,
    /// once, as "remediation" or "remediation dry run" on the rule (or "... refused" with why).</summary>
    public async Task<LaunchResult> RemediateAsync(int ruleId, IReadOnlyList<int> deviceIds, bool dryRun, AuditActor actor, IReadOnlyList<int>? scopePoolIds,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(deviceIds);
        var audited = new AuditedAction(dryRun ? "remediation dry run" : "remediation", "compliance rule", ruleId.ToString(CultureInfo.InvariantCulture), null);
        // Scoped: a rule of a pool outside the user's pools does not exist for them, as one whose read list leaves them out.
        await using var db = await dbFactory.CreateScopedAsync(scopePoolIds, ct);
        if (await ComplianceRules.ReadableAsync(db, ruleId, actor, ct) is not { } rule)
        {
            return await RefusedAsync(actor, audited, $"Compliance rule #{ruleId} does not exist.", ct);
        }
        audited = audited with { TargetName = rule.Name };
        if (rule.Mode == ComplianceMode.Regex)
        {
            return await RefusedAsync(actor, audited, $"{rule.Name} checks regular expressions: there is no intended configuration to deploy.", ct);
        }
        if (deviceIds.Count == 0)
        {
            return await RefusedAsync(actor, audited, "Choose the devices to remediate.", ct);
        }
        var parameters = new ConfigDeployParameters
        {
            Config = rule.Template,
            Mode = rule.Mode == ComplianceMode.FullConfig ? ConfigLoadMode.Replace : ConfigLoadMode.Merge,
            DryRun = dryRun,
        };
        var key = $"config_deploy compliance rule #{rule.Id}{(dryRun ? " dry run" : "")} (one-off)";
        var serviceId = await UpsertAsync(db, key, "config_deploy", parameters, ct);
        var title = $"Remediate {rule.Name}{(dryRun ? " (dry run)" : "")}";
        return await launcher.StartAsync(new RunRequest(serviceId, deviceIds, Trigger: "remediation", User: actor.User)
        { ScopePoolIds = scopePoolIds, Title = title, Actor = actor }, audited, ct);
    }

    /// <summary>Puts back every device a run changed as it was just before (from the snapshots the run kept), as a run of
    /// its own; a preview is the dry run with each device's diff. A device changed again by a later run is refused unless
    /// forced. Audited here, once, as "revert" or "revert preview" on the run (or "... refused" with why).</summary>
    public async Task<LaunchResult> RevertRunAsync(int runId, bool preview, bool force, AuditActor actor, IReadOnlyList<int>? scopePoolIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var audited = new AuditedAction(preview ? "revert preview" : "revert", "run", runId.ToString(CultureInfo.InvariantCulture),
            force ? "forced over later changes" : null);
        // Scoped: a run, and the devices of it, outside the user's pools do not exist for them.
        await using var db = await dbFactory.CreateScopedAsync(scopePoolIds, ct);
        var run = await db.Runs.AsNoTracking().Where(r => r.Id == runId).Select(r => new { r.Id, r.Status, r.ServiceName }).FirstOrDefaultAsync(ct);
        if (run is null)
        {
            return await RefusedAsync(actor, audited, $"Run #{runId} does not exist.", ct);
        }
        if (run.Status is RunStatus.Pending or RunStatus.Running)
        {
            return await RefusedAsync(actor, audited, $"Run #{runId} is still {run.Status.ToString().ToLowerInvariant()}: cancel it or let it end before reverting it.", ct);
        }
        var deviceIds = await Revertable(db, runId).OrderBy(s => s.DeviceName).Select(s => s.DeviceId).ToListAsync(ct);
        if (deviceIds.Count == 0)
        {
            return await RefusedAsync(actor, audited, $"Run #{runId} changed no device that eNMS kept the configuration of: there is nothing to revert (NETCONF edits, saves, uploads and scripts keep none).", ct);
        }
        var key = $"config_rollback revert run #{runId}{(force ? " force" : "")}{(preview ? " preview" : "")} (one-off)";
        var serviceId = await UpsertAsync(db, key, "config_rollback", new ConfigRollbackParameters { RevertRunId = runId, Force = force, DryRun = preview }, ct);
        var title = $"Revert run #{runId} ({run.ServiceName}){(preview ? " (preview)" : "")}";
        return await launcher.StartAsync(new RunRequest(serviceId, deviceIds, Trigger: "revert", User: actor.User)
        { ScopePoolIds = scopePoolIds, Title = title, Actor = actor }, audited, ct);
    }

    /// <summary>The snapshots of the devices a run changed that can be put back (as the context given may see them).</summary>
    public static IQueryable<ChangeSnapshot> Revertable(EnmsDbContext db, int runId)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.ChangeSnapshots.Where(s => s.RunId == runId && s.Config != null
            && db.RunResults.Any(r => r.RunId == runId && r.DeviceId == s.DeviceId && r.Changed));
    }

    private async Task<LaunchResult> RefusedAsync(AuditActor actor, AuditedAction action, string problem, CancellationToken ct)
    {
        await audit.WriteAsync(actor, action.Action + " refused", action.TargetKind, action.TargetId, action.TargetName, problem, ct);
        return new LaunchResult(0, [problem]);
    }

    private static async Task<int> UpsertAsync(EnmsDbContext db, string name, string kind, object parameters, CancellationToken ct)
    {
        var json = JsonSerializer.Serialize(parameters, ServiceJson.Options);
        var service = await db.Services.FirstOrDefaultAsync(s => s.Name == name, ct);
        if (service is null)
        {
            service = new Service { Name = name, Kind = kind, Description = "Created by eNMS for a configuration page action.", IsAdHoc = true };
            db.Services.Add(service);
        }
        if (service.Kind != kind || !service.IsAdHoc)
        {
            // A user's own service took the name: it is never reused (nor changed) for a one-off action.
            throw new InvalidOperationException($"A service of the catalogue is already named '{name}': rename it.");
        }
        service.Parameters = json;
        await db.SaveChangesAsync(ct);
        return service.Id;
    }
}
