using eNMS.Core.Automation.Execution;
using eNMS.Core.Configurations;

namespace eNMS.Core.Automation.Handlers;

public sealed class ConfigBackupParameters;

/// <summary><c>config_backup</c>: fetches the running configuration and keeps it as a new version only when it
/// changed (changed = true then, with the diff from the previous version: the change detection a workflow can
/// follow with a notification on <c>results.NODE.changed</c>). A backup that is not a complete configuration (cut,
/// garbled, shrunk, no end marker of the platform) fails, is kept flagged and leaves the last good version current.</summary>
public sealed class ConfigBackupHandler(ConfigStore store) : ServiceHandler<ConfigBackupParameters>
{
    public const string KindName = "config_backup";

    public override string Kind => KindName;

    protected override async Task<ServiceResult> ExecuteAsync(ServiceContext context, ConfigBackupParameters p, CancellationToken ct)
    {
        string config;
        Drivers.Config.ConfigShape shape;
        await using (var session = await context.ConnectAsync(ct))
        {
            config = await session.Driver.GetRunningConfigAsync(ct);
            shape = session.Driver.RunningConfigShape;
        }
        var device = context.Device!;
        var (changed, version, previous, flag) = await store.SaveAsync(device.Id, device.Name, config, context.Run.Id, shape, ct);
        if (flag is not null)
        {
            var kept = previous is null ? "no good version exists yet" : $"version #{previous.Id} stays current";
            return ServiceResult.Fail($"Backup flagged, not kept as a configuration: {flag} (attempt stored as version #{version.Id}; {kept})",
                config, new { versionId = version.Id, flagged = true, flag, currentVersionId = previous?.Id });
        }
        var diff = previous is null ? "" : Text.LineDiff.Unified(previous.Config, version.Config);
        return ServiceResult.Ok(config, changed, new { versionId = version.Id, hash = version.Hash, previousVersionId = previous?.Id, changeDetected = previous is not null }, diff);
    }
}
