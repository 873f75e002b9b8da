using eNMS.Core.Automation.Execution;
using eNMS.Core.Configurations;
using eNMS.Drivers;

namespace eNMS.Core.Automation.Handlers;

public sealed class ConfigRollbackParameters
{
    /// <summary>A stored backup version to restore (replace); 0 rolls back the device's last commit.</summary>
    public long VersionId { get; set; }
    public bool DryRun { get; set; }
}

/// <summary><c>config_rollback</c>: back to the device's previous commit, or to a stored backup version.</summary>
public sealed class ConfigRollbackHandler(ConfigStore store) : ServiceHandler<ConfigRollbackParameters>
{
    protected override bool ChangesDevices(ConfigRollbackParameters p) => !p.DryRun;

    public override string Kind => "config_rollback";

    public override string Description => "Undoes the device's last commit, or restores a stored configuration version.";

    protected override ConfigRollbackParameters ExampleParameters => new() { DryRun = true };

    protected override async Task<ServiceResult> ExecuteAsync(ServiceContext context, ConfigRollbackParameters p, CancellationToken ct)
    {
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
        if (!driver.Capabilities.HasFlag(DriverCapabilities.ConfigReplace | DriverCapabilities.Diff))
        {
            return ServiceResult.Fail($"{driver.Target.Platform} cannot replace its configuration with a diff.");
        }
        await driver.LoadCandidateAsync(version.Config, ConfigLoadMode.Replace, ct);
        var diff = await driver.CompareAsync(ct);
        if (p.DryRun || diff.Length == 0)
        {
            await driver.DiscardAsync(ct);
            return ServiceResult.Ok(diff.Length == 0 ? "Already at that version" : "Dry run: nothing applied", diff: diff);
        }
        await driver.CommitAsync(ct);
        return ServiceResult.Ok($"Restored version #{version.Id} of {version.CreatedAt:u}", changed: true, diff: diff);
    }
}
