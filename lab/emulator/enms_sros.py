"""Nokia SR OS (MD-CLI, 23.x), emulated from Nokia's MD-CLI User Guide (imported by enms_emulator).

The prompt is two lines: a context line (`[/]` in operational mode; `[pr:/configure]` in private configuration mode,
with a leading `*` once the candidate differs from the baseline) and `A:user@name# `. `environment more false` turns
the pager off (on by default: 24 lines, then "Press Q to quit, Enter to print next line or any other key to print next
page."). `edit-config private` opens a private candidate (dropped with the session or by `quit-config`); inside it,
statements are paths relative to the context (`/configure ...` is absolute), a path that stops at a container
navigates into it, `exit` / `exit all` go back up, `delete PATH` removes. A refused statement changes nothing and
prints a `MINOR: CLI #NNNN:` message; `commit` validates the whole candidate (a primary IPv4 address needs its
prefix-length) and applies all or nothing ("MINOR: MGMT_CORE #4001: ... Missing mandatory fields"); a failed commit
leaves the candidate as it was; `discard` drops it. `commit confirmed N` applies with a timer of N minutes: `commit
confirmed accept` keeps it, otherwise the running configuration goes back when the timer ends (a minute lasts
ENMS_EMU_MINUTE seconds in the lab). `admin show
configuration` prints the running configuration in braces between "#" comment lines carrying the time; `admin save`
writes the startup configuration (fault nvram-full makes it fail). This file's grammar is the emulator's own: the
driver's profile is written separately.
"""
import os
import shlex
import time

import enms_emulator as emu

PAGER = "Press Q to quit, Enter to print next line or any other key to print next page."
# The configuration schema under /configure. A word is a keyword; '*' a list key shown bare, '*s' a list key shown
# quoted; the last element is the leaf's value type: 's' string (quoted), 'a' an address, 'e:a|b' one of the words, 'i:lo-hi' an integer.
SCHEMA = [
    ("system", "name", "s"), ("system", "location", "s"), ("system", "contact", "s"),
    ("port", "*", "description", "s"), ("port", "*", "admin-state", "e:enable|disable"),
    ("port", "*", "ethernet", "mtu", "i:512-9800"),
    ("router", "*s", "interface", "*s", "description", "s"), ("router", "*s", "interface", "*s", "port", "s"),
    ("router", "*s", "interface", "*s", "admin-state", "e:enable|disable"),
    ("router", "*s", "interface", "*s", "ipv4", "primary", "address", "a"),
    ("router", "*s", "interface", "*s", "ipv4", "primary", "prefix-length", "i:0-32"),
]
KEYWORDS = {w for pattern in SCHEMA for w in pattern[:-1] if not w.startswith("*")}


def initial_state(name):
    running = {"system name": name, "port 1/1/1 admin-state": "enable", "port 1/1/1 description": "mgmt",
               'router "Base" interface "system" ipv4 primary address': "192.0.2.1",
               'router "Base" interface "system" ipv4 primary prefix-length': "32"}
    return {"running": running, "startup": dict(running), "pending": None}


def walk(words):
    """(pattern, position reached, error) for words below /configure: position == len(pattern) - 1 when words end at
    a leaf's value; shorter when they stop at a container (navigation)."""
    best = None
    for pattern in SCHEMA:
        i = 0
        while i < len(words) and i < len(pattern) - 1:
            p = pattern[i]
            if not p.startswith("*") and p != words[i]:
                break
            i += 1
        if best is None or i > best[1]:
            best = (pattern, i)
    return best


def shown(kind, value):
    return '"%s"' % value if kind in ("s", "*s") else value


def key_of(pattern, words):
    """The canonical text of a path: keys quoted as the device shows them."""
    return " ".join(shown(p, w) if p.startswith("*") else w for p, w in zip(pattern, words))


