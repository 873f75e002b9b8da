"""Aruba AOS-CX (10.x), emulated from Aruba's documented CLI (imported by enms_emulator).

Prompt host#, `no page` turns the pager off (`page` back on; otherwise "-- MORE --, next page: Space, next line:
Enter, quit: Control-C", erased with a carriage return); `configure terminal` -> host(config)#, `interface 1/1/N`
-> host(config-if)#, `exit` up one level, `end` to host#. Lines apply as they are typed; a refused one answers
"Invalid input: WORD" (or "Command incomplete.") and changes nothing. `show running-config` starts with "Current
configuration:" and indents with four spaces. `no` takes a setting back (`no description`, `no ip address`,
`shutdown` after `no shutdown`); `vlan N` -> host(config-vlan-N)# (`name`, `description`), `no vlan N` deletes it;
`no interface` deletes a VLAN interface, loopback or LAG but takes no port ("Invalid input: 1/1/1");  `write memory` copies it to the startup configuration ("Copying
configuration: [Success]"); fault nvram-full makes it fail. This file's grammar is the emulator's own: the driver's
profile is written separately.
"""
import enms_emulator as emu

MORE = "-- MORE --, next page: Space, next line: Enter, quit: Control-C"
TOP = {"hostname", "interface", "ip", "ntp", "logging", "snmp-server", "vlan", "no", "banner", "clock", "ssh",
       "https-server", "user", "vrf", "router"}
IN_INTERFACE = {"description", "ip", "shutdown", "no", "mtu", "vlan", "routing", "lag", "speed"}
NEEDS = {"hostname": 2, "interface": 2, "description": 2, "ip": 3, "ntp": 3, "logging": 2, "mtu": 2}


def initial_state(name):
    sections = [["hostname " + name, []], ["interface mgmt", ["no shutdown", "ip static 192.0.2.1/24",
                "default-gateway 192.0.2.254"]], ["interface 1/1/1", ["description uplink", "no shutdown"]],
                ["interface 1/1/2", ["shutdown"]], ["ip route 198.18.0.0/15 192.0.2.254", []],
                ["https-server vrf mgmt", []]]
    return {"running": sections, "startup": sections, "pending": None}


def render(sections):
    out = ["!", "!Version ArubaOS-CX GL.10.10.1010", "!export-password: default"]
    for line, children in sections:
        if line.startswith("interface ") and not out[-1].startswith(("interface ", "    ")):
            out.append("!")
        out.append(line)
        out.extend("    " + c for c in children)
    return "\n".join(out) + "\n"


