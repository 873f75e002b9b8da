using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using eNMS.Core.Parsing;
using eNMS.Drivers;
using eNMS.Drivers.Simulation;
using eNMS.Tests.TestSupport;

namespace eNMS.Tests.Core.Parsing;

/// <summary>Our engine and Google's TextFSM (Debian's python3-textfsm) on the same templates and texts: the same
/// header and rows, or both an error.</summary>
public sealed class TextFsmDifferentialTests
{
    private const string Python = "/usr/bin/python3";

    private static readonly (string Template, string Text)[] Cases =
    [
        ("Value Filldown Vrf (\\S+)\nValue Route (\\S+)\n\nStart\n  ^vrf ${Vrf}\n  ^route ${Route} -> Record\n  ^reset -> Clearall\n", "vrf red\nroute 1\nroute 2\nvrf blue\nroute 3\nreset\nroute 4\n"),
        ("Value Port (\\S+)\nValue Fillup Speed (\\d+)\n\nStart\n  ^port ${Port} ${Speed} -> Record\n  ^port ${Port} -> Record\n", "port 1 10\nport 2\nport 3\nport 4 100\n"),
        ("Value Name (\\S+)\nValue List Members (\\S+)\n\nStart\n  ^group ${Name}\n  ^ member ${Members}\n  ^end -> Record\n", "group a\n member x\n member y\nend\ngroup b\nend\n"),
        ("Value Required,List Members (\\S+)\nValue Name (\\S+)\n\nStart\n  ^group ${Name}\n  ^ member ${Members}\n  ^end -> Record\n", "group a\n member x\nend\ngroup b\nend\n"),
        ("Value Filldown,List Members (\\S+)\nValue Name (\\S+)\n\nStart\n  ^group ${Name}\n  ^ member ${Members}\n  ^end -> Record\n", "group a\n member x\nend\ngroup b\nend\n"),
        ("Value List People ((?P<name>\\w+)\\s+(?P<age>\\d+)?)\n\nStart\n  ^${People}\n", "Bob 32\nAnn \n"),
        ("Value Filldown Host (\\S+)\nValue Item (\\S+)\n\nStart\n  ^host ${Host} -> Items\n\nItems\n  ^item ${Item} -> Record\n  ^drop ${Item} -> Clear\n  ^done -> Start\n", "item ignored\nhost h1\nitem i1\ndrop i2\ndone\nitem ignored\nhost h2\nitem i3\n"),
        ("Value A (\\S+)\nValue B (\\S+)?\n\nStart\n  ^${A}(\\s+${B})? -> Record\n", "x y\nz\n\n"),
        ("Value A (\\S+)\n\nStart\n  ^v ${A}\n\nEOF\n", "v 1\n"),
        ("Value A (\\S+)\n\nStart\n  ^v ${A} -> Record\n  ^stop -> EOF\n", "v 1\nstop\nv 2\n"),
        ("Value A (\\S+)\n\nStart\n  ^v ${A} -> Record\n  ^stop -> End\n", "v 1\nstop\nv 2\n"),
        ("Value A (\\S+)\n\nStart\n  ^ok ${A} -> Record\n  ^. -> Error \"unexpected\"\n", "ok 1\nbad 2\n"),
        ("Value Mtu (\\d+)\n\nStart\n  ^mtu $Mtu$$ -> Record\n", "mtu 10\r\nmtu 20 extra\r\n"),
        ("Value A (\\w+)\n\nStart\n  ^(?P<x>\\w+) (?P=x)\\Z -> Continue\n  ^${A} -> Record\n", "ab ab\ncd ef\n"),
        ("Value A ([^]x]+)\n\nStart\n  ^(?i)V ${A} -> Next.Record\n  ^w{,2}$$ -> Clearall\n", "v 1]\nww\nv 2\n"),
        ("Value A ([^]x]+)\n\nStart\n  ^(?i:V) ${A} -> Next.Record\n  ^w{,2}$$ -> Clearall\n", "v 1]\nww\nV 2\n"),
        ("Value A (x)\n\nStart\n  ^x$\n", "x"),
        ("Value Key,Key A (x)\n\nStart\n  ^x\n", "x"),
        ("Value A (x)\n\nStart\n  ^x -> Continue Start\n", "x"),
    ];

