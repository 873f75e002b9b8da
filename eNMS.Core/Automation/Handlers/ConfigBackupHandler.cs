using eNMS.Core.Automation.Execution;
using eNMS.Core.Configurations;
using eNMS.Drivers.Netconf;

namespace eNMS.Core.Automation.Handlers;

public sealed class ConfigBackupParameters
{
    /// <summary>Fetch the running datastore over NETCONF (<c>get-config</c>, stored as indented XML) instead of the
    /// CLI. Devices with the custom property <c>netconf</c> = true are always backed up over NETCONF.</summary>
    public bool Netconf { get; set; }
    /// <summary>The NETCONF port (a device's <c>netconf_port</c> property wins).</summary>
    public int NetconfPort { get; set; } = 830;
}

/// <summary><c>config_backup</c>: fetches the running configuration and keeps it as a new version only when it
/// changed (changed = true then, with the diff from the previous version: the change detection a workflow can
/// follow with a notification on <c>results.NODE.changed</c>). A backup that is not a complete configuration (cut,
/// garbled, shrunk, no end marker of the platform) fails, is kept flagged and leaves the last good version current.
/// Over NETCONF the version is the running datastore as indented XML, one element per line, so diffs read line by line.</summary>
public sealed class ConfigBackupHandler(ConfigStore store) : ServiceHandler<ConfigBackupParameters>
{
    public const string KindName = "config_backup";

    public override string Kind => KindName;

    public override string Description => "Stores the running configuration as a new version when it changed, so it can be diffed, searched and restored.";

    protected override ConfigBackupParameters ExampleParameters => new();

    protected override string? Validate(ConfigBackupParameters p) =>
        p.NetconfPort is < 1 or > 65535 ? "The NETCONF port must be between 1 and 65535." : null;

    protected override async Task<ServiceResult> ExecuteAsync(ServiceContext context, ConfigBackupParameters p, CancellationToken ct)
    {
        var device = context.Device!;
        string config;
        Drivers.Config.ConfigShape shape;
        if (p.Netconf || ServiceContext.IsNetconfDevice(device))
        {
            await using var netconf = await context.ConnectNetconfAsync(p.NetconfPort, ct);
            config = NetconfXml.Indented(await netconf.Netconf.GetConfigAsync(NetconfDatastore.Running, null, ct));
            // The reply was parsed as a whole XML document: a cut one fails before this point.
            shape = Drivers.Config.ConfigShape.Unknown;
        }
        else
        {
            await using var driver = await context.ConnectAsync(ct);
            config = await driver.GetRunningConfigAsync(ct);
            shape = driver.RunningConfigShape;
        }
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
