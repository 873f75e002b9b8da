"""Palo Alto PAN-OS (10.x), emulated from Palo Alto's CLI documentation (imported by enms_emulator).

Login banner ("Last login", failed attempts), op mode `user@host> `; `set cli pager off` / `on` (the pager asks
"lines A-B " until a key: space goes on, q stops; erased with a carriage return), `set cli scripting-mode on`.
`configure` prints "Entering configuration mode" and "[edit]", then `user@host# `; every configuration-mode reply ends
with "[edit]". The candidate configuration is the device's, shared by every administrator and kept across sessions
until a commit or `revert config`: `set PATH VALUE` / `delete PATH` change it ("Invalid syntax." for a path or value the
schema refuses; a rule takes several `key value` pairs in one line; `set` on a member list adds the members, so
replacing a list takes a `delete` first), `show` shows it, `run CMD` runs an op command,
`commit` validates and applies all of it or none ("Commit job N is in progress", "100%", "Configuration committed
successfully"; a reference to nothing: "Validation Error:", the paths, "Commit failed", the candidate stays), `revert
config` drops it, `exit` leaves configuration mode (the candidate stays). Op mode: `check pending-changes` (yes/no),
`show config running` / `show config candidate` (PAN-OS's brace format), `show config diff` (unified diff, running
against candidate), `show clock`, `show system info`, `show log system`; an unknown command "Unknown command: WORD".
A commit is persistent: there is no separate save. This file's grammar is the emulator's own: the driver's profile is
written separately.
"""
import difflib

import enms_emulator as emu

# '*' names an entry, '$' a single value, '$+' a list ([ a b ] or one word); '@' an IPv4 address, '/' an IPv4 network.
SCHEMA = [
    ("deviceconfig", "system", "hostname", "$"), ("deviceconfig", "system", "ip-address", "@"),
    ("deviceconfig", "system", "netmask", "@"), ("deviceconfig", "system", "default-gateway", "@"),
    ("deviceconfig", "system", "dns-setting", "servers", "primary", "@"),
    ("deviceconfig", "system", "dns-setting", "servers", "secondary", "@"),
    ("network", "interface", "ethernet", "*", "layer3", "ip", "/"),
    ("network", "interface", "ethernet", "*", "comment", "$"),
    ("network", "virtual-router", "*", "routing-table", "ip", "static-route", "*", "destination", "/"),
    ("network", "virtual-router", "*", "routing-table", "ip", "static-route", "*", "nexthop", "ip-address", "@"),
    ("network", "virtual-router", "*", "routing-table", "ip", "static-route", "*", "nexthop", "discard"),
    ("zone", "*", "network", "layer3", "$+"),
    ("address", "*", "ip-netmask", "/"), ("address", "*", "description", "$"),
] + [("rulebase", "security", "rules", "*", key, "$+") for key in ("from", "to", "source", "destination", "application", "service")] \
  + [("rulebase", "security", "rules", "*", "action", "$")]


def is_ip(text):
    parts = text.split(".")
    return len(parts) == 4 and all(p.isdigit() and int(p) <= 255 for p in parts)


def is_net(text):
    ip, _, bits = text.partition("/")
    return is_ip(ip) and (not bits or (bits.isdigit() and int(bits) <= 32))


def value_ok(kind, values):
    if kind == "@":
        return len(values) == 1 and is_ip(values[0])
    if kind == "/":
        return len(values) == 1 and is_net(values[0])
    return len(values) >= 1 if kind == "$+" else len(values) == 1


def tokens(line):
    """Words, with "quoted strings" and [ lists ] each one token (a list as a Python list)."""
    out, i, n = [], 0, len(line)
    while i < n:
        c = line[i]
        if c == " ":
            i += 1
        elif c == '"':
            j = line.find('"', i + 1)
            if j < 0:
                return None
            out.append(line[i + 1:j])
            i = j + 1
        elif c == "[":
            j = line.find("]", i)
            if j < 0:
                return None
            out.append(line[i + 1:j].split())
            i = j + 1
        else:
            j = line.find(" ", i)
            j = n if j < 0 else j
            out.append(line[i:j])
            i = j
    return out


