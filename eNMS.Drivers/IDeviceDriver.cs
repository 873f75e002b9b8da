namespace eNMS.Drivers;

/// <summary>
/// One connected device. A driver is reusable for many operations within a run; dispose it to close the connection.
/// Operations a platform lacks (see <see cref="Capabilities"/>) throw <see cref="NotSupportedException"/>.
/// Device errors surface as <see cref="DeviceException"/> subclasses naming the device.
/// </summary>
public interface IDeviceDriver : IAsyncDisposable
{
    DeviceTarget Target { get; }

    DriverCapabilities Capabilities { get; }

    /// <summary>False after a timeout or a dropped connection: connect again.</summary>
    bool IsUsable { get; }

    /// <summary>What was sent and received so far, secrets redacted.</summary>
    string Transcript { get; }

    /// <summary>Runs one command and returns its output without the echo or the prompt.</summary>
    Task<string> SendCommandAsync(string command, CancellationToken ct);

    /// <summary>Runs one command that may ask questions (<c>reload</c>: "Proceed with reload? [confirm]", <c>copy</c>:
    /// "Destination filename [x]?"): each question a pattern matches gets its reply. A question nobody answers fails
    /// the command quoting it (<see cref="DeviceUnansweredPromptException"/>) once the device has waited
    /// <see cref="DeviceTimeouts.UnansweredPrompt"/> for an answer.</summary>
    Task<string> SendCommandAsync(string command, IReadOnlyList<Cli.CliAnswer> answers, CancellationToken ct);

    /// <summary>Runs commands in order; stops at the first error.</summary>
    Task<IReadOnlyList<CommandOutput>> SendCommandsAsync(IEnumerable<string> commands, CancellationToken ct);

    /// <summary>Enters config mode, sends the lines, leaves config mode. Returns what the device replied.</summary>
    Task<string> SendConfigAsync(IEnumerable<string> lines, CancellationToken ct);

    Task<string> GetRunningConfigAsync(CancellationToken ct);

    /// <summary>How a complete running configuration of this platform ends: what tells a backup cut short apart.</summary>
    Config.ConfigShape RunningConfigShape => Config.ConfigShape.Unknown;

    /// <summary>How the platform's configuration is turned back into an earlier one, for the inverse changes of a
    /// revert where it cannot replace it (indented <c>no</c> lines, or <c>set</c>/<c>delete</c> paths); null where
    /// eNMS does not compute them.</summary>
    Config.IConfigInversion? Inversion => null;

    /// <summary>Loads a candidate without applying it.</summary>
    Task LoadCandidateAsync(string config, ConfigLoadMode mode, CancellationToken ct);

    /// <summary>The difference the loaded candidate would apply ("+ line" / "- line"), empty when none.</summary>
    Task<string> CompareAsync(CancellationToken ct);

    /// <summary>Applies the candidate. With <paramref name="confirmWithin"/>, the device reverts unless
    /// <see cref="ConfirmCommitAsync"/> is called in time (needs <see cref="DriverCapabilities.CommitConfirm"/>).</summary>
    Task CommitAsync(CancellationToken ct, TimeSpan? confirmWithin = null);

    /// <summary>Confirms a commit made with a revert timer.</summary>
    Task ConfirmCommitAsync(CancellationToken ct);

    /// <summary>Drops the loaded candidate.</summary>
    Task DiscardAsync(CancellationToken ct);

    /// <summary>Makes the running configuration the one the device starts with (<c>write memory</c>, <c>copy
    /// running-config startup-config</c>) and returns what the device said. Where a commit is persistent (Junos, IOS
    /// XR) nothing is sent and the reply says so. A reply that does not say the save worked fails it
    /// (<see cref="DeviceCommandException"/>, quoting the device).</summary>
    Task<string> SaveConfigAsync(CancellationToken ct);

    /// <summary>Restores the configuration as it was before the last commit.</summary>
    Task RollbackAsync(CancellationToken ct);

    /// <summary>Null when <see cref="RollbackAsync"/> has a previous configuration to go back to, else why not.</summary>
    Task<string?> RollbackUnavailableAsync(CancellationToken ct) => Task.FromResult<string?>(null);

    /// <summary>The digest of a file on the device, computed there by the platform's own command (sha256sum on Linux),
    /// or null when the device has no such file.</summary>
    /// <exception cref="NotSupportedException">The platform has no checksum command eNMS drives.</exception>
    Task<FileChecksum?> FileChecksumAsync(string path, CancellationToken ct) =>
        throw new NotSupportedException(FileChecksum.Unsupported(Target.Platform));
}

/// <summary>A file's digest: the algorithm (<c>sha256</c>, <c>md5</c>) and the digest in lower-case hex.</summary>
public sealed record FileChecksum(string Algorithm, string Hex)
{
    public static string Unsupported(string platform) => $"checksum not supported on {platform}";
}

/// <summary>A command and what the device replied.</summary>
public sealed record CommandOutput(string Command, string Output);
