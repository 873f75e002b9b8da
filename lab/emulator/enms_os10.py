"""Dell SmartFabric OS10 (10.5), emulated from Dell's documented CLI (imported by enms_emulator).

Prompt host#, `terminal length 0` turns the pager off (`terminal length 24` back on: "--more--"); `configure
terminal` -> host(config)#, `interface ethernet 1/1/N` -> host(conf-if-eth1/1/N)#, `exit` up one level, `end` to
host#. By default each line applies as it is typed. `start transaction` (EXEC mode) makes the session's lines go
into a candidate configuration instead: `show diff candidate-configuration running-configuration`, `commit` applies
it (and ends the transaction), `discard` drops it; a session that ends takes its uncommitted candidate with it. A
refused line answers "% Error: ..." and changes nothing. What needs the whole configuration to check (here: an
interface address overlapping another interface's subnet) is refused at once outside a transaction, but inside one
only at `commit`, which then answers "% Error: ..." and applies nothing, the transaction staying open until
`discard` (or the session's end). `no interface` deletes a VLAN interface or loopback but takes no port or management interface ("% Error:
Unrecognized command."). `show running-configuration` starts with "! Version" and
"! Last configuration change at" comments, sections closed by "!"; `write memory` / `copy running-configuration
startup-configuration` save it silently (`show startup-configuration`; fault nvram-full makes the save fail).
This file's grammar is the emulator's own: the driver's profile is written separately.
"""
import copy
import difflib
import ipaddress

import enms_emulator as emu

MORE = "--more--"
TOP = {"hostname", "interface", "ip", "ntp", "logging", "snmp-server", "no", "banner", "clock", "username", "vlt-domain",
       "router", "spanning-tree", "management"}
IN_INTERFACE = {"description", "ip", "shutdown", "no", "mtu", "switchport", "speed", "channel-group", "negotiation"}
NEEDS = {"hostname": 2, "interface": 2, "description": 2, "ip": 3, "ntp": 3, "logging": 2, "mtu": 2}
PORTS = 32


def initial_state(name):
    sections = [["ip vrf default", []], ["hostname " + name, []],
                ["interface ethernet1/1/1", ["description uplink", "no shutdown", "switchport access vlan 1"]],
                ["interface ethernet1/1/2", ["shutdown", "switchport access vlan 1"]],
                ["interface mgmt1/1/1", ["no shutdown", "no ip address dhcp", "ip address 192.0.2.1/24"]],
                ["ip route 198.18.0.0/15 192.0.2.254", []]]
    return {"running": sections, "startup": sections, "changes": 0}


def render(sections, changes):
    out = ["! Version 10.5.2.3", "! Last configuration change at Nov  25 11:%02d:00 2026" % (changes % 60), "!"]
    for line, children in sections:
        out.append(line)
        out.extend(" " + c for c in children)
        out.append("!")
    return "\n".join(out[:-1]) + "\n"


def overlapping(sections):
    """Why an interface's address overlaps another interface's subnet, or None."""
    seen = []
    for header, children in sections:
        for child in children:
            words = child.split()
            if header.startswith("interface ") and words[:2] == ["ip", "address"] and len(words) == 3 and "/" in words[2]:
                try:
                    net = ipaddress.ip_interface(words[2]).network
                except ValueError:
                    continue
                name = header.split()[1]
                other = next((n for n, o in seen if o.overlaps(net)), None)
                if other:
                    return "IP address %s on %s overlaps with %s." % (words[2], name, other)
                seen.append((name, net))
    return None


