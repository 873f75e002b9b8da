"""VyOS 1.4, emulated from the VyOS documentation's CLI behaviour (imported by enms_emulator).

Op mode prompt user@host:~$, `set terminal length 0` turns the pager (less: a ':' on the last line, space for the
next page) off. `configure` prints [edit] and gives user@host#: a working configuration private to the session
(dropped with the session), changed by `set PATH` / `delete PATH`, each answered by [edit]. A path the schema lacks:
"Configuration path: [..] is not valid" + "Set failed"; a value that fails validation: the validator's message,
"Value validation failed", "Set failed". `compare` shows working against active; `commit` applies all or nothing
(verification failures print "[ path ]", the reason, "[[path]] failed", "Commit failed", and nothing applies);
`exit` with uncommitted changes refuses ("Cannot exit: configuration modified."), `exit discard` / `discard` drop
them; `save` (configuration mode only) writes the active configuration to /config/config.boot ("Done"); fault
nvram-full makes it fail. `run CMD` runs an op-mode command from configuration mode. This file's grammar is the
emulator's own: the driver's profile is written separately.
"""
import shlex

import enms_emulator as emu

# The configuration schema: '*' is a tag node's name, '$' a leaf's single value, '$+' a multi-value leaf; a path
# that ends at a plain word is a valueless leaf.
SCHEMA = [
    ("system", "host-name", "$"), ("system", "domain-name", "$"), ("system", "name-server", "$+"),
    ("system", "ntp", "server", "*"), ("system", "time-zone", "$"),
    ("interfaces", "ethernet", "*", "address", "$+"), ("interfaces", "ethernet", "*", "description", "$"),
    ("interfaces", "ethernet", "*", "mtu", "$"), ("interfaces", "ethernet", "*", "disable"),
    ("interfaces", "loopback", "*", "address", "$+"), ("interfaces", "loopback", "*", "description", "$"),
    ("protocols", "static", "route", "*", "next-hop", "*"), ("protocols", "static", "route", "*", "blackhole"),
    ("service", "ssh", "port", "$"),
]
PAGER = ":"


def match(words):
    """(pattern, complete) for the first schema entry words follow; complete is False when words stop early at a
    tag node (allowed: creates it) or at a leaf missing its value. None when no entry has this path."""
    for pattern in SCHEMA:
        if len(words) > len(pattern):
            continue
        if all(p in ("*", "$", "$+") or p == w for p, w in zip(pattern, words)):
            return pattern, len(words) == len(pattern)
    return None


def initial_state(name):
    active = [("system", "host-name", name), ("interfaces", "ethernet", "eth0", "address", "192.0.2.1/24"),
              ("interfaces", "ethernet", "eth0", "description", "mgmt"), ("interfaces", "loopback", "lo"),
              ("protocols", "static", "route", "198.18.0.0/15", "next-hop", "192.0.2.254"),
              ("service", "ssh", "port", "22")]
    active = [list(p) for p in active]
    return {"active": active, "saved": active, "pending": None}


def key_of(path):
    """The identity of a stored path: a single-value leaf is one setting whatever its value."""
    found = match(path)
    return tuple(path[:-1]) if found and found[0][-1] == "$" and found[1] else tuple(path)


def apply_set(config, path):
    if any(p[:len(path)] == path for p in config):
        return config  # already there (or a tag node that already has children)
    keyed = key_of(path)
    return [p for p in config if key_of(p) != keyed and p != path[:len(p)]] + [list(path)]


def quote(value):
    return '"%s"' % value if any(c in value for c in " \t'") else value


def leaf_of(path):
    """(parent path, the line that shows path in its parent): 'address 192.0.2.1/24', 'server 203.0.113.1', 'disable'."""
    kind = match(path)[0][len(path) - 1]
    if kind in ("$", "$+", "*"):
        return tuple(path[:-2]), "%s %s" % (path[-2], quote(path[-1]))
    return tuple(path[:-1]), path[-1]


