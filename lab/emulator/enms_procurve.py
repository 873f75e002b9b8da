"""HP ProCurve / ArubaOS-Switch (16.x), emulated from HPE's documented CLI (imported by enms_emulator).

Login shows the product banner and "Press any key to continue", then the manager prompt host# (the switch draws
its screen with VT100 escapes). `no page` turns the pager off (`page` back on: "-- MORE --, next page: Space, next
line: Enter, quit: Control-C"); `configure terminal` -> host(config)#, `interface N` -> host(eth-N)#, `vlan N` ->
host(vlan-N)#, `exit` up one context, `end` back to host#. Lines apply as they are typed; a refused one answers
"Invalid input: WORD" or "Incomplete input: WORD" and changes nothing. `show running-config` prints "Running
configuration:" then the configuration (names quoted, contexts indented by three spaces and closed by `exit`);
`write memory` saves it silently (`show config` shows the saved one; fault nvram-full makes the save fail);
`logout` asks "Do you want to log out [y/n]?" then, with unsaved changes, "Do you want to save the current
configuration [y/n]?". This file's grammar is the emulator's own: the driver's profile is written separately.
"""
import enms_emulator as emu

MORE = "-- MORE --, next page: Space, next line: Enter, quit: Control-C"
SCREEN = "\x1b[1;24r\x1b[24;1H"
TOP = {"hostname", "interface", "vlan", "ip", "snmp-server", "no", "sntp", "timesync", "spanning-tree", "logging",
       "banner", "password", "time"}
IN_INTERFACE = {"name", "disable", "enable", "speed-duplex", "flow-control", "lacp", "no", "mdix-mode"}
IN_VLAN = {"name", "untagged", "tagged", "ip", "no"}
NEEDS = {"hostname": 2, "interface": 2, "vlan": 2, "ip": 3, "name": 2, "untagged": 2, "tagged": 2, "snmp-server": 2,
         "logging": 2, "sntp": 2}
PORTS = 28


def initial_state(name):
    sections = [['hostname "%s"' % name, []], ["module 1 type j9773a", []],
                ["interface 1", ['name "uplink"']], ["snmp-server community \"public\" unrestricted", []],
                ["ip default-gateway 192.0.2.254", []], ["ip route 198.18.0.0 255.254.0.0 192.0.2.254", []],
                ["vlan 1", ['name "DEFAULT_VLAN"', "untagged 1-28", "ip address 192.0.2.1 255.255.255.0"]]]
    return {"running": sections, "startup": sections}


def render(sections):
    out = ["; J9773A Configuration Editor; Created on release #YA.16.10.0010",
           "; Ver #14:01.44.00.04.1b.4d.fb.7f.bf.bb.ff.7c.59.fc.7b.ff.ff.fc.ff.ff.3f.ef:"]
    for line, children in sections:
        if line.startswith("interface ") and not children:
            continue  # a port at its defaults is not in the configuration
        out.append(line)
        if line.startswith(("interface ", "vlan ")):
            out.extend("   " + c for c in children)
            out.append("   exit")
    return "\n".join(out) + "\n"


def quoted(words):
    """A name as the switch keeps it: in double quotes."""
    return '"%s"' % " ".join(words).strip('"')


