"""Huawei VRP (V5) and HP/H3C Comware 7, emulated from the vendors' documented CLI (imported by enms_emulator).

Both: user view <NAME>, `system-view` to [NAME], `interface X` to [NAME-X], `quit` up one view, `return` (or Ctrl+Z)
to user view; `display` works in every view; lines apply as they are typed; a refused one prints a caret line under
the word and the error (VRP "Error: Unrecognized command found at '^' position.", Comware "% Unrecognized command found
at '^' position."; also Incomplete command / Wrong parameter). Pager "  ---- More ----", erased with ESC[nD, spaces,
ESC[nD. `display current-configuration` has sections closed by '#' and ends with `return`.
VRP: `screen-length 0 temporary` (user view) turns paging off; `save` asks "Continue? [Y/N]:" before it writes; the
configuration starts with "!Software Version" and "!Last configuration was updated at" comments.
Comware: `screen-length disable`; `save force` saves without a question, `save` asks Y/N, then the file name, then
whether to overwrite it. `undo` takes a setting back: in an interface view `undo description`, `undo ip address` (all,
or one address), `undo shutdown`; `vlan N` enters the VLAN's view (VRP `description`, Comware `name` and
`description`) and `undo vlan N` deletes it (VLAN 1, the default, cannot be); `undo interface` deletes a logical
interface (VRP Vlanif10, LoopBack0; Comware Vlan-interface10, LoopBack0) but takes no physical port, whose type is not
one of its keywords ("Wrong parameter found at '^' position." under the name). Fault nvram-full makes a save fail; fault login-question asks before the first prompt (VRP
"Change now? [Y/N]:" for an expiring password, Comware "Press Y or ENTER to continue, N to exit."). This file's grammar is the emulator's own: the driver's
profiles are written separately.
"""
import enms_emulator as emu

MORE = "  ---- More ----"
DIALECTS = {
    "vrp": {
        "error": "Error: ", "ifname": "GigabitEthernet0/0/", "clock": "2026-11-25 11:00:00\nWednesday\nTime Zone(UTC) : UTC\n",
        "enter": "Enter system view, return user view with Ctrl+Z.\n",
        "banner": "\nInfo: The max number of VTY users is 10, and the number\n      of current VTY users on line is 1.\n"
                  "      The current login time is 2026-11-25 11:00:00.\n",
        "head": "!Software Version V200R010C00SPC600\n!Last configuration was updated at 2026-11-25 11:00:00+00:00 by %s\n",
        "route_mask": "255.254.0.0", "vlanif": "Vlanif", "vlan_words": {"description"},
    },
    "comware": {
        "error": "% ", "ifname": "GigabitEthernet1/0/", "clock": "11:00:00.000 UTC Wed 11/25/2026\n",
        "enter": "System View: return to User View with Ctrl+Z.\n",
        "banner": "\n" + "*" * 78 + "\n* Copyright (c) 2004-2026 New H3C Technologies Co., Ltd. All rights reserved.*\n"
                  "* Without the owner's prior written consent,                                 *\n"
                  "* no decompiling or reverse-engineering shall be allowed.                    *\n" + "*" * 78 + "\n\n",
        "head": "#\n version 7.1.064, Release 0821P11\n",
        "route_mask": "15", "vlanif": "Vlan-interface", "vlan_words": {"description", "name"},
    },
}
# First words that system view takes, and those that need more words.
TOP = {"sysname", "interface", "ip", "ntp-service", "info-center", "snmp-agent", "dns", "clock", "undo", "vlan"}
IN_INTERFACE = {"description", "ip", "shutdown", "undo", "mtu", "port", "speed", "duplex"}
NEEDS = {"sysname": 2, "interface": 2, "description": 2, "ip": 3, "ntp-service": 3, "info-center": 3, "mtu": 2}


def initial_state(name, kind):
    d = DIALECTS[kind]
    blocks = [[None, ["sysname " + name]],
              ["interface %s0" % d["ifname"], ["description mgmt", "ip address 192.0.2.1 255.255.255.0"]],
              ["interface %s1" % d["ifname"], ["shutdown"]],
              [None, ["ip route-static 198.18.0.0 %s 192.0.2.254" % d["route_mask"]]]]
    return {"running": blocks, "saved": blocks, "pending": None}


