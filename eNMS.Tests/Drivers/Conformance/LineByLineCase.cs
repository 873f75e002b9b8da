namespace eNMS.Tests.Drivers.Conformance;

/// <summary>What the line-by-line conformance suite sends to one platform whose lines apply as they are typed, and
/// what the device answers.</summary>
public sealed record LineByLineCase(
    string Platform,
    string Command,
    string ExpectedOutput,
    string BadCommand,
    string DeviceError,
    string PagingOn,
    string PagedCommand,
    string PagedLinePrefix,
    string[] ConfigLines,
    string ConfigInRunning,
    string BadLine,
    string RunningStart,
    string RenameLine,
    string RenamedPrompt,
    string ShowSaved,
    string SaveCommand)
{
    public override string ToString() => Platform;

    /// <summary>A refused or cancelled push leaves nothing, the lines before the refused one included: OS10 discards
    /// its transaction, ProCurve's driver undoes them.</summary>
    public bool AllOrNothing { get; init; }

    /// <summary>What the failure of a push cut by a dropped connection says became of it, on a platform where nothing
    /// of it stays (null where the lines the device took stay applied).</summary>
    public string? CutPushOutcome { get; init; }

    public static readonly LineByLineCase Huawei = new("huawei",
        "display clock", "2026-11-25 11:00:00\nWednesday\nTime Zone(UTC) : UTC", "display bogus",
        "Error: Unrecognized command found at '^' position.",
        "screen-length 24 temporary", "display logbuffer", "Nov 25 2026 11:",
        ["interface GigabitEthernet0/0/9", " description enms-conformance", " quit", "ip route-static 203.0.113.0 255.255.255.0 192.0.2.254"],
        "interface GigabitEthernet0/0/9\n description enms-conformance\n#",
        "bogus line", "#\n sysname ", "sysname vrp-renamed", "<vrp-renamed>", "display saved-configuration", "save");

    public static readonly LineByLineCase Comware = Huawei with
    {
        Platform = "hp_comware",
        ExpectedOutput = "11:00:00.000 UTC Wed 11/25/2026",
        DeviceError = "% Unrecognized command found at '^' position.",
        PagingOn = "undo screen-length disable",
        PagedLinePrefix = "%Nov 25 11:",
        ConfigLines = ["interface GigabitEthernet1/0/9", " description enms-conformance", " quit", "ip route-static 203.0.113.0 24 192.0.2.254"],
        ConfigInRunning = "interface GigabitEthernet1/0/9\n description enms-conformance\n#",
        RunningStart = "#\n version 7.1.064, Release 0821P11\n#\n sysname ",
        RenameLine = "sysname comware-renamed",
        RenamedPrompt = "<comware-renamed>",
        SaveCommand = "save force",
    };

    public static readonly LineByLineCase Aoscx = new("aruba_aoscx",
        "show clock", "Wed Nov 25 11:00:00 UTC 2026\nSystem is configured for timezone : UTC", "show bogus",
        "Invalid input: bogus",
        "page", "show events", "2026-11-25T11:",
        ["interface 1/1/9", "description enms-conformance", "exit", "ip route 203.0.113.0/24 192.0.2.254"],
        "interface 1/1/9\n    description enms-conformance\n",
        "bogus line", "!\n!Version ArubaOS-CX ", "hostname aoscx-renamed", "aoscx-renamed#", "show startup-config", "write memory");

    public static readonly LineByLineCase Procurve = new("hp_procurve",
        "show time", "Wed Nov 25 11:00:00 2026", "show bogus", "Invalid input: bogus",
        "page", "show logging", "I 11/25/26 11:",
        ["interface 9", "name \"enms-conformance\"", "exit", "ip route 203.0.113.0 255.255.255.0 192.0.2.254"],
        "interface 9\n   name \"enms-conformance\"\n   exit\n",
        "bogus line", "; J9773A Configuration Editor; ", "hostname \"procurve-renamed\"", "procurve-renamed# ", "show config", "write memory")
    {
        AllOrNothing = true,
        CutPushOutcome = "what it had applied was undone over a new connection: the configuration is as before",
    };

    public static readonly LineByLineCase EdgeSwitch = new("ubiquiti_edge",
        "show clock", "11:00:00 UTC(UTC+0:00) Nov 25 2026\nNo time source", "show bogus", "% Invalid input detected at '^' marker.",
        "terminal length 24", "show logging buffered", "<14> Nov 25 11:",
        ["interface 0/9", "description enms-conformance", "exit", "ip route 203.0.113.0 255.255.255.0 192.0.2.254"],
        "interface 0/9\ndescription 'enms-conformance'\nexit\n",
        "bogus line", "network protocol none\n", "hostname \"edge-renamed\"", "(edge-renamed) #", "show startup-config", "write memory");

    public static readonly LineByLineCase Os10 = new("dell_os10",
        "show clock", "2026-11-25T11:00:00.00+00:00", "show bogus", "% Error: Unrecognized command.",
        "terminal length 24", "show logging log-file", "Nov 25 11:",
        ["interface ethernet 1/1/9", "description enms-conformance", "exit", "ip route 203.0.113.0/24 192.0.2.254"],
        "interface ethernet1/1/9\n description enms-conformance\n!",
        "bogus line", "ip vrf default\n!\nhostname ", "hostname os10-renamed", "os10-renamed# ", "show startup-configuration", "write memory")
    {
        AllOrNothing = true,
        CutPushOutcome = "the transaction was never committed and OS10 discards it with the session: nothing of this push applied",
    };
}
