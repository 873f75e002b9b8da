using eNMS.Drivers;

namespace eNMS.Tests.Drivers.Conformance;

/// <summary>What the negative conformance section pushes to one candidate platform, what the device answers to the
/// line it refuses, and how to ask the device what of ours is still there (sessions, candidate, checkpoints, timers).</summary>
public sealed record NegativeCase(
    string Platform,
    string[] Good,
    string Bad,
    string DeviceError,
    string LeftoversCommand,
    string OursMarker)
{
    public override string ToString() => Platform;

    public static readonly NegativeCase Junos = new("juniper_junos",
        ["set interfaces ge-0/0/7 description enms-negative", "set routing-options static route 203.0.113.0/24 discard"],
        "set protocolz ospf area 0", "syntax error",
        "show system commit", "rollback in");

    public static readonly NegativeCase Eos = new("arista_eos",
        ["interface Ethernet7", " description enms-negative", "ip route 203.0.113.0/24 Null0"],
        "bogus line", "% Invalid input (at token 0: 'bogus')",
        "show configuration sessions", "enms-");

    public static readonly NegativeCase Nxos = new("cisco_nxos",
        ["interface Ethernet1/7", " description enms-negative", "ip route 203.0.113.0/24 Null0"],
        "bogus line", "% Invalid command at '^' marker.",
        "show checkpoint summary", "enms_");

    /// <summary>IOS XR drops a session's target when the session ends; what could stay is a session in config mode.</summary>
    public static readonly NegativeCase Xr = new("cisco_xr",
        ["interface GigabitEthernet0/0/0/7", " description enms-negative", "router static", " address-family ipv4 unicast", "  203.0.113.0/24 Null0"],
        "bogus line", "% Invalid input detected at '^' marker.",
        "show configuration sessions", "enmslab");

    public static TheoryData<string> Platforms => ["juniper_junos", "arista_eos", "cisco_nxos", "cisco_xr"];

    public static NegativeCase For(string platform) => platform switch
    {
        "juniper_junos" => Junos,
        "arista_eos" => Eos,
        "cisco_nxos" => Nxos,
        "cisco_xr" => Xr,
        _ => throw new ArgumentOutOfRangeException(nameof(platform)),
    };

    /// <summary>The good lines with the refused one at <paramref name="at"/> (0: first; Good.Length: last).</summary>
    public string[] WithBadAt(int at) => [.. Good[..at], Bad, .. Good[at..]];

    /// <summary>As <c>cli_config</c> pushes to a platform with candidates: load a merge, compare, commit.</summary>
    public static async Task PushAsync(IDeviceDriver driver, IEnumerable<string> lines, CancellationToken ct)
    {
        await driver.LoadCandidateAsync(string.Join('\n', lines) + "\n", ConfigLoadMode.Merge, ct);
        await driver.CompareAsync(ct);
        await driver.CommitAsync(ct);
    }
}
