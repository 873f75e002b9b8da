using eNMS.Core.Automation.Execution;
using eNMS.Core.Configurations;

namespace eNMS.Core.Automation.Handlers;

public sealed class ConfigBackupParameters;

/// <summary><c>config_backup</c>: fetches the running configuration and keeps it as a new version only when it
/// changed (changed = true then, with the diff from the previous version: the change detection a workflow can
/// follow with a notification on <c>results.NODE.changed</c>).</summary>
public sealed class ConfigBackupHandler(ConfigStore store) : ServiceHandler<ConfigBackupParameters>
{
    public const string KindName = "config_backup";

    public override string Kind => KindName;

    protected override async Task<ServiceResult> ExecuteAsync(ServiceContext context, ConfigBackupParameters p, CancellationToken ct)
    {
        string config;
        await using (var session = await context.ConnectAsync(ct))
        {
            config = await session.Driver.GetRunningConfigAsync(ct);
        }
        var device = context.Device!;
        var (changed, version, previous) = await store.SaveAsync(device.Id, device.Name, config, context.Run.Id, ct);
        var diff = previous is null ? "" : Text.LineDiff.Unified(previous.Config, version.Config);
        return ServiceResult.Ok(config, changed, new { versionId = version.Id, hash = version.Hash, previousVersionId = previous?.Id, changeDetected = previous is not null }, diff);
    }
}
