using eNMS.Core.Ansible;
using eNMS.Core.Automation.Execution;
using eNMS.Core.Data;
using eNMS.Drivers;
using eNMS.Drivers.Cli;
using Microsoft.EntityFrameworkCore;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace eNMS.Core.Automation.Handlers;

public sealed class AnsiblePlaybookParameters
{
    public int PlaybookId { get; set; }
    /// <summary>A version number of the playbook; 0 runs the latest.</summary>
    public int PlaybookVersion { get; set; }
    /// <summary>YAML or JSON mapping passed as --extra-vars; a Liquid template rendered per device.</summary>
    public string ExtraVars { get; set; } = "";
    /// <summary>Comma-separated, as Ansible takes them; templates allowed.</summary>
    public string Tags { get; set; } = "";
    public string SkipTags { get; set; } = "";
    /// <summary>An Ansible host pattern (--limit): devices it excludes are skipped.</summary>
    public string Limit { get; set; } = "";
    /// <summary>--check --diff: report what would change and change nothing.</summary>
    public bool DryRun { get; set; }
}

/// <summary>
/// <c>ansible_playbook</c>: runs a playbook of the library with the real <c>ansible-playbook</c> on each target
/// device. One ansible-playbook per device, so that a device keeps its own path through a workflow, its own timeout,
/// retries and result, as with every other service (Ansible's forks would only help within one invocation). The
/// inventory, host keys and credentials come from eNMS; see <see cref="AnsibleRunner"/>.
/// </summary>
public sealed class AnsiblePlaybookHandler(PlaybookLibrary library, KnownHosts knownHosts,
    IDbContextFactory<EnmsDbContext> dbFactory, AnsibleRunner runner) : ServiceHandler<AnsiblePlaybookParameters>
{
    protected override bool ChangesDevices(AnsiblePlaybookParameters p) => !p.DryRun;

    protected override bool ChangesConfiguration(AnsiblePlaybookParameters p) => !p.DryRun;

    public override string Kind => "ansible_playbook";

    public override string Description => "Runs a playbook of the library with ansible-playbook on the target devices (inventory and credentials from eNMS).";

    protected override AnsiblePlaybookParameters ExampleParameters => new() { ExtraVars = "ntp_server: 10.0.0.123", DryRun = true };

    protected override string? Validate(AnsiblePlaybookParameters p) =>
        p.PlaybookId <= 0 ? "Choose a playbook of the library."
            : Templates.TemplateRenderer.Check(p.ExtraVars) ?? (Templates.TemplateRenderer.IsTemplate(p.ExtraVars) ? null : ExtraVarsProblem(p.ExtraVars));

    protected override async Task<ServiceResult> ExecuteAsync(ServiceContext context, AnsiblePlaybookParameters p, CancellationToken ct)
    {
        var device = context.Device ?? throw new InvalidOperationException("ansible_playbook runs on devices: give the service targets.");
        var playbook = await library.FindAsync(p.PlaybookId, p.PlaybookVersion, ct);
        if (playbook is null)
        {
            return ServiceResult.Fail($"Playbook #{p.PlaybookId}{(p.PlaybookVersion > 0 ? $" version {p.PlaybookVersion}" : "")} does not exist.");
        }
        // The playbook's run list binds whoever started the run, whichever service or workflow names it.
        if (await library.RunRefusalAsync(p.PlaybookId, context.Run.CreatedBy, ct) is { } notAllowed)
        {
            return ServiceResult.Fail($"{notAllowed} (run started by {context.Run.CreatedBy})");
        }
        var extraVars = await context.RenderAsync(p.ExtraVars);
        if (ExtraVarsProblem(extraVars) is { } problem)
        {
            return ServiceResult.Fail($"Extra variables for {device.Name}: {problem}");
        }
        // First, as it refuses a device that must not be dialled before any credential is decrypted.
        var inventory = AnsibleInventory.Build([device], _ => PoolNames(device.Id));
        var target = await context.TargetAsync();
        // The run's device may come without its gateways loaded; the target was resolved with them.
        if (AnsibleInventory.Refusal(device, target.Jump is not null) is { } refusal)
        {
            return ServiceResult.Fail($"{device.Name}: {refusal}");
        }
        var connection = AnsibleInventory.ConnectionFor(device.Platform);
        var invocation = new AnsibleInvocation(playbook.Content, inventory)
        {
            SecretHostVars = new Dictionary<string, IReadOnlyDictionary<string, string>> { [device.Name] = SecretVars(target.Credential, connection) },
            PrivateKeys = target.Credential.PrivateKey is { } key ? new Dictionary<string, string> { [device.Name] = key } : new Dictionary<string, string>(),
            KeyPassphrases = target.Credential.Passphrase is { Length: > 0 } passphrase
                ? new Dictionary<string, string> { [device.Name] = passphrase } : new Dictionary<string, string>(),
            ExtraVars = extraVars,
            Tags = await context.RenderAsync(p.Tags),
            SkipTags = await context.RenderAsync(p.SkipTags),
            Limit = await context.RenderAsync(p.Limit),
            CheckMode = p.DryRun,
            KnownHosts = await TrustedKeysAsync(context, target, ct),
            Secrets = new SecretRedactor(target.Secrets),
        };
        context.Log($"ansible-playbook {playbook.Content.Length} bytes (version {playbook.Number}){(p.DryRun ? " in check mode" : "")}");
        var outcome = await runner.RunAsync(invocation, (line, level) => context.Log(line, level), ct);
        return ToResult(device.Name, playbook, outcome, p.DryRun);
    }

    private List<string> PoolNames(int deviceId)
    {
        using var db = dbFactory.CreateDbContext();
        return db.Pools.Where(pool => pool.Devices.Any(d => d.Id == deviceId)).Select(pool => pool.Name).ToList();
    }

    private static Dictionary<string, string> SecretVars(DeviceCredential credential, AnsibleConnection connection)
    {
        var vars = new Dictionary<string, string> { ["ansible_user"] = credential.Username };
        if (credential.Password is { } password)
        {
            vars["ansible_password"] = password;
        }
        if (connection.Enable && credential.EnableSecret is { } enable)
        {
            vars["ansible_become_password"] = enable;
        }
        return vars;
    }

    /// <summary>The device's host keys that match the fingerprint eNMS trusts for it. A device never seen before is
    /// first reached through eNMS's own SSH client, which learns its key the way every other service does.</summary>
    private async Task<IReadOnlyList<string>> TrustedKeysAsync(ServiceContext context, DeviceTarget target, CancellationToken ct)
    {
        var name = KnownHosts.KeyFor(target.Host, target.Port);
        if (!knownHosts.Entries.ContainsKey(name))
        {
            // Connecting once learns the key (trust on first use).
            await using var driver = await context.ConnectAsync(ct);
        }
        if (!knownHosts.Entries.TryGetValue(name, out var fingerprint))
        {
            throw new DeviceException(target.Name, $"eNMS trusts no host key for {name}");
        }
        return await AnsibleHostKeys.TrustedLinesAsync(target.Name, target.Host, target.Port, fingerprint, ct);
    }

    private static ServiceResult ToResult(string host, PlaybookVersion playbook, AnsibleOutcome outcome, bool dryRun)
    {
        if (!outcome.Hosts.TryGetValue(host, out var result))
        {
            // ansible-playbook refuses to run when --limit leaves no host: for this device that means "not selected".
            return outcome.ExitCode == 0 || outcome.Errors.Contains("leaves us with no hosts to target", StringComparison.Ordinal)
                ? ServiceResult.Ok($"No task ran on {host} (limit or tags exclude it).")
                : ServiceResult.Fail($"ansible-playbook exited with {outcome.ExitCode}: {Last(outcome.Errors)}", outcome.Errors);
        }
        var output = string.Join('\n', result.Tasks.Select(t => $"{t.Status}: [{t.Task}]{(t.Message.Length > 0 ? " " + t.Message : "")}"));
        var diff = string.Join('\n', result.Tasks.Where(t => t.Diff.Length > 0).Select(t => $"# {t.Task}\n{t.Diff}"));
        var data = new
        {
            playbookId = playbook.PlaybookId,
            playbookVersion = playbook.Number,
            checkMode = dryRun,
            exitCode = outcome.ExitCode,
            ok = result.Ok,
            changed = result.Changed,
            failed = result.Failed,
            unreachable = result.Unreachable,
            skipped = result.Skipped,
            tasks = result.Tasks,
        };
        if (result.Success)
        {
            return ServiceResult.Ok(output, changed: result.Changed > 0 && !dryRun, data: data, diff: diff);
        }
        var failedTask = result.Tasks.LastOrDefault(t => t.Status is "failed" or "unreachable");
        var error = result.Unreachable > 0 ? $"{host} unreachable" : $"{result.Failed} task(s) failed on {host}";
        return ServiceResult.Fail(failedTask is null ? error : $"{error}: [{failedTask.Task}] {failedTask.Message}", output, data, diff);
    }

    private static string Last(string errors) =>
        errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "no error output";

    /// <summary>Why the text is not a YAML/JSON mapping of variables, or null (empty is fine).</summary>
    public static string? ExtraVarsProblem(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            return $"line {e.Start.Line}, column {e.Start.Column}: {e.InnerException?.Message ?? e.Message}";
        }
        return stream.Documents.Count == 1 && stream.Documents[0].RootNode is YamlMappingNode ? null : "extra variables must be one mapping (name: value).";
    }
}