def render(blocks):
    out = ["#"]
    for header, lines in blocks:
        if header is None and not lines:
            continue
        if header is not None:
            out.append(header)
        out.extend(" " + l for l in lines)
        out.append("#")
    return "\n".join(out) + "\nreturn\n"


class Vrp:
    def __init__(self, dev, term, user):
        self.dev, self.t, self.user = dev, term, user
        self.d = DIALECTS[dev.kind]
        self.length = 24
        self.view = None  # None: user view; "": system view; else the interface name

    def blocks(self):
        return self.dev.load()["running"]

    def sysname(self):
        return next((l.split(None, 1)[1] for h, ls in self.blocks() if h is None for l in ls if l.startswith("sysname ")),
                    "HUAWEI" if self.dev.kind == "vrp" else "H3C")

    def prompt(self):
        if self.view is None:
            return "<%s>" % self.sysname()
        return "[%s%s]" % (self.sysname(), "-" + self.view if self.view else "")

    def error(self, message, line="", at=None):
        """The caret under the word the parser stopped at, then the error."""
        caret = ""
        if at is not None:
            words = line.split()
            column = len(self.prompt()) + (line.find(words[at]) if at < len(words) else len(line) + 1)
            caret = " " * column + "^\n"
        self.t.output("%s%s%s\n" % (caret, self.d["error"], message))

    def unrecognized(self, line, at=0):
        self.error("Unrecognized command found at '^' position.", line, at)

    def incomplete(self, line):
        self.error("Incomplete command found at '^' position.", line, len(line.split()))

    def paged(self, text):
        lines = text.rstrip("\n").split("\n")
        if self.length == 0 or len(lines) < self.length:
            return self.t.output(text)
        i = 0
        while i < len(lines):
            self.t.output("\n".join(lines[i:i + self.length - 1]) + "\n")
            i += self.length - 1
            if i >= len(lines):
                break
            self.t.write(MORE)
            k = self.t.key()
            n = len(MORE)
            self.t.raw("\x1b[%dD%s\x1b[%dD" % (n, " " * n, n))
            if k in (b"q", b"Q", b"\x03"):
                break

    def run(self):
        self.t.write(self.d["banner"])
        # Fault login-question: VRP asks to change an expiring password, Comware's banner asks to go on.
        if "login-question" in self.dev.faults():
            if self.dev.kind == "vrp":
                self.t.write("The password needs to be changed. Change now? [Y/N]:")
                if self.t.line().strip().lower() in ("y", "yes"):
                    self.t.write("Please enter old password:")
                    self.t.line(echo=False)
                    return self.t.output("Error: The password is incorrect.\n")
            else:
                self.t.write("Press Y or ENTER to continue, N to exit.")
                if self.t.line().strip().lower() == "n":
                    return
            self.t.write("\n")
        while True:
            self.t.write(self.prompt())
            line = self.t.line().strip()
            if not line:
                continue
            if line == "\x1a" or line == "return":
                self.view = None
                continue
            if line == "quit":
                if self.view is None:
                    return
                self.view = "" if self.view else None
                continue
            words = line.split()
            if words[0] == "display":
                self.display(line, words)
            elif self.view is None:
                self.user_view(line, words)
            else:
                self.system_view(line, words)

    def user_view(self, line, words):
        kind = self.dev.kind
        if kind == "vrp" and words[:1] == ["screen-length"] and len(words) == 3 and words[2] == "temporary":
            if not words[1].isdigit():
                return self.error("Wrong parameter found at '^' position.", line, 1)
            self.length = int(words[1])
            return self.t.output("Info: The configuration takes effect on the current user terminal interface only.\n")
        if kind == "comware" and words == ["screen-length", "disable"]:
            self.length = 0
            return
        if kind == "comware" and words == ["undo", "screen-length", "disable"]:
            self.length = 24
            return
        if words == ["system-view"]:
            self.view = ""
            return self.t.output(self.d["enter"])
        if words[0] == "save":
            return self.save(words)
        return self.unrecognized(line, 0)

    def display(self, line, words):
        rest = " ".join(words[1:])
        state = self.dev.load()
        if rest == "clock":
            return self.t.output(self.d["clock"])
        if rest == "version":
            text = ("Huawei Versatile Routing Platform Software\nVRP (R) software, Version 5.170 (AR2200 V200R010C00SPC600)\n"
                    "Copyright (C) 2011-2026 HUAWEI TECH CO., LTD\nHuawei AR2220E Router uptime is 1 day, 2 hours, 3 minutes\n"
                    if self.dev.kind == "vrp" else
                    "HPE Comware Software, Version 7.1.064, Release 0821P11\nCopyright (c) 2010-2026 Hewlett Packard "
                    "Enterprise Development LP\nHPE FF 5700 uptime is 0 weeks, 1 day, 2 hours, 3 minutes\n")
            return self.paged(text)
        if rest == "logbuffer":
            if self.dev.kind == "vrp":
                rows = ["Nov 25 2026 11:%02d:00 %s %%%%01SHELL/5/CMDRECORD(s)[%d]:Recorded command information. (Task=VT0, "
                        "Ip=10.255.127.1, User=%s, Command=\"display clock\")" % (i, self.sysname(), i, self.user) for i in range(60)]
            else:
                rows = ["%%Nov 25 11:%02d:00:000 2026 %s SHELL/6/SHELL_CMD: -Line=vty0-IPAddr=10.255.127.1-User=%s; "
                        "Command is display clock" % (i, self.sysname(), self.user) for i in range(60)]
            return self.paged("Logging buffer configuration and contents : enabled\nCurrent messages : 60\n\n"
                              + "\n".join(rows) + "\n")
        if rest in ("current-configuration", "current"):
            head = self.d["head"] % self.user if "%s" in self.d["head"] else self.d["head"]
            return self.paged(head + render(state["running"]))
        if rest in ("saved-configuration", "saved"):
            return self.paged(self.d["head"].replace("%s", "SYSTEM") + render(state["saved"]))
        if rest == "ip interface brief" and self.dev.kind == "vrp":
            return self.paged(self.vrp_ip_interfaces(state))
        if rest == "interface brief" and self.dev.kind == "comware":
            return self.paged(self.comware_interfaces(state))
        if rest == "arp":
            return self.paged(self.arp(state))
        if (rest, self.dev.kind) in (("lldp neighbor brief", "vrp"), ("lldp neighbor-information list", "comware")):
            return self.paged(self.lldp(state))
        return self.unrecognized(line, 1 if len(words) > 1 else 0)

    def interfaces(self, state):
        """(name, address A.B.C.D/N or None, shut down, description) per interface of the running configuration."""
        rows = []
        for header, lines in state["running"]:
            if not (header or "").startswith("interface "):
                continue
            ip = next((l.split()[2:4] for l in lines if l.startswith("ip address ")), None)
            prefix = None
            if ip:
                mask = ip[1] if "." in ip[1] else None
                bits = sum(bin(int(o)).count("1") for o in mask.split(".")) if mask else int(ip[1])
                prefix = "%s/%d" % (ip[0], bits)
            description = next((l.split(None, 1)[1] for l in lines if l.startswith("description ")), "")
            rows.append((header.split(None, 1)[1], prefix, "shutdown" in lines, description))
        return rows

    def short(self, name):
        """Comware's and VRP's short interface names (GigabitEthernet1/0/1 -> GE1/0/1, Vlan-interface1 -> Vlan1)."""
        for long, short in (("GigabitEthernet", "GE"), ("Vlan-interface", "Vlan"), ("Vlanif", "Vlanif"), ("LoopBack", "Loop"
                            if self.dev.kind == "comware" else "LoopBack")):
            if name.startswith(long):
                return short + name[len(long):]
        return name

    def vrp_ip_interfaces(self, state):
        """VRP's `display ip interface brief`: a legend, the counts of interfaces up and down, then one row per
        interface; an administratively down one shows *down, one without an address "unassigned" and protocol down."""
        rows = [(n, p or "unassigned", "*down" if shut else "up", "up" if p and not shut else "down")
                for n, p, shut, _ in self.interfaces(state)] + [("NULL0", "unassigned", "up", "up(s)")]
        physical_up = sum(1 for r in rows if r[2] == "up")
        protocol_up = sum(1 for r in rows if r[3].startswith("up"))
        return ("*down: administratively down\n^down: standby\n(l): loopback\n(s): spoofing\n(E): E-Trunk down\n"
                "The number of interface that is UP in Physical is %d\nThe number of interface that is DOWN in Physical "
                "is %d\nThe number of interface that is UP in Protocol is %d\nThe number of interface that is DOWN in "
                "Protocol is %d\n\nInterface                         IP Address/Mask      Physical   Protocol  \n"
                % (physical_up, len(rows) - physical_up, protocol_up, len(rows) - protocol_up)
                + "".join("%-33s %-20s %-10s %-10s\n" % r for r in rows))

    def comware_interfaces(self, state):
        """Comware 7's `display interface brief`, route-mode section: Link UP, DOWN or ADM (shut down), Protocol, the
        primary address without its mask ("--" for none)."""
        rows = [(self.short(n), "ADM" if shut else "UP", "UP" if p and not shut else "DOWN", p.split("/")[0] if p else "--",
                 d) for n, p, shut, d in self.interfaces(state)] + [("NULL0", "UP", "UP(s)", "--", "")]
        return ("Brief information on interfaces in route mode:\nLink: ADM - administratively down; Stby - standby\n"
                "Protocol: (s) - spoofing\nInterface            Link Protocol Primary IP      Description\n"
                + "".join(("%-20s %-4s %-8s %-15s %s" % r).rstrip() + "\n" for r in rows))

    def on_subnet(self, state):
        """The interface with an address on the lab's management subnet, up: where the lab's neighbours answer."""
        return next((n for n, p, shut, _ in self.interfaces(state) if p and p.startswith("192.0.2.") and not shut), None)

    def arp(self, state):
        """`display arp`: the interface's own entry (I, VRP only) and the neighbours it learnt (D), MACs as 00e0-fc12-3456."""
        arp, _ = emu.lab_neighbours(self.dev)
        port = self.on_subnet(state)
        entries = [(ip, emu.mac_dotted(mac), age) for ip, mac, age in arp] if port else []
        if self.dev.kind == "comware":
            return ("  Type: S-Static   D-Dynamic   O-Openflow   R-Rule   M-Multiport  I-Invalid\n"
                    "IP address      MAC address    VLAN/VSI name Interface                Aging Type\n"
                    + "".join("%-15s %-14s %-13s %-24s %-5d D\n" % (ip, mac, "N/A", self.short(port), age)
                              for ip, mac, age in entries))
        own = next(p for n, p, _, _ in self.interfaces(state) if n == port).split("/")[0] if port else None
        rows = ([(own, "00e0-fc%02x-%04x" % (len(self.sysname()) % 256, int(self.dev.address.split(".")[3])), "", "I -")]
                if own else []) + [(ip, mac, str(age), "D-0") for ip, mac, age in entries]
        rule = "-" * 78 + "\n"
        return ("IP ADDRESS      MAC ADDRESS     EXPIRE(M) TYPE        INTERFACE   VPN-INSTANCE \n"
                "                                          VLAN \n" + rule
                + "".join("%-15s %-15s %-9s %-11s %s\n" % (ip, mac, age, kind, self.short(port)) for ip, mac, age, kind in rows)
                + rule + "Total:%-9d Dynamic:%-7d Static:0     Interface:%d\n" % (len(rows), len(entries), 1 if own else 0))

    def lldp(self, state):
        """The lab's core switch on the first GigabitEthernet port, when it is not shut down."""
        _, core = emu.lab_neighbours(self.dev)
        first = next(((n, shut) for n, _, shut, _ in self.interfaces(state) if n.startswith(self.d["ifname"])), None)
        seen = first and not first[1]
        if self.dev.kind == "vrp":
            return ("Local Intf       Neighbor Dev             Neighbor Intf             Exptime(s)\n"
                    + ("%-16s %-24s %-25s %s\n" % (self.short(first[0]), core["name"], core["port"], 109) if seen else ""))
        return ("Chassis ID : * -- -- Nearest nontpmr bridge neighbor\n             # -- -- Nearest customer bridge "
                "neighbor\n             Default -- -- Nearest bridge neighbor\n"
                "System Name               Local Interface Chassis ID      Port ID\n"
                + ("%-25s %-15s %-15s %s\n" % (core["name"], self.short(first[0]), emu.mac_dotted(core["chassis"]),
                                              core["port"]) if seen else ""))

    def save(self, words):
        if self.dev.kind == "vrp":
            if words != ["save"]:
                return self.unrecognized(" ".join(words), 1)
            self.t.write("Warning: The current configuration will be written to the device. Continue? [Y/N]:")
            if self.t.line().strip().lower() not in ("y", "yes"):
                return self.t.output("Info: The save operation was cancelled.\n")
            self.t.output("Now saving the current configuration to the slot 0.\n")
            if "nvram-full" in self.dev.faults():
                return self.t.output("Error: Failed to save the configuration: the storage space is insufficient.\n")
            self.commit_save()
            return self.t.output("Info: Save the configuration successfully.\n")
        if words not in (["save"], ["save", "force"]):
            return self.unrecognized(" ".join(words), 1)
        if words == ["save"]:
            self.t.write("The current configuration will be written to the device. Are you sure? [Y/N]:")
            if self.t.line().strip().lower() not in ("y", "yes"):
                return self.t.output("Configuration is not saved!\n")
            self.t.write("Please input the file name(*.cfg)[flash:/startup.cfg]\n(To leave the existing filename "
                         "unchanged, press the enter key):")
            self.t.line()
            self.t.write("flash:/startup.cfg exists, overwrite? [Y/N]:")
            if self.t.line().strip().lower() not in ("y", "yes"):
                return self.t.output("Configuration is not saved!\n")
        self.t.output("Validating file. Please wait...\n")
        if "nvram-full" in self.dev.faults():
            return self.t.output("The file system is full.\nFailed to save the current configuration.\n")
        self.commit_save()
        self.t.output("Saved the current configuration to mainboard device successfully.\n")

    def commit_save(self):
        def save(state):
            state["saved"] = state["running"]
        self.dev.update(save)

    def system_view(self, line, words):
        if words[0] == "save":
            return self.save(words)
        if self.view.startswith("vlan") and (words[1:2] if words[0] == "undo" else words[:1]) and \
                (words[1] if words[0] == "undo" else words[0]) in self.d["vlan_words"]:
            return self.vlan_line(line, words)
        allowed = IN_INTERFACE | TOP if self.view and not self.view.startswith("vlan") else TOP
        body = words[1:] if words[0] == "undo" else words
        if not body:
            return self.incomplete(line)
        if body[0] not in allowed or any("bogus" in w for w in words):
            return self.unrecognized(line, next((i for i, w in enumerate(words) if "bogus" in w),
                                                0 if words[0] != "undo" else 1))
        if words[0] != "undo" and len(body) < NEEDS.get(body[0], 1):
            return self.incomplete(line)
        in_interface = bool(self.view) and not self.view.startswith("vlan") and (
            body[0] in IN_INTERFACE - {"ip"} or body[:2] == ["ip", "address"])
        if body[0] == "vlan" and not in_interface:
            return self.vlan(line, words, body)
        if body[0] == "interface" and not in_interface:
            # "interface Vlanif 10" and "interface Vlanif10" are the same interface, displayed without the space.
            name = "".join(body[1:3]) if len(body) in (2, 3) else " ".join(body[1:])
            logical = name.startswith(("LoopBack", self.d["vlanif"])) and name[len("LoopBack" if name.startswith("LoopBack") else self.d["vlanif"]):].isdigit()
            if not (name.startswith(self.d["ifname"]) or logical):
                return self.error("Wrong parameter found at '^' position.", line, 1 + (words[0] == "undo"))
            if words[0] == "undo":
                # undo interface takes logical interfaces only: a physical port's type is not one of its keywords.
                if not logical:
                    return self.error("Wrong parameter found at '^' position.", line, 2)
                if not any(b[0] == "interface " + name for b in self.blocks()):
                    return self.error("The interface does not exist.")
                return self.change(lambda blocks: blocks.__setitem__(slice(None), [b for b in blocks if b[0] != "interface " + name]))
            def add(blocks):
                if not any(b[0] == "interface " + name for b in blocks):
                    after = max([i for i, b in enumerate(blocks) if (b[0] or "").startswith("interface ")] or [0])
                    blocks.insert(after + 1, ["interface " + name, []])
            self.change(add)
            self.view = name
            return
        if in_interface:
            return self.interface_line(line, words)
        self.change(lambda blocks: self.top_line(blocks, line, words))
        if self.view:
            self.view = ""  # a system-view command typed in a sub-view applies there and returns to system view
        emu.config_fault(self, self.t)

    def vlan(self, line, words, body):
        """`vlan N` creates VLAN N (shown before the interfaces) and enters its view; `undo vlan N` deletes it."""
        if len(body) != 2 or not body[1].isdigit() or not 1 <= int(body[1]) <= 4094:
            return self.error("Wrong parameter found at '^' position.", line, len(words) - 1)
        header = "vlan " + body[1]
        if words[0] == "undo":
            if body[1] == "1":
                return self.error("The default VLAN cannot be deleted." if self.dev.kind == "vrp"
                                  else "VLAN 1 is the default VLAN and cannot be deleted.")
            return self.change(lambda blocks: blocks.__setitem__(slice(None), [b for b in blocks if b[0] != header]))

        def add(blocks):
            if not any(b[0] == header for b in blocks):
                at = next((i for i, b in enumerate(blocks) if (b[0] or "").startswith("interface ")), len(blocks))
                blocks.insert(at, [header, []])
        self.change(add)
        self.view = "vlan" + body[1]
        emu.config_fault(self, self.t)

    def vlan_line(self, line, words):
        """A VLAN's description (and Comware's name): typed again it replaces the old one; `undo` takes it back."""
        header = "vlan " + self.view[len("vlan"):]
        key = words[1] if words[0] == "undo" else words[0]
        if words[0] != "undo" and len(words) < 2:
            return self.incomplete(line)

        def change(blocks):
            block = next(b for b in blocks if b[0] == header)
            block[1][:] = [l for l in block[1] if not l.startswith(key + " ")] + ([] if words[0] == "undo" else [line])
        self.change(change)
        emu.config_fault(self, self.t)

    def interface_line(self, line, words):
        header = "interface " + self.view
        if words[:2] == ["ip", "address"] and len(words) == 4:
            taken = [h for h, ls in self.blocks() if h and h != header and any(l.split()[2:3] == [words[2]] for l in ls)]
            if taken:
                return self.error("The specified IP address conflicts with another address.")

        def change(blocks):
            block = next(b for b in blocks if b[0] == header)
            if words[0] == "undo":
                block[1][:] = [l for l in block[1] if not (l == " ".join(words[1:]) or l.startswith(" ".join(words[1:]) + " "))]
                return
            # A second address ("... sub") adds to the primary; any other replaces it.
            key = {"description": "description ", "ip": "ip address ", "mtu": "mtu "}.get(words[0]) if words[-1] != "sub" else None
            block[1][:] = [l for l in block[1] if not (key and l.startswith(key)) and l != line] + [line]
        self.change(change)
        emu.config_fault(self, self.t)

    def top_line(self, blocks, line, words):
        if words[0] == "sysname":
            blocks[0][1][:] = [l for l in blocks[0][1] if not l.startswith("sysname ")]
            blocks[0][1].insert(0, line)
            return
        if blocks[-1][0] is not None:
            blocks.append([None, []])
        if words[0] == "undo":
            target = " ".join(words[1:])
            for _, ls in blocks:
                ls[:] = [l for l in ls if not (l == target or l.startswith(target + " "))]
            return
        if line not in blocks[-1][1]:
            blocks[-1][1].append(line)

    def change(self, edit):
        def apply(state):
            edit(state["running"])
        self.dev.update(apply)
