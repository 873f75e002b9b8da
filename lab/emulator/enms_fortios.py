"""Fortinet FortiOS (7.2), emulated from Fortinet's CLI reference (imported by enms_emulator).

Prompt `HOST # ` at the top; `config PATH` opens a block: an object (`config system global`, prompt `HOST (global) # `)
takes `set KEY VALUE` / `unset KEY` directly, a table (`config system interface`, `HOST (interface) # `) takes
`edit NAME` (`HOST (NAME) # `; `edit 0` in `router static` takes the next free id), `delete NAME`, then set/unset in
the entry. Nothing is applied while it is typed: `next` saves the entry being edited, `end` saves what is pending and
leaves the block, `abort` leaves the block and drops what is pending (entries already closed by `next` stay).
Refusals, the line staying unapplied: an unknown command or key "command parse error before 'WORD'" + "Command fail.
Return code -61"; a bad value "value parse error before 'VALUE'" + "Command fail. Return code -651"; a reference to an
entry that does not exist "entry not found in datasource" + "value parse error before 'VALUE'" + "Command fail. Return
code -3"; a new interface without a type fails its `next`/`end` ("node_check_object fail! for type" + "Command fail.
Return code -56") and the shell stays in the entry. `config system console` / `set output standard` turns the pager
("--More-- ", erased with a carriage return) off, `output more` back on; the setting is part of the configuration.
`show` prints the non-default configuration after four '#' header lines (`#conf_file_ver=` changes with every saved
change); `show PATH` one block; `show full-configuration` defaults too. Every `end`/`next` is written to flash at
once (cfg-save automatic): there is no separate save. Fault `vdoms`: the device runs multi-vdom (`get system status`
says "Virtual domain configuration: multiple"), global blocks only under `config global` (prompt `HOST (global) # `),
others under `config vdom` / `edit root` (`HOST (root) # `). This file's grammar is the emulator's own: the driver's
profile is written separately.
"""
import enms_emulator as emu

MORE = "--More-- "
# Blocks: path -> (table?, global?, {key: (type, argument, default)}). Types: str (max length), int ((min, max)),
# enum (choices), ipmask, ip, ref (the table an entry must exist in), words (choices, several).
SCHEMA = {
    "system global": (False, True, {
        "hostname": ("str", 35, None), "alias": ("str", 35, None), "admintimeout": ("int", (1, 480), "5"),
        "timezone": ("enum", tuple("%02d" % i for i in range(87)), "00"), "admin-sport": ("int", (1, 65535), "443")}),
    "system console": (False, True, {"output": ("enum", ("standard", "more"), "more"),
                                     "login": ("enum", ("enable", "disable"), "enable")}),
    "system dns": (False, True, {"primary": ("ip", None, "96.45.45.45"), "secondary": ("ip", None, "96.45.46.46")}),
    "system interface": (True, True, {
        "vdom": ("str", 31, None), "ip": ("ipmask", None, None), "allowaccess": ("words", ("ping", "https", "ssh", "http", "snmp", "telnet"), None),
        "alias": ("str", 25, None), "description": ("str", 255, None), "status": ("enum", ("up", "down"), "up"),
        "mtu-override": ("enum", ("enable", "disable"), "disable"), "type": ("enum", ("physical", "vlan", "loopback"), None),
        "role": ("enum", ("lan", "wan", "dmz", "undefined"), "undefined"), "snmp-index": ("int", (1, 2147483647), None)}),
    "router static": (True, False, {
        "dst": ("ipmask", None, "0.0.0.0 0.0.0.0"), "gateway": ("ip", None, "0.0.0.0"), "device": ("ref", "system interface", None),
        "blackhole": ("enum", ("enable", "disable"), "disable"), "comment": ("str", 255, None),
        "distance": ("int", (1, 255), "10")}),
    "firewall address": (True, False, {"subnet": ("ipmask", None, "0.0.0.0 0.0.0.0"), "comment": ("str", 255, None)}),
}
ORDER = list(SCHEMA)


def initial_state(name):
    config = {
        "system global": {"hostname": name, "alias": "FortiGate-VM64", "timezone": "04"},
        "system interface": {"port%d" % i: dict({"vdom": "root", "type": "physical", "snmp-index": str(i)},
                                                 **({"ip": "192.0.2.1 255.255.255.0", "allowaccess": "ping https ssh",
                                                     "role": "wan"} if i == 1 else {})) for i in range(1, 11)},
        "router static": {"1": {"dst": "198.18.0.0 255.254.0.0", "gateway": "192.0.2.254", "device": "port1"}},
    }
    return {"config": config, "version": 1, "pending": None}


def mask_of(bits):
    value = (0xffffffff << (32 - bits)) & 0xffffffff if bits else 0
    return ".".join(str(value >> s & 255) for s in (24, 16, 8, 0))


