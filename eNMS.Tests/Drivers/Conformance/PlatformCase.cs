namespace eNMS.Tests.Drivers.Conformance;

/// <summary>What the conformance suite sends to one platform and what it expects back.</summary>
public sealed record PlatformCase(
    string Platform,
    string Command,
    string ExpectedOutput,
    string BadCommand,
    string[] ConfigLines,
    string ConfigInRunning,
    string MergeCandidate,
    string MergedLine,
    Func<string, string> ReplaceCandidate,
    string ReplacedAddedLine,
    string ReplacedRemovedLine)
{
    public override string ToString() => Platform;

    public static readonly PlatformCase Ios = new("cisco_ios",
        "show clock", "11:00:00.000 UTC Wed Nov 25 2026", "show bogus",
        ["interface GigabitEthernet0/9", " description enms-conformance"], "interface GigabitEthernet0/9\n description enms-conformance",
        "ip route 203.0.113.0 255.255.255.0 Null0", "ip route 203.0.113.0 255.255.255.0 Null0",
        host => $"hostname {host}\ninterface GigabitEthernet0/1\n description replaced\n", "description replaced", "ip route 198.18.0.0 255.254.0.0 192.0.2.254");

    public static readonly PlatformCase Nxos = Ios with
    {
        Platform = "cisco_nxos",
        ConfigLines = ["interface Ethernet1/9", " description enms-conformance"],
        ConfigInRunning = "interface Ethernet1/9\n description enms-conformance",
        MergeCandidate = "ip route 203.0.113.0/24 Null0",
        MergedLine = "ip route 203.0.113.0/24 Null0",
    };

    public static readonly PlatformCase Eos = Nxos with
    {
        Platform = "arista_eos",
        ConfigLines = ["interface Ethernet9", " description enms-conformance"],
        ConfigInRunning = "interface Ethernet9\n description enms-conformance",
        ReplaceCandidate = host => $"hostname {host}\ninterface Ethernet1\n description replaced\n",
        ReplacedRemovedLine = "ip route 198.18.0.0/15 192.0.2.254",
    };

    public static readonly PlatformCase Junos = new("juniper_junos",
        "show system uptime", "Current time: 2026-11-25 11:00:00 UTC", "show bogus",
        ["set interfaces ge-0/0/9 description enms-conformance"], "description enms-conformance;",
        "routing-options {\n    static {\n        route 203.0.113.0/24 discard;\n    }\n}\n", "route 203.0.113.0/24 discard;",
        host => $"system {{\n    host-name {host};\n}}\ninterfaces {{\n    ge-0/0/0 {{\n        description replaced;\n    }}\n}}\n",
        "description replaced;", "address 192.0.2.1/24;");

    /// <summary>IOS XR prints the time before a show command's output, as the device does.</summary>
    public static readonly PlatformCase Xr = new("cisco_xr",
        "show clock", "Wed Nov 25 11:00:00.000 UTC\n11:00:00.000 UTC Wed Nov 25 2026", "show bogus",
        ["interface GigabitEthernet0/0/0/9", " description enms-conformance"], "interface GigabitEthernet0/0/0/9\n description enms-conformance",
        "ntp server 203.0.113.1", "ntp server 203.0.113.1",
        host => $"hostname {host}\ninterface MgmtEth0/RP0/CPU0/0\n description replaced\n", "description replaced", "198.18.0.0/15 192.0.2.254");

    public static TheoryData<string> Emulated => ["cisco_ios", "cisco_nxos", "arista_eos", "juniper_junos", "cisco_xr"];

    public static PlatformCase For(string platform) => platform switch
    {
        "cisco_ios" => Ios,
        "cisco_nxos" => Nxos,
        "arista_eos" => Eos,
        "juniper_junos" => Junos,
        "cisco_xr" => Xr,
        _ => throw new ArgumentOutOfRangeException(nameof(platform)),
    };
}