def tree_lines(running):
    """The running configuration in braces, as `admin show configuration` shows it."""
    root = {}
    for path, value in sorted(running.items()):
        words = shlex.split(path)
        pattern = walk(words)[0]
        node, i = root, 0
        while i < len(words) - 1:
            if i + 1 < len(words) and pattern[i + 1].startswith("*"):
                key, i = "%s %s" % (words[i], shown(pattern[i + 1], words[i + 1])), i + 2
            else:
                key, i = words[i], i + 1
            node = node.setdefault(key, {})
        node["%s %s" % (words[-1], shown(pattern[-1][0], value))] = None
    out = []

    def render(node, depth):
        for key in node:
            if node[key] is None:
                out.append("    " * depth + key)
            else:
                out.append("    " * depth + key + " {")
                render(node[key], depth + 1)
                out.append("    " * depth + "}")
    render(root, 1)
    return out


class Sros:
    def __init__(self, dev, term, user):
        self.dev, self.t, self.user = dev, term, user
        self.more = True
        self.candidate = None  # the private candidate while in configuration mode
        self.baseline = None
        self.context = []  # words below /configure the session has navigated into

    def state(self):
        def expire(state):
            p = state.get("pending")
            if p and time.time() > p["deadline"]:
                state["running"], state["pending"] = p["before"], None
            return state
        return self.dev.update(expire)

    def prompt(self):
        name = self.state()["running"].get("system name", "sros")
        if self.candidate is None:
            where = "[/]"
        else:
            path = " ".join(["/configure"] + ([key_of(walk(self.context)[0], self.context)] if self.context else []))
            where = "%s[pr:%s]" % ("*" if self.candidate != self.baseline else "", path)
        return "\n%s\nA:%s@%s# " % (where, self.user, name)

    def paged(self, text):
        lines = text.rstrip("\n").split("\n")
        if not self.more or len(lines) < 24:
            return self.t.output(text)
        i, step = 0, 23
        while i < len(lines):
            self.t.output("\n".join(lines[i:i + step]) + "\n")
            i += step
            if i >= len(lines):
                break
            self.t.write(PAGER)
            k = self.t.key()
            self.t.raw("\r" + " " * len(PAGER) + "\r")
            if k in (b"q", b"Q"):
                break
            step = 1 if k in (b"\r", b"\n") else 23

    def run(self):
        self.t.write("\n SR OS Software\n Copyright (c) Nokia 2023.  All Rights Reserved.\n\n Trademarks\n\n Nokia and the "
                     "Nokia logo are trademarks of Nokia. All other trademarks are\n the property of their respective "
                     "owners.\n")
        while True:
            self.t.write(self.prompt())
            line = self.t.line().strip()
            if not line:
                continue
            if line == "logout":
                return
            self.command(line)

    def error(self, text):
        self.t.output("MINOR: CLI #%s\n" % text)

    def command(self, line):
        words = line.split()
        if words[0] == "environment":
            if words[1:] == ["more", "false"] or words[1:] == ["more", "true"]:
                self.more = words[2] == "true"
            elif not (words[1:3] in (["console", "width"], ["command-completion", "space"]) and len(words) == 4):
                self.error("2069: Command not found - '%s'" % " ".join(words[1:]))
            return
        if words == ["edit-config", "private"]:
            if self.candidate is not None:
                return self.error("2058: Already in configuration mode")
            self.baseline = dict(self.state()["running"])
            self.candidate = dict(self.baseline)
            self.context = []
            return self.t.output("INFO: CLI #2070: Entering private configuration mode\n"
                                 "INFO: CLI #2061: Uncommitted changes are discarded on configuration mode exit\n")
        if words[:2] == ["admin", "show"] and words[2:] == ["configuration"]:
            return self.paged(self.configuration())
        if words == ["admin", "save"]:
            return self.save()
        if words[0] == "show":
            return self.show(words)
        if self.candidate is not None:
            return self.configure(line)
        self.error("2069: Command not found - '%s'" % words[0])

    def show(self, words):
        if words[1:] == ["time"]:
            return self.t.output("Wed Nov 25 11:00:00 UTC 2026\n")
        if words[1:] == ["log", "log-id", "99"]:
            return self.paged("".join("%d 2026/11/25 11:%02d:00.00 UTC MINOR: SECURITY #2001 Base %s\n\"User %s from "
                                      "10.255.127.1 logged in\"\n" % (60 - i, i, self.user, self.user) for i in range(30)))
        rest = " ".join(words[1:])
        if rest == "system information":
            return self.paged(self.system_text())
        if rest == "router interface":
            return self.paged(self.interfaces_text())
        if rest == "router arp":
            return self.paged(self.arp_text())
        if rest == "router bgp summary":
            return self.paged(self.bgp_text())
        if rest == "router route-table summary":
            return self.paged(self.routes_text())
        self.error("2069: Command not found - '%s'" % (words[1] if len(words) > 1 else "show"))

    def interfaces(self):
        """[(name, admin, oper, port, address/length or None)] of the Base router's interfaces: "system" (the loopback)
        first. Port 1/1/1 is cabled: an interface is operationally up when enabled on it (with an address), and
        "system" when enabled."""
        running = self.state()["running"]
        names = []
        for key in running:
            if key.startswith('router "Base" interface "'):
                name = key.split('"')[3]
                if name not in names:
                    names.append(name)
        rows = []
        for name in sorted(names, key=lambda n: (n != "system", n)):
            def leaf(path):
                return running.get('router "Base" interface "%s" %s' % (name, path))
            address, length = leaf("ipv4 primary address"), leaf("ipv4 primary prefix-length")
            admin = leaf("admin-state") != "disable"
            port = "system" if name == "system" else (leaf("port") or "n/a").strip('"')
            port_up = port == "system" or (port == "1/1/1" and running.get("port 1/1/1 admin-state") == "enable")
            rows.append((name, admin, admin and port_up and address is not None, port,
                         "%s/%s" % (address, length) if address else None))
        return rows

    def banner(self, title):
        return ["=" * 79, title, "=" * 79]

    def system_text(self):
        out = self.banner("System Information") + [
            "System Name            : %s" % self.state()["running"].get("system name", self.dev.name),
            "System Type            : 7750 SR-1", "Chassis Topology       : Standalone",
            "System Version         : B-23.10.R1", "Crypto Module Version  : SRCM 3.1", "System Contact         : ",
            "System Location        : ", "System Coordinates     : ", "System Active Slot     : A",
            "System Up Time         : 3 days, 04:05:06.00 (hr:min:sec)", "", "Configuration Mode Cfg : model-driven",
            "Configuration Mode Oper: model-driven", "=" * 79]
        return "\n".join(out) + "\n"

    def interfaces_text(self):
        """Two lines per interface: name, admin, oper (v4/v6), mode, port; then its address (or '-')."""
        rows = self.interfaces()
        out = self.banner("Interface Table (Router: Base)") + [
            "Interface-Name                   Adm       Opr(v4/v6)  Mode    Port/SapId",
            "   IP-Address                                                  PfxState", "-" * 79]
        for name, admin, oper, port, address in rows:
            out.append("%-32s %-9s %-11s %-7s %s" % (name, "Up" if admin else "Down", "%s/Down" % ("Up" if oper else "Down"),
                                                   "Network", port))
            out.append("   %-60s%s" % (address or "-", "n/a" if address else "-"))
        out += ["-" * 79, "Interfaces : %d" % len(rows), "=" * 79]
        return "\n".join(out) + "\n"

    def arp_text(self):
        """The interfaces' own addresses (type Oth[I]) and, on the interface up on the cabled port, the lab's gateway
        and host in its subnet (lab/README.md)."""
        entries = []
        for name, admin, oper, port, address in self.interfaces():
            if address and oper:
                entries.append((address.split("/")[0], "52:54:00:c3:00:%02x" % (len(entries) + 1), "00h00m00s", "Oth[I]", name))
                if port == "1/1/1":
                    entries += [(ip, mac, "%02dh%02dm00s" % (3, 60 - age), "Dyn[I]", name) for ip, mac, age in emu.lab_arp_in(self.dev, address)]
        out = self.banner("ARP Table (Router: Base)") + [
            "IP Address      MAC Address       Expiry    Type   Interface", "-" * 79]
        out += ["%-15s %-17s %-9s %-6s %s" % e for e in entries]
        out += ["-" * 79, "No. of ARP Entries: %d" % len(entries), "=" * 79]
        return "\n".join(out) + "\n"

    def bgp_text(self):
        """MD-CLI's summary: the router id and AS on top; per neighbour its address, description, then AS, packets,
        Up/Down (01h02m03s, or 3d04h05m past a day) and, once Established, received/active/sent per family; else
        the state."""
        bgp = emu.lab_routing(self.dev)
        out = ["=" * 79, " BGP Router ID:%-16s AS:%-10d Local AS:%-10d" % (bgp["router_id"], bgp["as"], bgp["as"]), "=" * 79,
               "BGP Admin State         : Up          BGP Oper State              : Up",
               "Total Peer Groups       : 1           Total Peers                 : %d" % len(bgp["peers"]), ""]
        out += self.banner("BGP Summary") + ["Legend : D - Dynamic Neighbor", "=" * 79, "Neighbor", "Description",
                                            "                   AS PktRcvd InQ  Up/Down   State|Rcv/Act/Sent (Addr Family)",
                                            "                      PktSent OutQ", "-" * 79]
        for p in bgp["peers"]:
            up = p["state"] == "Established"
            seconds = p["uptime"] if up else bgp["uptime"]
            since = ("%02dh%02dm%02ds" % (seconds // 3600, seconds % 3600 // 60, seconds % 60) if seconds < 86400
                     else "%02dd%02dh%02dm" % (seconds // 86400, seconds % 86400 // 3600, seconds % 3600 // 60))
            state = "%d/%d/%d (IPv4)" % (p["received"], p["accepted"], p["sent"]) if up else p["state"]
            out += [p["peer"], p["description"] or "(Not Specified)",
                    "%21d %7d %4d %s %s" % (p["as"], p["messages"][0], 0, since, state),
                    "%29d %4d" % (p["messages"][1], 0)]
        out += ["-" * 79]
        return "\n".join(out) + "\n"

    def routes_text(self):
        """Active and available routes per protocol: Direct the interfaces up with an address, Local their hosts
        addresses, BGP the upstream's (6 received, 5 active)."""
        direct = sum(1 for _, _, oper, _, address in self.interfaces() if oper and address)
        bgp = emu.lab_routing(self.dev)
        rows = [("Static", 0, 0), ("Direct", direct, direct), ("Host", 0, 0), ("BGP", bgp["bgp_routes"], 6), ("BGP VPN", 0, 0),
                ("OSPF", 0, 0), ("ISIS", 0, 0), ("RIP", 0, 0), ("Aggregate", 0, 0)]
        out = self.banner("Route Table Summary (Router: Base)") + ["                         Active     Available", "-" * 79]
        out += ["%-24s %-10d %d" % r for r in rows]
        out += ["-" * 79, "Total                    %-10d %d" % (sum(r[1] for r in rows), sum(r[2] for r in rows)),
                "=" * 79, "NOTE: ECMP Routes are counted once for every next hop.", "=" * 79]
        return "\n".join(out) + "\n"

    def configuration(self):
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S.0+00:00 UTC", time.gmtime())
        return ("# TiMOS-B-23.10.R1 both/x86_64 Nokia 7750 SR Copyright (c) 2000-2023 Nokia.\n# All rights reserved. "
                "All use subject to applicable license agreements.\n# Configuration format version 23.10 revision 0\n\n"
                "# Generated %s\n\nexit all\nconfigure {\n%s\n}\n\n# Finished %s\n\n"
                % (stamp, "\n".join(tree_lines(self.state()["running"])), stamp))

    def save(self):
        self.t.output("Writing configuration to cf3:/config.cfg\n")
        if "nvram-full" in self.dev.faults():
            return self.t.output("MINOR: MGMT_CORE #2005: Save failed - cf3:/config.cfg - insufficient space on device\n")

        def save(state):
            state["startup"] = dict(state["running"])
        self.dev.update(save)
        self.t.output("Saving configuration .... OK\nCompleted.\n")

    def configure(self, line):
        try:
            words = shlex.split(line)
        except ValueError:
            return self.error("2004: Invalid quoted string - '%s'" % line)
        verb = words[0]
        if words == ["exit", "all"]:
            self.context = []
            return
        if words == ["exit"]:
            self.context = self.context[:-2] if len(self.context) > 1 and walk(self.context)[0][len(self.context) - 1].startswith("*") else self.context[:-1]
            return
        if words == ["quit-config"]:
            self.candidate = self.baseline = None
            self.context = []
            return self.t.output("INFO: CLI #2064: Exiting private configuration mode\n")
        if words == ["discard"]:
            self.candidate = dict(self.state()["running"])
            self.baseline = dict(self.candidate)
            return
        if verb == "commit":
            return self.commit(words[1:])
        if verb == "delete":
            return self.delete(words[1:])
        if verb.startswith("/"):
            if verb != "/configure":
                return self.error("2069: Command not found - '%s'" % verb)
            base, words = [], words[1:]
        else:
            base = list(self.context)
        self.statement(base, words)

    def statement(self, base, words):
        path = base + words
        pattern, reached = walk(path)
        if reached < len(path) and reached < len(pattern) - 1:
            bad = path[reached]
            kind = "Unknown element" if bad not in KEYWORDS else "Misplaced element"
            return self.error("2004: %s - '%s'" % (kind, bad))
        if len(path) == len(pattern):  # a leaf with its value
            value, vtype = path[-1], pattern[-1]
            problem = self.invalid(vtype, value)
            if problem:
                return self.error("2007: Invalid element value - '%s' %s" % (value, problem))
            self.candidate[key_of(pattern, path[:-1])] = value
            emu.config_fault(self, self.t)
            return
        if len(path) == len(pattern) - 1:
            return self.error("2011: Missing element value - '%s'" % path[-1])
        if path and pattern[len(path) - 1] != "*" and pattern[len(path) - 1] != "*s" and len(path) < len(pattern) - 1 \
                and pattern[len(path)].startswith("*"):
            return self.error("2012: Missing key - '%s'" % path[-1])
        self.context = path  # a container: navigate into it

    @staticmethod
    def invalid(vtype, value):
        if vtype.startswith("e:") and value not in vtype[2:].split("|"):
            return "is not one of %s" % ", ".join(vtype[2:].split("|"))
        if vtype.startswith("i:"):
            lo, hi = (int(x) for x in vtype[2:].split("-"))
            if not value.isdigit() or not lo <= int(value) <= hi:
                return "is out of range %d..%d" % (lo, hi)
        return None

    def delete(self, words):
        if words and words[0] == "/configure":
            path = words[1:]
        else:
            path = self.context + words
        pattern, reached = walk(path)
        if reached < len(path):
            return self.error("2004: Unknown element - '%s'" % path[reached])
        prefix = key_of(pattern, path)
        gone = [k for k in self.candidate if k == prefix or k.startswith(prefix + " ")]
        if not gone:
            return self.error("2020: Element does not exist - '%s'" % " ".join(path))
        for k in gone:
            del self.candidate[k]

    def validate(self, config):
        """Commit-time checks across the candidate: a primary IPv4 address needs its prefix-length."""
        for key in sorted(config):
            if key.endswith(" ipv4 primary address") and key.replace(" address", " prefix-length") not in config:
                return "configure %s - Missing mandatory fields - prefix-length" % key[:-len(" address")]
        return None

    def commit(self, args):
        if args == ["confirmed", "accept"]:
            def accept(state):
                had = state.get("pending") is not None
                state["pending"] = None
                return had
            if not self.dev.update(accept):
                return self.error("2085: No confirmed commit in progress")
            return
        minutes = None
        if args[:1] == ["confirmed"]:
            minutes = int(args[1]) if len(args) > 1 and args[1].isdigit() else 10
        elif args:
            return self.error("2004: Unknown element - '%s'" % args[0])
        problem = self.validate(self.candidate)
        if problem:
            return self.t.output("MINOR: MGMT_CORE #4001: %s\n" % problem)
        candidate = dict(self.candidate)

        def apply(state):
            if minutes is not None:
                # A lab minute is ENMS_EMU_MINUTE seconds (the tests' lab runs minutes of 2 s).
                scale = float(os.environ.get("ENMS_EMU_MINUTE", "60"))
                state["pending"] = {"deadline": time.time() + minutes * scale, "before": state["running"]}
            state["running"] = candidate
        self.dev.update(apply)
        self.baseline = dict(candidate)
        if minutes is not None:
            self.t.output("INFO: CLI #2084: Automatic configuration rollback will occur in %d minutes unless the "
                          "commit is confirmed\n" % minutes)
