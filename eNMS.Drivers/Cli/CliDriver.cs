namespace eNMS.Drivers.Cli;

/// <summary>
/// Drives a platform from its <see cref="PlatformProfile"/>: login, privileged mode, paging off, commands, config
/// lines in config mode, running config, checksums by the platform's MD5 command. Candidate operations are declared
/// through the profile's capabilities; those a platform lacks throw <see cref="NotSupportedException"/>. A platform
/// whose transaction model is special derives from this and overrides only what differs.
/// </summary>
public class CliDriver(CliSession session, PlatformProfile platform) : IDeviceDriver
{
    protected CliSession Session { get; } = session;

    /// <summary>What this driver knows of its platform.</summary>
    public PlatformProfile Platform { get; } = platform;

    public DeviceTarget Target => Session.Target;

    public DriverCapabilities Capabilities => Platform.Capabilities;

    public string Transcript => Session.Transcript;

    public bool IsUsable => Session.IsUsable;

    /// <summary>Opens another logged-in connection to the same device (set by <see cref="DriverFactory"/>): what a
    /// platform undoes a half-made change through when this connection died or was cancelled mid-command.</summary>
    public Func<CancellationToken, Task<IDeviceDriver>>? Reconnect { get; internal set; }

    /// <summary>The platform's CLI conventions (prompts, paging, errors, config mode).</summary>
    protected internal CliProfile Profile => Platform.Cli;

    public Config.ConfigShape RunningConfigShape => Platform.RunningConfigShape;

    public Config.CliNegation? Negation => Platform.Negation;

    public Config.IConfigInversion? Inversion => Platform.Inversion;

    /// <summary>By the profile's MD5 command; a platform without one does not checksum (a driver with its own way,
    /// e.g. Linux's sha256sum, overrides this).</summary>
    public virtual Task<FileChecksum?> FileChecksumAsync(string path, CancellationToken ct) => Platform.FileMd5 is { } md5
        ? Md5ByCommandAsync(path, md5.Command, md5.Digest, ct)
        : throw new NotSupportedException(FileChecksum.Unsupported(Target.Platform));

    /// <summary>Reading a whole image on a switch's flash takes minutes for a few hundred MB: longer than a command may.</summary>
    private static readonly TimeSpan ChecksumTimeout = TimeSpan.FromMinutes(15);

    private static readonly System.Text.RegularExpressions.Regex NoSuchFile = new(@"No such file or directory",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>Runs the platform's MD5 command for <paramref name="path"/> (built by <paramref name="command"/>) and
    /// reads the digest from the group <c>md5</c> of <paramref name="digest"/>: null when the device says there is no
    /// such file, a <see cref="DeviceCommandException"/> quoting any other reply (an unknown file system, a refusal).</summary>
    protected async Task<FileChecksum?> Md5ByCommandAsync(string path, Func<string, string> command, System.Text.RegularExpressions.Regex digest,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(digest);
        // The CLI splits words on spaces: a name with one would become a second argument (IOS takes it for the
        // expected digest), so it is refused rather than quoted in a way the platform may not read.
        if (path.Length == 0 || path.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new DeviceCommandException(Target.Name, command(path), "", $"the file name '{path}' is empty or has spaces or control characters: the checksum command cannot take it");
        }
        var sent = command(path);
        var timeout = Target.Timeouts.Command > ChecksumTimeout ? Target.Timeouts.Command : ChecksumTimeout;
        var reply = await Session.SendCommandAsync(sent, ct, new CliCommandOptions { CheckErrors = false, Timeout = timeout });
        if (NoSuchFile.IsMatch(reply))
        {
            return null;
        }
        var found = digest.Match(reply);
        return found.Success ? new FileChecksum("md5", found.Groups["md5"].Value.ToLowerInvariant())
            : throw new DeviceCommandException(Target.Name, sent, reply);
    }

    /// <summary>Logs in, enters privileged mode where there is one, turns paging off.</summary>
    public virtual async Task OpenAsync(CancellationToken ct)
    {
        await Session.LoginAsync(Profile, ct);
        await Session.EnableAsync(ct);
        await Session.SetupAsync(ct);
    }

    public virtual Task<string> SendCommandAsync(string command, CancellationToken ct) =>
        Session.SendCommandAsync(command, ct);

    public virtual Task<string> SendCommandAsync(string command, IReadOnlyList<CliAnswer> answers, CancellationToken ct) =>
        answers is { Count: > 0 }
            ? Session.SendCommandAsync(command, ct, new CliCommandOptions { Answers = answers })
            : SendCommandAsync(command, ct);

    public async Task<IReadOnlyList<CommandOutput>> SendCommandsAsync(IEnumerable<string> commands, CancellationToken ct)
    {
        var outputs = new List<CommandOutput>();
        foreach (var command in commands)
        {
            outputs.Add(new CommandOutput(command, await SendCommandAsync(command, ct)));
        }
        return outputs;
    }

    public virtual async Task<string> SendConfigAsync(IEnumerable<string> lines, CancellationToken ct)
    {
        RequireConfig();
        var sending = lines.Select(l => l.TrimEnd()).Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('!')).ToList();
        var replies = new List<string>();
        await Session.EnterConfigModeAsync(ct);
        try
        {
            for (int acknowledged = 0; acknowledged < sending.Count; acknowledged++)
            {
                var line = sending[acknowledged];
                string reply;
                try
                {
                    reply = await Session.SendCommandAsync(line, ct, line.TrimStart().StartsWith(Profile.RenameCommand + " ", StringComparison.Ordinal)
                        ? CliCommandOptions.PromptChanging
                        : CliCommandOptions.Default);
                }
                catch (DeviceException lost) when (lost is DeviceConnectionException or DeviceTimeoutException && !IsUsable)
                {
                    throw CutShort(lost, sending, acknowledged);
                }
                if (reply.Length > 0)
                {
                    replies.Add(reply);
                }
            }
        }
        finally
        {
            await LeaveConfigQuietlyAsync(ct);
        }
        return string.Join('\n', replies);
    }