class Procurve:
    def __init__(self, dev, term, user):
        self.dev, self.t, self.user = dev, term, user
        self.length = 24
        self.config = False
        self.context = None  # ("eth", "9") or ("vlan", "1")

    def sections(self):
        return self.dev.load()["running"]

    def hostname(self):
        return next((l.split(None, 1)[1].strip('"') for l, _ in self.sections() if l.startswith("hostname ")), "HP-2530")

    def prompt(self):
        if not self.config:
            return self.hostname() + "# "
        return "%s(%s)# " % (self.hostname(), "%s-%s" % self.context if self.context else "config")

    def paged(self, text):
        emu.paged_cr(self.t, text, self.length, MORE)

    def invalid(self, word):
        self.t.output("Invalid input: %s\n" % word)

    def incomplete(self, line):
        self.t.output("Incomplete input: %s\n" % line)

    def run(self):
        self.t.write("\nHP J9773A 2530-24G-PoEP Switch\nSoftware revision YA.16.10.0010\n\n"
                     "(C) Copyright 2020 Hewlett Packard Enterprise Development LP\n\n"
                     "                   RESTRICTED RIGHTS LEGEND\n"
                     "Confidential computer software. Valid license from Hewlett Packard Enterprise\n"
                     "Development LP required for possession, use or copying.\n\n"
                     "We'd like to keep you up to date about:\n  * Software feature updates\n\n"
                     "Press any key to continue")
        if self.t.key() == b"\r":
            self.t.skip_lf = True
        self.t.write("\x1b[2J" + SCREEN + "\n")
        while True:
            self.t.write("\x1b[2K\r" + self.prompt())
            line = self.t.line().strip()
            if not line:
                continue
            if not self.config and line.split()[0] in ("logout", "exit"):
                if self.logout():
                    return
                continue
            (self.config_cmd if self.config else self.exec_cmd)(line)

    def ask(self, question):
        self.t.write(question)
        answer = self.t.line().strip().lower()
        return answer.startswith("y")

    def logout(self):
        if not self.ask("Do you want to log out [y/n]? "):
            return False
        state = self.dev.load()
        if state["running"] != state["startup"] and self.ask("Do you want to save the current configuration [y/n]? "):
            self.save()
        return True

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
            self.config, self.context = True, None
            return
        if words == ["write", "memory"]:
            return self.save()
        if words == ["write"]:
            return self.incomplete("write")
        return self.invalid(words[0])

    def show(self, words):
        rest = " ".join(words[1:])
        state = self.dev.load()
        if not rest:
            return self.incomplete("show")
        if rest == "time":
            return self.t.output("Wed Nov 25 11:00:00 2026\n")
        if rest == "version":
            return self.t.output("Image stamp:    /ws/swbuildm/rel_ukiah_qaoff/code/build/lvm(swbuildm_rel_ukiah_qaoff_"
                                 "rel_ukiah)\n                Nov 24 2020 05:06:07\n                YA.16.10.0010\n"
                                 "                1223\nBoot Image:     Primary\n")
        if rest == "logging":
            return self.paged("Keys: W=Warning I=Information M=Major D=Debug E=Error\n"
                              "----  Event Log listing: Events Since Boot  ----\n" +
                              "".join("I 11/25/26 11:%02d:00 00179 mgr:  SME SSH from 192.0.2.%d - MANAGER Mode\n"
                                      % (i, 10 + i) for i in range(60)))
        if rest in ("running-config", "running-config status"):
            return self.paged("\nRunning configuration:\n\n" + render(state["running"]))
        if rest == "config":
            return self.paged("\nStartup configuration: 1\n\n" + render(state["startup"]))
        if rest == "system":
            return self.paged(self.system())
        if rest in ("interfaces brief", "interface brief"):
            return self.paged(self.ports_brief())
        if rest == "arp":
            return self.paged(self.arp())
        if rest == "lldp info remote-device":
            return self.paged(self.lldp())
        return self.invalid(next((w for w in words[1:] if "bogus" in w), words[1]))

    def enabled(self, port):
        """A port is enabled unless its context holds `disable`."""
        return not any(l == "interface %d" % port and "disable" in c for l, c in self.sections())

    def uplink_up(self):
        """Only port 1 is cabled in the lab (to the core switch): it is up when enabled."""
        return self.enabled(1)

    def system(self):
        """`show system`: the general system information screen, two columns of "Name : value"."""
        n = int(self.dev.address.split(".")[3])
        return ("\n Status and Counters - General System Information\n\n  System Name        : %s\n"
                "  System Contact     :\n  System Location    :\n\n  MAC Age Time (sec) : 300\n\n"
                "  Time Zone          : 0\n  Daylight Time Rule : None\n\n"
                "  Software revision  : YA.16.10.0010        Base MAC Addr      : 3ca82a-c5%04x\n"
                "  ROM Version        : YA.15.20             Serial Number      : CN9ZK%05d\n\n"
                "  Up Time            : 23 days              Memory   - Total   : 152,455,680\n"
                "  CPU Util (%%)       : 0                               Free    : 97,190,016\n\n"
                "  IP Mgmt  - Pkts Rx : 759,347              Packet   - Total   : 6750\n"
                "             Pkts Tx : 184,236              Buffers    Free    : 5086\n"
                "                                                       Lowest  : 4961\n"
                "                                                       Missed  : 0\n" % (self.hostname(), n, n))

    def ports_brief(self):
        """`show interfaces brief`: every port, Enabled Yes/No and Status Up/Down."""
        rows = []
        for port in range(1, PORTS + 1):
            enabled = self.enabled(port)
            up = port == 1 and enabled
            rows.append("  %-12s %-10s | %-9s %-7s %-6s %-10s %-5s %-5s %s" % (
                port, "100/1000T", "No", "Yes" if enabled else "No", "Up" if up else "Down", "1000FDx", "MDIX" if up
                else "Auto", "off", 0))
        return ("\n Status and Counters - Port Status\n\n"
                "                          | Intrusion                           MDI   Flow  Bcast\n"
                "  Port         Type       | Alert     Enabled Status Mode       Mode  Ctrl  Limit\n"
                "  ------------ ---------- + --------- ------- ------ ---------- ----- ----- ------\n"
                + "".join(r.rstrip() + "\n" for r in rows))

    def arp(self):
        """`show arp`: the lab's neighbours on the management VLAN, learnt on port 1, when the VLAN has an address on
        their subnet and port 1 is up. ProCurve prints MACs as 001b3f-e00500."""
        arp, _ = emu.lab_neighbours(self.dev)
        addressed = any(l.startswith("vlan ") and any(c.startswith("ip address 192.0.2.") for c in ch)
                        for l, ch in self.sections())
        rows = arp if addressed and self.uplink_up() else []
        return ("\n IP ARP table\n\n  IP Address       MAC Address       Type    Port\n"
                "  ---------------  ----------------- ------- ----\n"
                + "".join("  %-16s %-17s %-7s %s\n" % (ip, emu.mac_dotted(mac, 6), "dynamic", 1) for ip, mac, _ in rows))

    def lldp(self):
        """`show lldp info remote-device`: one row per neighbour, the chassis id as spaced hex bytes, a system name
        longer than its column cut with "..."."""
        _, core = emu.lab_neighbours(self.dev)
        name = core["name"] if len(core["name"]) <= 22 else core["name"][:19] + "..."
        row = "  %-9s | %-25s %-6s %-9s %s\n" % (1, core["chassis"].replace(":", " "), core["port"], core["port"], name)
        return ("\n LLDP Remote Devices Information\n\n"
                "  LocalPort | ChassisId                 PortId PortDescr SysName\n"
                "  --------- + ------------------------- ------ --------- ----------------------\n"
                + (row if self.uplink_up() else ""))

    def save(self):
        if "nvram-full" in self.dev.faults():
            return self.t.output("Unable to save the configuration: insufficient flash memory space.\n")

        def save(state):
            state["startup"] = state["running"]
        self.dev.update(save)

    def config_cmd(self, line):
        words = line.split()
        if words == ["end"]:
            self.config, self.context = False, None
            return
        if words == ["exit"]:
            if self.context:
                self.context = None
            else:
                self.config = False
            return
        if words[0] in ("show", "write"):
            return self.exec_cmd(line)
        body = words[1:] if words[0] == "no" else words
        allowed = {"eth": IN_INTERFACE, "vlan": IN_VLAN}.get(self.context[0], set()) | TOP if self.context else TOP
        bogus = next((w for w in words if "bogus" in w), None)
        if not body or body[0] not in allowed or bogus:
            return self.invalid(bogus or (body[0] if body else words[0]))
        if words[0] != "no" and len(body) < NEEDS.get(body[0], 1):
            return self.incomplete(line)
        context_words = {"eth": IN_INTERFACE, "vlan": IN_VLAN}.get(self.context[0]) if self.context else None
        if context_words and body[0] in context_words - {"ip"} | ({"ip"} if body[:2] == ["ip", "address"] else set()):
            return self.context_line(words)
        if body[0] in ("interface", "vlan"):
            return self.enter(words, body)
        self.context = None  # a global command leaves the context, as on the switch

        def top(s):
            if words[0] == "hostname":
                s[:] = [e for e in s if not e[0].startswith("hostname ")]
                s.insert(0, ["hostname " + quoted(words[1:]), []])
            elif words[0] == "no":
                s[:] = [e for e in s if not (e[0] == " ".join(body) or e[0].startswith(" ".join(body) + " "))]
            elif not any(e[0] == line for e in s):
                s.insert(next((i for i, e in enumerate(s) if e[0].startswith("vlan ")), len(s)), [line, []])
        self.change(top)
        emu.config_fault(self, self.t)

    def enter(self, words, body):
        kind, number = ("eth" if body[0] == "interface" else "vlan"), body[1]
        if not number.isdigit() or not (1 <= int(number) <= (PORTS if kind == "eth" else 4094)):
            return self.t.output("Module not present for port or invalid port: %s\n" % number if kind == "eth"
                                 else "Invalid input: %s\n" % number)
        header = "%s %s" % (body[0], number)
        if words[0] == "no":
            if kind == "eth":
                return self.invalid("interface")
            return self.change(lambda s: s.__setitem__(slice(None), [e for e in s if e[0] != header]))

        def add(s):
            if not any(e[0] == header for e in s):
                after = [i for i, e in enumerate(s) if e[0].startswith(("hostname ", "module ", "interface "))]
                s.insert(after[-1] + 1 if kind == "eth" and after else len(s), [header, []])
        self.change(add)
        self.context = (kind, number)

    def context_line(self, words):
        header = ("interface " if self.context[0] == "eth" else "vlan ") + self.context[1]
        keep = " ".join(words)
        if words[0] == "name":
            keep = "name " + quoted(words[1:])
        key = {"name": "name ", "ip": "ip address ", "speed-duplex": "speed-duplex "}.get(words[0])

        def edit(s):
            entry = next(e for e in s if e[0] == header)
            if words[0] == "no":
                target = " ".join(words[1:])
                entry[1][:] = [c for c in entry[1] if not (c == target or c.startswith(target + " "))]
                return
            if words[0] in ("disable", "enable"):
                entry[1][:] = [c for c in entry[1] if c not in ("disable", "enable")]
            entry[1][:] = [c for c in entry[1] if not (key and c.startswith(key)) and c != keep]
            if keep != "enable":
                entry[1].append(keep)
        self.change(edit)
        emu.config_fault(self, self.t)

    def change(self, edit):
        def apply(state):
            edit(state["running"])
        self.dev.update(apply)