class Os10:
    def __init__(self, dev, term, user):
        self.dev, self.t, self.user = dev, term, user
        self.length = 24
        self.config = False
        self.section = None
        self.candidate = None  # the transaction's configuration, None outside a transaction

    def sections(self):
        return self.candidate if self.candidate is not None else self.dev.load()["running"]

    def hostname(self):
        return next((l.split()[1] for l, _ in self.dev.load()["running"] if l.startswith("hostname ")), "OS10")

    def prompt(self):
        if not self.config:
            return self.hostname() + "# "
        return "%s(%s)# " % (self.hostname(), "conf-if-" + self.section.split()[1].replace("ethernet", "eth")
                              if self.section else "config")

    def paged(self, text):
        emu.paged_cr(self.t, text, self.length, MORE)

    def error(self, text):
        self.t.output("% Error: " + text + "\n")

    def run(self):
        self.t.write("Linux OS10 4.19.124 #1 SMP Debian 4.19.124-1 x86_64\n\n"
                     "The programs included with the Debian GNU/Linux system are free software;\n"
                     "the exact distribution terms for each program are described in the\n"
                     "individual files in /usr/share/doc/*/copyright.\n\n"
                     "-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-\n"
                     "-*         Dell EMC Network Operating System (OS10)          *-\n"
                     "-*                                                           *-\n"
                     "-* Copyright (c) 1999-2026 by Dell Inc. All Rights Reserved. *-\n"
                     "-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-\n\n")
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
        if words[:2] == ["terminal", "length"] and len(words) == 3 and words[2].isdigit():
            self.length = int(words[2])
            return
        if words[0] == "show":
            return self.show(words)
        if words == ["configure", "terminal"] or words == ["configure"]:
            self.config, self.section = True, None
            return
        if words == ["start", "transaction"]:
            if self.candidate is None:
                self.candidate = copy.deepcopy(self.dev.load()["running"])
            return
        if words == ["commit"]:
            return self.commit()
        if words == ["discard"]:
            self.candidate = None
            return
        if words == ["write", "memory"] or words == ["copy", "running-configuration", "startup-configuration"]:
            return self.save()
        if words[0] in ("write", "copy", "start", "terminal"):
            return self.error("Incomplete command.")
        return self.error("Unrecognized command.")

    def show(self, words):
        rest = " ".join(words[1:])
        state = self.dev.load()
        if rest == "clock":
            return self.t.output("2026-11-25T11:00:00.00+00:00\n")
        if rest == "version":
            return self.t.output("Dell EMC Networking OS10 Enterprise\nCopyright (c) 1999-2026 by Dell Inc. All Rights "
                                 "Reserved.\nOS Version: 10.5.2.3\nBuild Version: 10.5.2.3.265\nBuild Time: "
                                 "2021-03-05T10:48:44+0000\nSystem Type: S5248F-ON\nArchitecture: x86_64\n"
                                 "Up Time: 1 day 02:03:04\n")
        if rest == "ip interface brief":
            return self.paged(self.ip_brief(state))
        if rest == "ip arp":
            return self.paged(self.arp(state))
        if rest == "lldp neighbors":
            return self.paged(self.lldp(state))
        if rest == "logging log-file":
            return self.paged("".join("Nov 25 11:%02d:00 %s dn_alm[1101]: Node.1-Unit.1:PRI [event], Dell EMC (OS10) "
                                      "%%USER_LOGIN: User %s logged in on session %d\n" % (i, self.hostname(), self.user, i)
                                      for i in range(60)))
        if rest == "running-configuration":
            return self.paged(render(state["running"], state.get("changes", 0)))
        if rest == "startup-configuration":
            return self.paged(render(state["startup"], 0))
        if rest == "candidate-configuration":
            return self.paged(render(self.sections(), state.get("changes", 0)))
        if rest == "diff candidate-configuration running-configuration":
            before, after = render(state["running"], 0).split("\n"), render(self.sections(), 0).split("\n")
            return self.t.output("".join(l + "\n" for l in difflib.unified_diff(before, after, lineterm="", n=1)
                                         if not l.startswith(("---", "+++"))))
        return self.error("Unrecognized command.")

    @staticmethod
    def interfaces(state):
        """(printed name, address or None, shut down, cabled) per interface of the running configuration: ethernet1/1/1
        (to the lab's core switch) and the management port are cabled."""
        names = {"ethernet": "Ethernet ", "mgmt": "Management ", "vlan": "Vlan ", "loopback": "Loopback ",
                 "port-channel": "Port-channel "}
        rows = []
        for line, children in state["running"]:
            if not line.startswith("interface "):
                continue
            name = line.split(None, 1)[1]
            kind = next((k for k in names if name.startswith(k)), None)
            printed = names[kind] + name[len(kind):] if kind else name
            ip = next((c.split()[2] for c in children if c.startswith("ip address ") and "/" in c), None)
            rows.append((printed, ip, "shutdown" in children, name in ("ethernet1/1/1", "mgmt1/1/1")
                         or kind in ("vlan", "loopback")))
        return rows

    def ip_brief(self, state):
        """`show ip interface brief`: Status "admin down" for a shut interface, "down" without link."""
        rows = []
        for name, ip, shut, cabled in self.interfaces(state):
            status = "admin down" if shut else "up" if cabled else "down"
            rows.append("%-25s %-19s %-8s %-12s %-10s %s\n" % (name, ip or "unassigned", "YES" if ip else "NO",
                                                               "manual" if ip else "unset", status,
                                                               "up" if status == "up" else "down"))
        return ("Interface Name            IP-Address          OK       Method       Status     Protocol\n"
                + "=" * 89 + "\n" + "".join(rows))

    def arp(self, state):
        """`show ip arp`: the lab's neighbours on the management port when it has an address on their subnet."""
        arp, _ = emu.lab_neighbours(self.dev)
        seen = any(n == "Management 1/1/1" and ip and ip.startswith("192.0.2.") and not shut
                   for n, ip, shut, _ in self.interfaces(state))
        return ("Address          Hardware address    Interface             Egress Interface\n" + "-" * 78 + "\n"
                + "".join("%-16s %-19s %-21s %s\n" % (ip, mac, "mgmt1/1/1", "mgmt1/1/1") for ip, mac, _ in arp if seen))

    def lldp(self, state):
        """`show lldp neighbors`: the lab's core switch on ethernet1/1/1 when it is not shut down."""
        _, core = emu.lab_neighbours(self.dev)
        seen = any(n == "Ethernet 1/1/1" and not shut for n, _, shut, _ in self.interfaces(state))
        return ("Loc PortID          Rem Host Name        Rem Port Id                      Rem Chassis Id\n" + "-" * 88 + "\n"
                + ("%-19s %-20s %-32s %s\n" % ("ethernet1/1/1", core["name"], core["port"], core["chassis"]) if seen else ""))

    def save(self):
        if "nvram-full" in self.dev.faults():
            return self.error("Failed to copy running-configuration to startup-configuration: No space left on device.")

        def save(state):
            state["startup"] = state["running"]
        self.dev.update(save)

    def commit(self):
        if self.candidate is None:
            return  # nothing pending: the running configuration is already everything typed
        overlap = overlapping(self.candidate)
        if overlap:
            return self.error("Commit failed. " + overlap)
        candidate, self.candidate = self.candidate, None

        def apply(state):
            state["running"] = candidate
            state["changes"] = state.get("changes", 0) + 1
        self.dev.update(apply)

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
        if words[0] == "do" and len(words) > 1:
            return self.exec_cmd(" ".join(words[1:]))
        if words[0] in ("commit", "discard"):
            return self.exec_cmd(line)
        body = words[1:] if words[0] == "no" else words
        allowed = TOP | IN_INTERFACE if self.section else TOP
        if not body or body[0] not in allowed or any("bogus" in w for w in words):
            return self.error("Unrecognized command.")
        if words[0] != "no" and len(body) < NEEDS.get(body[0], 1):
            return self.error("Incomplete command.")
        if self.section and (body[0] in IN_INTERFACE - {"ip"} or body[:2] == ["ip", "address"]):
            return self.section_line(line, words)
        if body[0] == "interface":
            return self.enter(words, body)
        self.section = None  # a global command leaves the interface, as on the switch

        def top(s):
            if words[0] == "hostname":
                s[:] = [e for e in s if not e[0].startswith("hostname ")]
                s.insert(1, [line, []])
            elif words[0] == "no":
                s[:] = [e for e in s if not (e[0] == " ".join(body) or e[0].startswith(" ".join(body) + " "))]
            elif not any(e[0] == line for e in s):
                s.append([line, []])
        self.change(top)
        emu.config_fault(self, self.t)

    def enter(self, words, body):
        # "interface ethernet 1/1/1" or, as the running configuration shows it, "interface ethernet1/1/1".
        kind, port = body[1], "".join(body[2:])
        if len(body) == 2:
            kind = body[1].rstrip("0123456789/")
            port = body[1][len(kind):]
            if kind in ("ethernet", "mgmt", "vlan", "loopback") and not port:
                return self.error("Incomplete command.")
        if kind not in ("ethernet", "mgmt", "vlan", "loopback"):
            return self.error("Unrecognized command.")
        if kind == "ethernet":
            parts = port.split("/")
            if len(parts) != 3 or not all(p.isdigit() for p in parts) or not 1 <= int(parts[2]) <= PORTS:
                return self.error("Interface ethernet%s does not exist." % port)
        header = "interface %s%s" % (kind, port)
        if words[0] == "no" and kind in ("ethernet", "mgmt"):
            # "no interface" takes a VLAN interface, loopback or port channel: a port is emptied instead.
            return self.error("Unrecognized command.")
        if words[0] == "no":
            return self.change(lambda s: s.__setitem__(slice(None), [e for e in s if e[0] != header]))
        self.change(lambda s: None if any(e[0] == header for e in s) else s.insert(
            1 + max(i for i, e in enumerate(s) if e[0].startswith(("hostname ", "interface "))), [header, []]))
        self.section = header

    def section_line(self, line, words):
        header = self.section
        if words[:2] == ["ip", "address"] and self.candidate is None:
            trial = copy.deepcopy(self.dev.load()["running"])
            entry = next(e for e in trial if e[0] == header)
            entry[1][:] = [c for c in entry[1] if not c.startswith("ip address ")] + [line]
            overlap = overlapping(trial)
            if overlap:
                return self.error(overlap)

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
        if self.candidate is not None:
            return edit(self.candidate)

        def apply(state):
            edit(state["running"])
            state["changes"] = state.get("changes", 0) + 1
        self.dev.update(apply)