    /// <summary>A push cut short by a dropped connection or a device gone silent, saying how far it got: the lines the
    /// device acknowledged (its prompt came back after them), the one it never answered, and how many were not sent.</summary>
    private DeviceException CutShort(DeviceException lost, List<string> lines, int acknowledged)
    {
        var progress = acknowledged == 0
            ? "the device acknowledged none of the lines"
            : $"the device acknowledged {acknowledged} of {lines.Count} lines, the last '{CliText.Shorten(lines[acknowledged - 1].Trim())}'";
        var unsent = lines.Count - acknowledged - 1;
        return LostWith(lost, $"; {progress}; '{CliText.Shorten(lines[acknowledged].Trim())}' (line {acknowledged + 1}) got no answer " +
            "(the device may or may not have taken it)" + (unsent > 0 ? $"; the {unsent} line(s) after it were not sent" : ""));
    }

    /// <summary>A lost connection or a device gone silent, as the same kind of failure with <paramref name="more"/> added
    /// to its message (what became of the change it cut).</summary>
    protected DeviceException LostWith(DeviceException lost, string more)
    {
        ArgumentNullException.ThrowIfNull(lost);
        return lost is DeviceTimeoutException
            ? new DeviceTimeoutException(Target.Name, lost.Detail + more) { PartialOutput = lost.PartialOutput }
            : new DeviceConnectionException(Target.Name, lost.Detail + more, lost) { PartialOutput = lost.PartialOutput };
    }

    public virtual async Task<string> GetRunningConfigAsync(CancellationToken ct)
    {
        RequireConfig();
        return CleanRunningConfig(await Session.SendCommandAsync(Platform.RunningConfigCommand, ct));
    }

    /// <summary>Drops the lines before the configuration proper (<see cref="PlatformProfile.RunningConfigHeader"/>).</summary>
    protected virtual string CleanRunningConfig(string output) => Platform.RunningConfigHeader is { } header
        ? string.Join('\n', output.Split('\n').SkipWhile(l => l.Length == 0 || header.IsMatch(l)))
        : output;

    private void RequireConfig()
    {
        if (!Capabilities.HasFlag(DriverCapabilities.Config))
        {
            throw Unsupported(DriverCapabilities.Config);
        }
    }

