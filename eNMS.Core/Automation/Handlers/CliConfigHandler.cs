using eNMS.Core.Automation.Execution;
using eNMS.Drivers;

namespace eNMS.Core.Automation.Handlers;

public sealed class CliConfigParameters
{
    /// <summary>Configuration lines, rendered as one Liquid template.</summary>
    public string Config { get; set; } = "";
    /// <summary>Show the difference the lines would make, change nothing.</summary>
    public bool DryRun { get; set; }
    /// <summary>Once applied, save the configuration for the next start (as <c>config_save</c> does); nothing to do
    /// where a commit is persistent.</summary>
    public bool Save { get; set; }
}

/// <summary><c>cli_config</c>: pushes configuration lines rendered from a template. Where the platform has
/// candidates it goes through one (so a dry run shows the real diff); elsewhere the lines are sent in config mode.</summary>
public sealed class CliConfigHandler : ServiceHandler<CliConfigParameters>
{
    protected override bool ChangesDevices(CliConfigParameters p) => !p.DryRun;

    protected override bool ChangesConfiguration(CliConfigParameters p) => !p.DryRun;

    public override string Kind => "cli_config";

    public override string Description => "Pushes configuration lines (a Liquid template per device) and shows the difference they make; dry run changes nothing.";

    protected override CliConfigParameters ExampleParameters => new() { Config = "snmp-server location {{ device.location }}", DryRun = true };

    protected override string? Validate(CliConfigParameters p) =>
        string.IsNullOrWhiteSpace(p.Config) ? "Give the configuration lines to push." : Templates.TemplateRenderer.Check(p.Config);

    protected override async Task<ServiceResult> ExecuteAsync(ServiceContext context, CliConfigParameters p, CancellationToken ct)
    {
        var config = await context.RenderAsync(p.Config);
        await using var driver = await context.ConnectAsync(ct);
        if (driver.Capabilities.HasFlag(DriverCapabilities.ConfigMerge) && driver.Capabilities.HasFlag(DriverCapabilities.Diff))
        {
            await driver.LoadCandidateAsync(config, ConfigLoadMode.Merge, ct);
            var diff = await driver.CompareAsync(ct);
            if (p.DryRun || diff.Length == 0)
            {
                await driver.DiscardAsync(ct);
                return ServiceResult.Ok(diff.Length == 0 ? "No change needed" : "Dry run: nothing applied", diff: diff);
            }
            await driver.CommitAsync(ct);
            return ServiceResult.Ok(await SavedAsync("Applied", driver, p, ct), changed: true, diff: diff);
        }
        var lines = CliCommandsHandler.Lines(config).ToList();
        if (p.DryRun)
        {
            return ServiceResult.Ok($"Dry run: {driver.Target.Platform} has no candidate configuration, these lines would be sent:\n{string.Join('\n', lines)}",
                diff: string.Join('\n', lines.Select(l => $"+ {l}")));
        }
        var reply = await driver.SendConfigAsync(lines, ct);
        return ServiceResult.Ok(await SavedAsync(reply, driver, p, ct), changed: true, diff: string.Join('\n', lines.Select(l => $"+ {l}")));
    }

    /// <summary>The output, with what the save said when one was asked for.</summary>
    private static async Task<string> SavedAsync(string output, DeviceSession driver, CliConfigParameters p, CancellationToken ct) =>
        p.Save ? $"{output}\nSaved: {await driver.SaveConfigAsync(ct)}".TrimStart('\n') : output;
}
