using System.Text.RegularExpressions;
using eNMS.Drivers.Cli;

namespace eNMS.Drivers;

/// <summary>How a platform takes configuration changes.</summary>
public enum CommitModel
{
    /// <summary>No configuration through the CLI (a host's shell).</summary>
    None,

    /// <summary>Each line takes effect as it is sent (IOS, NX-OS, FRR): a transaction is something the driver builds.</summary>
    Immediate,

    /// <summary>Lines go into a candidate that a <c>commit</c> applies at once, or an abort drops (Junos, EOS sessions).</summary>
    Candidate,
}

/// <summary>How a platform makes its running configuration the one it starts with: the command, and what its reply
/// says when the save worked (anything else fails the save, quoting the reply). <see cref="Answers"/>: what the save
/// asks before it writes (Huawei's "Continue? [Y/N]:").</summary>
public sealed record ConfigSave(string Command, Regex Done)
{
    public IReadOnlyList<CliAnswer> Answers { get; init; } = [];
}

/// <summary>A platform's MD5 command: how it is written for a path, and the group <c>md5</c> that reads its digest.</summary>
public sealed record Md5Command(Func<string, string> Command, Regex Digest);

/// <summary>
/// Everything eNMS knows about a platform, as data: its Netmiko key and the other names inventories give it, its CLI
/// conventions (<see cref="CliProfile"/>: prompts, paging, enable, config mode, errors), its commit model and
/// capabilities, how its running configuration is read. One file per platform in <c>Platforms/Profiles/</c>;
/// <see cref="Driver"/> names a driver class only where the transaction model is special, else the plain
/// <see cref="CliDriver"/> drives it from this profile alone.
/// </summary>
public sealed record PlatformProfile
{
    /// <summary>Netmiko's key (<c>cisco_ios</c>): what is stored on a device.</summary>
    public required string Key { get; init; }

    /// <summary>Other Netmiko keys for the same CLI (<c>cisco_xe</c>, <c>cisco_ios_ssh</c>). The <c>_telnet</c>
    /// variant of the key and of each alias is understood without being listed.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>NAPALM's driver names for the platform (<c>ios</c>), as older eNMS sheets give them.</summary>
    public IReadOnlyList<string> NapalmDrivers { get; init; } = [];

    public CliProfile Cli { get; init; } = CliProfile.Default;

    /// <summary>Appended to the user name at login, unless the name already has options after a '+': MikroTik's
    /// terminal options (<c>+ct511w4098h</c>: no colours, no terminal detection, a width and a height that never
    /// page). Empty for most platforms.</summary>
    public string LoginSuffix { get; init; } = "";

    public CommitModel CommitModel { get; init; } = CommitModel.Immediate;

    public DriverCapabilities Capabilities { get; init; } = DriverCapabilities.Commands | DriverCapabilities.Config;

    /// <summary>How far a push is all-or-nothing when neither the commit model nor the capabilities say it (FortiOS's
    /// blocks), for README's platform table; null: as they say.</summary>
    public string? AtomicSummary { get; init; }

    public string RunningConfigCommand { get; init; } = "show running-config";

    /// <summary>Lines before the configuration proper ("Building configuration..."): dropped, with empty lines, while
    /// they lead the output. Null: the output is the configuration.</summary>
    public Regex? RunningConfigHeader { get; init; }

    public Config.ConfigShape RunningConfigShape { get; init; } = Config.ConfigShape.Unknown;

    /// <summary>How a line is taken back where the platform cannot replace its configuration: what a revert computes
    /// the inverse changes with (<see cref="Config.ConfigInverse"/>); null where eNMS does not compute them.</summary>
    public Config.CliNegation? Negation { get; init; }

    /// <summary>How a configuration of <c>set</c>/<c>delete</c> paths is taken back where the platform cannot replace
    /// it (<see cref="Config.PathNegation"/>: VyOS, PAN-OS, SR OS); null where eNMS does not compute the inverse so.</summary>
    public Config.PathNegation? PathNegation { get; init; }

    /// <summary>What a revert computes the inverse changes with: <see cref="Negation"/> or <see cref="PathNegation"/>.</summary>
    public Config.IConfigInversion? Inversion => (Config.IConfigInversion?)Negation ?? PathNegation;

    /// <summary>How the running configuration is saved for the next start; null when there is nothing to save (a
    /// commit is persistent on Junos and IOS XR; a host's shell has no configuration).</summary>
    public ConfigSave? Save { get; init; }

    /// <summary>Why nothing needs saving where that is not a persistent commit (FortiOS saves each <c>end</c>), for
    /// README's platform table; null: a commit is persistent.</summary>
    public string? SavedBy { get; init; }

    /// <summary>What saving the configuration means on this platform, in a word (README's platform table).</summary>
    public string SaveSummary => Save is { } save ? $"`{save.Command}`"
        : CommitModel is CommitModel.None ? "—" : "not needed: " + (SavedBy ?? "a commit is persistent");

    /// <summary>The platform's MD5 command, null when it has none (or a driver computes checksums its own way).</summary>
    public Md5Command? FileMd5 { get; init; }

    /// <summary>The checksum command of a platform whose driver computes checksums its own way (no
    /// <see cref="FileMd5"/>), as README's platform table shows it.</summary>
    public string? FileChecksumCommand { get; init; }

    /// <summary>The driver class; null for the plain <see cref="CliDriver"/>.</summary>
    public Func<CliSession, PlatformProfile, CliDriver>? Driver { get; init; }

    /// <summary>The key and every alias, for error messages and pickers.</summary>
    public IEnumerable<string> Names => [Key, .. Aliases];

    public CliDriver CreateDriver(CliSession session) => Driver is { } create ? create(session, this) : new CliDriver(session, this);
}