    /// <summary>By the profile's save command (<see cref="PlatformProfile.Save"/>), from exec mode.</summary>
    public virtual async Task<string> SaveConfigAsync(CancellationToken ct)
    {
        RequireConfig();
        if (Platform.Save is not { } save)
        {
            return NothingToSave(Target.Platform);
        }
        await Session.ExitConfigModeAsync(ct);
        var reply = await Session.SendCommandAsync(save.Command, ct,
            new CliCommandOptions { Answers = save.Answers, Timeout = Target.Timeouts.Command * 2 });
        // The outcome is the reply's last line (NX-OS prints a progress bar first).
        return save.Done.IsMatch(reply) ? reply : throw new DeviceCommandException(Target.Name, save.Command, reply,
            reply.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0) ?? "(no reply)");
    }

    /// <summary>What a save says where there is nothing to save.</summary>
    public static string NothingToSave(string platform) => $"nothing to save: a commit is persistent on {platform}";

    public virtual Task LoadCandidateAsync(string config, ConfigLoadMode mode, CancellationToken ct) =>
        throw Unsupported(mode is ConfigLoadMode.Replace ? DriverCapabilities.ConfigReplace : DriverCapabilities.ConfigMerge);

    public virtual Task<string> CompareAsync(CancellationToken ct) => throw Unsupported(DriverCapabilities.Diff);

    public virtual Task CommitAsync(CancellationToken ct, TimeSpan? confirmWithin = null) =>
        throw Unsupported(DriverCapabilities.ConfigMerge);

    public virtual Task ConfirmCommitAsync(CancellationToken ct) => throw Unsupported(DriverCapabilities.CommitConfirm);

    public virtual Task DiscardAsync(CancellationToken ct) => throw Unsupported(DriverCapabilities.ConfigMerge);

    public virtual Task RollbackAsync(CancellationToken ct) => throw Unsupported(DriverCapabilities.Rollback);

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return Session.DisposeAsync();
    }

    /// <summary>Whether <see cref="RollbackAsync"/> has something to go back to; null when it has, else why not (a dry
    /// run of a rollback asks this).</summary>
    public virtual Task<string?> RollbackUnavailableAsync(CancellationToken ct) => Task.FromResult<string?>(
        Capabilities.HasFlag(DriverCapabilities.Rollback) ? null : Unsupported(DriverCapabilities.Rollback).Message);

    /// <summary>A new connection in place of a dead one, logged in as at the start (to undo a half-applied change).</summary>
    protected async Task ReconnectAsync(CancellationToken ct)
    {
        await Session.ReopenAsync(ct);
        await OpenAsync(ct);
    }

    /// <summary>Leaves config mode; an error while leaving must not hide the one that led here. A connection a failure
    /// left unusable is not written to (it is closed instead: that ends config mode too); a cancelled push still leaves
    /// config mode, under a time limit of its own, so that the session is not used again in the middle of it.</summary>
    protected async Task LeaveConfigQuietlyAsync(CancellationToken ct)
    {
        if (!IsUsable)
        {
            await Session.CloseIfUnusableAsync();
            return;
        }
        using var own = ct.IsCancellationRequested ? new CancellationTokenSource(Target.Timeouts.Command) : null;
        try
        {
            await Session.ExitConfigModeAsync(own?.Token ?? ct);
        }
        catch (DeviceCommandException)
        {
            // The original failure (if any) is what the caller needs to see.
        }
        catch (Exception e) when (own is not null && e is DeviceException or OperationCanceledException)
        {
            // The cancellation is what the caller needs to see; the session, if it broke here, is not used again.
        }
    }

    /// <summary>Closes this connection at once when a failure left it unusable (<see cref="CliSession.CloseIfUnusableAsync"/>).</summary>
    internal Task CloseIfUnusableAsync() => Session.CloseIfUnusableAsync();

    /// <summary>Enters config mode and sends a candidate's lines one by one (blank lines and <c>#</c> comments left out),
    /// for platforms whose session holds a candidate (VyOS, PAN-OS, SR OS); on any failure — a refused line, a drop, a
    /// cancellation — <paramref name="undo"/> drops what the candidate took before the failure is rethrown.</summary>
    protected async Task SendCandidateLinesAsync(string config, Func<Exception, Task> undo, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(undo);
        try
        {
            await Session.EnterConfigModeAsync(ct);
            foreach (var line in config.Replace("\r", "", StringComparison.Ordinal).Split('\n').Select(l => l.Trim())
                .Where(l => l.Length > 0 && !l.StartsWith('#')))
            {
                await Session.SendCommandAsync(line, ct);
            }
        }
        catch (Exception failure)
        {
            await undo(failure);
            throw;
        }
    }

    /// <summary>Throws when a commit timer is asked of a platform without one.</summary>
    protected void RequireNoConfirmTimer(TimeSpan? confirmWithin)
    {
        if (confirmWithin is not null && !Capabilities.HasFlag(DriverCapabilities.CommitConfirm))
        {
            throw Unsupported(DriverCapabilities.CommitConfirm);
        }
    }

    protected NotSupportedException Unsupported(DriverCapabilities capability) =>
        new($"{Target.Name}: platform '{Target.Platform}' ({GetType().Name}) does not support {capability}; " +
            $"it supports {Capabilities}");
}
