"""MikroTik RouterOS (7.x), emulated from MikroTik's console documentation (imported by enms_emulator).

Login options ride on the user name: `user+ct511w4098h` — c: no colours, t: no terminal detection (without it the
router asks the terminal where its cursor is, ESC[6n, and waits 2 s for an answer), NNNw / NNNh: the terminal's width
and height (without a height: 24, and long output stops at "-- [Q quit|D dump|down]" until a key; q stops). Prompt
`[user@identity] > `, `[user@identity] /ip address> ` inside a menu. Every command applies at once: `/ip address
add address=A/N interface=I`, `/ip route add dst-address=D gateway=G`, `/system identity set name=N`, `/ip dns set
servers=S`, `/interface ethernet set [ find default-name=etherN ] comment=C`, `remove [ find ... ]`. Refusals change
nothing: "bad command name X (line 1 column N)", "expected end of command (line 1 column N)", "input does not match
any value of interface", "invalid value for argument address", "failure: already have such address". Safe mode:
Ctrl+X takes it ("[Safe Mode taken]", prompt `... <SAFE> `), Ctrl+X again keeps the changes ("[Safe Mode
released]"), Ctrl+D undoes every change made in it, and so does a session that ends while in it (the router notices
the connection is gone). `/export` prints the configuration as commands after "#" comment lines (the first carries
the time); `/log print` 60 lines; `/system clock print`. Changes are saved at once: nothing to save. This file's
grammar is the emulator's own: the driver's profile is written separately.
"""
import os
import re
import select
import signal

import enms_emulator as emu

MORE = "-- [Q quit|D dump|down]"
CTRL_X, CTRL_D = "\x18", "\x04"
ARGS = {
    ("ip", "address", "add"): {"address", "interface", "comment", "disabled", "network"},
    ("ip", "route", "add"): {"dst-address", "gateway", "distance", "comment", "blackhole"},
    ("system", "identity", "set"): {"name"},
    ("ip", "dns", "set"): {"servers", "allow-remote-requests"},
    ("interface", "ethernet", "set"): {"comment", "mtu", "disabled"},
}
MENUS = {("ip", "address"), ("ip", "route"), ("system", "identity"), ("ip", "dns"), ("interface", "ethernet"),
         ("system", "clock"), ("log",), ("ip",), ("system",), ("interface",), ("system", "resource"), ("ip", "arp"),
         ("ip", "neighbor")}


def initial_state(name):
    return {"identity": name, "ethernet": {"ether%d" % i: {} for i in range(1, 9)},
            "addresses": [{"address": "192.0.2.1/24", "interface": "ether1", "network": "192.0.2.0"}],
            "routes": [{"dst-address": "198.18.0.0/15", "gateway": "192.0.2.254"}], "dns": {}, "pending": None}


def resource_text():
    return ("                   uptime: 3d4h5m6s\n                  version: 7.12 (stable)\n"
            "               build-time: 2023-11-17 11:38:45\n         factory-software: 7.1\n"
            "              free-memory: 206.6MiB\n             total-memory: 256.0MiB\n                      cpu: QEMU\n"
            "                cpu-count: 1\n            cpu-frequency: 2496MHz\n                 cpu-load: 1%\n"
            "           free-hdd-space: 73.3MiB\n          total-hdd-space: 89.2MiB\n  write-sect-since-reboot: 1095\n"
            "         write-sect-total: 1095\n        architecture-name: x86_64\n               board-name: CHR\n"
            "                 platform: MikroTik\n")


def valid_prefix(text):
    ip, _, bits = text.partition("/")
    parts = ip.split(".")
    return len(parts) == 4 and all(p.isdigit() and int(p) <= 255 for p in parts) and (not bits or (bits.isdigit() and int(bits) <= 32))


def quote(value):
    return '"%s"' % value if any(c in value for c in ' ;"') else value