    private static readonly (string Template, string Text)[] BuiltIn =
    [
        ("cisco_ios_show_version.textfsm", "Cisco IOS Software, IOSv Software (VIOS-ADVENTERPRISEK9-M), Version 15.9(3)M4, RELEASE SOFTWARE (fc1)\nr1 uptime is 1 day, 2 hours, 3 minutes\nSystem returned to ROM by reload\nSystem image file is \"flash0:/vios-adventerprisek9-m\"\n"),
        ("cisco_nxos_show_version.textfsm", "Cisco Nexus Operating System (NX-OS) Software\n  NXOS: version 9.3(8)\n  Device name: nx1\n  Reason: Reset Requested by CLI command reload\n"),
        ("arista_eos_show_version.textfsm", "Arista vEOS-lab\nHardware version:\nSerial number: SN123\nSystem MAC address:  5254.0012.3456\n\nSoftware image version: 4.30.1F\nUptime: 1 hour and 2 minutes\n"),
        ("juniper_junos_show_version.textfsm", "Hostname: r1\nModel: vmx\nJunos: 21.4R3-S1.6\n"),
        ("cisco_xr_show_version.textfsm", "Cisco IOS XR Software, Version 7.9.2\n\nxr1 uptime is 1 day, 2 hours, 3 minutes\n"),
        ("cisco_asa_show_version.textfsm", "\nCisco Adaptive Security Appliance Software Version 9.16(4)\n\nfw1 up 1 day 2 hours\n"),
        // The lab emulators' outputs, exactly (lab/emulator): what ParsingOverSshTests reads over SSH.
        ("cisco_ios_show_version.textfsm", "Cisco IOS Software, IOSv Software (VIOS-ADVENTERPRISEK9-M), Version 15.9(3)M4\nios1 uptime is 1 day, 2 hours, 3 minutes\nSystem returned to ROM by power-on\nSystem image file is \"flash:vios-adventerprisek9-m.spa.159-3.m4.bin\"\n"),
        ("cisco_nxos_show_version.textfsm", "Cisco Nexus Operating System (NX-OS) Software\n  NXOS: version 9.3(8)\n  Device name: nx1\n"),
        ("arista_eos_show_version.textfsm", "Arista vEOS-lab\nSoftware image version: 4.30.1F\nHostname: eos1\n"),
        ("cisco_xr_show_version.textfsm", "Cisco IOS XR Software, Version 7.9.2\nCopyright (c) 2013-2023 by Cisco Systems, Inc.\n\nBuild Information:\n Built By     : ingunawa\n\nxr1 uptime is 1 day, 2 hours, 3 minutes\n"),
        ("cisco_ios_show_ip_interface_brief.textfsm", "Interface              IP-Address      OK? Method Status                Protocol\nGigabitEthernet0/0     10.0.0.1        YES NVRAM  up                    up\nGigabitEthernet0/1     unassigned      YES unset  administratively down down\n"),
        ("cisco_ios_show_ip_route_summary.textfsm", "IP routing table name is default (0x0)\nIP routing table maximum-paths is 32\nRoute Source    Networks    Subnets     Replicates  Overhead    Memory (bytes)\napplication     0           0           0           0           0\nconnected       0           4           0           384         1216\nstatic          1           0           0           96          304\nospf 1          0           3           0           288         912\nTotal           1           7           0           768         2432\n"),
        // show cdp neighbors detail as IOS, NX-OS (serial in the device id, system name, Mgmt address) and IOS XR print it.
        ("cisco_ios_show_cdp_neighbors_detail.textfsm", "-------------------------\nDevice ID: r2.lab.example\nEntry address(es): \n  IP address: 10.1.1.2\nPlatform: cisco ISR4451-X/K9,  Capabilities: Router Switch IGMP \nInterface: GigabitEthernet0/1,  Port ID (outgoing port): GigabitEthernet0/0\nHoldtime : 157 sec\n\nVersion :\nCisco IOS Software [Cupertino], ISR Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), Version 17.9.4a, RELEASE SOFTWARE (fc3)\nTechnical Support: http://www.cisco.com/techsupport\n\nadvertisement version: 2\nManagement address(es): \n  IP address: 192.0.2.2\n\n-------------------------\nDevice ID: sw1\nEntry address(es): \nPlatform: cisco WS-C3850-24T,  Capabilities: Switch IGMP \nInterface: GigabitEthernet0/2,  Port ID (outgoing port): GigabitEthernet1/0/1\nHoldtime : 120 sec\n\nVersion :\nCisco IOS Software, IOS-XE Software, Catalyst L3 Switch Software (CAT3K_CAA-UNIVERSALK9-M), Version 16.12.4\n\nTotal cdp entries displayed : 2\n"),
        ("cisco_ios_show_cdp_neighbors_detail.textfsm", "----------------------------------------\nDevice ID:nx2(FOX1234ABCD)\nSystem Name: nx2\n\nInterface address(es):\n    IPv4 Address: 10.1.2.2\nPlatform: N9K-C9300v, Capabilities: Router Switch IGMP Filtering Supports-STP-Dispute\nInterface: Ethernet1/1, Port ID (outgoing port): Ethernet1/2\nHoldtime: 130 sec\n\nVersion:\nCisco Nexus Operating System (NX-OS) Software, Version 10.3(4a)\n\nAdvertisement Version: 2\nMgmt address(es):\n    IPv4 Address: 192.0.2.3\n"),
        ("cisco_ios_show_cdp_neighbors_detail.textfsm", "-------------------------\nDevice ID: xr2\nSysName : xr2\nEntry address(es): \n  IPv4 address: 10.0.0.2\nPlatform: cisco IOS-XRv 9000,  Capabilities: Router\nInterface: GigabitEthernet0/0/0/0\nPort ID (outgoing port): GigabitEthernet0/0/0/1\nHoldtime : 171 sec\n\nVersion :\nCisco IOS XR Software, Version 7.9.2\n\nadvertisement version: 2\nDuplex: full\n"),
        ("cisco_ios_show_lldp_neighbors.textfsm", "Capability codes:\n    (R) Router, (B) Bridge\n\nDevice ID           Local Intf     Hold-time  Capability      Port ID\nr2                  Gi0/1          120        R               Gi0/0\nsw1                 Gi0/2          120        B               Ethernet1\n\nTotal entries displayed: 2\n"),
        // The demo network's simulated outputs (the getters kind's facts and interfaces).
        ("cisco_ios_show_version.textfsm", "Cisco IOS XE Software, Version 17.09.04a\nCisco IOS Software [Cupertino], ISR Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), Version 17.9.4a, RELEASE SOFTWARE (fc3)\nparis-core uptime is 3 weeks, 2 days\ncisco ISR4451-X/K9 (2RU) processor with 1795936K/6147K bytes of memory.\nProcessor board ID FGL20001ENMS\n"),
        ("cisco_nxos_show_version.textfsm", "Cisco Nexus Operating System (NX-OS) Software\nNXOS: version 10.3(4a) [Maintenance Release]\ncisco Nexus9000 C9300v Chassis\nDevice name: rome-core\nKernel uptime is 12 day(s), 3 hour(s)\n"),
        ("arista_eos_show_ip_interface_brief.textfsm", "Interface         IP Address          Status     Protocol         MTU\nEthernet1         10.1.3.1/24         up         up               1500\nEthernet2         10.2.3.1/24         disabled   down             1500\n"),
        ("cisco_ios_show_arp.textfsm", "Protocol  Address          Age (min)  Hardware Addr   Type   Interface\nInternet  10.0.0.1                -   5254.0001.0001  ARPA   GigabitEthernet0/0\nInternet  10.0.0.2               12   5254.0001.0002  ARPA   GigabitEthernet0/0\n"),
    ];