def tree_of(config):
    """Nested dicts: a tag node is keyed 'word name', a leaf 'word value' (or 'word') and maps to None."""
    root = {}
    for path in config:
        pattern = match(path)[0]
        node, i = root, 0
        while i < len(path):
            nxt = pattern[i + 1] if i + 1 < len(path) else None
            if nxt in ("$", "$+"):
                node["%s %s" % (path[i], quote(path[i + 1]))] = None
                break
            if i == len(path) - 1 and pattern[i] != "*":
                node[path[i]] = None
                break
            key, i = (path[i] + " " + path[i + 1], i + 2) if nxt == "*" else (path[i], i + 1)
            node = node.setdefault(key, {})
    return root


def render(node, depth=0):
    out = []
    for key in sorted(node):
        child = node[key]
        if child is None:
            out.append("    " * depth + key)
        else:
            out.append("    " * depth + key + " {")
            out.extend(render(child, depth + 1))
            out.append("    " * depth + "}")
    return out


def config_text(config):
    return "\n".join(render(tree_of(config))) + "\n"


def commands_text(config):
    return "".join("set %s\n" % " ".join(w if " " not in w else "'%s'" % w for w in p) for p in sorted(config))


def host_of(config):
    return next((p[2] for p in config if p[:2] == ["system", "host-name"]), "vyos")


def serial_of(dev):
    third, fourth = dev.address.split(".")[2:4]
    return "VY%03d%03d" % (int(third), int(fourth))


def bgp_summary_text(bgp):
    """FRR's bgpd, which VyOS runs: the IPv4 unicast table, AS numbers in asplain, Up/Down as hh:mm:ss (never when
    the session never came up), State/PfxRcd a count once Established."""
    out = ["", "IPv4 Unicast Summary (VRF default):",
           "BGP router identifier %s, local AS number %d vrf-id 0" % (bgp["router_id"], bgp["as"]),
           "BGP table version 9", "RIB entries 11, using 2112 bytes of memory",
           "Peers %d, using 1449 KiB of memory" % len(bgp["peers"]), "",
           "Neighbor        V         AS   MsgRcvd   MsgSent   TblVer  InQ OutQ  Up/Down State/PfxRcd   PfxSnt Desc"]
    for p in bgp["peers"]:
        up = p["state"] == "Established"
        out.append("%-15s 4 %10d %9d %9d %8d %4d %4d %8s %12s %8d %s" % (
            p["peer"], p["as"], p["messages"][0], p["messages"][1], 9 if up else 0, 0, 0,
            emu.hms(p["uptime"]) if up else "never", p["accepted"] if up else p["state"], p["sent"], p["description"]))
    out += ["", "Total number of neighbors %d" % len(bgp["peers"])]
    return "\n".join(out) + "\n"


