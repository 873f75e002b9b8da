using eNMS.Core.Automation.Execution;

namespace eNMS.Core.Automation.Handlers;

public sealed class ConfigSaveParameters
{
}

/// <summary><c>config_save</c>: makes the running configuration the one the device starts with, by the platform's
/// own command (<c>write memory</c>, <c>copy running-config startup-config</c>). Where a commit is persistent (Junos,
/// IOS XR) nothing is sent and the output says so. A reply that does not say the save worked fails the service,
/// quoting the device.</summary>
public sealed class ConfigSaveHandler : ServiceHandler<ConfigSaveParameters>
{
    protected override bool ChangesDevices(ConfigSaveParameters p) => true;

    public override string Kind => "config_save";

    public override string Description => "Saves the running configuration as the startup configuration (write memory), where the platform needs it.";

    protected override ConfigSaveParameters ExampleParameters => new();

    protected override async Task<ServiceResult> ExecuteAsync(ServiceContext context, ConfigSaveParameters p, CancellationToken ct)
    {
        await using var driver = await context.ConnectAsync(ct);
        var reply = await driver.SaveConfigAsync(ct);
        // The startup configuration was written, unless the platform had nothing to save.
        return ServiceResult.Ok(reply, changed: reply != Drivers.Cli.CliDriver.NothingToSave(driver.Target.Platform));
    }
}