def parse_set(words):
    """The leaf paths (tuples, the value last as a tuple) a set line stands for, or None. After an entry's name the
    rest may be several `key value` leaves of that entry (`rules r1 from trust to untrust action allow`)."""
    first = leaf_after((), words)
    if first is None:
        return None
    paths, used = [first[0]], first[1]
    stars = [i for i, p in enumerate(pattern_of(first[0])) if p == "*"]
    prefix = first[0][:stars[-1] + 1] if stars else ()
    while used < len(words):
        more = leaf_after(prefix, words[used:]) if prefix else None
        if more is None:
            return None
        paths.append(more[0])
        used += more[1]
    return paths


def leaf_after(prefix, rest):
    """(path, words of rest used) for the first schema leaf below prefix that rest spells, or None."""
    for pattern in SCHEMA:
        if len(pattern) <= len(prefix) or not all(p == "*" or p == w for p, w in zip(pattern, prefix)):
            continue
        tail = pattern[len(prefix):]
        leafy = tail[-1] in ("$", "$+", "@", "/")
        fixed = tail[:-1] if leafy else tail
        if len(rest) < len(tail) or any(isinstance(w, list) for w in rest[:len(fixed)]):
            continue
        if not all(p == w or (p == "*" and (pattern[len(prefix) + i - 1] != "ethernet" or w.startswith("ethernet1/")))
                   for i, (p, w) in enumerate(zip(fixed, rest))):
            continue
        if not leafy:
            return tuple(prefix) + tuple(rest[:len(fixed)]), len(fixed)
        value = rest[len(fixed)]
        values = value if isinstance(value, list) else [value]
        if not value_ok(tail[-1], values):
            return None
        return tuple(prefix) + tuple(rest[:len(fixed)]) + (tuple(values),), len(fixed) + 1
    return None


def pattern_of(path):
    for pattern in SCHEMA:
        if len(pattern) == len(path) and all(p in ("*", "$", "$+", "@", "/") or p == w for p, w in zip(pattern, path)):
            return pattern
    return None


def apply_set(config, path):
    """A single-value leaf replaces its old value; a member list gains the members set (PAN-OS's `set` adds to a
    list: replacing one takes `delete` first)."""
    kind = pattern_of(path)[-1]
    key = path[:-1] if kind in ("$", "$+", "@", "/") else path
    old = [p for p in config if (p[:-1] if pattern_of(p)[-1] in ("$", "$+", "@", "/") else p) == key]
    if kind == "$+" and old:
        path = key + (tuple(old[0][-1]) + tuple(v for v in path[-1] if v not in old[0][-1]),)
    return [p for p in config if (p[:-1] if pattern_of(p)[-1] in ("$", "$+", "@", "/") else p) != key] + [path]


def render(config):
    """PAN-OS's default (brace) format: containers `name {`, leaves `name value;`, lists `[ a b ]`."""
    tree = {}
    for path in sorted(config, key=lambda p: [str(w) for w in p]):
        leafy = pattern_of(path)[-1] in ("$", "$+", "@", "/")
        node = tree
        words = path[:-2] if leafy else path[:-1]
        for w in words:
            node = node.setdefault(w, {})
        if leafy:
            values = path[-1]
            node[path[-2]] = values[0] if len(values) == 1 else "[ %s ]" % " ".join(values)
        else:
            node[path[-1]] = None

    def lines(node, depth):
        out = []
        for key, child in node.items():
            pad = "  " * depth
            if child is None:
                out.append("%s%s;" % (pad, key))
            elif isinstance(child, str):
                out.append("%s%s %s;" % (pad, key, '"%s"' % child if " " in child and not child.startswith("[") else child))
            else:
                out += ["%s%s {" % (pad, key)] + lines(child, depth + 1) + ["%s}" % pad]
        return out
    return "\n".join(["config {"] + lines(tree, 1) + ["}"]) + "\n"


def as_paths(stored):
    return [tuple(tuple(w) if isinstance(w, list) else w for w in p) for p in stored]