def is_ip(text):
    parts = text.split(".")
    return len(parts) == 4 and all(p.isdigit() and int(p) <= 255 for p in parts)


def show_value(kind, value):
    return '"%s"' % value if kind in ("str", "ref") else value


def render_block(path, body, table, full):
    keys = SCHEMA[path][2]

    def settings(values, depth):
        out = []
        for key, (kind, _, default) in keys.items():
            value = values.get(key, default if full else None)
            if value is not None and (full or value != default):
                out.append("    " * depth + "set %s %s" % (key, show_value(kind, value)))
        return out
    if table:
        if not body and not full:
            return []
        out = ["config " + path]
        for name in body:  # in the order the entries were made, as FortiOS keeps them
            out += ["    edit %s" % (name if name.isdigit() else '"%s"' % name)] + settings(body[name], 2) + ["    next"]
        return out + ["end"]
    lines = settings(body, 1)
    return ["config " + path] + lines + ["end"] if lines or full else []


class Fortios:
    def __init__(self, dev, term, user):
        self.dev, self.t, self.user = dev, term, user
        self.vdoms = "vdoms" in dev.faults()
        self.scope = None      # multi-vdom: "global" or "root" once entered
        self.path = None       # the open block
        self.pending = None    # the block's body as it will be saved (a copy)
        self.entry = None      # the entry being edited in a table
        self.entry_new = False

    def state(self):
        return self.dev.load()

    def hostname(self):
        return self.state()["config"]["system global"].get("hostname", "FortiGate-VM64")

    def output_more(self):
        return self.state()["config"].get("system console", {}).get("output", "more") == "more"

    def prompt(self):
        if self.entry is not None:
            where = self.entry
        elif self.path is not None:
            where = self.path.split()[-1]
        else:
            where = self.scope
        return "%s (%s) # " % (self.hostname(), where) if where else "%s # " % self.hostname()

    def paged(self, text):
        emu.paged_cr(self.t, text, 24 if self.output_more() else 0, MORE)

    def fail(self, code, *lines):
        self.t.output("".join(l + "\n" for l in lines) + "Command fail. Return code %d\n" % code)

    def parse_error(self, word):
        self.fail(-61, "command parse error before '%s'" % word)

    def run(self):
        while True:
            self.t.write(self.prompt())
            line = self.t.line().strip()
            if not line:
                continue
            words = split(line)
            if words is None:
                self.parse_error(line)
            elif self.path is not None:
                self.block_cmd(words)
            elif words == ["exit"] and self.scope is None:
                return
            else:
                self.top_cmd(words)

    # ------------------------------------------------------------ top level

    def top_cmd(self, words):
        if self.vdoms and self.scope is None and words[0] == "config":
            if words[1:] == ["global"]:
                self.scope = "global"
                return
            if words[1:] == ["vdom"]:
                self.scope = "vdom"
                return
            return self.parse_error(words[1] if len(words) > 1 else words[0])
        if self.scope == "vdom":
            if words[:1] == ["edit"] and words[1:] == ["root"]:
                self.scope = "root"
                return
            if words == ["end"]:
                self.scope = None
                return
            return self.parse_error(words[0])
        if words == ["next"] and self.scope == "root":
            self.scope = "vdom"
            return
        if words == ["end"] and self.scope is not None:
            self.scope = None
            return
        if words[0] == "config":
            return self.open_block(" ".join(words[1:]))
        if words[0] == "show":
            return self.show(words[1:])
        if words[0] == "get":
            return self.get(words[1:])
        if words[0] == "execute":
            return self.execute(words[1:])
        return self.parse_error(words[0])

    def allowed(self, path):
        """Whether a block is reachable here: in multi-vdom mode global blocks under config global only."""
        if path not in SCHEMA:
            return False
        return not self.vdoms or (self.scope == "global") == SCHEMA[path][1]

    def open_block(self, path):
        if not self.allowed(path):
            return self.parse_error(path.split()[0] if path else "config")
        self.path = path
        self.pending = {k: (dict(v) if isinstance(v, dict) else v) for k, v in self.state()["config"].get(path, {}).items()}

    def show(self, words):
        full = words[:1] == ["full-configuration"]
        path = " ".join(words[1:] if full else words)
        config = self.state()["config"]
        if path:
            if path not in SCHEMA:
                return self.parse_error(path.split()[0])
            return self.paged("\n".join(render_block(path, config.get(path, {}), SCHEMA[path][0], full)) + "\n")
        state = self.state()
        head = ["#config-version=FGVM64-7.2.5-FW-build1517-230606:opmode=0:vdom=%d:user=%s" % (self.vdoms, self.user),
                "#conf_file_ver=%d" % (1000 + state["version"]), "#buildno=1517", "#global_vdom=1"]
        body = [l for p in ORDER for l in render_block(p, config.get(p, {}), SCHEMA[p][0], full)]
        self.paged("\n".join(head + body) + "\n")

    def get(self, words):
        rest = " ".join(words)
        if rest == "system status":
            return self.paged(
                "Version: FortiGate-VM64 v7.2.5,build1517,230606 (GA.F)\nVirus-DB: 1.00000(2018-04-09 18:07)\n"
                "Serial-Number: %s\nLicense Status: Valid\nLog hard disk: Available\nHostname: %s\n"
                "Private Encryption: Disable\nOperation Mode: NAT\nCurrent virtual domain: root\nMax number of virtual "
                "domains: 1\nVirtual domains status: 1 in NAT mode, 0 in TP mode\nVirtual domain configuration: %s\n"
                "FIPS-CC mode: disable\nCurrent HA mode: standalone\nBranch point: 1517\nRelease Version Information: GA\n"
                "System time: Wed Nov 25 11:00:00 2026\n" % (self.serial(), self.hostname(), "multiple" if self.vdoms else "disable"))
        if rest == "system interface physical":
            return self.paged(self.physical_text())
        if rest == "system arp":
            return self.paged(self.arp_text())
        if rest == "router info bgp summary":
            return self.paged(self.bgp_text())
        if rest == "system console":
            console = self.state()["config"].get("system console", {})
            return self.t.output("output              : %s\nlogin               : %s\n"
                                 % (console.get("output", "more"), console.get("login", "enable")))
        return self.parse_error(words[0] if words else "get")

    def serial(self):
        third, fourth = self.dev.address.split(".")[2:4]
        return "FGVMEV%05d%05d" % (int(third), int(fourth))

    def ports(self):
        """[(name, ip, status)] of the physical ports: ip as configured ("0.0.0.0 0.0.0.0" for none), status the link's
        (port1 and port2 are cabled; a port set down has no link)."""
        rows = []
        for name, entry in self.state()["config"]["system interface"].items():
            if entry.get("type", "physical") != "physical":
                continue
            cabled = name in ("port1", "port2") and entry.get("status", "up") == "up"
            rows.append((name, entry.get("ip", "0.0.0.0 0.0.0.0"), "up" if cabled else "down"))
        return sorted(rows, key=lambda r: int(r[0][4:]) if r[0][4:].isdigit() else 0)

    def physical_text(self):
        out = ["== [onboard]"]
        for name, ip, status in self.ports():
            out += ["        ==[%s]" % name, "                mode: static", "                ip: %s" % ip,
                    "                ipv6: ::/0", "                status: %s" % status,
                    "                speed: %s" % ("1000Mbps (Duplex: full)" if status == "up" else "n/a")]
        return "\n".join(out) + "\n"

    def wired(self):
        return next((name for name, ip, status in self.ports() if status == "up" and ip.startswith("192.0.2.")), None)

    def arp_text(self):
        port = self.wired()
        arp, _ = emu.lab_neighbours(self.dev)
        out = ["Address           Age(min)   Hardware Addr      Interface"]
        out += ["%-17s %-10d %s %s" % (ip, age, mac, port) for ip, mac, age in arp if port]
        return "\n".join(out) + "\n"

    def bgp_text(self):
        """ZebOS's summary as FortiOS 7 prints it: AS numbers in asplain, Up/Down hh:mm:ss or never, the prefixes
        received (after the inbound policy) once Established, else the state."""
        bgp = emu.lab_routing(self.dev)
        out = ["VRF 0 BGP router identifier %s, local AS number %d" % (bgp["router_id"], bgp["as"]),
               "BGP table version is 9", "2 BGP AS-PATH entries", "0 BGP community entries", "",
               "Neighbor        V         AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd"]
        for p in bgp["peers"]:
            up = p["state"] == "Established"
            out.append("%-15s 4 %10d %7d %7d %8d %4d %4d %-8s %s" % (
                p["peer"], p["as"], p["messages"][0], p["messages"][1], 9 if up else 0, 0, 0,
                emu.hms(p["uptime"]) if up else "never", p["accepted"] if up else p["state"]))
        out += ["", "Total number of neighbors %d" % len(bgp["peers"])]
        return "\n".join(out) + "\n"

    def execute(self, words):
        rest = " ".join(words)
        if rest == "time":
            return self.t.output("current time is: 11:00:00\nlast ntp sync:Wed Nov 25 10:55:00 2026\n")
        if rest == "log display":
            return self.paged("60 logs found.\n60 logs returned.\n\n" + "".join(
                '%d: date=2026-11-25 time=11:%02d:00 logid="0100032001" type="event" subtype="system" level="information" '
                'vd="root" logdesc="Admin login successful" user="%s" ui="ssh(10.255.127.1)" action="login" '
                'status="success"\n\n' % (i + 1, i, self.user) for i in range(60)))
        return self.parse_error(words[0] if words else "execute")

    # ------------------------------------------------------------ inside a block

    def block_cmd(self, words):
        table, _, keys = SCHEMA[self.path]
        verb = words[0]
        if verb == "end":
            return self.end()
        if verb == "abort":
            self.path = self.pending = self.entry = None
            return
        if verb == "show":
            body = self.pending if self.entry is None else {self.entry: self.pending[self.entry]}
            return self.paged("\n".join(render_block(self.path, body, table, False)) + "\n")
        if table and self.entry is None:
            if verb == "edit" and len(words) == 2:
                return self.edit(words[1])
            if verb == "delete" and len(words) == 2:
                if words[1] not in self.pending:
                    return self.fail(-3, "entry not found in datasource")
                del self.pending[words[1]]
                return
            return self.parse_error(verb)
        if table and verb == "next":
            return self.next()
        body = self.pending[self.entry] if table else self.pending
        if verb == "unset" and len(words) == 2:
            if words[1] not in keys:
                return self.parse_error(words[1])
            body.pop(words[1], None)
            return
        if verb != "set" or len(words) < 2:
            return self.parse_error(verb)
        key = words[1]
        if key not in keys:
            return self.parse_error(key)
        value = self.check(keys[key], words[2:])
        if value is not None:
            body[key] = value
            emu.config_fault(self, self.t)

    def check(self, spec, values):
        kind, arg, _ = spec
        if not values:
            self.fail(-61, "command parse error before '%s'" % "set")
            return None
        text = " ".join(values)
        if kind == "str" and len(text) <= arg:
            return text
        if kind == "int" and text.isdigit() and arg[0] <= int(text) <= arg[1]:
            return text
        if kind == "enum" and text in arg:
            return text
        if kind == "words" and all(v in arg for v in values):
            return text
        if kind == "ip" and is_ip(text):
            return text
        if kind == "ipmask":
            if len(values) == 1 and "/" in text and is_ip(text.split("/")[0]) and text.split("/")[1].isdigit() \
                    and int(text.split("/")[1]) <= 32:
                return "%s %s" % (text.split("/")[0], mask_of(int(text.split("/")[1])))
            if len(values) == 2 and is_ip(values[0]) and is_ip(values[1]):
                return text
        if kind == "ref":
            if text in self.state()["config"].get(arg, {}):
                return text
            self.fail(-3, "entry not found in datasource", "", "value parse error before '%s'" % text)
            return None
        self.fail(-651, "value parse error before '%s'" % (values[-1] if kind != "ipmask" else values[0]))
        return None

    def edit(self, name):
        if self.path == "router static" and name == "0":
            name = str(max([int(n) for n in self.pending if n.isdigit()] + [0]) + 1)
        elif self.path == "router static" and not name.isdigit():
            return self.fail(-651, "value parse error before '%s'" % name)
        self.entry_new = name not in self.pending
        self.pending.setdefault(name, {})
        self.entry = name
        if self.entry_new and self.path == "system interface":
            self.pending[name]["vdom"] = "root"

    def entry_problem(self):
        """What makes the entry being edited unsavable (a new interface without a type), or None."""
        if self.path == "system interface" and self.entry is not None and "type" not in self.pending[self.entry]:
            return -56, "node_check_object fail! for type", "", "attribute set operator error, -56, discard the setting"
        return None

    def next(self):
        problem = self.entry_problem()
        if problem:
            return self.fail(problem[0], *problem[1:])
        path, name, body = self.path, self.entry, self.pending[self.entry]
        self.entry = None

        def apply(state):
            state["config"].setdefault(path, {})[name] = body
            state["version"] += 1
        self.dev.update(apply)

    def end(self):
        problem = self.entry_problem()
        if problem:
            return self.fail(problem[0], *problem[1:])
        path, pending = self.path, self.pending
        self.path = self.pending = self.entry = None

        def apply(state):
            state["config"][path] = pending
            state["version"] += 1
        self.dev.update(apply)


def split(line):
    """Words as FortiOS reads them: double or single quotes keep spaces; None for an unclosed quote."""
    words, word, quote, has = [], "", None, False
    for c in line:
        if quote:
            if c == quote:
                quote = None
            else:
                word += c
        elif c in "\"'":
            quote, has = c, True
        elif c in " \t":
            if word or has:
                words.append(word)
            word, has = "", False
        else:
            word += c
    if quote:
        return None
    if word or has:
        words.append(word)
    return words
