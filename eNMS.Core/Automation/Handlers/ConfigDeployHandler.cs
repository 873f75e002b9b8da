using System.Text.RegularExpressions;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Text;
using eNMS.Drivers;

namespace eNMS.Core.Automation.Handlers;

public sealed class ConfigDeployParameters
{
    /// <summary>The candidate configuration, a Liquid template.</summary>
    public string Config { get; set; } = "";
    public ConfigLoadMode Mode { get; set; } = ConfigLoadMode.Merge;
    /// <summary>Show the diff and discard the candidate.</summary>
    public bool DryRun { get; set; }
    /// <summary>Commands run after the commit; one per line.</summary>
    public string ValidationCommands { get; set; } = "";
    /// <summary>A regex the validation output must match, else the change is rolled back.</summary>
    public string ValidationPattern { get; set; } = "";
    /// <summary>Where the platform supports it, the device reverts by itself unless confirmed within this time.</summary>
    public int CommitConfirmSeconds { get; set; }
}

/// <summary><c>config_deploy</c>: loads a merge or replace candidate, shows its diff, commits, validates, and rolls
/// back automatically when the validation fails (NAPALM-style).</summary>
public sealed class ConfigDeployHandler : ServiceHandler<ConfigDeployParameters>
{
    protected override bool ChangesDevices(ConfigDeployParameters p) => !p.DryRun;

    protected override bool ChangesConfiguration(ConfigDeployParameters p) => !p.DryRun;

    public override string Kind => "config_deploy";

    public override string Description => "Loads a candidate configuration, shows the diff, commits and validates it, and rolls back when the validation fails.";

    protected override ConfigDeployParameters ExampleParameters => new() { Config = "ntp server 10.0.0.123", ValidationCommands = "show running-config", ValidationPattern = "ntp server 10\\.0\\.0\\.123" };

    protected override string? Validate(ConfigDeployParameters p)
    {
        if (string.IsNullOrWhiteSpace(p.Config))
        {
            return "Give the configuration to deploy.";
        }
        if (p.ValidationPattern.Length > 0)
        {
            if (UserRegex.Problem(p.ValidationPattern, RegexOptions.Multiline) is { } problem)
            {
                return $"The validation pattern cannot be used: {problem}";
            }
        }
        return Templates.TemplateRenderer.Check(p.Config);
    }

    protected override async Task<ServiceResult> ExecuteAsync(ServiceContext context, ConfigDeployParameters p, CancellationToken ct)
    {
        var config = await context.RenderAsync(p.Config);
        await using var driver = await context.ConnectAsync(ct);
        var needed = DriverCapabilities.Diff | (p.Mode == ConfigLoadMode.Replace ? DriverCapabilities.ConfigReplace : DriverCapabilities.ConfigMerge);
        if (!driver.Capabilities.HasFlag(needed))
        {
            return ServiceResult.Fail($"{driver.Target.Platform} cannot {p.Mode.ToString().ToLowerInvariant()} a candidate with a diff (capabilities: {driver.Capabilities}).");
        }
        if (p.CommitConfirmSeconds > 0 && !driver.Capabilities.HasFlag(DriverCapabilities.CommitConfirm))
        {
            // Committing without the revert timer asked for would promise a safety net that is not there.
            return ServiceResult.Fail($"{driver.Target.Platform} cannot commit with a revert timer " +
                $"(commitConfirmSeconds = {p.CommitConfirmSeconds}); nothing was sent. Set it to 0 to deploy without one.");
        }
        await driver.LoadCandidateAsync(config, p.Mode, ct);
        var diff = await driver.CompareAsync(ct);
        if (p.DryRun || diff.Length == 0)
        {
            await driver.DiscardAsync(ct);
            return ServiceResult.Ok(diff.Length == 0 ? "Already compliant: no change" : "Dry run: nothing applied", diff: diff);
        }
        var confirm = p.CommitConfirmSeconds > 0 ? TimeSpan.FromSeconds(p.CommitConfirmSeconds) : (TimeSpan?)null;
        await driver.CommitAsync(ct, confirm);
        var validation = await ValidateAsync(driver, p, ct);
        if (validation is not null)
        {
            if (driver.Capabilities.HasFlag(DriverCapabilities.Rollback))
            {
                await driver.RollbackAsync(ct);
                return ServiceResult.Fail($"Validation failed, the change was rolled back: {validation}", diff: diff);
            }
            return ServiceResult.Fail($"Validation failed and {driver.Target.Platform} cannot roll back: {validation}", diff: diff);
        }
        if (confirm is not null)
        {
            await driver.ConfirmCommitAsync(ct);
        }
        return ServiceResult.Ok("Committed" + (p.ValidationCommands.Length > 0 ? " and validated" : ""), changed: true, diff: diff);
    }

    /// <summary>Why the validation failed, or null.</summary>
    private static async Task<string?> ValidateAsync(DeviceSession driver, ConfigDeployParameters p, CancellationToken ct)
    {
        var commands = CliCommandsHandler.Lines(p.ValidationCommands).ToList();
        if (commands.Count == 0)
        {
            return null;
        }
        try
        {
            var outputs = await driver.SendCommandsAsync(commands, ct);
            var text = string.Join('\n', outputs.Select(o => o.Output));
            return p.ValidationPattern.Length == 0 || UserRegex.IsMatch(text, p.ValidationPattern, RegexOptions.Multiline)
                ? null : $"the output of {string.Join("; ", commands)} does not match {p.ValidationPattern}";
        }
        catch (Exception e) when (e is DeviceCommandException or UserRegexTimeoutException)
        {
            return e.Message;
        }
    }
}