def initial_state(name):
    config = [("deviceconfig", "system", "hostname", (name,)), ("deviceconfig", "system", "ip-address", ("192.0.2.1",)),
              ("deviceconfig", "system", "netmask", ("255.255.255.0",)),
              ("deviceconfig", "system", "default-gateway", ("192.0.2.254",)),
              ("network", "interface", "ethernet", "ethernet1/1", "layer3", "ip", ("198.51.100.1/24",)),
              ("network", "interface", "ethernet", "ethernet1/2", "layer3", "ip", ("10.1.0.1/24",)),
              ("zone", "untrust", "network", "layer3", ("ethernet1/1",)),
              ("zone", "trust", "network", "layer3", ("ethernet1/2",)),
              ("network", "virtual-router", "default", "routing-table", "ip", "static-route", "default-route",
               "destination", ("0.0.0.0/0",)),
              ("network", "virtual-router", "default", "routing-table", "ip", "static-route", "default-route",
               "nexthop", "ip-address", ("198.51.100.254",))]
    return {"running": config, "candidate": config, "jobs": 1, "pending": None}


def validate(config):
    """Commit-time checks: a zone or rule naming an interface or zone that does not exist."""
    interfaces = {p[3] for p in config if p[:3] == ("network", "interface", "ethernet")}
    zones = {p[1] for p in config if p[0] == "zone"}
    errors = []
    for p in config:
        if p[0] == "zone":
            errors += [" zone -> %s -> network -> layer3 '%s' is not a valid reference" % (p[1], i) for i in p[-1] if i not in interfaces]
        if p[:3] == ("rulebase", "security", "rules") and p[4] in ("from", "to"):
            errors += [" rulebase -> security -> rules -> %s -> %s '%s' is not an allowed keyword" % (p[3], p[4], z)
                       for z in p[-1] if z not in zones and z != "any"]
    return errors


