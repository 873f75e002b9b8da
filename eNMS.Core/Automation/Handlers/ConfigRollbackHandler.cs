using eNMS.Core.Automation.Execution;
using eNMS.Core.Configurations;
using eNMS.Core.Data;
using eNMS.Drivers;
using eNMS.Drivers.Config;
using Microsoft.EntityFrameworkCore;

namespace eNMS.Core.Automation.Handlers;

public sealed class ConfigRollbackParameters
{
    /// <summary>A stored backup version to restore (replace); 0 rolls back the device's last commit.</summary>
    public long VersionId { get; set; }

    /// <summary>A run to revert: each device goes back to the configuration kept just before that run first changed it.</summary>
    public int RevertRunId { get; set; }

    /// <summary>Revert even a device that a later run changed again (that later change is undone too).</summary>
    public bool Force { get; set; }

    public bool DryRun { get; set; }
}

/// <summary><c>config_rollback</c>: back to the device's previous commit, or to a stored backup version.</summary>
public sealed class ConfigRollbackHandler(ConfigStore store, IDbContextFactory<EnmsDbContext> dbFactory) : ServiceHandler<ConfigRollbackParameters>
{
    protected override bool ChangesDevices(ConfigRollbackParameters p) => !p.DryRun;

    protected override bool ChangesConfiguration(ConfigRollbackParameters p) => !p.DryRun;

    public override string Kind => "config_rollback";

    public override string Description => "Undoes the device's last commit, or restores a stored configuration version.";

    protected override ConfigRollbackParameters ExampleParameters => new() { DryRun = true };

    protected override string? Validate(ConfigRollbackParameters p) =>
        p.RevertRunId < 0 ? "The run to revert must be a run id."
        : p.RevertRunId > 0 && p.VersionId > 0 ? "Restore either a stored version or the configuration before a run, not both."
        : null;

    protected override async Task<ServiceResult> ExecuteAsync(ServiceContext context, ConfigRollbackParameters p, CancellationToken ct)
    {
        if (p.RevertRunId > 0)
        {
            var (before, refusal) = await BeforeRunAsync(context.Device!, context.Run.Id, p, ct);
            if (refusal is not null)
            {
                return ServiceResult.Fail(refusal);
            }
            await using var reverting = await context.ConnectAsync(ct);
            if (!reverting.Capabilities.HasFlag(DriverCapabilities.ConfigReplace | DriverCapabilities.Diff) && reverting.Inversion is { } inversion)
            {
                return await InverseAsync(context, reverting, inversion, before!, p, ct);
            }
            return await ReplaceAsync(reverting, before!, p.DryRun, "Already as before the run", $"Reverted to the configuration before run #{p.RevertRunId}", ct);
        }
        await using var driver = await context.ConnectAsync(ct);
        if (p.VersionId == 0)
        {
            if (!driver.Capabilities.HasFlag(DriverCapabilities.Rollback))
            {
                return ServiceResult.Fail($"{driver.Target.Platform} keeps no previous commit to roll back to: restore a stored version instead.");
            }
            if (p.DryRun)
            {
                if (await driver.RollbackUnavailableAsync(ct) is { } why)
                {
                    return ServiceResult.Fail($"Dry run: the last commit cannot be rolled back: {why}");
                }
                return ServiceResult.Ok("Dry run: the last commit would be rolled back");
            }
            await driver.RollbackAsync(ct);
            return ServiceResult.Ok("Rolled back to the previous commit", changed: true);
        }
        var version = await store.FindAsync(p.VersionId, null, ct);
        if (version is null || version.DeviceId != context.Device!.Id)
        {
            return ServiceResult.Fail($"Configuration version #{p.VersionId} of {context.Device!.Name} does not exist.");
        }
        if (version.Flag is not null)
        {
            return ServiceResult.Fail($"Configuration version #{p.VersionId} of {context.Device!.Name} is a flagged backup, not a complete configuration ({version.Flag}): it cannot be rolled back to.");
        }
        return await ReplaceAsync(driver, version.Config, p.DryRun, "Already at that version", $"Restored version #{version.Id} of {version.CreatedAt:u}", ct);
    }

    /// <summary>Replaces the running configuration with <paramref name="config"/>; a dry run shows the diff only.</summary>
    private static async Task<ServiceResult> ReplaceAsync(DeviceSession driver, string config, bool dryRun, string unchanged, string done, CancellationToken ct)
    {
        if (!driver.Capabilities.HasFlag(DriverCapabilities.ConfigReplace | DriverCapabilities.Diff))
        {
            return ServiceResult.Fail($"{driver.Target.Platform} cannot replace its configuration with a diff.");
        }
        await driver.LoadCandidateAsync(config, ConfigLoadMode.Replace, ct);
        var diff = await driver.CompareAsync(ct);
        if (dryRun || diff.Length == 0)
        {
            await driver.DiscardAsync(ct);
            return ServiceResult.Ok(diff.Length == 0 ? unchanged : "Dry run: nothing applied", diff: diff);
        }
        await driver.CommitAsync(ct);
        return ServiceResult.Ok(done, changed: true, diff: diff);
    }