class Aoscx:
    def __init__(self, dev, term, user):
        self.dev, self.t, self.user = dev, term, user
        self.length = 24
        self.config = False
        self.section = None

    def sections(self):
        return self.dev.load()["running"]

    def hostname(self):
        return next((l.split()[1] for l, _ in self.sections() if l.startswith("hostname ")), "switch")

    def prompt(self):
        if not self.config:
            return self.hostname() + "# "
        if self.section and self.section.startswith("vlan "):
            return "%s(config-vlan-%s)# " % (self.hostname(), self.section.split()[1])
        return "%s(%s)# " % (self.hostname(), "config-if" if self.section else "config")

    def paged(self, text):
        emu.paged_cr(self.t, text, self.length, MORE)

    def invalid(self, word):
        self.t.output("Invalid input: %s\n" % word)

    def run(self):
        self.t.write("\n")
        while True:
            self.t.write(self.prompt())
            line = self.t.line().strip()
            if not line:
                continue
            if not self.config and line in ("exit", "logout"):
                return
            (self.config_cmd if self.config else self.exec_cmd)(line)

    def exec_cmd(self, line):
        words = line.split()
        if words == ["no", "page"]:
            self.length = 0
            return
        if words == ["page"]:
            self.length = 24
            return
        if words[0] == "show":
            return self.show(words)
        if words in (["configure", "terminal"], ["configure"], ["config"]):
            self.config, self.section = True, None
            return
        if words == ["write", "memory"] or words == ["copy", "running-config", "startup-config"]:
            return self.save()
        return self.invalid(words[0])

    def show(self, words):
        rest = " ".join(words[1:])
        state = self.dev.load()
        if rest == "clock":
            return self.t.output("Wed Nov 25 11:00:00 UTC 2026\nSystem is configured for timezone : UTC\n")
        if rest == "version":
            return self.paged("-" * 79 + "\nArubaOS-CX\n(c) Copyright 2017-2026 Hewlett Packard Enterprise Development "
                              "LP\n" + "-" * 79 + "\nVersion      : GL.10.10.1010\nBuild Date   : 2024-03-01 10:00:00 UTC\n"
                              "Build ID     : ArubaOS-CX:GL.10.10.1010:eNMS-lab\n")
        if rest == "events":
            return self.paged("".join("2026-11-25T11:%02d:00.000000+00:00 %s hpe-restd[%d]: Event|4601|LOG_INFO|AMM|1/1|"
                                      "User %s logged in\n" % (i, self.hostname(), 1000 + i, self.user) for i in range(60)))
        if rest == "running-config":
            return self.paged("Current configuration:\n" + render(state["running"]))
        if rest == "startup-config":
            return self.paged("Current configuration:\n" + render(state["startup"]))
        if rest == "system":
            return self.paged(self.system())
        if rest == "interface brief":
            return self.paged(self.interface_brief())
        if rest in ("arp", "arp all-vrfs"):
            return self.paged(self.arp(all_vrfs=rest.endswith("all-vrfs")))
        if rest == "lldp neighbor-info":
            return self.paged(self.lldp())
        bad = words[1] if len(words) > 1 else ""
        return self.t.output("Invalid input: %s\n" % bad) if bad else self.t.output("Command incomplete.\n")

    def ports(self):
        """(port, enabled, description) for the front ports in the running configuration; port 1/1/1 alone is cabled
        (to the lab's core switch)."""
        return [(l.split()[1], "shutdown" not in c, next((x.split(None, 1)[1] for x in c if x.startswith("description ")), ""))
                for l, c in self.sections() if l.startswith("interface 1/")]

    def system(self):
        """`show system`: "Name : value" lines, the product name and the chassis serial number among them."""
        n = int(self.dev.address.split(".")[3])
        return ("Hostname                        : %s\nSystem Description              : GL.10.10.1010\n"
                "System Contact                  : \nSystem Location                 : \n"
                "Vendor                          : Aruba\nProduct Name                    : JL679A 6100 12G CL4 2SFP+ Sw\n"
                "Chassis Serial Nbr              : CN0LAB%04d\nBase MAC Address                : 9020c2-f0%04x\n"
                "ArubaOS-CX Version              : GL.10.10.1010\n\nTime Zone                       : UTC\n\n"
                "Up Time                         : 1 day, 2 hours, 3 minutes\nCPU Util (%%)                    : 3\n"
                "Memory Usage (%%)                : 26\n" % (self.hostname(), n, n))

    def interface_brief(self):
        """`show interface brief`: Enabled yes/no, Status up/down and why a port is down."""
        rule = "-" * 110 + "\n"
        rows = []
        for port, enabled, description in self.ports():
            up = enabled and port == "1/1/1"
            reason = "" if up else "Administratively down" if not enabled else "Waiting for link"
            rows.append(("%-10s %-7s %-6s %-14s %-7s %-7s %-23s %-8s %s" % (port, 1, "access", "1GbT", "yes" if enabled else "no",
                         "up" if up else "down", reason, "1000" if up else "--", description or "--")).rstrip() + "\n")
        return (rule + "Port       Native  Mode   Type           Enabled Status  Reason                  Speed    Description\n"
                "           VLAN                                                                  (Mb/s)\n" + rule + "".join(rows))

    def arp(self, all_vrfs):
        """`show arp` (VRF default) or `show arp all-vrfs`: the lab's neighbours answer on the mgmt port (VRF mgmt)
        when it has an address on their subnet and is not shut down."""
        arp, _ = emu.lab_neighbours(self.dev)
        mgmt = next((c for l, c in self.sections() if l == "interface mgmt"), [])
        seen = all_vrfs and "shutdown" not in mgmt and any(x.startswith("ip static 192.0.2.") for x in mgmt)
        rows = [(ip, mac, "mgmt", "mgmt", "reachable", "mgmt") for ip, mac, _ in arp] if seen else []
        return ("\nIPv4 Address     MAC                Port         Physical Port                                      "
                "State     VRF\n" + "-" * 117 + "\n"
                + "".join("%-16s %-18s %-12s %-50s %-9s %s\n" % r for r in rows)
                + "\nTotal Number Of ARP Entries Listed: %d.\n" % len(rows) + "-" * 117 + "\n")

    def lldp(self):
        """`show lldp neighbor-info`: the counters, then one row per neighbour; the lab's core switch on 1/1/1 when it
        is up."""
        _, core = emu.lab_neighbours(self.dev)
        seen = any(p == "1/1/1" and enabled for p, enabled, _ in self.ports())
        return ("\nLLDP Neighbor Information\n=========================\n\nTotal Neighbor Entries          : %d\n"
                "Total Neighbor Entries Deleted  : 0\nTotal Neighbor Entries Dropped  : 0\n"
                "Total Neighbor Entries Aged-Out : 0\n\nLOCAL-PORT  CHASSIS-ID         PORT-ID                     "
                "PORT-DESC                   TTL     SYS-NAME\n" % (1 if seen else 0) + "-" * 112 + "\n"
                + ("%-11s %-18s %-27s %-27s %-7d %s\n" % ("1/1/1", core["chassis"], core["port"], core["description"], 120,
                                                          core["name"]) if seen else ""))

    def save(self):
        if "nvram-full" in self.dev.faults():
            return self.t.output("Copying configuration: [Failed]\nInsufficient space on the storage device.\n")

        def save(state):
            state["startup"] = state["running"]
        self.dev.update(save)
        self.t.output("Copying configuration: [Success]\n")

    def config_cmd(self, line):
        words = line.split()
        if words == ["end"]:
            self.config, self.section = False, None
            return
        if words == ["exit"]:
            if self.section:
                self.section = None
            else:
                self.config = False
            return
        if words[0] in ("show", "write"):
            return self.exec_cmd(line)
        if words[0] == "do" and len(words) > 1:
            return self.exec_cmd(" ".join(words[1:]))
        body = words[1:] if words[0] == "no" else words
        if self.section and self.section.startswith("vlan ") and body[:1] in (["name"], ["description"]):
            return self.vlan_line(line, words, body)
        if body[:1] == ["vlan"] and not (self.section or "").startswith("interface "):
            return self.vlan(line, words, body)
        allowed = TOP | IN_INTERFACE if self.section and self.section.startswith("interface ") else TOP
        bogus = next((w for w in words if "bogus" in w), None)
        if not body or body[0] not in allowed or bogus:
            return self.invalid(bogus or (body[0] if body else words[0]))
        if words[0] != "no" and len(body) < NEEDS.get(body[0], 1):
            return self.t.output("Command incomplete.\n")
        in_section = (self.section or "").startswith("interface ") and (
            body[0] in IN_INTERFACE - {"ip"} or body[:2] == ["ip", "address"])
        if in_section:
            return self.section_line(line, words)
        if body[0] == "interface":
            name = " ".join(body[1:])
            if words[0] == "no":
                # Only what "interface" created can go: a port or the management interface is emptied instead.
                if name == "mgmt" or all(p.isdigit() for p in name.split("/")):
                    return self.invalid(name)
                return self.change(lambda s: s.__setitem__(slice(None), [e for e in s if e[0] != "interface " + name]))
            self.change(lambda s: None if any(e[0] == "interface " + name for e in s)
                        else s.insert(len([e for e in s if e[0].startswith(("hostname", "interface"))]), ["interface " + name, []]))
            self.section = "interface " + name
            return
        self.section = None  # a global command leaves the section, as on the device

        def top(s):
            if words[0] == "hostname":
                s[:] = [e for e in s if not e[0].startswith("hostname ")]
                s.insert(0, [line, []])
            elif words[0] == "no":
                s[:] = [e for e in s if not (e[0] == " ".join(body) or e[0].startswith(" ".join(body) + " "))]
            elif not any(e[0] == line for e in s):
                s.insert(len(s) - 1, [line, []])
        self.change(top)
        emu.config_fault(self, self.t)

    def vlan(self, line, words, body):
        """`vlan N` creates VLAN N (listed before the interfaces) and enters its context; `no vlan N` deletes it."""
        if len(body) != 2 or not body[1].isdigit() or not 1 <= int(body[1]) <= 4094:
            return self.invalid(body[1] if len(body) > 1 else "vlan") if len(body) > 1 else self.t.output("Command incomplete.\n")
        header = "vlan " + body[1]
        if words[0] == "no":
            self.section = None
            return self.change(lambda s: s.__setitem__(slice(None), [e for e in s if e[0] != header]))
        self.change(lambda s: None if any(e[0] == header for e in s) else s.insert(
            next((i for i, e in enumerate(s) if e[0].startswith("interface ")), len(s)), [header, []]))
        self.section = header
        emu.config_fault(self, self.t)

    def vlan_line(self, line, words, body):
        """A VLAN's name or description: typed again it replaces the old one; `no` takes it back."""
        if words[0] != "no" and len(body) < 2:
            return self.t.output("Command incomplete.\n")
        header = self.section

        def edit(s):
            entry = next(e for e in s if e[0] == header)
            entry[1][:] = [c for c in entry[1] if not c.startswith(body[0] + " ")] + ([] if words[0] == "no" else [line])
        self.change(edit)
        emu.config_fault(self, self.t)

    def section_line(self, line, words):
        header = self.section

        def edit(s):
            entry = next(e for e in s if e[0] == header)
            if words[0] == "no" and words[1:] != ["shutdown"]:
                target = " ".join(words[1:])
                entry[1][:] = [c for c in entry[1] if not (c == target or c.startswith(target + " "))]
                return
            key = {"description": "description ", "ip": "ip address ", "mtu": "mtu "}.get(words[0])
            if words[-1] == "shutdown":
                entry[1][:] = [c for c in entry[1] if c not in ("shutdown", "no shutdown")]
            entry[1][:] = [c for c in entry[1] if not (key and c.startswith(key)) and c != line] + [line]
        self.change(edit)
        emu.config_fault(self, self.t)

    def change(self, edit):
        def apply(state):
            edit(state["running"])
        self.dev.update(apply)
