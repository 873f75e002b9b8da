"""Cisco ASA, emulated from Cisco's documented CLI (imported by enms_emulator).

User prompt host> and `enable` (Password:) to host#; paging off with `terminal pager 0` (otherwise `<--- More --->`,
erased with a carriage return); `configure terminal` -> host(config)#, sections host(config-if)#,
host(config-network-object)#. Lines apply as they are typed (no candidate, no commit); a refused one prints the
caret line and `ERROR: % Invalid input detected at '^' marker.` (or `ERROR: % Incomplete command`) and changes nothing.
`show running-config` starts with ': Saved' comment lines and ends with ': end'; `write memory` saves it as the
startup configuration (`show startup-config`): 'Building configuration...', the cryptochecksum, '[OK]'; fault
nvram-full makes the save fail. Security contexts are not emulated (single mode). This file's grammar is the
emulator's own: the driver's profile is written separately.
"""
import enms_emulator as emu

MORE = "<--- More --->"
KNOWN = {"hostname", "interface", "nameif", "security-level", "ip", "shutdown", "description", "route", "access-list",
         "access-group", "object", "object-group", "host", "subnet", "nat", "ssh", "telnet", "logging", "ntp", "names",
         "name", "domain-name", "enable", "username", "aaa", "http", "snmp-server", "mtu", "no", "banner", "clock",
         "dns", "timeout", "crypto", "service-policy", "policy-map", "class-map", "vlan", "speed", "duplex"}
SECTIONS = {"interface": "config-if", "object": "config-network-object", "object-group": "config-network-object-group",
            "policy-map": "config-pmap", "class-map": "config-cmap"}
TOP = {"hostname", "interface", "route", "access-list", "access-group", "object", "object-group", "nat", "ssh",
       "telnet", "logging", "ntp", "names", "name", "domain-name", "enable", "username", "aaa", "http", "snmp-server",
       "mtu", "banner", "clock", "dns", "timeout", "crypto", "service-policy", "policy-map", "class-map"}
NEEDS_VALUE = {"hostname", "interface", "nameif", "description", "route", "security-level", "object"}


def initial_state(name):
    running = ("hostname %s\ninterface Management0/0\n nameif management\n security-level 100\n"
               " ip address 192.0.2.1 255.255.255.0\ninterface GigabitEthernet0/1\n shutdown\n no nameif\n"
               "route management 198.18.0.0 255.254.0.0 192.0.2.254 1\n") % name
    text = emu.render_cfg(emu.parse_cfg(running))
    return {"running": text, "startup": text, "flash": {}, "pending": None}


