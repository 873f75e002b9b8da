namespace eNMS.Drivers;

/// <summary>Where and how to reach one device. <see cref="Platform"/> is a Netmiko platform key ("cisco_ios").</summary>
public sealed record DeviceTarget(string Name, string Host, string Platform, DeviceCredential Credential)
{
    /// <summary>The TCP port of <see cref="Transport"/> on the device (22 for SSH, 23 for Telnet by convention).</summary>
    public int Port { get; init; } = 22;

    /// <summary>How the CLI is reached: the same session engine runs over either.</summary>
    public CliTransport Transport { get; init; } = CliTransport.Ssh;

    /// <summary>An SSH host to tunnel through (a local port forwarded over it) before reaching the device.</summary>
    public JumpHost? Jump { get; init; }

    /// <summary>Other jump hosts to go through, in order, when <see cref="Jump"/> cannot be reached or does not
    /// answer (eNMS gateways by priority). A refused login or a changed host key is not retried elsewhere.</summary>
    public IReadOnlyList<JumpHost> FallbackJumps { get; init; } = [];

    /// <summary>Every secret this target carries, the gateways' logins included: what its transcripts must mask.</summary>
    public IEnumerable<string> Secrets =>
        Credential.Secrets.Concat(Jump?.Credential.Secrets ?? []).Concat(FallbackJumps.SelectMany(j => j.Credential.Secrets));

    public DeviceTimeouts Timeouts { get; init; } = DeviceTimeouts.Default;

    /// <summary>Answered by the in-process <see cref="Simulation.DeviceSimulator"/> (the demo network): never dialled.</summary>
    public bool Simulated { get; init; }

    /// <summary>Largest command output kept, in characters; the rest is replaced by a visible marker.</summary>
    public int MaxOutputChars { get; init; } = 4 * 1024 * 1024;
}

/// <summary>Login secrets. <see cref="ToString"/> never prints them.</summary>
public sealed record DeviceCredential(string Username, string? Password = null)
{
    /// <summary>An OpenSSH or PEM private key, as text.</summary>
    public string? PrivateKey { get; init; }

    public string? Passphrase { get; init; }

    /// <summary>The secret <c>enable</c> asks for on platforms with a privileged mode.</summary>
    public string? EnableSecret { get; init; }

    /// <summary>Every secret this credential holds, for redaction.</summary>
    public IEnumerable<string> Secrets =>
        new[] { Password, Passphrase, EnableSecret }.Where(s => !string.IsNullOrEmpty(s)).Select(s => s!);

    public override string ToString() => $"DeviceCredential {{ Username = {Username}, secrets redacted }}";
}

/// <summary>The byte stream a CLI session runs over.</summary>
public enum CliTransport
{
    Ssh,

    /// <summary>RFC 854 Telnet: no encryption and no host key, the login answered at the device's prompts.</summary>
    Telnet,
}

public sealed record JumpHost(string Host, DeviceCredential Credential)
{
    public int Port { get; init; } = 22;
}

/// <summary>
/// <paramref name="Connect"/>: TCP + SSH handshake + login. <paramref name="Read"/>: longest silence while waiting for
/// a prompt. <paramref name="Command"/>: longest time for one command's whole reply.
/// </summary>
public sealed record DeviceTimeouts(TimeSpan Connect, TimeSpan Read, TimeSpan Command)
{
    /// <summary>How long a device may sit at a question (a line ending like "[confirm]", "[yes/no]:" or "?") that no
    /// answer matched before the command fails quoting it: sooner than <see cref="Read"/>, so a forgotten answer is
    /// reported at once and the question left unanswered (the connection is dropped, which answers nothing).</summary>
    public TimeSpan UnansweredPrompt { get; init; } = TimeSpan.FromSeconds(3);

    public static DeviceTimeouts Default { get; } =
        new(TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(120));
}