class Panos:
    def __init__(self, dev, term, user):
        self.dev, self.t, self.user = dev, term, user
        self.pager = True
        self.config = False

    def state(self):
        s = self.dev.load()
        s["running"], s["candidate"] = as_paths(s["running"]), as_paths(s["candidate"])
        return s

    def hostname(self):
        return next((p[-1][0] for p in self.state()["running"] if p[:3] == ("deviceconfig", "system", "hostname")), "PA-VM")

    def prompt(self):
        return "%s@%s%s " % (self.user, self.hostname(), "#" if self.config else ">")

    def paged(self, text):
        lines = text.rstrip("\n").split("\n")
        if not self.pager or len(lines) < 24:
            return self.t.output(text)
        i = 0
        while i < len(lines):
            self.t.output("\n".join(lines[i:i + 23]) + "\n")
            i += 23
            if i >= len(lines):
                break
            more = "lines %d-%d " % (i - 22, i)
            self.t.write(more)
            k = self.t.key()
            self.t.raw("\r" + " " * len(more) + "\r")
            if k in (b"q", b"Q"):
                break

    def run(self):
        self.t.write("Last login: Wed Nov 25 10:59:00 2026 from 10.255.127.1\n\nNumber of failed attempts since last "
                     "successful login: 0\n\n\n")
        while True:
            self.t.write(self.prompt())
            line = self.t.line().strip()
            if not line:
                continue
            if not self.config and line in ("exit", "quit"):
                return
            (self.conf if self.config else self.op)(line)
            if self.config:
                self.t.output("[edit]\n")

    def op(self, line):
        words = line.split()
        if words[:2] == ["set", "cli"] and len(words) == 4:
            if words[2] == "pager" and words[3] in ("on", "off"):
                self.pager = words[3] == "on"
                return
            if words[2] in ("scripting-mode", "config-output-format") and len(words) == 4:
                return
        if words == ["configure"]:
            self.config = True
            return self.t.output("Entering configuration mode\n")
        if words == ["check", "pending-changes"]:
            s = self.state()
            return self.t.output("yes\n" if s["running"] != s["candidate"] else "no\n")
        if words[0] == "show":
            return self.show(words[1:])
        return self.t.output("Unknown command: %s\n" % (words[1] if words[0] in ("show", "set") and len(words) > 1 else words[0]))

    def ports(self, running):
        """[(name, id, address or None, zone, link)] of the configured ethernet ports: ethernet1/1 is cabled, the
        others are not."""
        rows = []
        for p in running:
            if list(p[:3]) == ["network", "interface", "ethernet"] and list(p[4:6]) == ["layer3", "ip"]:
                zone = next((z[1] for z in running if z[0] == "zone" and p[3] in z[-1]), "")
                slot = int(p[3].split("/")[-1])
                rows.append((p[3], 15 + slot, p[-1][0], zone, "up" if p[3] == "ethernet1/1" else "down"))
        return sorted(rows, key=lambda r: r[1])

    def interfaces_text(self, running):
        """The hardware table (speed/duplex/state per port), then the logical one (zone, virtual router, address)."""
        ports = self.ports(running)
        third, fourth = (int(o) for o in self.dev.address.split(".")[2:4])
        out = ["", "total configured hardware interfaces: %d" % len(ports), "",
               "name                    id    speed/duplex/state            mac address       ", "-" * 80]
        out += ["%-23s %-5d %-29s 7c:89:c1:%02x:%02x:%02x" % (name, pid, "1000/full/up" if link == "up" else "ukn/ukn/down(autoneg)",
                                                          third, fourth, pid) for name, pid, _, _, link in ports]
        out += ["", "aggregation groups: 0", "", "", "total configured logical interfaces: %d" % len(ports), "",
                "name                id    vsys zone             forwarding               tag    address                                         ",
                "------------------- ----- ---- ---------------- ------------------------ ------ ------------------"]
        out += ["%-19s %-5d %-4d %-16s %-24s %-6d %s" % (name, pid, 1, zone, "vr:default", 0, address or "N/A")
                for name, pid, address, zone, _ in ports]
        return "\n".join(out) + "\n"

    def arp_text(self, running):
        """The dataplane's ARP table: the lab's gateway and host, in the subnet of the cabled port (lab_neighbours gives
        them on 192.0.2.0/24, where this firewall has only its management port)."""
        port = next((p for p in self.ports(running) if p[4] == "up" and p[2]), None)
        entries = emu.lab_arp_in(self.dev, port[2]) if port else []
        out = ["", "maximum of entries supported :      2500", "default timeout:                    1800 seconds",
               "total ARP entries in table :        %d" % len(entries), "total ARP entries shown :           %d" % len(entries),
               "status: s - static, c - complete, e - expiring, i - incomplete", "",
               "interface         ip address      hw address        port              status   ttl  ", "-" * 80]
        out += ["%-17s %-15s %-17s %-17s %-8s %d" % (port[0], ip, mac, port[0], "c", 1800 - age * 60) for ip, mac, age in entries]
        return "\n".join(out) + "\n"

    def bgp_text(self):
        """The virtual router's BGP summary: settings, then one line per peer (its name, AS, state, address) and the
        peer groups. PAN-OS prints no uptime or prefix counts here (show routing protocol bgp peer has them)."""
        bgp = emu.lab_routing(self.dev)
        out = ["", "  router id:                      %s" % bgp["router_id"], "  reject default route:           yes",
               "  redist default route:           no", "  install route:                  yes", "  ecmp:                           no",
               "  enforce first AS:               yes", "  local AS:                       %d" % bgp["as"],
               "  local member AS:                0", "  cluster ID:                     ", "  4-byte AS number:               yes",
               "  always compare MED:             no", "  deterministic MED comparison:   yes", "  graceful restart:               enabled"]
        out += ["  peer:                           %s, AS %d, %s, IP %s" % (p["description"], p["as"], p["state"], p["peer"])
                for p in bgp["peers"]]
        out.append("  peer group:                     lab, type ebgp, members: %s" % " ".join(p["description"] for p in bgp["peers"]))
        return "\n".join(out) + "\n"

    def show(self, words):
        rest = " ".join(words)
        s = self.state()
        if rest == "clock":
            return self.t.output("Wed Nov 25 11:00:00 UTC 2026\n")
        if rest == "system info":
            third, fourth = (int(o) for o in self.dev.address.split(".")[2:4])
            return self.paged("\nhostname: %s\nip-address: 192.0.2.1\nnetmask: 255.255.255.0\ndefault-gateway: 192.0.2.254\n"
                              "mac-address: 52:54:00:%02x:%02x:00\ntime: Wed Nov 25 11:00:00 2026\nuptime: 3 days, 4:05:06\n"
                              "family: vm\nmodel: PA-VM\nserial: 007%06d%06d\nvm-mac-base: 7C:89:C1:00:00:00\n"
                              "sw-version: 10.2.4\nglobal-protect-client-package-version: 0.0.0\napp-version: 8700-8130\n"
                              "multi-vsys: off\noperational-mode: normal\n"
                              % (self.hostname(), third, fourth, third, fourth))
        if rest == "interface all":
            return self.paged(self.interfaces_text(s["running"]))
        if rest == "arp all":
            return self.paged(self.arp_text(s["running"]))
        if rest == "routing protocol bgp summary":
            return self.paged(self.bgp_text())
        if rest == "log system":
            return self.paged("Time                Severity Subtype Object EventID ID Description\n" + "=" * 80 + "\n" + "".join(
                "2026/11/25 11:%02d:00 info     general        general 0  User %s logged in via CLI from 10.255.127.1\n"
                % (i, self.user) for i in range(60)))
        if rest == "config running":
            return self.paged(render(s["running"]))
        if rest == "config candidate":
            return self.paged(render(s["candidate"]))
        if rest == "config diff":
            diff = difflib.unified_diff(render(s["running"]).split("\n"), render(s["candidate"]).split("\n"),
                                        "running-config", "candidate-config", lineterm="", n=2)
            return self.paged("\n".join(diff) + "\n")
        return self.t.output("Unknown command: %s\n" % (words[0] if words else "show"))

    def conf(self, line):
        words = tokens(line)
        if not words:
            return self.t.output("Invalid syntax.\n")
        if words[0] == "run" and len(words) > 1:
            return self.op(line[4:])
        if words == ["exit"] or words == ["quit"]:
            self.config = False
            return self.t.output("Exiting configuration mode\n")
        if words == ["revert", "config"]:
            def revert(state):
                state["candidate"] = state["running"]
            return self.dev.update(revert)
        if words[0] == "show" and len(words) == 1:
            return self.paged(render(self.state()["candidate"]))
        if words == ["commit"]:
            return self.commit()
        if words[0] == "set":
            paths = parse_set(words[1:])
            if paths is None:
                return self.t.output("Invalid syntax.\n")

            def change(state):
                config = as_paths(state["candidate"])
                for p in paths:
                    config = apply_set(config, p)
                state["candidate"] = config
            self.dev.update(change)
            return emu.config_fault(self, self.t)
        if words[0] == "delete" and len(words) > 1:
            prefix = tuple(words[1:])

            def delete(state):
                config = as_paths(state["candidate"])
                kept = [p for p in config if p[:len(prefix)] != prefix]
                state["candidate"] = kept
                return len(kept) != len(config)
            if not self.dev.update(delete):
                return self.t.output("Invalid syntax.\n")
            return
        return self.t.output("Invalid syntax.\n")

    def commit(self):
        s = self.state()
        job = s["jobs"] + 1

        def count(state):
            state["jobs"] = job
        self.dev.update(count)
        if s["running"] == s["candidate"]:
            return self.t.output("There are no changes to commit.\n")
        self.t.output("Commit job %d is in progress. Use Ctrl+C to return to command prompt\n" % job)
        errors = validate(s["candidate"])
        self.t.output("..........55%" + ("" if errors else ".....100%") + "\n")
        if errors:
            return self.t.output("Validation Error:\n" + "\n".join(errors) + "\nCommit failed\n")

        def apply(state):
            state["running"] = state["candidate"]
        self.dev.update(apply)
        self.t.output("Configuration committed successfully\n")