def export(state):
    out = ["# 2026-11-25 11:%02d:00 by RouterOS 7.12" % (len(state["addresses"]) % 60), "# software id = ENMS-LAB0",
           "#", "# model = CHR"]
    eth = [(n, a) for n, a in state["ethernet"].items() if a]
    if eth:
        out.append("/interface ethernet")
        out += ["set [ find default-name=%s ] %s" % (n, " ".join("%s=%s" % (k, quote(v)) for k, v in a.items())) for n, a in eth]
    if state["addresses"]:
        out.append("/ip address")
        out += ["add " + " ".join("%s=%s" % (k, quote(v)) for k, v in a.items()) for a in state["addresses"]]
    if state["dns"]:
        out += ["/ip dns", "set " + " ".join("%s=%s" % (k, quote(v)) for k, v in state["dns"].items())]
    if state["routes"]:
        out.append("/ip route")
        out += ["add " + " ".join("%s=%s" % (k, quote(v)) for k, v in r.items()) for r in state["routes"]]
    out += ["/system identity", "set name=%s" % quote(state["identity"])]
    return "\n".join(out) + "\n"


def words_of(line):
    """Words, with "quoted values" and [ find ... ] each kept whole."""
    return re.findall(r'\[[^\]]*\]|\S+?="[^"]*"|"[^"]*"|\S+', line)