class Vyos:
    def __init__(self, dev, term, user):
        self.dev, self.t, self.user = dev, term, user
        self.length = 24
        self.working = None  # the session's working configuration while in configuration mode

    def active(self):
        return self.dev.load()["active"]

    def prompt(self):
        host = host_of(self.active())
        return "%s@%s# " % (self.user, host) if self.working is not None else "%s@%s:~$ " % (self.user, host)

    def paged(self, text):
        """less: a page of length-1 lines, then ':' until a key; space goes on, q quits; the prompt is erased."""
        lines = text.rstrip("\n").split("\n")
        if self.length == 0 or len(lines) < self.length:
            return self.t.output(text)
        i = 0
        while i < len(lines):
            self.t.output("\n".join(lines[i:i + self.length - 1]) + "\n")
            i += self.length - 1
            if i >= len(lines):
                break
            self.t.write(PAGER)
            k = self.t.key()
            self.t.raw("\r\x1b[K")
            if k in (b"q", b"Q"):
                break

    def run(self):
        self.t.write("Welcome to VyOS!\n\n   Check out project news at https://blog.vyos.io\n   and feel free to report "
                     "bugs at https://vyos.dev\n\n   You can change this banner using \"set system login banner post-login\" "
                     "command.\n\n   VyOS is a free software distribution that includes multiple components,\n   you can "
                     "check individual component licenses under /usr/share/doc/*/copyright\n")
        while True:
            self.t.write(self.prompt())
            line = self.t.line().strip()
            if not line:
                continue
            if self.working is None:
                if line in ("exit", "logout"):
                    return
                self.op(line)
            else:
                self.conf(line)

    def invalid(self, words, at):
        self.t.output("\n  Invalid command: %s[%s]\n\n" % ("".join(w + " " for w in words[:at]), words[at]))

    def op(self, line):
        words = line.split()
        if words[:2] == ["set", "terminal"] and len(words) == 4 and words[2] in ("length", "width"):
            if words[2] == "length" and words[3].isdigit():
                self.length = int(words[3])
            return
        if words == ["configure"]:
            self.working = [list(p) for p in self.active()]
            return self.t.output("[edit]\n")
        if words[0] == "show":
            return self.show(words)
        return self.invalid(words, 0)

    def show(self, words):
        rest = " ".join(words[1:])
        if rest == "date":
            return self.t.output("Wed Nov 25 11:00:00 UTC 2026\n")
        if rest == "version":
            return self.paged("Version:          VyOS 1.4.0\nRelease train:    sagitta\n\nBuilt by:         "
                              "autobuild@vyos.net\nBuilt on:         Mon 15 Apr 2024 12:00 UTC\nArchitecture:     x86_64\n"
                              "Boot via:         installed image\nSystem type:      KVM guest\n\nHardware vendor:  eNMS lab\n"
                              "Hardware model:   %s\nHardware S/N:     %s\nHardware UUID:    4c4c4544-0000-0000-0000-%012d\n\n"
                              "Copyright:        VyOS maintainers and contributors\n"
                              % (self.dev.name, serial_of(self.dev), int(self.dev.address.split(".")[3])))
        if rest == "log":
            return self.paged("".join("Nov 25 11:%02d:00 %s sshd[%d]: Accepted password for %s from 10.255.127.1 port "
                                      "%d ssh2\n" % (i, host_of(self.active()), 1000 + i, self.user, 40000 + i)
                                      for i in range(60)))
        if rest == "configuration":
            return self.paged(config_text(self.active()))
        if rest == "configuration commands":
            return self.paged(commands_text(self.active()))
        if rest == "interfaces":
            return self.paged(self.interfaces_text())
        if rest in ("arp", "ip arp"):
            return self.paged(self.arp_text())
        if rest == "lldp neighbors":
            return self.paged(self.lldp_text())
        if rest == "ip bgp summary":
            return self.paged(bgp_summary_text(emu.lab_routing(self.dev)))
        if rest == "ip route summary":
            return self.paged(self.route_summary_text())
        return self.invalid(words, 1 if len(words) > 1 else 0)

    def ports(self):
        """[(name, addresses, state, link, description)]: the four ethernet ports the hardware has (configured or not;
        eth0 and eth1 cabled), then the configured loopback. State A when the port is disabled."""
        config = self.active()

        def values(kind, name, leaf):
            return [p[4] for p in config if p[:4] == ["interfaces", kind, name, leaf]]
        rows = []
        for i in range(4):
            name = "eth%d" % i
            disabled = ["interfaces", "ethernet", name, "disable"] in config
            link = "u" if i < 2 and not disabled else "D"
            rows.append((name, values("ethernet", name, "address"), "A" if disabled else "u", link,
                         (values("ethernet", name, "description") or [""])[0]))
        for name in sorted({p[2] for p in config if p[:2] == ["interfaces", "loopback"]}):
            rows.append((name, ["127.0.0.1/8"] + values("loopback", name, "address"), "u", "u",
                         (values("loopback", name, "description") or [""])[0]))
        return rows

    def interfaces_text(self):
        """VyOS's op-mode table: a port's further addresses on lines of their own, '-' for none."""
        out = ["Codes: S - State, L - Link, u - Up, D - Down, A - Admin Down",
               "Interface        IP Address                        S/L  Description",
               "---------        ----------                        ---  -----------"]
        for name, addresses, state, link, description in self.ports():
            addresses = addresses or ["-"]
            out.append(("%-16s %-33s %s/%s  %s" % (name, addresses[0], state, link, description)).rstrip())
            out += ["%-16s %s" % ("", a) for a in addresses[1:]]
        return "\n".join(out) + "\n"

    def wired(self):
        """The management port when it is up with an address on the lab's subnet: where ARP and LLDP are heard."""
        for name, addresses, state, link, _ in self.ports():
            if link == "u" and any(a.startswith("192.0.2.") for a in addresses):
                return name
        return None

    def arp_text(self):
        port = self.wired()
        arp, _ = emu.lab_neighbours(self.dev)
        out = ["Address                  Interface    Link layer address    State",
               "-----------------------  -----------  --------------------  ---------"]
        out += ["%-24s %-12s %-21s %s" % (ip, port, mac, "REACHABLE" if age < 10 else "STALE") for ip, mac, age in arp if port]
        return "\n".join(out) + "\n"

    def lldp_text(self):
        port = self.wired()
        _, core = emu.lab_neighbours(self.dev)
        out = ["Capability Codes: R - Router, B - Bridge, W - Wlan r - Repeater, S - Station",
               "                  D - Docsis, T - Telephone, O - Other", "",
               "Device ID                                 Local     Proto    Cap   Platform             Port ID",
               "---------                                 -----     -----    ---   --------             -------"]
        if port:
            out.append("%-41s %-9s %-8s %-5s %-20s %s" % (core["name"], port, "LLDP", "RB", core["description"][:20], core["port"]))
        return "\n".join(out) + "\n"

    def route_summary_text(self):
        """FRR's table under VyOS: one line per route source with routes and FIB counts, then the totals."""
        connected = sum(len([a for a in addresses if not a.startswith("127.")])
                        for _, addresses, state, link, _ in self.ports() if link == "u")
        static = len({p[3] for p in self.active() if p[:3] == ["protocols", "static", "route"]})
        bgp = emu.lab_routing(self.dev)["bgp_routes"]
        rows = [("connected", connected), ("static", static), ("ebgp", bgp), ("ibgp", 0)]
        out = ["Route Source         Routes               FIB  (vrf default)"]
        out += ["%-20s %-20d %d" % (name, n, n) for name, n in rows]
        total = sum(n for _, n in rows)
        out += ["------", "Totals               %-20d %d" % (total, total)]
        return "\n".join(out) + "\n"

    def conf(self, line):
        try:
            words = shlex.split(line)  # values may be quoted: description "two words"
        except ValueError:
            return self.t.output("\n  Invalid command: [%s]\n\n[edit]\n" % line)
        if words[0] == "run" and len(words) > 1:
            self.op(" ".join(words[1:]))
            return self.t.output("[edit]\n")
        if words == ["exit", "discard"]:
            self.working = None
            return
        if words == ["exit"]:
            if self.working != self.active():
                return self.t.output("Cannot exit: configuration modified.\nUse 'exit discard' to discard the "
                                     "changes and exit.\n[edit]\n")
            if self.active() != self.dev.load()["saved"]:
                self.t.output("Warning: configuration changes have not been saved.\n")
            self.working = None
            return
        if words == ["discard"]:
            changed = self.working != self.active()
            self.working = [list(p) for p in self.active()]
            return self.t.output(("  Changes have been discarded\n" if changed else "  No changes have been discarded\n")
                                 + "[edit]\n")
        if words[0] in ("set", "delete"):
            return self.set_or_delete(words)
        if words == ["compare"]:
            return self.t.output(self.compare() + "[edit]\n")
        if words == ["commit"] or words[:2] == ["commit", "comment"]:
            return self.commit()
        if words == ["save"]:
            return self.save()
        if words[0] == "show":
            body = config_text(self.working) if len(words) == 1 else None
            if body is None:
                self.invalid(words, 1)
                return self.t.output("[edit]\n")
            return self.paged(body + "[edit]\n")
        return self.invalid(words, 0)

    def set_or_delete(self, words):
        verb, path = words[0], words[1:]
        if not path:
            return self.t.output("\n  Invalid command: [%s]\n\n[edit]\n" % verb)
        found = match(path)
        if found is None:
            return self.t.output("\n  Configuration path: [%s] is not valid\n  %s failed\n\n[edit]\n"
                                 % (" ".join(path), verb.capitalize()))
        pattern, complete = found
        if verb == "delete":
            kept = [p for p in self.working if p[:len(path)] != path]
            if len(kept) == len(self.working):
                return self.t.output("\n  Nothing to delete (the specified node does not exist)\n  Delete failed\n\n[edit]\n")
            self.working = kept
            return self.t.output("[edit]\n")
        if not complete and pattern[len(path)] in ("$", "$+"):
            return self.t.output("\n  Configuration path: [%s] requires a value\n  Set failed\n\n[edit]\n" % " ".join(path))
        if not complete and pattern[len(path) - 1] != "*":
            return self.t.output("\n  Configuration path: [%s] is not valid\n  Set failed\n\n[edit]\n" % " ".join(path))
        if pattern[-2:] == ("mtu", "$") and complete and not (path[-1].isdigit() and 68 <= int(path[-1]) <= 16000):
            return self.t.output("\n  MTU must be between 68 and 16000\n\n  Value validation failed\n  Set failed\n\n[edit]\n")
        self.working = apply_set(self.working, path)
        self.t.output("[edit]\n")
        emu.config_fault(self, self.t)

    def compare(self):
        old, new = {tuple(p) for p in self.active()}, {tuple(p) for p in self.working}
        if old == new:
            return "No changes between working and active configurations.\n\n"
        changes = sorted([(leaf_of(list(p)), "-") for p in old - new] + [(leaf_of(list(p)), "+") for p in new - old])
        out, parent = [], None
        for (where, shown), sign in changes:
            if where != parent:
                if parent is not None:
                    out.append("")
                if where:
                    out.append("[%s]" % " ".join(where))
                parent = where
            out.append("%s %s" % (sign, shown))
        return "\n".join(out) + "\n\n"

    def verify(self, config):
        """Commit-time checks (what each component's verify() refuses): an address on two interfaces."""
        owner = {}
        for p in config:
            if p[0] == "interfaces" and p[3:4] == ["address"]:
                if p[4] in owner and owner[p[4]] != p[2]:
                    return ("interfaces %s %s" % (p[1], p[2]),
                            "Cannot assign address %s to interface %s: it is already assigned to %s" % (p[4], p[2], owner[p[4]]))
                owner[p[4]] = p[2]
        return None

    def commit(self):
        if self.working == self.active():
            return self.t.output("No configuration changes to commit\n[edit]\n")
        failed = self.verify(self.working)
        if failed:
            return self.t.output("\n[ %s ]\n%s\n\n[[%s]] failed\nCommit failed\n[edit]\n" % (failed[0], failed[1], failed[0]))
        working = self.working

        def apply(state):
            state["active"] = working
        self.dev.update(apply)
        self.t.output("[edit]\n")

    def save(self):
        self.t.output("Saving configuration to '/config/config.boot'...\n")
        if "nvram-full" in self.dev.faults():
            return self.t.output("Cannot write /config/config.boot: [Errno 28] No space left on device\n[edit]\n")

        def save(state):
            state["saved"] = state["active"]
        self.dev.update(save)
        self.t.output("Done\n[edit]\n")
