using System.Globalization;
using System.Text.RegularExpressions;
using eNMS.Drivers.Cli;

namespace eNMS.Drivers.Platforms;

/// <summary>
/// Juniper Junos: a native candidate. <c>load merge|override terminal</c> (or <c>load set terminal</c> for set
/// commands), <c>show | compare</c>, <c>commit</c> / <c>commit confirmed N</c>, <c>rollback 0</c> to discard and
/// <c>rollback 1</c> + commit to roll back.
/// </summary>
public sealed class JuniperJunosDriver(CliSession session) : CliDriver(session)
{
    private static readonly CliProfile JunosProfile = CliProfile.Default with
    {
        PromptEnds = ">#%",
        SessionSetup = ["set cli screen-length 0", "set cli screen-width 0", "set cli complete-on-space off"],
        ConfigEnter = "configure",
        ConfigExit = "exit configuration-mode",
        ConfigPrompt = new(@"#\s*$", RegexOptions.CultureInvariant),
        Error = new(@"^\s*(syntax error|error:|unknown command|missing argument|invalid (value|command|interface))[^\n]*",
            RegexOptions.Multiline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant),
    };

    private static readonly CliCommandOptions ExitOptions = new()
    {
        Answers = [new CliAnswer(new Regex(@"\[yes,no\] \(yes\)\s*$"), "yes")],
    };

    private static readonly Regex EditHeader = new(@"^\[edit[^\]]*\]$", RegexOptions.Multiline | RegexOptions.CultureInvariant);

    private bool _loaded;

    public override DriverCapabilities Capabilities =>
        DriverCapabilities.Commands | DriverCapabilities.Config | DriverCapabilities.ConfigMerge |
        DriverCapabilities.ConfigReplace | DriverCapabilities.Diff | DriverCapabilities.CommitConfirm |
        DriverCapabilities.Rollback;

    protected internal override CliProfile Profile => JunosProfile;

    protected override string RunningConfigCommand => "show configuration | no-more";

    public override Config.ConfigShape RunningConfigShape => Config.ConfigShape.ClosedBraces;

    protected override string CleanRunningConfig(string output) =>
        string.Join('\n', output.Split('\n').Where(l => !l.StartsWith("## Last commit", StringComparison.Ordinal)));

    public override async Task<string> SendConfigAsync(IEnumerable<string> lines, CancellationToken ct)
    {
        await EnterAsync(ct);
        var replies = new List<string>();
        try
        {
            foreach (var line in lines.Where(l => l.Trim().Length > 0))
            {
                replies.Add(WithoutEditHeaders(await Session.SendCommandAsync(line.Trim(), ct)));
            }
            replies.Add(WithoutEditHeaders(await Session.SendCommandAsync("commit and-quit", ct, CliCommandOptions.PromptChanging)));
        }
        catch
        {
            await Session.SendCommandAsync("rollback 0", ct, new CliCommandOptions { CheckErrors = false });
            await LeaveAsync(ct);
            throw;
        }
        return string.Join('\n', replies.Where(r => r.Length > 0));
    }

    public override async Task LoadCandidateAsync(string config, ConfigLoadMode mode, CancellationToken ct)
    {
        bool setFormat = config.TrimStart().StartsWith("set ", StringComparison.Ordinal)
            || config.TrimStart().StartsWith("delete ", StringComparison.Ordinal);
        if (setFormat && mode is ConfigLoadMode.Replace)
        {
            throw new ArgumentException($"{Target.Name}: a replace candidate must be in curly-brace format", nameof(config));
        }
        await EnterAsync(ct);
        var how = setFormat ? "set" : mode is ConfigLoadMode.Replace ? "override" : "merge";
        // The body follows the command at once: Junos reads it until Ctrl-D on a line of its own.
        var body = $"load {how} terminal\n" + config.Replace("\r", "", StringComparison.Ordinal).TrimEnd('\n') + "\n\u0004";
        var reply = await Session.SendCommandAsync(body, ct, new CliCommandOptions { AppendNewline = false, CheckErrors = false });
        if (JunosProfile.Error.IsMatch(reply))
        {
            await Session.SendCommandAsync("rollback 0", ct, new CliCommandOptions { CheckErrors = false });
            await LeaveAsync(ct);
            throw new DeviceCommandException(Target.Name, $"load {how} terminal", WithoutEditHeaders(reply));
        }
        // Leaving "configure" (shared) keeps the candidate: other operations work from operational mode meanwhile.
        await LeaveAsync(ct);
        _loaded = true;
    }

    public override async Task<string> CompareAsync(CancellationToken ct)
    {
        await EnterAsync(ct);
        var diff = await Session.SendCommandAsync("show | compare", ct);
        await LeaveAsync(ct);
        return DiffFormat.Normalize(WithoutTrailingEdit(diff), _ => false);
    }

    public override async Task CommitAsync(CancellationToken ct, TimeSpan? confirmWithin = null)
    {
        await EnterAsync(ct);
        var command = confirmWithin is { } t
            ? "commit confirmed " + Math.Max(1, (int)Math.Ceiling(t.TotalMinutes)).ToString(CultureInfo.InvariantCulture)
            : "commit";
        await Session.SendCommandAsync(command, ct, new CliCommandOptions { Timeout = Target.Timeouts.Command * 2, PromptMayChange = true });
        await LeaveAsync(ct);
        _loaded = false;
    }

    public override async Task ConfirmCommitAsync(CancellationToken ct) => await CommitAsync(ct);

    public override async Task DiscardAsync(CancellationToken ct)
    {
        await EnterAsync(ct);
        await Session.SendCommandAsync("rollback 0", ct);
        await LeaveAsync(ct);
        _loaded = false;
    }

    public override async Task RollbackAsync(CancellationToken ct)
    {
        await EnterAsync(ct);
        await Session.SendCommandAsync("rollback 1", ct);
        await CommitAsync(ct);
    }

    public bool HasCandidate => _loaded;

    private Task EnterAsync(CancellationToken ct) => Session.EnterConfigModeAsync(ct);

    private async Task LeaveAsync(CancellationToken ct)
    {
        if (Session.InConfigMode)
        {
            await Session.SendCommandAsync(JunosProfile.ConfigExit, ct, ExitOptions);
        }
    }

    private static string WithoutTrailingEdit(string reply) =>
        Regex.Replace(reply, @"\n*\[edit\]\s*$", "", RegexOptions.CultureInvariant);

    private static string WithoutEditHeaders(string reply) => EditHeader.Replace(reply, "").Trim('\n');
}