class Asa:
    def __init__(self, dev, term, user):
        self.dev, self.t, self.user = dev, term, user
        self.length = 24
        self.privileged = False
        self.config = False
        self.section = None

    def hostname(self):
        for line, _ in emu.parse_cfg(self.dev.load()["running"]):
            if line.startswith("hostname "):
                return line.split()[1]
        return self.dev.name

    def prompt(self):
        if self.config:
            sub = SECTIONS[self.section.split()[0]] if self.section else "config"
            return "%s(%s)# " % (self.hostname(), sub)
        return self.hostname() + ("# " if self.privileged else "> ")

    def paged(self, text):
        return emu.paged_cr(self.t, text, self.length, MORE)

    def invalid(self, line):
        words = line.split()
        bad = next((i for i, w in enumerate(words) if "bogus" in w or i == 0 and w not in KNOWN and w != "show"), 0)
        column = len(self.prompt()) + (line.find(words[bad]) if words else 0)
        self.t.output(" " * column + "^\nERROR: % Invalid input detected at '^' marker.\n")

    def running_text(self, key="running"):
        state = self.dev.load()
        body = emu.render_cfg(emu.parse_cfg(state.get(key, state["running"])))
        return (": Saved\n\n:\n: Serial Number: 9AENMSLAB01\n: Hardware:   ASA5506, 4096 MB RAM, CPU Atom C2000 series "
                "1250 MHz, 1 CPU (4 cores)\n:\nASA Version 9.16(4)\n!\n%s: end\n" % body)

    def run(self):
        self.t.write("\nCisco ASA emulation (eNMS lab): %s\nType help or '?' for a list of available commands.\n" % self.dev.name)
        while True:
            self.t.write(self.prompt())
            line = self.t.line().strip()
            if not line:
                continue
            if not self.config and line in ("exit", "logout", "quit"):
                return
            (self.config_cmd if self.config else self.exec_cmd)(line)

    def exec_cmd(self, line):
        words = line.split()
        if words[0] == "enable":
            if self.privileged:
                return
            for _ in range(3):
                self.t.write("Password: ")
                if self.t.line(echo=False) == emu.ENABLE_SECRET:
                    self.privileged = True
                    return
            return self.t.output("Invalid password\n")
        if words[0] == "disable":
            self.privileged = False
            return
        if words[:2] == ["terminal", "pager"] and len(words) in (2, 3):
            self.length = int(words[2]) if len(words) == 3 and words[2].isdigit() else 24
            return
        if words[:2] == ["terminal", "width"]:
            return
        if words[0] == "show":
            return self.show(line, words)
        if not self.privileged:
            return self.invalid(line)
        if line in ("configure terminal", "conf t"):
            self.config, self.section = True, None
            return
        if words in (["write"], ["write", "memory"]) or words == ["copy", "running-config", "startup-config"]:
            return self.save()
        return self.invalid(line)

    def show(self, line, words):
        rest = " ".join(words[1:])
        if rest == "clock":
            return self.t.output("11:00:00.000 UTC Wed Nov 25 2026\n")
        if rest == "version":
            third, fourth = (int(o) for o in self.dev.address.split(".")[2:4])
            return self.paged("\nCisco Adaptive Security Appliance Software Version 9.16(4)\nSSP Operating System Version "
                              "2.10(1.162)\nDevice Manager Version 7.16(1)\n\nCompiled on Thu 19-May-22 10:41 GMT by builders\n"
                              "System image file is \"disk0:/asa9-16-4-smp-k8.bin\"\nConfig file at boot was \"startup-config\"\n\n"
                              "%s up 3 days 4 hours\n\nHardware:   ASAv, 2048 MB RAM, CPU Xeon 4100/6100/8100 series 2200 MHz,\n"
                              "Model Id:   ASAv10\nInternal ATA Compact Flash, 8192MB\n\n"
                              " 0: Ext: Management0/0       : address is 5254.00%02x.%02x00, irq 10\n\n"
                              "Serial Number: 9A%03d%03dLAB\nConfiguration register is 0x1\n"
                              % (self.hostname(), third, fourth, third, fourth))
        if rest == "arp":
            return self.paged(self.arp_text())
        if rest == "bgp summary":
            return self.paged(self.bgp_text())
        if rest == "route summary":
            return self.paged(self.route_summary_text())
        if rest == "logging":
            return self.paged("".join("Nov 25 2026 11:%02d:00: %%ASA-5-111008: User '%s' executed the 'write memory' "
                                      "command.\n" % (i % 60, self.user) for i in range(60)))
        if rest in ("running-config", "run") and self.privileged:
            return self.paged(self.running_text())
        if rest == "startup-config" and self.privileged:
            return self.paged(self.running_text("startup"))
        if rest == "interface ip brief":
            return self.paged("Interface                  IP-Address      OK? Method Status                Protocol\n" + "".join(
                "%-26s %-15s YES %-6s %-21s %s\n" % (name, address.split()[0] if address else "unassigned",
                                                     "CONFIG" if address else "unset",
                                                     "up" if enabled else "administratively down", "up" if up else "down")
                for name, nameif, address, enabled, up in self.interfaces()))
        return self.invalid(line)

    def interfaces(self):
        """[(name, nameif, "address mask" or None, enabled, line up)] from the running configuration: Management0/0 and
        GigabitEthernet0/0 are cabled (up unless shut down), the others are not."""
        rows = []
        for line, children in emu.parse_cfg(self.dev.load()["running"]):
            if not line.startswith("interface "):
                continue
            name = line.split()[1]
            nameif = next((c.split()[1] for c in children if c.startswith("nameif ")), None)
            address = next((" ".join(c.split()[2:4]) for c in children if c.startswith("ip address ")), None)
            enabled = "shutdown" not in [c.strip() for c in children]
            rows.append((name, nameif, address, enabled, enabled and name in ("Management0/0", "GigabitEthernet0/0")))
        return rows

    def arp_text(self):
        """ASA's ARP table: the interface's nameif, address, MAC in dotted form, age in seconds; the lab's gateway and
        host on the interface up with an address on 192.0.2.0/24 (lab/README.md)."""
        arp, _ = emu.lab_neighbours(self.dev)
        port = next((nameif for _, nameif, address, _, up in self.interfaces()
                     if up and nameif and address and address.startswith("192.0.2.")), None)
        return "".join("\t%s %s %s %d\n" % (port, ip, emu.mac_dotted(mac, 4, "."), age * 60) for ip, mac, age in arp if port)

    def bgp_text(self):
        """ASA's BGP (9.2 and later) prints IOS's summary."""
        bgp = emu.lab_routing(self.dev)
        out = ["BGP router identifier %s, local AS number %d" % (bgp["router_id"], bgp["as"]),
               "BGP table version is 9, main routing table version 9", "5 network entries using 1000 bytes of memory",
               "5 path entries using 400 bytes of memory", "1/1 BGP path/bestpath attribute entries using 208 bytes of memory",
               "1 BGP AS-PATH entries using 24 bytes of memory", "0 BGP route-map cache entries using 0 bytes of memory",
               "0 BGP filter-list cache entries using 0 bytes of memory", "BGP using 1632 total bytes of memory",
               "BGP activity 5/0 prefixes, 5/0 paths, scan interval 60 secs", "",
               "Neighbor        V           AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd"]
        for p in bgp["peers"]:
            up = p["state"] == "Established"
            out.append("%-15s 4 %12d %7d %7d %8d %4d %4d %-8s %s" % (
                p["peer"], p["as"], p["messages"][0], p["messages"][1], 9 if up else 0, 0, 0,
                emu.hms(p["uptime"]) if up else "never", ("%8d" % p["accepted"]) if up else p["state"]))
        return "\n".join(out) + "\n"

    def route_summary_text(self):
        """IOS's table: networks and subnets per source (the lab's BGP routes are subnets)."""
        connected = sum(1 for _, nameif, address, _, up in self.interfaces() if up and nameif and address)
        static = sum(1 for line, _ in emu.parse_cfg(self.dev.load()["running"]) if line.startswith("route "))
        bgp = emu.lab_routing(self.dev)
        rows = [("connected", 0, connected), ("static", 0, static), ("bgp %d" % bgp["as"], 0, bgp["bgp_routes"])]
        out = ["IP routing table maximum-paths is 8",
               "Route Source    Networks    Subnets     Replicates  Overhead    Memory (bytes)"]
        out += ["%-15s %-11d %-11d %-11d %-11d %d" % (name, n, sub, 0, 88 * (n + sub), 288 * (n + sub)) for name, n, sub in rows]
        out.insert(len(out), "  External: %d Internal: 0 Local: 0" % bgp["bgp_routes"])
        networks, subnets = sum(r[1] for r in rows), sum(r[2] for r in rows)
        out += ["internal        3                                               1088",
                "Total           %-11d %-11d %-11d %-11d %d" % (networks, subnets, 0, 88 * (networks + subnets), 288 * (networks + subnets) + 1088)]
        return "\n".join(out) + "\n"

    def save(self):
        failed = "nvram-full" in self.dev.faults()
        if not failed:
            def save(state):
                state["startup"] = state["running"]
            self.dev.update(save)
        state = self.dev.load()
        size = len(state["running"])
        if failed:
            return self.t.output("Building configuration...\n%Error writing disk0:/.private/startup-config "
                                 "(No space left on device)\n")
        self.t.output("Building configuration...\nCryptochecksum: %s %s %s %s \n\n%d bytes copied in 0.120 secs\n[OK]\n"
                      % (tuple(emu.md5_of(state["running"].encode())[i:i + 8] for i in range(0, 32, 8)) + (size,)))

    def config_cmd(self, line):
        words = line.split()
        if line in ("end", "\x1a"):
            self.config, self.section = False, None
            return
        if line == "exit":
            if self.section:
                self.section = None
            else:
                self.config = False
            return
        if words[0] == "show":
            return self.show(line, words)
        if words[0] in ("write", "copy"):
            return self.exec_cmd(line)
        body = words[1:] if words[0] == "no" else words
        if not body or body[0] not in KNOWN or "bogus" in words:
            return self.invalid(line)
        if len(body) == 1 and body[0] in NEEDS_VALUE and words[0] != "no":
            return self.t.output("ERROR: % Incomplete command\n")
        section = self.section if self.section and body[0] not in TOP else None
        if self.section is None and body[0] not in TOP:
            return self.invalid(line)

        def change(state):
            tree = emu.parse_cfg(state["running"])
            entered = emu.apply_line(tree, section, line)
            state["running"] = emu.render_cfg(tree)
            return entered
        entered = self.dev.update(change)
        self.section = line if body[0] in SECTIONS and words[0] != "no" else (entered if section else None)
        emu.config_fault(self, self.t)