    /// <summary>The routing getters' templates on the demo network's simulated outputs and on the IOS XR and Junos
    /// samples of <see cref="RoutingGettersTests"/>.</summary>
    private static IEnumerable<(string Template, string Text)> Routing()
    {
        var simulator = new DeviceSimulator(TimeProvider.System) { CommandDelay = TimeSpan.Zero };
        string Show(string platform, string command) =>
            simulator.Device(new DeviceTarget($"{platform}-5", "192.0.2.5", platform, new DeviceCredential("admin", "x"))).Answer(command);
        yield return ("cisco_ios_show_ip_bgp_summary.textfsm", Show("cisco_ios", "show ip bgp summary"));
        yield return ("cisco_ios_show_ip_bgp_summary.textfsm", Show("cisco_nxos", "show ip bgp summary vrf all"));
        yield return ("cisco_ios_show_ip_bgp_summary.textfsm", RoutingGettersTests.XrBgpSummary);
        yield return ("arista_eos_show_ip_bgp_summary.textfsm", Show("arista_eos", "show ip bgp summary vrf all"));
        yield return ("juniper_junos_show_bgp_summary.textfsm", Show("juniper_junos", "show bgp summary"));
        yield return ("juniper_junos_show_bgp_summary.textfsm", RoutingGettersTests.JunosBgpSummary);
        yield return ("cisco_ios_show_ip_route_summary.textfsm", Show("cisco_ios", "show ip route summary"));
        yield return ("cisco_nxos_show_ip_route_summary.textfsm", Show("cisco_nxos", "show ip route summary vrf all"));
        yield return ("arista_eos_show_ip_route_summary.textfsm", Show("arista_eos", "show ip route vrf all summary"));
        yield return ("juniper_junos_show_route_summary.textfsm", Show("juniper_junos", "show route summary"));
        yield return ("cisco_xr_show_route_summary.textfsm", RoutingGettersTests.XrRouteSummary);
    }