class RouterOs:
    def __init__(self, dev, term, user):
        self.dev, self.t = dev, term
        self.user, _, options = user.partition("+")
        self.colours = "c" not in re.sub(r"\d+[wh]", "", options)
        self.detect = "t" not in re.sub(r"\d+[wh]", "", options)
        height = re.search(r"(\d+)h", options)
        self.height = int(height.group(1)) if height else 24
        self.menu = ()
        self.safe = None  # the state when safe mode was taken
        self.skip_lf = False

        def login(state):
            state.setdefault("logins", []).append(user)
        dev.update(login)

    def prompt(self):
        where = ("/" + "/".join(self.menu)) if self.menu else ""
        text = "[%s@%s] %s%s " % (self.user, self.dev.load()["identity"], where, "<SAFE>" if self.safe else ">")
        if self.colours:
            text = "\x1b[m\x1b[36m[\x1b[m%s\x1b[36m]\x1b[m%s" % (text[1:text.index("]")], text[text.index("]") + 1:])
        return text

    def paged(self, text):
        lines = text.rstrip("\n").split("\n")
        if len(lines) < self.height:
            return self.t.output(text)
        i, page = 0, self.height - 1
        while i < len(lines):
            self.t.output("\n".join(lines[i:i + page]) + "\n")
            i += page
            if i >= len(lines):
                break
            self.t.write(MORE)
            k = self.t.key()
            self.t.raw("\r" + " " * len(MORE) + "\r")
            if k in (b"q", b"Q"):
                break

    def line(self):
        """A line, or CTRL_X / CTRL_D alone (safe mode keys act at once, as on the router)."""
        out = bytearray()
        while True:
            c = self.t.key()[0]
            if c == 10 and self.skip_lf:
                self.skip_lf = False
                continue
            self.skip_lf = c == 13
            if c in (10, 13):
                text = out.decode(errors="replace")
                self.t.write(text + "\n")
                return text
            if c in (0x18, 0x04) and not out:
                return chr(c)
            if c in (8, 127):
                if out:
                    out.pop()
            elif c == 3:
                self.t.write("^C\n")
                return ""
            elif c >= 32:
                out.append(c)

    def run(self):
        # sshd hangs up the session when the client goes: the router notices and undoes what safe mode holds.
        signal.signal(signal.SIGHUP, self.hung_up)
        signal.signal(signal.SIGTERM, self.hung_up)
        if self.detect:
            # Where is the cursor? A terminal answers ESC[row;colR; a script never does, and the router waits.
            self.t.raw("\x1b[6n")
            select.select([0], [], [], 2)
        self.t.write("\n\n  MMM      MMM       KKK                          TTTTTTTTTTT      KKK\n  MMMM    MMMM       KKK      "
                     "                    TTTTTTTTTTT      KKK\n  MMM MMMM MMM  III  KKK  KKK  RRRRRR     OOOOOO      TTT     "
                     "III  KKK  KKK\n\n  MikroTik RouterOS 7.12 (c) 1999-2023       https://www.mikrotik.com/\n\n"
                     "Press F1 for help\n\n")
        try:
            while True:
                self.t.write(self.prompt())
                line = self.line()
                if line == CTRL_X:
                    self.toggle_safe()
                elif line == CTRL_D:
                    if not self.safe:
                        return
                    self.undo_safe()
                    self.t.write("\n[Safe Mode released]\n")
                elif line.strip() in ("/quit", "quit"):
                    return
                elif line.strip():
                    self.command(line.strip())
        finally:
            if self.safe:
                self.undo_safe()

    @staticmethod
    def hung_up(signum, frame):
        raise emu.Closed()

    def toggle_safe(self):
        if self.safe:
            self.safe = None
            return self.t.write("\n[Safe Mode released]\n")
        self.safe = self.dev.load()
        self.t.write("\n[Safe Mode taken]\n")

    def undo_safe(self):
        before, self.safe = self.safe, None

        def undo(state):
            for key in ("identity", "ethernet", "addresses", "routes", "dns"):
                state[key] = before[key]
        self.dev.update(undo)

    def error(self, text):
        self.t.output(text + "\n")

    def command(self, line):
        words = words_of(line)
        first = words[0]
        if first == "/":
            self.menu = ()
            return
        if first.startswith("/"):
            path = tuple(first[1:].split("/")) if "/" in first[1:] else (first[1:],)
            words = list(path) + words[1:]
        else:
            words = list(self.menu) + words
        if words == ["export"]:
            return self.paged(export(self.dev.load()))
        # The longest menu the words start with; the rest is the command and its arguments.
        menu = ()
        for n in range(len(words), 0, -1):
            if tuple(words[:n]) in MENUS:
                menu = tuple(words[:n])
                break
        rest = words[len(menu):]
        if not menu:
            return self.error("bad command name %s (line 1 column %d)" % (words[0], len(line) - len(line.lstrip()) + 1))
        if not rest:
            self.menu = menu
            return
        verb, args = rest[0], rest[1:]
        if menu == ("system", "clock") and verb == "print":
            return self.t.output("                  time: 11:00:00\n                  date: 2026-11-25\n"
                                 "  time-zone-autodetect: yes\n        time-zone-name: UTC\n            gmt-offset: +00:00\n")
        if menu == ("log",) and verb == "print":
            return self.paged("".join("2026-11-25 11:%02d:00 system,info,account user %s logged in from 10.255.127.1 via ssh\n"
                                      % (i, self.user) for i in range(60)))
        if menu == ("system", "resource") and verb == "print" and not args:
            return self.t.output(resource_text())
        if menu == ("interface",) and verb == "print" and not args:
            return self.paged(self.interfaces_text())
        if menu == ("ip", "arp") and verb == "print" and not args:
            return self.paged(self.arp_text())
        if menu == ("ip", "neighbor") and verb == "print" and args == ["detail"]:
            return self.paged(self.neighbors_text())
        if menu == ("system", "identity") and verb == "print":
            return self.t.output("  name: %s\n" % self.dev.load()["identity"])
        allowed = ARGS.get(menu + (verb,))
        if verb == "remove" and menu in (("ip", "address"), ("ip", "route")):
            return self.remove(menu, args)
        if allowed is None:
            return self.error("bad command name %s (line 1 column %d)" % (verb, line.find(verb) + 1))
        target, pairs = None, {}
        for a in args:
            if a.startswith("[") or (menu == ("interface", "ethernet") and "=" not in a and target is None):
                target = a
                continue
            key, eq, value = a.partition("=")
            if not eq or key not in allowed:
                return self.error("expected end of command (line 1 column %d)" % (line.find(a) + 1))
            pairs[key] = value.strip('"')
        return self.change(menu, verb, target, pairs)

    def ports(self):
        """[(name, disabled, running, comment)]: the eight ethernet ports; ether1 and ether2 are cabled (running
        unless disabled)."""
        rows = []
        for name, settings in self.dev.load()["ethernet"].items():
            disabled = settings.get("disabled") in ("yes", "true")
            rows.append((name, disabled, not disabled and name in ("ether1", "ether2"), settings.get("comment", "")))
        return sorted(rows, key=lambda r: int(r[0][5:]))

    def interfaces_text(self):
        """RouterOS 7's table: flags (X disabled, R running), a port's comment on a ';;;' line above it."""
        third, fourth = (int(o) for o in self.dev.address.split(".")[2:4])
        out = ["Flags: X - DISABLED; R - RUNNING", "Columns: NAME, TYPE, ACTUAL-MTU, L2MTU, MAC-ADDRESS",
               " #    NAME    TYPE   ACTUAL-MTU  L2MTU  MAC-ADDRESS      "]
        for i, (name, disabled, running, comment) in enumerate(self.ports()):
            if comment:
                out.append(" ;;; %s" % comment)
            flags = "X" if disabled else ("R" if running else "")
            out.append(" %-2d %-2s %-7s ether        1500         0C:7B:%02X:%02X:00:%02X" % (i, flags, name, third, fourth, i + 1))
        return "\n".join(out) + "\n"

    def wired(self):
        """ether1 when it runs with an address on the lab's subnet: where ARP and neighbour discovery are heard."""
        running = {name for name, _, up, _ in self.ports() if up}
        return next((a["interface"] for a in self.dev.load()["addresses"]
                     if a["interface"] == "ether1" and a["interface"] in running and a["address"].startswith("192.0.2.")), None)

    def arp_text(self):
        port = self.wired()
        arp, _ = emu.lab_neighbours(self.dev)
        out = ["Flags: D - DYNAMIC; C - COMPLETE", "Columns: ADDRESS, MAC-ADDRESS, INTERFACE",
               "#    ADDRESS         MAC-ADDRESS        INTERFACE"]
        out += ["%-2d DC %-15s %-18s %s" % (i, ip, mac.upper(), port) for i, (ip, mac, _) in enumerate(arp if port else [])]
        return "\n".join(out) + "\n"

    def neighbors_text(self):
        """The neighbours discovery found (MNDP, CDP, LLDP): one entry per line at this terminal width, key=value, values
        with spaces quoted."""
        port = self.wired()
        _, core = emu.lab_neighbours(self.dev)
        out = ["Flags: D - DYNAMIC"]
        if port:
            out.append(' 0 D interface=%s address=%s mac-address=%s identity=%s platform=%s version="" unpack=none age=25s '
                       'uptime=3d4h5m interface-name=%s system-description=%s system-caps=bridge,router '
                       'system-caps-enabled=bridge,router discovered-by=lldp'
                       % (port, core["address"], core["chassis"].upper(), quote(core["name"]), quote(core["description"].split()[0]),
                          quote(core["port"]), quote(core["description"])))
        return "\n".join(out) + "\n"

    def change(self, menu, verb, target, pairs):
        state = self.dev.load()
        if "address" in pairs and not valid_prefix(pairs["address"]):
            return self.error("invalid value for argument address")
        if "dst-address" in pairs and not valid_prefix(pairs["dst-address"]):
            return self.error("invalid value for argument dst-address")
        if "interface" in pairs and pairs["interface"] not in state["ethernet"]:
            return self.error("input does not match any value of interface")
        if menu == ("ip", "address"):
            if not pairs.get("address") or not pairs.get("interface"):
                return self.error("failure: address and interface required")
            if any(a["address"] == pairs["address"] for a in state["addresses"]):
                return self.error("failure: already have such address")
            ip, _, bits = pairs["address"].partition("/")
            mask = (0xffffffff << (32 - int(bits or 32))) & 0xffffffff
            net = ".".join(str((int(o) & (mask >> s & 255))) for o, s in zip(ip.split("."), (24, 16, 8, 0)))
            entry = dict(pairs, network=net)
            return self.update(lambda s: s["addresses"].append(entry))
        if menu == ("ip", "route"):
            if not pairs.get("dst-address"):
                return self.error("failure: dst-address required")
            return self.update(lambda s: s["routes"].append(dict(pairs)))
        if menu == ("system", "identity"):
            return self.update(lambda s: s.__setitem__("identity", pairs.get("name", s["identity"])))
        if menu == ("ip", "dns"):
            return self.update(lambda s: s["dns"].update(pairs))
        name = re.search(r"default-name=(\S+?)\s*\]", target or "")
        name = name.group(1) if name else (target or "")
        if name not in state["ethernet"]:
            return self.error("no such item")
        return self.update(lambda s: s["ethernet"][name].update(pairs))

    def remove(self, menu, args):
        key = "addresses" if menu == ("ip", "address") else "routes"
        found = re.match(r'\[\s*find\s+(\S+?)="?([^"\]\s]+)"?\s*\]$', " ".join(args))
        if not found:
            return self.error("expected end of command (line 1 column 1)")
        field, value = found.groups()
        return self.update(lambda s: s.__setitem__(key, [e for e in s[key] if e.get(field) != value]))

    def update(self, change):
        self.dev.update(change)
        self.config_lines = getattr(self, "config_lines", 0) + 1
        if self.config_lines >= emu.CONFIG_DROP_AFTER and "drop-mid-config" in self.t.faults:
            # The connection goes; the router notices and undoes what safe mode holds.
            if self.safe:
                self.undo_safe()
            os._exit(0)