    /// <summary>Back to <paramref name="before"/> where the platform cannot replace its configuration: the inverse
    /// changes (<see cref="IConfigInversion"/>: negated lines, or deleted and set paths) are the dry run's output and are
    /// sent line by line, or into the candidate and committed once; the first line the device refuses stops the revert,
    /// naming it, and a refused commit names the device's reasons. Where the device stands after a failure is read
    /// fresh from it. A fresh backup then checks the device equals the snapshot: what still differs fails the device,
    /// never a success claimed.</summary>
    private async Task<ServiceResult> InverseAsync(ServiceContext context, DeviceSession driver, IConfigInversion inversion, string before,
        ConfigRollbackParameters p, CancellationToken ct)
    {
        var device = context.Device!;
        var running = await driver.GetRunningConfigAsync(ct);
        var diff = inversion.Diff(running, before);
        var commands = inversion.Commands(running, before);
        var how = inversion.CommitsOnce ? "into its candidate, committed once" : "line by line";
        var sent = $"{driver.Target.Platform} cannot replace its configuration: the inverse changes, {commands.Count} line(s) {how}:\n" +
            string.Join('\n', commands);
        if (commands.Count == 0)
        {
            var unchanged = inversion.Residual(running, before);
            return unchanged.Length == 0
                ? ServiceResult.Ok("Already as before the run")
                : ServiceResult.Fail($"{device.Name} differs from its configuration before run #{p.RevertRunId} in a way no line can undo:\n{unchanged}", diff: diff);
        }
        if (p.DryRun)
        {
            return ServiceResult.Ok($"Dry run: nothing applied. {sent}", diff: diff);
        }
        try
        {
            await driver.SendConfigAsync(commands, ct);
        }
        catch (DeviceCommandException refused)
        {
            var (error, moved) = await RefusedAsync(driver, inversion, refused, commands, running, before, device.Name, p, ct);
            return new ServiceResult(false, sent, moved, null, diff, error);
        }
        // The fresh backup: kept in the device's history, and the proof of the revert.
        var backup = await driver.GetRunningConfigAsync(ct);
        await store.SaveAsync(device.Id, device.Name, backup, context.Run.Id, driver.RunningConfigShape, ct);
        var residual = inversion.Residual(backup, before);
        if (residual.Length > 0)
        {
            return new ServiceResult(false, sent, true, null, diff,
                $"{device.Name} still differs from its configuration before run #{p.RevertRunId} after the inverse changes:\n{residual}");
        }
        return ServiceResult.Ok($"Reverted to the configuration before run #{p.RevertRunId}; a fresh backup shows it equal. {sent}", changed: true, diff: diff);
    }

    /// <summary>Why the revert stopped (the refused line and its place, or the refused commit and the device's reasons)
    /// and where the device stands, from a fresh read of its configuration: a candidate platform applied none of it, a
    /// line-by-line one may have undone the lines before it or kept them.</summary>
    private static async Task<(string Error, bool Moved)> RefusedAsync(DeviceSession driver, IConfigInversion inversion, DeviceCommandException refused,
        IReadOnlyList<string> commands, string running, string before, string name, ConfigRollbackParameters p, CancellationToken ct)
    {
        var why = refused.Message.Split("' failed: ", 2) is [_, var reason] ? reason : refused.Message;
        int at = commands.ToList().FindIndex(c => c.Trim() == refused.Command.Trim());
        var stop = at < 0 && refused.Command.StartsWith("commit", StringComparison.Ordinal)
            ? $"The revert's commit of {commands.Count} line(s) was refused by {name}: {why}."
            : $"The revert stopped at '{refused.Command.Trim()}', which {name} refused: {why}" +
                (at < 0 ? "." : $" (line {at + 1} of {commands.Count}; the {commands.Count - at - 1} after it were not sent).");
        var now = driver.IsUsable ? await driver.GetRunningConfigAsync(ct) : null;
        var moved = now is not null && inversion.Diff(running, now).Length > 0;
        var state = now is null ? "The connection is lost: back up the device to see its state."
            : !moved && inversion.CommitsOnce ? "Nothing was committed: the candidate was discarded, and a fresh read shows the device unchanged."
            : !moved ? "The device is as it was before the revert."
            : $"{(inversion.CommitsOnce ? "A fresh read shows the device changed although nothing was committed" : "The lines before it stay applied")}; " +
                $"what still differs from before run #{p.RevertRunId}:\n{inversion.Residual(now, before)}";
        return ($"{stop} {state}", moved);
    }

    /// <summary>The configuration kept before run <c>RevertRunId</c> changed the device, or why it cannot be restored.</summary>
    private async Task<(string? Config, string? Refusal)> BeforeRunAsync(Inventory.Device device, int thisRun, ConfigRollbackParameters p, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var snapshot = await db.ChangeSnapshots.AsNoTracking().FirstOrDefaultAsync(s => s.RunId == p.RevertRunId && s.DeviceId == device.Id, ct);
        if (snapshot is null)
        {
            return (null, $"Run #{p.RevertRunId} did not change {device.Name}: there is nothing of it to revert.");
        }
        if (snapshot.Config is not { } config)
        {
            return (null, $"Run #{p.RevertRunId} cannot be reverted on {device.Name}: {snapshot.Problem}");
        }
        // A later change would be undone along with this one: only on purpose. (This run kept its own snapshot already.)
        var later = await db.ChangeSnapshots.AsNoTracking()
            .Where(s => s.DeviceId == device.Id && s.RunId > p.RevertRunId && s.RunId != thisRun
                && db.RunResults.Any(r => r.RunId == s.RunId && r.DeviceId == device.Id && r.Changed))
            .OrderBy(s => s.RunId).Select(s => (int?)s.RunId).FirstOrDefaultAsync(ct);
        if (later is int laterRun && !p.Force)
        {
            return (null, $"{device.Name} was changed again by run #{laterRun} after run #{p.RevertRunId}: reverting would undo that change too. " +
                $"Revert run #{laterRun} first, or force the revert.");
        }
        return (config, null);
    }
}