    [Fact]
    public async Task Our_engine_agrees_with_Googles_TextFSM()
    {
        Prerequisites.Require("python3-textfsm", File.Exists(Python) && await ProbeAsync(), "the Debian package python3-textfsm");
        var cases = Cases.Concat(BuiltIn.Concat(Routing()).Concat(RouterGetterTemplatesTests.Samples)
            .Concat(SwitchGettersTests.Samples.Select(s => (s.Template, Text: s.Output)))
            .Select(b => (ParsingLibrary.BuiltInText(b.Template) ?? throw new InvalidOperationException(b.Template), b.Text))).ToList();
        var reference = await ReferenceAsync(cases);
        Assert.Equal(cases.Count, reference.Count);
        for (var i = 0; i < cases.Count; i++)
        {
            var expected = reference[i]!;
            var actual = Ours(cases[i].Item1, cases[i].Item2);
            var label = $"case {i}: {cases[i].Item1.Split('\n')[0]}";
            if (expected["error"] is { } error)
            {
                Assert.True(actual["error"] is not null, $"{label}: TextFSM failed ({error}) but ours gave {actual.ToJsonString()}");
                continue;
            }
            Assert.True(JsonNode.DeepEquals(expected, actual), $"{label}:\n TextFSM {expected.ToJsonString()}\n ours    {actual.ToJsonString()}");
        }
        // The built-in templates found something in their samples.
        Assert.All(reference.Skip(Cases.Length), r => Assert.NotEmpty(r!["rows"]!.AsArray()));
    }

    private static JsonNode Ours(string template, string text)
    {
        try
        {
            var table = TextFsmRunner.Parse(TextFsmTemplate.Parse(template), text);
            return JsonSerializer.SerializeToNode(new { header = table.Header, rows = table.Rows })!;
        }
        catch (Exception e) when (e is TextFsmTemplateException or TextFsmParseException)
        {
            return new JsonObject { ["error"] = e.Message };
        }
    }

    private static async Task<bool> ProbeAsync()
    {
        using var probe = Process.Start(new ProcessStartInfo(Python, ["-c", "import textfsm"]) { RedirectStandardError = true })!;
        await probe.WaitForExitAsync();
        return probe.ExitCode == 0;
    }

    private static async Task<JsonArray> ReferenceAsync(List<(string, string)> cases)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Parsing", "textfsm_reference.py");
        using var python = Process.Start(new ProcessStartInfo(Python, [script]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true })!;
        await python.StandardInput.WriteAsync(JsonSerializer.Serialize(cases.Select(c => new { template = c.Item1, text = c.Item2 })));
        python.StandardInput.Close();
        var output = python.StandardOutput.ReadToEndAsync();
        var errors = python.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await python.WaitForExitAsync(timeout.Token);
        Assert.True(python.ExitCode == 0, await errors);
        return JsonNode.Parse(await output)!.AsArray();
    }
}
