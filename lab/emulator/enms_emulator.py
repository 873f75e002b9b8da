#!/usr/bin/python3
"""eNMS lab emulator: one vendor CLI session on stdin/stdout, run as sshd's ForceCommand.

The device is chosen by the address the client dialled (third field of SSH_CONNECTION):
  10.255.128-143.N  cisco_ios      10.255.144-159.N  cisco_nxos
  10.255.160-175.N  arista_eos     10.255.176-191.N  juniper_junos
  10.255.200-207.N  cisco_xr (enms_iosxr.py)   10.255.208-215.N  cisco_asa (enms_asa.py)
  10.255.216-223.N  vyos (enms_vyos.py)        10.255.224-231.N  huawei (enms_vrp.py)
  10.255.232-239.N  hp_comware (enms_vrp.py)   10.255.240-247.N  aruba_aoscx (enms_aoscx.py)
  10.255.248-249.N  fortinet (enms_fortios.py)     10.255.250-251.N  paloalto_panos (enms_panos.py)
  10.255.252-253.N  mikrotik_routeros (enms_routeros.py)
  10.255.195.N  nokia_sros (enms_sros.py)       10.255.196.N  extreme_exos (enms_exos.py)
  10.255.197.N  hp_procurve (enms_procurve.py)   10.255.198.N  dell_os10 (enms_os10.py)
  10.255.199.N  ubiquiti_edge (enms_edgeswitch.py)
(10.255.192.0/24 is refused at SSH login by sshd itself). Per-device state (running config, flash files,
checkpoints, configure sessions, Junos candidate and commit history) lives in STATE/<address>/device.json.
Faults on demand: write words into STATE/<address>/fault (see FAULTS). Python 3 standard library only.
"""
import fcntl
import json
import os
import random
import re
import select
import signal
import sys
import termios
import time
import tty

FAULTS = """slow          output trickles (16 bytes every 30 ms)
drop          connection closes halfway through the first command output
hang          first command output stops after one line; the device never answers again
banner-delay  the banner comes 3 s after login
junk          command output carries garbage bytes (invalid UTF-8, control characters)
kill          the session's sshd is killed halfway through the first command output (TCP ends, no SSH goodbye)
kill-config   the session's sshd is killed after the second line accepted in config mode (IOS, NX-OS, an EOS
              configure session, Junos set lines) or once a Junos load is taken in
drop-once-mid-config  as drop-mid-config (the platforms in modules of their own), striking one session only: the
              word leaves the fault file as the connection closes, so the next session (an undo, the next run) is healthy
notcl         IOS: no tclsh (the exec parser takes "tclsh" for a host name to telnet to, as IOS does)
noscp         IOS: no SCP server ("ip scp server enable" missing): scp transfers are refused
corrupt-scp   a file received over SCP lands damaged (its last byte changed): the checksum commands tell
max-sessions-[GROUP-]N  at most N sessions at once across every device carrying this same word (a platform's
              shared session limit, a terminal server): one more gets "% Too many sessions" and is closed before any prompt
nvram-full    IOS, NX-OS, EOS: saving the configuration (write memory, copy running-config startup-config) fails
              as the platform says when the startup configuration cannot be written; it stays as it was"""

PLATFORMS = [(128, 143, "cisco_ios", "ios"), (144, 159, "cisco_nxos", "nxos"),
             (160, 175, "arista_eos", "eos"), (176, 191, "juniper_junos", "junos"),
             (192, 192, "cisco_ios", "denied"), (195, 195, "nokia_sros", "sros"),
             (196, 196, "extreme_exos", "exos"), (200, 207, "cisco_xr", "iosxr"),
             (208, 215, "cisco_asa", "asa"), (216, 223, "vyos", "vyos"), (224, 231, "huawei", "vrp"),
             (232, 239, "hp_comware", "comware"), (240, 247, "aruba_aoscx", "aoscx"),
             (248, 249, "fortinet", "fortios"),
             (250, 251, "paloalto_panos", "panos"),
             (252, 253, "mikrotik_routeros", "routeros"),
             (197, 197, "hp_procurve", "procurve"),
             (198, 198, "dell_os10", "os10"),
             (199, 199, "ubiquiti_edge", "edgeswitch")]
# Platforms emulated in modules of their own: kind -> (module, CLI class).
MODULES = {"iosxr": ("enms_iosxr", "IosXr"), "asa": ("enms_asa", "Asa"), "vyos": ("enms_vyos", "Vyos"),
           "vrp": ("enms_vrp", "Vrp"), "comware": ("enms_vrp", "Vrp"), "aoscx": ("enms_aoscx", "Aoscx"),
           "fortios": ("enms_fortios", "Fortios"),
           "panos": ("enms_panos", "Panos"),
           "routeros": ("enms_routeros", "RouterOs"),
           "procurve": ("enms_procurve", "Procurve"),
           "os10": ("enms_os10", "Os10"),
           "edgeswitch": ("enms_edgeswitch", "EdgeSwitch"),
           "sros": ("enms_sros", "Sros"), "exos": ("enms_exos", "Exos")}
ENABLE_SECRET = "enms-enable"


# ---------------------------------------------------------------- terminal

class Closed(Exception):
    pass


class Term:
    def __init__(self, faults):
        self.faults = faults
        self.buf = b""
        self.skip_lf = False
        self.outputs = 0
        if os.isatty(0):
            tty.setraw(0, termios.TCSANOW)

    def raw(self, data):
        if isinstance(data, str):
            data = data.encode()
        if "slow" in self.faults:
            for i in range(0, len(data), 16):
                os.write(1, data[i:i + 16])
                time.sleep(0.03)
        else:
            while data:
                n = os.write(1, data)
                data = data[n:]

    def write(self, text):
        self.raw(re.sub(r"(?<!\r)\n", "\r\n", text))

    def output(self, text):
        """A command's output (not prompts or echoes): where faults strike."""
        if not text:
            return
        self.outputs += 1
        if "junk" in self.faults:
            text = text.replace("\n", "\n\x07\x1b[?25l\x00", 1)
            self.write(text)
            self.raw(b"\xff\xfe\x90garbage\x1b]0;title\x07\xc3\x28\n\r")
            return
        if "drop" in self.faults:
            self.write(text[: max(1, len(text) // 2)])
            # Let the client read the half first: exiting with unread input resets a Telnet connection, and a reset
            # discards what the client had not read yet (seen on a loaded machine as an empty partial output).
            time.sleep(0.2)
            os._exit(0)
        if "kill" in self.faults:
            self.write(text[: max(1, len(text) // 2)])
            self.kill_sshd()
        if "hang" in self.faults:
            self.write(text.split("\n")[0] + "\n")
            self.hang()
        self.write(text)

    def kill_sshd(self):
        """The connection dies as when sshd is killed or the link goes: no exit status, no channel close."""
        time.sleep(0.2)  # let the bytes written so far leave first
        # The sshd that holds the connection (our parent may be the login shell running the ForceCommand).
        pid = os.getppid()
        while pid > 1:
            try:
                with open("/proc/%d/comm" % pid) as f:
                    if f.read().strip().startswith("sshd"):
                        break
                with open("/proc/%d/stat" % pid) as f:
                    pid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError):
                break
        if pid > 1:
            os.kill(pid, signal.SIGKILL)
        os._exit(0)

    def hang(self):
        while True:
            r, _, _ = select.select([0], [], [], 60)
            if r and not os.read(0, 4096):
                os._exit(0)

    def _fill(self):
        data = os.read(0, 4096)
        if not data:
            raise Closed()
        self.buf += data

    def key(self):
        while not self.buf:
            self._fill()
        k, self.buf = self.buf[:1], self.buf[1:]
        return k

    def line(self, echo=True, ctrl_d=False):
        out = bytearray()
        while True:
            while not self.buf:
                self._fill()
            c, self.buf = self.buf[0], self.buf[1:]
            if c == 10 and self.skip_lf:
                self.skip_lf = False
                continue
            self.skip_lf = c == 13
            if c in (10, 13):
                text = out.decode(errors="replace")
                self.write((text if echo else "") + "\n")
                return text
            if c in (8, 127):
                if out:
                    out.pop()
            elif c == 4 and ctrl_d and not out:
                return "\x04"
            elif c == 3:
                self.write("^C\n")
                return ""
            elif c >= 32 or c == 9:
                out.append(c)


# ---------------------------------------------------------------- state

class Device:
    def __init__(self, root, address, platform, kind, name):
        self.dir = os.path.join(root, address)
        os.makedirs(self.dir, exist_ok=True)
        self.address, self.platform, self.kind, self.name = address, platform, kind, name
        self.path = os.path.join(self.dir, "device.json")
        self.lock_fd = os.open(os.path.join(self.dir, "lock"), os.O_CREAT | os.O_RDWR, 0o600)

    def faults(self):
        try:
            with open(os.path.join(self.dir, "fault")) as f:
                return f.read().split()
        except OSError:
            return []

    def clear_fault(self, word):
        """Takes one fault word out of the fault file (under the device's lock: another session may read it)."""
        fcntl.flock(self.lock_fd, fcntl.LOCK_EX)
        try:
            path = os.path.join(self.dir, "fault")
            kept = [w for w in self.faults() if w != word]
            with open(path + ".tmp", "w") as f:
                f.write(" ".join(kept))
            os.replace(path + ".tmp", path)
        finally:
            fcntl.flock(self.lock_fd, fcntl.LOCK_UN)

    def load(self):
        try:
            with open(self.path) as f:
                return json.load(f)
        except (OSError, ValueError):
            return self.initial()

    def save(self, state):
        tmp = self.path + ".%d" % os.getpid()
        with open(tmp, "w") as f:
            json.dump(state, f)
        os.replace(tmp, self.path)

    def update(self, change):
        """Loads, changes and saves the state under the device's lock; returns change's result."""
        fcntl.flock(self.lock_fd, fcntl.LOCK_EX)
        try:
            state = self.load()
            result = change(state)
            self.save(state)
            return result
        finally:
            fcntl.flock(self.lock_fd, fcntl.LOCK_UN)

    def initial(self):
        n = self.name
        if self.kind == "junos":
            cfg = ("system {\n    host-name %s;\n    services {\n        ssh;\n    }\n}\n"
                   "interfaces {\n    ge-0/0/0 {\n        description mgmt;\n        unit 0 {\n"
                   "            family inet {\n                address 192.0.2.1/24;\n            }\n"
                   "        }\n    }\n}\n") % n
            return {"history": [cfg], "candidate": cfg, "pending": None}
        if self.kind in MODULES:
            module = __import__(MODULES[self.kind][0])
            return module.initial_state(n, self.kind) if self.kind in ("vrp", "comware") else module.initial_state(n)
        iface = {"ios": "GigabitEthernet0/", "nxos": "Ethernet1/", "eos": "Ethernet"}[self.kind]
        lines = ["hostname %s" % n, "interface %s1" % iface, " description mgmt",
                 " ip address 192.0.2.1 255.255.255.0" if self.kind == "ios" else " ip address 192.0.2.1/24",
                 "interface %s2" % iface, " shutdown", "ip route 198.18.0.0 255.254.0.0 192.0.2.254"
                 if self.kind == "ios" else "ip route 198.18.0.0/15 192.0.2.254"]
        if self.kind == "nxos":
            lines.insert(1, "feature ospf")
        return {"running": "\n".join(lines) + "\n", "flash": {}, "checkpoints": {}, "sessions": {},
                "pending": None}


def expired(state):
    """A commit with a timer that was not confirmed in time."""
    p = state.get("pending")
    return bool(p) and time.time() > p["deadline"]


def lab_routing(dev):
    """What an emulated router's BGP speaker and routing table hold besides its configuration, derived from its own
    address so that a test can predict it: local AS 65000 + the address's last byte, router id 192.0.2.1; peer
    192.0.2.254 (AS 65100, "upstream", the management subnet's gateway) Established for 1 h 2 min 3 s plus the last
    byte in seconds, 6 prefixes received, 5 accepted (the device's BGP routes), 3 sent; peer 198.51.100.2 (AS
    4200000002, a 4-byte AS: 64086.59906 in asdot; "backup") never up, Active. The device has been up 3 d 4 h 5 min 6 s.
    Each platform prints these in its own format."""
    fourth = int(dev.address.split(".")[3])
    peers = [{"peer": "192.0.2.254", "as": 65100, "state": "Established", "uptime": 3723 + fourth, "received": 6,
              "accepted": 5, "sent": 3, "description": "upstream", "messages": (120 + fourth, 118 + fourth)},
             {"peer": "198.51.100.2", "as": 4200000002, "state": "Active", "uptime": None, "received": 0,
              "accepted": 0, "sent": 0, "description": "backup", "messages": (0, 0)}]
    return {"as": 65000 + fourth, "router_id": "192.0.2.1", "peers": peers, "bgp_routes": 5,
            "uptime": 3 * 86400 + 4 * 3600 + 5 * 60 + 6}


def lab_arp_in(dev, address):
    """lab_neighbours' ARP entries (the gateway .254 and a host) moved into the /24 of address ("198.51.100.1/24"): for
    the platforms whose lab wire is a data port rather than the management subnet."""
    arp, _ = lab_neighbours(dev)
    subnet = address.split("/")[0].rsplit(".", 1)[0] + "."
    return [(subnet + ip.rsplit(".", 1)[1], mac, age) for ip, mac, age in arp]


def hms(seconds):
    """01:02:03; a day or more as 1d02h03m (FRR's and IOS's up/down columns)."""
    if seconds >= 86400:
        return "%dd%02dh%02dm" % (seconds // 86400, seconds % 86400 // 3600, seconds % 3600 // 60)
    return "%02d:%02d:%02d" % (seconds // 3600, seconds % 3600 // 60, seconds % 60)


def identify(root, address):
    octets = address.split(".")
    if len(octets) == 4 and octets[:2] == ["10", "255"]:
        third, fourth = int(octets[2]), int(octets[3])
        for low, high, platform, kind in PLATFORMS:
            if low <= third <= high:
                index = (third - low) * 256 + fourth
                return Device(root, address, platform, kind, "%s-%d" % (kind, index))
    return Device(root, address, "cisco_ios", "ios", "ios-" + address.replace(".", "-"))


# ---------------------------------------------------------------- files (flash:, bootflash:, Junos paths)

# Where each platform keeps files, and how its commands name them: a name without a file system is on the default one.
FILESYSTEMS = {"ios": ("flash:",), "eos": ("flash:",), "nxos": ("bootflash:",), "junos": (), "iosxr": ("harddisk:",), "asa": ("disk0:",),
               "vyos": (), "vrp": ("flash:",), "comware": ("flash:",), "aoscx": (),
               "fortios": (), "panos": (), "routeros": (),
               "procurve": (), "os10": (), "edgeswitch": (), "sros": (), "exos": ()}
DEFAULT_VERSION = {"ios": "15.9(3)M4"}
DEFAULT_IMAGE = {"ios": "flash:vios-adventerprisek9-m.spa.159-3.m4.bin"}
IMAGE_MAGIC = b"ENMS-LAB-IMAGE "


def file_key(kind, name):
    """The state's key for a file the user named, or None when it names a file system the platform does not have."""
    if kind == "junos":
        return name.lstrip("/") or None
    if ":" in name:
        fs, rest = name.split(":", 1)
        if fs + ":" not in FILESYSTEMS[kind]:
            return None
        name = rest
    return name.lstrip("/") or None


def file_bytes(dev, state, key):
    """A file's exact bytes: text files (configurations) are kept in the state, anything else (an image) beside it."""
    if key in state.get("flash", {}):
        return state["flash"][key].encode()
    if key in state.get("images", {}):
        with open(blob_path(dev, key), "rb") as f:
            return f.read()
    return None


def file_sizes(state):
    sizes = {k: len(v.encode()) for k, v in state.get("flash", {}).items()}
    sizes.update(state.get("images", {}))
    return sizes


def blob_path(dev, key):
    return os.path.join(dev.dir, "files", key.replace("/", "%2F"))


def file_write(dev, state, key, data):
    """Stores a received file byte for byte: small UTF-8 text (what config commands read) in the state, the rest
    (images, binaries) as a file of its own so the state stays small."""
    text = None
    if len(data) <= 65536:
        try:
            text = data.decode()
        except UnicodeDecodeError:
            text = None
    file_delete(dev, state, key)
    if text is not None:
        state.setdefault("flash", {})[key] = text
        return
    os.makedirs(os.path.dirname(blob_path(dev, key)), exist_ok=True)
    with open(blob_path(dev, key), "wb") as f:
        f.write(data)
    state.setdefault("images", {})[key] = len(data)


def file_delete(dev, state, key):
    had = state.get("flash", {}).pop(key, None)
    if state.get("images", {}).pop(key, None) is not None:
        os.remove(blob_path(dev, key))
        had = True
    return had


def md5_of(data):
    import hashlib  # only checksum commands need it: keep session start-up cheap
    return hashlib.md5(data).hexdigest()


def image_version(data):
    """The version an image boots: lab images start with 'ENMS-LAB-IMAGE <version>' (a real image carries it in its
    header, which the boot loader reads)."""
    if data and data.startswith(IMAGE_MAGIC):
        return data[len(IMAGE_MAGIC):].split(b"\n", 1)[0].decode(errors="replace").strip() or None
    return None


# ---------------------------------------------------------------- IOS-style configuration trees

TOP_LEVEL = {"hostname", "interface", "router", "vlan", "line", "logging", "ntp", "snmp-server", "username",
             "banner", "service", "spanning-tree", "feature", "aaa", "archive", "boot", "clock", "version",
             "management", "daemon", "end", "exit", "do", "vrf", "route-map", "access-list"}
SECTIONS = {"interface", "router", "vlan", "line", "route-map", "vrf"}
IP_TOP = {"route", "domain-name", "domain", "name-server", "access-list", "prefix-list", "vrf", "routing", "ssh",
          "http", "ftp", "tftp", "scp"}
KNOWN = TOP_LEVEL | {"ip", "ipv6", "description", "shutdown", "no", "switchport", "network", "neighbor",
                     "router-id", "redistribute", "passive-interface", "mtu", "speed", "duplex", "name", "login",
                     "transport", "password", "exec-timeout", "channel-group", "vrrp", "standby", "bandwidth",
                     "default", "address-family", "maximum-paths", "remote-as", "encapsulation"}


def parse_cfg(text):
    tree = []
    for raw in text.replace("\r", "").split("\n"):
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped or stripped.startswith("!") or stripped in ("end", "exit"):
            continue
        if line.startswith(" ") and tree:
            tree[-1][1].append(stripped)
        else:
            tree.append([stripped, []])
    return tree


def render_cfg(tree, bang="!"):
    out = []
    for line, children in tree:
        out.append(line)
        out.extend(" " + c for c in children)
        out.append(bang)
    return "\n".join(out) + "\n"


def is_top(line):
    words = line.split()
    if not words:
        return False
    if words[0] == "no":
        words = words[1:] or [""]
    if words[0] in ("ip", "ipv6"):
        return len(words) > 1 and words[1] in IP_TOP
    return words[0] in TOP_LEVEL


def valid(line):
    words = line.split()
    return bool(words) and words[0] in KNOWN and "bogus" not in words


def remove_line(lines, target):
    return [l for l in lines if not (l == target or l.startswith(target + " "))]


def apply_line(tree, section, line):
    """Applies one config line; returns the section now entered (None: top level)."""
    if not is_top(line) and section is not None:
        entry = next((e for e in tree if e[0] == section), None)
        if entry is None:
            entry = [section, []]
            tree.append(entry)
        if line.startswith("no "):
            entry[1][:] = remove_line(entry[1], line[3:])
        elif line.startswith("description ") or line.startswith("ip address "):
            key = "ip address" if line.startswith("ip address ") else "description"
            entry[1][:] = remove_line(entry[1], key) + [line]
        elif line not in entry[1]:
            entry[1].append(line)
        return section
    if line.startswith("no "):
        target = line[3:]
        tree[:] = [e for e in tree if not (e[0] == target or (not e[1] and e[0].startswith(target + " ")))]
        return None
    if line.split()[0] in SECTIONS:
        if not any(e[0] == line for e in tree):
            tree.append([line, []])
        return line
    if line.startswith("hostname "):
        tree[:] = [e for e in tree if not e[0].startswith("hostname ")]
        tree.insert(0, [line, []])
    elif not any(e[0] == line for e in tree):
        tree.append([line, []])
    return None


def contextual_diff(old, new):
    """IOS 'show archive config differences' style."""
    out = []
    oldmap = {l: c for l, c in old}
    newmap = {l: c for l, c in new}
    for line, children in new:
        if line not in oldmap:
            out.append("+" + line)
            out.extend(" +" + c for c in children)
        else:
            added = [c for c in children if c not in oldmap[line]]
            removed = [c for c in oldmap[line] if c not in children]
            if added or removed:
                out.append(line)
                out.extend(" -" + c for c in removed)
                out.extend(" +" + c for c in added)
    for line, children in old:
        if line not in newmap:
            out.append("-" + line)
            out.extend(" -" + c for c in children)
    return out


# ---------------------------------------------------------------- EOS / NX-OS failure paths (vendor documented)

EOS_MAX_PENDING = 5  # "Maximum number of pending sessions: 5" (show configuration sessions)
CONFIG_DROP_AFTER = 2  # fault drop-mid-config: the connection closes after this many configuration lines


def eos_invalid(line):
    """EOS names the token it could not parse (4.2x and later)."""
    words = line.split()
    token = next((i for i, w in enumerate(words) if "bogus" in w), 0)
    return "%% Invalid input (at token %d: '%s')\n" % (token, words[token] if words else "")


def paged_cr(term, text, length, more):
    """Output in pages of length-1 lines, each followed by the pager prompt more, erased with a carriage return once a
    key is pressed (q stops); length 0: no paging (Junos, ASA)."""
    lines = text.split("\n")
    if length == 0 or len(lines) <= length - 1:
        return term.output(text)
    i = 0
    while i < len(lines):
        term.output("\n".join(lines[i:i + length - 1]) + "\n")
        i += length - 1
        if i >= len(lines):
            break
        term.write(more)
        k = term.key()
        term.raw("\r" + " " * len(more) + "\r")
        if k in (b"q", b"Q"):
            break


def config_fault(owner, term):
    """Faults drop-mid-config / drop-once-mid-config / kill-config for the platforms in modules of their own: the
    connection dies once CONFIG_DROP_AFTER configuration lines were taken (counted on owner, the session, whose dev is
    the device)."""
    owner.config_lines = getattr(owner, "config_lines", 0) + 1
    if owner.config_lines >= CONFIG_DROP_AFTER:
        if "kill-config" in term.faults:
            term.kill_sshd()
        if "drop-mid-config" in term.faults:
            os._exit(0)
        if "drop-once-mid-config" in term.faults:
            owner.dev.clear_fault("drop-once-mid-config")
            os._exit(0)


def lab_neighbours(dev):
    """What an emulated switch sees on the lab's wire, derived from its own address so that each device differs and a
    test can predict it: on its management subnet (192.0.2.0/24) the gateway .254 and one host answer ARP (ip, mac,
    age in minutes); on its uplink port the lab's core switch speaks LLDP, with a long system name as real fleets
    have. Each platform prints these in its own format, and only where its own state allows (an address on that
    subnet, the port enabled)."""
    third, fourth = (int(o) for o in dev.address.split(".")[2:4])
    arp = [("192.0.2.254", "00:00:5e:00:01:%02x" % (third % 256), 4),
           ("192.0.2.%d" % (10 + fourth % 200), "52:54:00:%02x:%02x:01" % (third % 256, fourth % 256), 17)]
    core = {"name": "lab-core-%d-%d.switches.enms.example" % (third, fourth), "port": "1/1/%d" % (fourth % 48 + 1),
            "chassis": "00:1b:3f:%02x:%02x:00" % (third % 256, fourth % 256), "address": "192.0.2.254",
            "description": "ArubaOS-CX lab core"}
    return arp, core


def mac_dotted(mac, group=4, sep="-"):
    """A MAC address as aa:bb:cc:dd:ee:ff, regrouped: 4 and '-' as Huawei and H3C print it (00e0-fc12-3456), 6 and '-'
    as ProCurve (001b3f-e00500)."""
    hexes = mac.replace(":", "").lower()
    return sep.join(hexes[i:i + group] for i in range(0, 12, group))


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except (OSError, TypeError):
        return False


def eos_sessions_table(state):
    """'show configuration sessions': pending sessions (a terminal while one is inside), commit timers."""
    rows = ["Maximum number of completed sessions: 1", "Maximum number of pending sessions: %d" % EOS_MAX_PENDING, "",
            "  Name                 State                User       Terminal",
            "  -------------------- -------------------- ---------- --------"]
    for name, session in sorted(state["sessions"].items()):
        pid = session.get("terminal")
        rows.append("  %-20s %-20s %-10s %s" % (name, "pending", session.get("user", ""),
                                                 "vty%d" % (pid % 100) if alive(pid) else ""))
    pending = state.get("pending")
    if pending and pending.get("session") and not expired(state):
        rows.append("  %-20s %-20s %-10s %s" % (pending["session"], "pendingCommitTimer", pending.get("user", ""), ""))
    return "\n".join(rows) + "\n"


def nxos_checkpoint_summary(state):
    """'show checkpoint summary' (user checkpoints, as NX-OS lists them)."""
    out = ["User Checkpoint Summary", "-" * 80]
    for i, (name, text) in enumerate(sorted(state["checkpoints"].items()), 1):
        out += ["%d) %s:" % (i, name), "Created by enmslab", "Created at Wed, 11:00:00 25 Nov 2026",
                "Size is {:,} bytes".format(len(text)), "Description: None", ""]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- IOS / NX-OS / EOS

class IosLike:
    MORE = " --More-- "

    def __init__(self, dev, term, user):
        self.dev, self.t, self.user = dev, term, user
        self.kind = dev.kind
        self.privileged = self.kind == "nxos"
        self.length = 24
        self.mode = "exec"  # exec | config | tcl
        self.section = None
        self.session = None  # EOS configure session name

    # -- helpers
    def hostname(self):
        for line, _ in parse_cfg(self.dev.load()["running"]):
            if line.startswith("hostname "):
                return line.split(None, 1)[1]
        return self.dev.name

    def prompt(self):
        host = self.hostname()
        if self.mode == "tcl":
            return host + "(tcl)#"
        if self.mode == "config":
            if self.session:
                sub = "config-s-" + self.session[:6]
            elif self.section:
                word = self.section.split()[0]
                sub = {"interface": "config-if", "router": "config-router", "vlan": "config-vlan",
                       "line": "config-line"}.get(word, "config-" + word)
            else:
                sub = "config"
            if self.session and self.section:
                sub += "-if" if self.section.startswith("interface") else ""
            return "%s(%s)#" % (host, sub)
        return host + ("#" if self.privileged else ">")

    def invalid(self, line):
        pad = " " * (len(self.prompt()) + max(0, len(line.split()[0]) if line.split() else 0))
        if self.kind == "nxos":
            return "%s^\n%% Invalid command at '^' marker.\n" % pad
        if self.kind == "eos":
            return eos_invalid(line)
        return "%s^\n%% Invalid input detected at '^' marker.\n" % pad

    def paged(self, text):
        lines = text.split("\n")
        if self.length == 0 or len(lines) <= self.length - 1:
            self.t.output(text)
            return
        page = self.length - 1
        i = 0
        while i < len(lines):
            chunk = lines[i:i + page]
            i += page
            self.t.output("\n".join(chunk) + ("\n" if i < len(lines) else ""))
            if i >= len(lines):
                break
            self.t.write(self.MORE)
            k = self.t.key()
            if self.kind == "ios":
                self.t.raw("\b" * len(self.MORE) + " " * len(self.MORE) + "\b" * len(self.MORE))
            else:
                self.t.raw("\r" + " " * len(self.MORE) + "\r")
            if k in (b"q", b"Q"):
                break
            page = 1 if k in (b"\r", b"\n") else self.length - 1

    def running_text(self, state=None):
        state = state or self.dev.load()
        body = render_cfg(parse_cfg(state["running"]))
        if self.kind == "ios":
            return "Building configuration...\n\nCurrent configuration : %d bytes\n!\n%send\n" % (len(body), body)
        if self.kind == "nxos":
            return ("\n!Command: show running-config\n!Running configuration last done at: Wed Nov 25 11:00:00 2026\n"
                    "\nversion 9.3(8) Bios:version\n" + body)
        return "! Command: show running-config\n! device: %s (vEOS-lab, EOS-4.30.1F)\n!\n%send\n" % (self.hostname(), body)

    def check_pending(self):
        if not expired(self.dev.load()):
            return

        def revert(state):
            if expired(state):
                state["running"] = state["pending"]["previous"]
                state["pending"] = None
        self.dev.update(revert)

    # -- main loop
    def run(self):
        self.t.write("\n%s\n" % self.banner())
        while True:
            self.check_pending()
            self.t.write(self.prompt())
            line = self.t.line().strip()
            if not line:
                continue
            self.check_pending()
            if line == "exit" and self.mode == "exec" or line in ("logout", "quit"):
                return
            handler = {"exec": self.exec_cmd, "config": self.config_cmd, "tcl": self.tcl_cmd}[self.mode]
            handler(line)

    def banner(self):
        return {"ios": "#" * 52 + "\n# eNMS lab: %-18s Cisco IOS emulation #\n" + "#" * 52 + "\n\nUser Access Verification\n",
                "nxos": "Cisco NX-OS Software (eNMS lab emulation)\nDevice: %s\n",
                "eos": "Arista vEOS (eNMS lab emulation) on %s\nLast login: Wed Nov 25 11:00:00 2026\n"}[self.kind] % self.dev.name

    def expand(self, line):
        words = line.split()
        abbrev = {"sh": "show", "conf": "configure", "t": "terminal", "run": "running-config", "ver": "version",
                  "int": "interface", "term": "terminal", "len": "length", "wr": "write"}
        return " ".join(abbrev.get(w, w) for w in words)

    def exec_cmd(self, line):
        line = self.expand(line)
        words = line.split()
        if words[0] == "enable":
            if self.privileged:
                return
            for _ in range(3):
                self.t.write("Password: ")
                secret = self.t.line(echo=False)
                if secret == ENABLE_SECRET:
                    self.privileged = True
                    return
            self.t.output("% Bad secrets\n\n" if self.kind == "ios" else "% Access denied\n\n")
            return
        if words[0] == "disable":
            self.privileged = self.kind == "nxos"
            return
        if words[:2] == ["terminal", "length"] and len(words) == 3 and words[2].isdigit():
            self.length = int(words[2])
            return
        if words[:2] == ["terminal", "width"] and len(words) == 3:
            return
        if words[0] == "show":
            return self.show(line, words)
        if not self.privileged:
            return self.t.output(self.invalid(line))
        if self.kind == "ios" and words[:4] == ["configure", "terminal", "revert", "timer"] and len(words) == 5:
            self.arm_revert(int(words[4]))
            self.mode, self.section, self.session = "config", None, None
            return self.t.output("Rollback Confirmed Change: Rollback will begin in %s minutes.\n" % words[4]
                                 + "Enter configuration commands, one per line.  End with CNTL/Z.\n")
        if self.kind == "ios" and line == "configure confirm":
            def confirm(state):
                state["pending"] = None
            return self.dev.update(confirm)
        if words[:2] == ["configure", "terminal"] or line == "configure":
            self.mode, self.section, self.session = "config", None, None
            if self.kind == "ios":
                self.t.output("Enter configuration commands, one per line.  End with CNTL/Z.\n")
            return
        if self.kind == "eos" and words[:2] == ["configure", "session"] and len(words) >= 3:
            return self.eos_session(words)
        if self.kind == "eos" and words[:3] == ["no", "configure", "session"] and len(words) == 4:
            return self.eos_forget_session(words[3])
        if self.kind == "eos" and words[:2] == ["configure", "replace"] and len(words) == 3:
            return self.replace_from(words[2], "")
        if self.kind == "ios" and words[:2] == ["configure", "replace"] and len(words) >= 3:
            if len(words) >= 6 and words[-2] == "time" and words[-1].isdigit():
                self.arm_revert(int(words[-1]))
            return self.replace_from(words[2], "Total number of passes: 1\nRollback Done\n\n")
        if self.kind == "ios" and line == "tclsh":
            if "notcl" in self.t.faults:
                return self.t.output('Translating "tclsh"...domain server (255.255.255.255)\n\n'
                                     "% Unknown command or computer name, or unable to find computer address\n")
            self.mode = "tcl"
            return
        if self.kind in ("ios", "eos") and words[:2] == ["verify", "/md5"]:
            return self.verify_md5(line, words[2:])
        if self.kind == "ios" and words[0] in ("delete", "dir"):
            return self.ios_file_cmd(words)
        if self.kind == "ios" and words[0] == "reload":
            return self.ios_reload(words)
        if words in (["write"], ["write", "memory"]) and self.kind != "nxos" or words == ["copy", "running-config", "startup-config"]:
            return self.save_config(words[0] == "copy")
        if words[0] == "copy" and len(words) == 3:
            return self.copy(words[1], words[2])
        if self.kind == "nxos" and words[0] == "checkpoint" and len(words) == 2:
            def save(state):
                if words[1] in state["checkpoints"]:
                    return False
                state["checkpoints"][words[1]] = state["running"]
                return True
            if not self.dev.update(save):
                return self.t.output("ERROR: Checkpoint name %s is already in use\n" % words[1])
            return self.t.output("Done\n")
        if self.kind == "nxos" and words[:2] == ["no", "checkpoint"] and len(words) == 3:
            def drop(state):
                return state["checkpoints"].pop(words[2], None)
            if self.dev.update(drop) is None:
                return self.t.output("No checkpoint with name %s exists\n" % words[2])
            return self.t.output("Done\n")
        if self.kind == "nxos" and words[:3] == ["rollback", "running-config", "checkpoint"] and len(words) == 4:
            def back(state):
                saved = state["checkpoints"].get(words[3])
                if saved is not None:
                    state["running"] = saved
                return saved is not None
            if not self.dev.update(back):
                return self.t.output("Checkpoint %s does not exist\n" % words[3])
            return self.t.output("Note: Applying config parallelly may fail Rollback verification\n"
                                 "Collecting Running-Config\nGenerating Rollback Patch\nExecuting Rollback Patch\n"
                                 "Generating Running-config for verification\nGenerating Patch for verification\n"
                                 "Verification is Successful.\n\nRollback completed successfully.\n\n")
        return self.t.output(self.invalid(line))

    def save_config(self, by_copy):
        """The running configuration becomes the startup one ('write memory'; IOS's copy asks for the name first)."""
        if self.kind == "ios" and by_copy:
            self.t.write("Destination filename [startup-config]? ")
            if self.t.line().strip() not in ("", "startup-config"):
                return self.t.output("%Error opening flash:x (Permission denied)\n")
        failed = "nvram-full" in self.dev.faults()
        if not failed:
            def save(state):
                state["startup"] = state["running"]
            self.dev.update(save)
        if self.kind == "ios":
            return self.t.output("Building configuration...\n" + ("%Error writing nvram:startup-config (No space left on device)\n"
                                                                  if failed else "[OK]\n"))
        if self.kind == "nxos":
            return self.t.output("[########################################] 100%\n" + (
                "Configuration update aborted: request was aborted\n" if failed else "Copy complete.\n"))
        self.t.output("% Error copying system:/running-config to flash:/startup-config (No space left on device)\n"
                      if failed else "Copy completed successfully.\n")

    def startup_text(self, state):
        """'show startup-config': what the last save wrote (the configuration the device was delivered with before)."""
        body = render_cfg(parse_cfg(state.get("startup", self.dev.initial()["running"])))
        if self.kind == "ios":
            return "Using %d out of 262144 bytes\n!\n%send\n" % (len(body), body)
        if self.kind == "nxos":
            return "\n!Command: show startup-config\n!Startup config saved at: Wed Nov 25 11:00:00 2026\n\n" + body
        return "! Command: show startup-config\n! Startup-config last modified at Wed Nov 25 11:00:00 2026\n!\n%send\n" % body

    def ios_file_cmd(self, words):
        """IOS 'delete [/force] flash:F' (asks twice without /force) and 'dir flash:[F]'."""
        force = "/force" in words
        names = [w for w in words[1:] if not w.startswith("/")]
        if not names:
            return self.t.output("% Incomplete command.\n\n")
        name = names[0].split(":", 1)[-1].lstrip("/")
        state = self.dev.load()
        if words[0] == "dir":
            sizes = file_sizes(state)
            files = sorted(f for f in sizes if not name or f == name)
            if name and not files:
                return self.t.output("%%Error opening flash:/%s (No such file or directory)\n" % name)
            return self.t.output("Directory of flash:/\n\n" + "".join(
                "%6d  -rw-  %10d  Nov 25 2026 11:00:00 +00:00  %s\n" % (i + 1, sizes[f], f)
                for i, f in enumerate(files)) + "\n")
        if not force:
            self.t.write("Delete filename [%s]? " % name)
            name = (self.t.line().strip() or name).split(":", 1)[-1].lstrip("/")
            self.t.write("Delete flash:/%s? [confirm]" % name)
            if self.t.line().strip().lower() not in ("", "y", "yes"):
                return

        def delete(state):
            return file_delete(self.dev, state, name)
        if self.dev.update(delete) is None:
            return self.t.output("%%Error deleting flash:/%s (No such file or directory)\n" % name)

    def verify_md5(self, line, args):
        """IOS/EOS 'verify /md5 FILE [EXPECTED]': a row of dots while the file is read, then the digest; with an
        expected digest, 'Verified' or the two signatures. An unknown file system is refused by the parser."""
        if not args or len(args) > 2:
            return self.t.output("% Incomplete command.\n\n" if not args else self.invalid(line))
        key = file_key(self.kind, args[0])
        if key is None:
            return self.t.output(self.invalid(line))
        shown = args[0] if ":" in args[0] else FILESYSTEMS[self.kind][0] + args[0]
        data = file_bytes(self.dev, self.dev.load(), key)
        if data is None:
            return self.t.output("%%Error opening %s (No such file or directory)\n" % shown)
        digest = md5_of(data)
        dots = "." * max(1, min(80, len(data) // 65536)) + "Done!\n"
        if len(args) == 1:
            return self.t.output("%sverify /md5 (%s) = %s\n\n" % (dots, shown, digest))
        if args[1].lower() == digest:
            return self.t.output("%sVerified (%s) = %s\n\n" % (dots, shown, digest))
        return self.t.output("%s%%Error verifying %s\nComputed signature = %s\nSubmitted signature = %s\n\n"
                             % (dots, shown, digest, args[1]))

    def ios_reload(self, words):
        """IOS 'reload', 'reload in N' (both ask "Proceed with reload? [confirm]", Enter or y confirms, anything else
        cancels) and 'reload cancel'. A confirmed immediate reload counts in the state and ends the session, as the
        device goes down; a scheduled one is shown by 'show reload' until cancelled."""
        if words[1:] == ["cancel"]:
            def cancel(state):
                had = state.get("reload")
                state["reload"] = None
                return had
            if not self.dev.update(cancel):
                return self.t.output("%No reload is scheduled.\n")
            return self.t.output("***\n*** --- SHUTDOWN ABORTED ---\n***\n")
        minutes = None
        if len(words) == 3 and words[1] == "in" and words[2].isdigit():
            minutes = int(words[2])
        elif len(words) != 1:
            return self.t.output(self.invalid(" ".join(words)))
        self.t.write("Proceed with reload? [confirm]")
        if self.t.line(echo=False).strip().lower() not in ("", "y", "yes"):
            return self.t.output("\n")
        if minutes is not None:
            def schedule(state):
                state["reload"] = {"minutes": minutes, "by": self.user}
            self.dev.update(schedule)
            return self.t.output("Reload scheduled in %d minutes by %s\n" % (minutes, self.user))

        def count(state):
            state["reloads"] = state.get("reloads", 0) + 1
            # Down until it has booted again (ENMS_EMU_RELOAD seconds): see device_down.
            state["down_until"] = time.time() + float(os.environ.get("ENMS_EMU_RELOAD", "60"))
        self.dev.update(count)
        self.t.write("\n\n%SYS-5-RELOAD: Reload requested by console. Reload Reason: Reload Command.\n")
        raise Closed()

    def ios_config_error(self, line):
        """IOS's per-line refusals in config mode; the line is rejected, the session stays in config mode."""
        words = line.split()
        first = words[0] if words[0] != "no" or len(words) == 1 else words[1]
        if first not in KNOWN:
            matches = sorted(k for k in KNOWN if k.startswith(first))
            if len(matches) > 1:
                return '%% Ambiguous command:  "%s"\n' % line
            if not matches:
                return self.invalid(line)
        needs = {"interface": 2, "hostname": 2, "description": 2, "router": 2, "username": 2}
        args = len(words) - (1 if words[0] == "no" else 0)
        if words[0] != "no" and (args < needs.get(first, 1) or words[:2] == ["ip", "address"] and len(words) < 4
                                 or words[:2] == ["ip", "route"] and len(words) < 5):
            return "% Incomplete command.\n\n"
        return None if valid(line) else self.invalid(line)

    def arm_revert(self, minutes):
        """IOS Configuration Rollback Confirmed Change: back to the current config unless 'configure confirm'."""
        seconds = minutes * float(os.environ.get("ENMS_EMU_MINUTE", "60"))

        def arm(state):
            state["pending"] = {"deadline": time.time() + seconds, "previous": state["running"]}
        self.dev.update(arm)

    def show(self, line, words):
        state = self.dev.load()
        rest = " ".join(words[1:])
        if rest == "version":
            if self.kind == "ios":
                booted = state.get("booted_at")
                uptime = "%d minutes" % ((time.time() - booted) // 60) if booted else "1 day, 2 hours, 3 minutes"
                return self.paged("Cisco IOS Software, IOSv Software (VIOS-ADVENTERPRISEK9-M), Version %s\n"
                                  "%s uptime is %s\nSystem returned to ROM by %s\nSystem image file is \"%s\"\n"
                                  % (state.get("version", DEFAULT_VERSION["ios"]), self.hostname(), uptime,
                                     "reload" if booted else "power-on", state.get("image", DEFAULT_IMAGE["ios"])))
            text = {
                    "nxos": "Cisco Nexus Operating System (NX-OS) Software\n  NXOS: version 9.3(8)\n"
                            "  Device name: %s\n",
                    "eos": "Arista vEOS-lab\nSoftware image version: 4.30.1F\nHostname: %s\n"}[self.kind]
            return self.paged(text % self.hostname())
        if rest == "running-config" and self.privileged:
            return self.paged(self.running_text(state))
        if rest == "startup-config" and self.privileged:
            return self.paged(self.startup_text(state))
        if rest == "clock":
            return self.t.output("11:00:00.000 UTC Wed Nov 25 2026\n")
        if rest == "reload" and self.kind == "ios":
            reload = state.get("reload")
            if not reload:
                return self.t.output("No reload is scheduled.\n")
            return self.t.output("Reload scheduled in %d minutes by %s\n" % (reload["minutes"], reload["by"]))
        if rest == "privilege" and self.kind == "ios":
            # Ansible's cisco.ios terminal plugin checks that enable worked with this.
            return self.t.output("Current privilege level is %d\n" % (15 if self.privileged else 1))
        if rest in ("logging", "log"):
            return self.paged("".join("Nov 25 11:%02d:00: %%SYS-5-CONFIG_I: Configured from console (line %d)\n"
                                      % (i % 60, i) for i in range(60)))
        if rest in ("ip interface brief", "interfaces status", "interface brief"):
            rows = [l.split(None, 1)[1] for l, _ in parse_cfg(state["running"]) if l.startswith("interface ")]
            return self.paged("Interface              Status\n" + "".join("%-22s up\n" % r for r in rows))
        if self.kind == "ios" and words[1:4] == ["archive", "config", "differences"] and len(words) == 6:
            return self.archive_diff(state, words[4], words[5])
        if self.kind == "ios" and words[1:4] == ["archive", "config", "incremental-diffs"] and len(words) >= 5:
            return self.incremental(state, words[4])
        if self.kind == "eos" and words[1:3] == ["session-config", "named"] and len(words) == 5 and words[4] == "diffs":
            session = state["sessions"].get(words[3])
            if session is None:
                return self.t.output("% Session %s does not exist\n" % words[3])
            import difflib  # only EOS diffs need it: keep session start-up cheap
            old = render_cfg(parse_cfg(state["running"])).splitlines()
            new = render_cfg(parse_cfg(session["config"])).splitlines()
            diff = difflib.unified_diff(old, new, "system:/running-config", "session:/%s-session-config" % words[3],
                                        lineterm="")
            return self.paged("\n".join(diff) + "\n")
        if self.kind == "nxos" and len(words) == 4 and words[1] == "file" and words[3] == "md5sum":
            # NX-OS prints the digest alone on its line.
            key = file_key(self.kind, words[2])
            if key is None:
                return self.t.output(self.invalid(line))
            data = file_bytes(self.dev, state, key)
            if data is None:
                return self.t.output("/bootflash/%s: No such file or directory\n" % key)
            return self.t.output(md5_of(data) + "\n")
        if self.kind == "nxos" and rest == "checkpoint summary":
            return self.paged(nxos_checkpoint_summary(state))
        if self.kind == "eos" and rest == "configuration sessions":
            return self.paged(eos_sessions_table(state))
        return self.t.output(self.invalid(line))

    def file(self, state, name):
        if name in ("system:running-config", "running-config"):
            return state["running"]
        return state["flash"].get(name.split(":", 1)[-1])

    def archive_diff(self, state, a, b):
        old, new = self.file(state, a), self.file(state, b)
        if old is None or new is None:
            return self.t.output("%%Error opening %s (No such file or directory)\n" % (b if old is not None else a))
        lines = contextual_diff(parse_cfg(old), parse_cfg(new))
        body = "\n".join(lines) + "\n" if lines else "!No changes were found\n"
        self.paged("!Contextual Config Diffs:\n" + body)

    def incremental(self, state, name):
        new = self.file(state, name)
        if new is None:
            return self.t.output("%%Error opening %s (No such file or directory)\n" % name)
        lines = [l for l in contextual_diff(parse_cfg(state["running"]), parse_cfg(new)) if not l.lstrip().startswith("-")]
        self.paged("!List of Commands:\n" + "".join(l.replace("+", "", 1) + "\n" for l in lines if l.strip()) + "end\n")

    def replace_from(self, name, done):
        def replace(state):
            text = self.file(state, name)
            if text is None:
                return False
            state["running"] = render_cfg(parse_cfg(text))
            return True
        if not self.dev.update(replace):
            return self.t.output("%%Error opening %s (No such file or directory)\nRollback aborted\n" % name)
        self.t.output(done)

    def copy(self, src, dst):
        if self.kind == "ios":
            default = dst.split(":", 1)[-1]
            self.t.write("Destination filename [%s]? " % default)
            answer = self.t.line().strip() or default
            dst = answer if ":" in answer or dst == "running-config" else "flash:" + answer

        def do(state):
            text = self.file(state, src)
            if text is None:
                return None
            if dst in ("running-config", "system:running-config"):
                tree = parse_cfg(state["running"])
                section = None
                for line, children in parse_cfg(text):
                    section = apply_line(tree, None, line)
                    for child in children:
                        apply_line(tree, section, child)
                state["running"] = render_cfg(tree)
            else:
                state["flash"][dst.split(":", 1)[-1]] = text
            return len(text)
        size = self.dev.update(do)
        if size is None:
            return self.t.output("%%Error opening %s (No such file or directory)\n" % src)
        if self.kind == "eos":
            return self.t.output("Copy completed successfully.\n")
        self.t.output("%d bytes copied in 0.012 secs (%d bytes/sec)\n" % (size, size * 80))

    # -- config mode
    def config_cmd(self, line):
        words = line.split()
        if line == "end" or line == "\x1a":
            if self.session:
                self.leave_session()
            self.mode, self.section = "exec", None
            return
        if line == "exit":
            if self.section:
                self.section = None
            else:
                if self.session:
                    self.leave_session()
                self.mode = "exec"
            return
        if words[0] == "do":
            return self.exec_cmd(" ".join(words[1:]))
        if self.session:
            return self.session_line(line, words)
        if self.kind == "ios":
            error = self.ios_config_error(line)
            if error:
                return self.t.output(error)
        elif not valid(line) or (self.kind in ("eos", "nxos") and self.section is None and not is_top(line)):
            return self.t.output(self.invalid(line))

        def change(state):
            tree = parse_cfg(state["running"])
            section = apply_line(tree, self.section, line)
            state["running"] = render_cfg(tree)
            return section
        self.section = self.dev.update(change)
        if self.kind == "nxos":
            self.config_line_fault()
        self.accepted = getattr(self, "accepted", 0) + 1
        if "kill-config" in self.t.faults and self.accepted == 2:
            self.t.kill_sshd()

    # -- EOS configure sessions
    def eos_session(self, words):
        name = words[2]
        if len(words) == 4 and words[3] == "commit":
            def confirm(state):
                state["pending"] = None
            return self.dev.update(confirm)

        def open_session(state):
            sessions = state["sessions"]
            if name not in sessions and len(sessions) >= EOS_MAX_PENDING:
                return False
            sessions.setdefault(name, {"config": state["running"], "user": self.user})["terminal"] = os.getpid()
            return True
        if not self.dev.update(open_session):
            return self.t.output("% Maximum number of pending sessions has been reached\n")
        self.mode, self.session, self.section = "config", name, None

    def leave_session(self):
        """'end'/'exit' leave an EOS session pending (only commit or abort end it)."""
        name = self.session

        def detach(state):
            if name in state["sessions"]:
                state["sessions"][name].pop("terminal", None)
        self.dev.update(detach)
        self.session = None

    def eos_forget_session(self, name):
        """'no configure session NAME' (exec): deletes a pending session."""
        def forget(state):
            return state["sessions"].pop(name, None) is not None
        if not self.dev.update(forget):
            return self.t.output("%% Session %s not found\n" % name)

    def config_line_fault(self):
        """Fault drop-mid-config: the connection dies once CONFIG_DROP_AFTER configuration lines were taken;
        kill-config: sshd is killed then (no SSH goodbye), for the EOS session lines (NX-OS counts them below)."""
        if "kill-config" in self.t.faults and self.kind == "eos":
            self.killed_after = getattr(self, "killed_after", 0) + 1
            if self.killed_after >= CONFIG_DROP_AFTER:
                self.t.kill_sshd()
        if "drop-mid-config" in self.t.faults:
            self.config_lines = getattr(self, "config_lines", 0) + 1
            if self.config_lines >= CONFIG_DROP_AFTER:
                os._exit(0)

    def session_line(self, line, words):
        name = self.session
        if line == "rollback clean-config":
            def clean(state):
                state["sessions"][name]["config"] = ""
            return self.dev.update(clean)
        if line == "abort":
            def abort(state):
                state["sessions"].pop(name, None)
            self.dev.update(abort)
            self.mode, self.session, self.section = "exec", None, None
            return
        if words[0] == "commit":
            seconds = None
            if len(words) == 3 and words[1] == "timer":
                h, m, s = (int(x) for x in words[2].split(":"))
                seconds = h * 3600 + m * 60 + s

            def commit(state):
                session = state["sessions"].pop(name, None)
                if session is None:
                    return
                previous = state["running"]
                state["running"] = render_cfg(parse_cfg(session["config"]))
                state["pending"] = {"deadline": time.time() + seconds, "previous": previous, "session": name,
                                    "user": self.user} if seconds else None
            self.dev.update(commit)
            self.mode, self.session, self.section = "exec", None, None
            return
        if len(words) == 1 and words[0] in ("description", "hostname", "interface"):
            return self.t.output("% Incomplete command\n")
        if not valid(line) or (self.section is None and not is_top(line)):
            # A global command under a section drops back to the parent mode (apply_line); a section command at
            # the top level is refused.
            return self.t.output(self.invalid(line))

        def change(state):
            tree = parse_cfg(state["sessions"][name]["config"])
            section = apply_line(tree, self.section, line)
            state["sessions"][name]["config"] = render_cfg(tree)
            return section
        self.section = self.dev.update(change)
        self.config_line_fault()

    # -- IOS tclsh (what NAPALM's inline transfer uses)
    def tcl_cmd(self, line):
        if line == "tclquit" or line == "exit":
            self.mode = "exec"
            return
        m = re.match(r'puts \[open "(flash:[^"]+)" w\+?\] \{(.*)$', line)
        if not m:
            return self.t.output("invalid command name \"%s\"\n" % line.split()[0])
        body = [m.group(2)] if m.group(2) else []
        while True:
            self.t.write("+>")
            more = self.t.line()
            if more.rstrip().endswith("}"):
                tail = more.rstrip()[:-1]
                if tail:
                    body.append(tail)
                break
            body.append(more)
        text = "\n".join(body) + "\n"

        def save(state):
            state["flash"][m.group(1).split(":", 1)[1]] = text
        self.dev.update(save)
        self.t.output("%d\n" % len(text))


# ---------------------------------------------------------------- Junos

def junos_parse(text):
    """Curly-brace configuration -> nested list of [statement, children|None]."""
    root = []
    stack = [root]
    for raw in text.replace("\r", "").split("\n"):
        line = raw.strip()
        if not line or line.startswith("#") or line.startswith("/*"):
            continue
        if line.endswith("{"):
            node = [line[:-1].strip(), []]
            stack[-1].append(node)
            stack.append(node[1])
        elif line == "}":
            if len(stack) == 1:
                raise ValueError("unbalanced }")
            stack.pop()
        elif line.endswith(";"):
            stack[-1].append([line[:-1].strip(), None])
        else:
            raise ValueError(line)
    if len(stack) != 1:
        raise ValueError("missing }")
    return root


def junos_render(tree, depth=0):
    out = []
    pad = "    " * depth
    for name, children in tree:
        if children is None:
            out.append("%s%s;" % (pad, name))
        else:
            out.append("%s%s {" % (pad, name))
            out.extend(junos_render(children, depth + 1))
            out.append(pad + "}")
    return out if depth else ("\n".join(out) + "\n" if out else "")


def leaf_key(name):
    words = name.split()
    return words[0] if len(words) == 2 and words[0] in ("description", "host-name", "mtu") else name


def junos_merge(base, extra):
    for name, children in extra:
        found = next((n for n in base if (n[0] == name) if children is not None or n[1] is not None), None)
        if children is None:
            base[:] = [n for n in base if not (n[1] is None and leaf_key(n[0]) == leaf_key(name))]
            base.append([name, None])
        elif found is None or found[1] is None:
            base.append([name, children])
        else:
            junos_merge(found[1], children)
    return base


def junos_set(tree, words, delete=False):
    """set/delete A B ... : containers are all words but the last two (the leaf 'key value')."""
    if len(words) < 2:
        raise ValueError("incomplete")
    path, leaf = words[:-2], " ".join(words[-2:])
    if len(words) == 2:
        path, leaf = words[:1], words[1]
    node = tree
    for word in path:
        found = next((n for n in node if n[0] == word and n[1] is not None), None)
        if found is None:
            if delete:
                return
            found = [word, []]
            node.append(found)
        node = found[1]
    if delete:
        node[:] = [n for n in node if n[0] != leaf and leaf_key(n[0]) != leaf]
        return
    junos_merge(node, [[leaf, None]])


def junos_prune(tree):
    for node in tree:
        if node[1] is not None:
            junos_prune(node[1])
    tree[:] = [n for n in tree if n[1] is None or n[1]]
    return tree


def junos_compare(old, new, path=()):
    out = []
    here = []
    oldmap = {n[0]: n for n in old}
    newmap = {n[0]: n for n in new}
    for name, children in old:
        if name not in newmap:
            here += ["-" + l[1:] if l.startswith(" ") else "-" + l for l in junos_render([[name, children]], 1)]
    for name, children in new:
        prev = oldmap.get(name)
        if prev is None:
            here += ["+" + l[1:] for l in junos_render([[name, children]], 1)]
        elif children is not None and prev[1] is not None:
            out += junos_compare(prev[1], children, path + (name,))
    if here:
        out = ["[edit%s]" % "".join(" " + p for p in path)] + here + out
    return out


JUNOS_TOP = ("system", "interfaces", "protocols", "routing-options", "policy-options", "firewall", "snmp", "vlans",
             "security", "groups", "apply-groups")
JUNOS_NEEDS_VALUE = ("host-name", "description", "mtu", "address")


def junos_load_tree(text):
    """Reads a curly-brace configuration as 'load' does: statements it cannot place are reported, one error each
    (file line, column, the word), and left out; the rest loads. Returns (tree, errors)."""
    root, errors = [], []
    stack = [(root, True, "")]
    n = 0
    for n, raw in enumerate(text.replace("\r", "").split("\n"), 1):
        line = raw.strip()
        if not line or line.startswith("#") or line.startswith("/*"):
            continue
        col = len(raw) - len(raw.lstrip()) + 1
        if line == "}":
            if len(stack) == 1:
                errors.append((n, col, "}", "", line))
                break
            stack.pop()
            continue
        block, leaf = line.endswith("{"), line.endswith(";")
        name = line[:-1].strip() if block or leaf else line
        words = name.split() or [""]
        parent, ok, path = stack[-1]
        bad = not (block or leaf) or (len(stack) == 1 and words[0] not in JUNOS_TOP) or "bogus" in words
        if ok and bad:
            errors.append((n, col, words[0], path, line))
        node = [name, [] if block else None]
        if ok and not bad:
            parent.append(node)
        if block:
            stack.append((node[1], ok and not bad, (path + " " + name).strip()))
    if len(stack) != 1:
        errors.append((n, 1, "", stack[-1][2], "(end of input)"))
    return root, errors


def junos_load_error(n, col, word, message="syntax error"):
    """How 'load ... terminal' reports one statement it refused: one line, then the next statement is read."""
    return "terminal:%d:(%d) %s: %s\n" % (n, col, message, word)


class Junos:
    MORE = "---(more)---"

    def __init__(self, dev, term, user):
        self.dev, self.t, self.user = dev, term, user
        self.length = 24
        self.config = False

    def state(self):
        return self.dev.load()

    def hostname(self, state=None):
        for name, children in junos_parse((state or self.state())["history"][0]):
            if name == "system":
                for n, _ in children:
                    if n.startswith("host-name "):
                        return n.split()[1]
        return self.dev.name

    def prompt(self):
        return "%s@%s%s " % (self.user, self.hostname(), "#" if self.config else ">")

    def check_pending(self):
        if not expired(self.dev.load()):
            return

        def revert(state):
            if expired(state):
                state["history"].insert(0, state["history"][1])
                state["candidate"] = state["history"][0]
                state["pending"] = None
        self.dev.update(revert)

    def paged(self, text, nomore=False):
        return paged_cr(self.t, text, 0 if nomore else self.length, self.MORE)

    def run(self):
        self.t.write("--- JUNOS 21.4R3-S1.6 Kernel 64-bit  JNPR-12.1-20221026 (eNMS lab emulation: %s)\n\n"
                     % self.dev.name)
        while True:
            self.check_pending()
            if self.config:
                self.t.write("\n[edit]\n")
            self.t.write(self.prompt())
            line = self.t.line().strip()
            if not line:
                continue
            self.check_pending()
            if not self.config and line in ("exit", "quit", "logout"):
                return
            (self.config_cmd if self.config else self.exec_cmd)(line)

    def error(self, line, message="syntax error, expecting <command>."):
        self.t.output(" " * (len(self.prompt()) + len(line.split()[0]) + 1) + "^\n" + message + "\n")

    def exec_cmd(self, line):
        words = line.split()
        nomore = line.endswith("| no-more")
        if nomore:
            words = words[:-2]
            line = " ".join(words)
        if words[:2] == ["set", "cli"] and len(words) >= 3:
            if words[2] == "screen-length" and len(words) == 4 and words[3].isdigit():
                self.length = int(words[3])
                # The "set cli" replies are written past the fault hooks: the session setup is not a command
                # output (the other platforms' setup prints nothing), so drop/kill/hang strike the first real
                # command here too.
                return self.t.write("Screen length set to %s\n" % words[3])
            if words[2] == "screen-width" and len(words) == 4:
                return self.t.write("Screen width set to %s\n" % words[3])
            if words[2] == "complete-on-space":
                return self.t.write("Disabling complete-on-space\n")
            return self.error(line)
        if line in ("configure", "configure private", "configure exclusive"):
            self.config = True
            return self.t.output("Entering configuration mode\n")
        if words[0] == "show":
            rest = " ".join(words[1:])
            if rest == "version":
                return self.paged("Hostname: %s\nModel: vmx\nJunos: 21.4R3-S1.6\n" % self.hostname(), nomore)
            if rest == "configuration":
                state = self.state()
                return self.paged("## Last commit: 2026-11-25 11:00:00 UTC by %s\n%s" % (self.user, state["history"][0]), nomore)
            if rest == "system uptime":
                return self.t.output("Current time: 2026-11-25 11:00:00 UTC\n")
            if rest == "system commit":
                state = self.state()
                pending = state.get("pending")
                lines = ["%d   2026-11-25 11:00:00 UTC by %s via cli%s" % (
                    i, self.user, " commit confirmed, rollback in %dsecs" % max(0, pending["deadline"] - time.time())
                    if i == 0 and pending and not expired(state) else "") for i in range(len(state["history"]))]
                return self.paged("\n".join(lines) + "\n", nomore)
            if rest == "log messages":
                return self.paged("".join("Nov 25 11:%02d:00 %s mgd[%d]: UI_COMMIT: User '%s' requested 'commit'\n"
                                          % (i % 60, self.hostname(), 1000 + i, self.user) for i in range(60)), nomore)
            return self.error(line)
        if words[:3] == ["file", "checksum", "md5"] and len(words) == 4:
            # Junos runs FreeBSD's md5 on the file: 'MD5 (PATH) = DIGEST', or md5's own complaint.
            data = file_bytes(self.dev, self.state(), file_key("junos", words[3]) or "")
            if data is None:
                return self.t.output("md5: %s: No such file or directory\n" % words[3])
            return self.t.output("MD5 (%s) = %s\n" % (words[3], md5_of(data)))
        return self.t.output("unknown command.\n") if words[0] not in ("request", "clear", "ping", "file") else self.error(line)

    def config_cmd(self, line):
        words = line.split()
        if line in ("exit", "exit configuration-mode", "quit"):
            state = self.state()
            if junos_render(junos_parse(state["candidate"])) != state["history"][0]:
                self.t.write("The configuration has been changed but not committed\nExit with uncommitted changes? [yes,no] (yes) ")
                if self.t.line().strip() not in ("", "yes", "y"):
                    return
            self.config = False
            return self.t.output("Exiting configuration mode\n")
        if words[0] == "run":
            return self.exec_cmd(" ".join(words[1:]))
        if words[0] in ("set", "delete"):
            if words[0] == "set" and words[-1] in JUNOS_NEEDS_VALUE:
                return self.t.output(" " * (len(self.prompt()) + len(line)) + "^\nmissing argument.\n")
            if len(words) < 3 or words[1] not in JUNOS_TOP or "bogus" in words:
                return self.error(line, "syntax error.")

            def change(state):
                tree = junos_parse(state["candidate"])
                junos_set(tree, words[1:], delete=words[0] == "delete")
                state["candidate"] = junos_render(junos_prune(tree))
            self.dev.update(change)
            return self.config_line_fault()
        if line in ("show | compare", "show|compare"):
            state = self.state()
            diff = junos_compare(junos_parse(state["history"][0]), junos_parse(state["candidate"]))
            return self.paged("\n".join(diff) + "\n" if diff else "")
        if line == "show":
            return self.paged(self.state()["candidate"])
        if words[0] == "load" and len(words) == 3 and words[2] == "terminal" and words[1] in ("merge", "override", "set", "replace"):
            return self.load(words[1])
        if words[0] == "rollback" and len(words) <= 2:
            n = int(words[1]) if len(words) == 2 and words[1].isdigit() else 0

            def roll(state):
                if n >= len(state["history"]):
                    return False
                state["candidate"] = state["history"][n]
                return True
            if not self.dev.update(roll):
                return self.t.output("error: rollback %d: no such configuration\n" % n)
            return self.t.output("load complete\n")
        if words[0] == "commit":
            return self.commit(words)
        return self.error(line)

    def load(self, how):
        """'load merge|override|replace|set terminal': what parses loads into the (shared) candidate, each refused
        statement is reported; the candidate stays changed until 'rollback 0' or a commit."""
        self.t.write("[Type ^D at a new line to end input]\n")
        body = []
        while True:
            line = self.t.line(ctrl_d=True)
            if line == "\x04":
                break
            body.append(line)
        report = []
        if how == "set":
            commands = []
            for n, cmd in enumerate(body, 1):
                w = cmd.split()
                if not w:
                    continue
                col = len(cmd) - len(cmd.lstrip()) + 1
                if w[0] == "set" and w[-1] in JUNOS_NEEDS_VALUE:
                    report.append(junos_load_error(n, col + len(cmd.strip()), w[-1], "missing argument"))
                elif w[0] not in ("set", "delete") or len(w) < 3 or w[1] not in JUNOS_TOP or "bogus" in w:
                    word = w[0] if w[0] not in ("set", "delete") else (w[1] if len(w) > 1 else w[0])
                    report.append(junos_load_error(n, col + cmd.strip().find(word), word))
                else:
                    commands.append(w)

            def change(state):
                tree = junos_parse(state["candidate"])
                for w in commands:
                    junos_set(tree, w[1:], delete=w[0] == "delete")
                state["candidate"] = junos_render(junos_prune(tree))
        else:
            loaded, errors = junos_load_tree("\n".join(body))
            report = [junos_load_error(*e[:3]) for e in errors]

            def change(state):
                tree = loaded if how in ("override", "replace") else junos_merge(junos_parse(state["candidate"]), loaded)
                state["candidate"] = junos_render(junos_prune(tree))
        self.dev.update(change)
        self.config_line_fault(after_load=True)
        self.t.output("".join(report) + ("load complete (%d errors)\n" % len(report) if report else "load complete\n"))

    def config_line_fault(self, after_load=False):
        """Fault drop-mid-config: the connection dies after CONFIG_DROP_AFTER set lines or after a load is taken in
        (before its result is shown); kill-config: sshd is killed at the same point (no SSH goodbye)."""
        if "kill-config" in self.t.faults:
            self.killed_after = getattr(self, "killed_after", 0) + (CONFIG_DROP_AFTER if after_load else 1)
            if self.killed_after >= CONFIG_DROP_AFTER:
                self.t.kill_sshd()
        if "drop-mid-config" in self.t.faults:
            self.config_lines = getattr(self, "config_lines", 0) + (CONFIG_DROP_AFTER if after_load else 1)
            if self.config_lines >= CONFIG_DROP_AFTER:
                os._exit(0)

    def commit(self, words):
        minutes = None
        if len(words) >= 2 and words[1] == "confirmed":
            minutes = int(words[2]) if len(words) > 2 else 10
        elif len(words) >= 2 and words[1] not in ("and-quit", "check", "comment"):
            return self.error(" ".join(words))

        def do(state):
            candidate = state["candidate"]
            if state.get("pending") and candidate == state["history"][0]:
                state["pending"] = None
                return "confirmed"
            if candidate != state["history"][0]:
                state["history"].insert(0, candidate)
                del state["history"][50:]
            if minutes:
                state["pending"] = {"deadline": time.time() + minutes * float(os.environ.get("ENMS_EMU_MINUTE", "60"))}
            else:
                state["pending"] = None
            return "done"
        if len(words) >= 2 and words[1] == "check":
            return self.t.output("configuration check succeeds\n")
        self.dev.update(do)
        if minutes:
            self.t.output("commit confirmed will be automatically rolled back in %d minutes unless confirmed\n" % minutes)
        self.t.output("commit complete\n")
        if len(words) >= 2 and words[1] == "and-quit":
            self.config = False
            self.t.output("Exiting configuration mode\n")


# ---------------------------------------------------------------- SCP (IOS "ip scp server enable")

def scp_sink(dev, command):
    """The receiving side of 'scp -t TARGET' (what an SCP client runs on the server), writing into the device's flash:
    TARGET is 'flash:FILE' or a directory ('-d'), then the file name comes from the C record."""
    out = sys.stdout.buffer

    def reply(code=b"\0"):
        out.write(code)
        out.flush()

    if "noscp" in dev.faults():
        # IOS without an SCP server refuses the exec request; the protocol's fatal-error record says so.
        reply(b"\x02scp: SCP server not enabled (ip scp server enable)\n")
        return 1
    inp = sys.stdin.buffer
    args = command.split()[1:]
    is_dir = "-d" in args
    target = [a for a in args if not a.startswith("-")]
    target = target[-1].strip("'\"") if target else ""
    reply()
    while True:
        header = inp.readline()
        if not header:
            return 0
        kind = header[:1]
        if kind == b"T":
            reply()
            continue
        if kind in (b"D", b"E"):
            reply()
            continue
        if kind != b"C":
            reply(b"\x02scp: unexpected record\n")
            return 1
        _mode, size, name = header[1:].decode().rstrip("\n").split(" ", 2)
        reply()
        data = inp.read(int(size))
        inp.read(1)  # the client's \0 after the data
        if is_dir or target in ("", ".") or target.rstrip("/").endswith(":"):
            # A directory: the file keeps the C record's name inside it.
            base = "" if target in ("", ".") else target
            path = base + name if not base or base.endswith((":", "/")) else base + "/" + name
        else:
            path = target
        path = file_key(dev.kind, path)
        if path is None:
            reply(b"\x01scp: %s: No such file or directory\n" % name.encode())
            continue
        if "corrupt-scp" in dev.faults() and data:
            data = data[:-1] + bytes([data[-1] ^ 0xFF])

        def save(state):
            file_write(dev, state, path, data)
        dev.update(save)
        reply()


# ---------------------------------------------------------------- reload

def device_down(dev):
    """True while a reloaded device is still booting (no session gets a CLI: sshd lets the login in, the device side
    closes at once). Once the time is up, the first session boots it: the image the first 'boot system' line names
    becomes the running version when it is a lab image; otherwise the device comes back on the image it had."""
    until = dev.load().get("down_until")
    if not until:
        return False
    if time.time() < until:
        return True

    def boot(state):
        if not state.get("down_until"):
            return
        state["down_until"] = None
        state["booted_at"] = until
        for line, _ in parse_cfg(state.get("running", "")):
            if line.startswith("boot system "):
                key = file_key(dev.kind, line.split()[-1])
                version = image_version(file_bytes(dev, state, key) if key else None)
                if version:
                    state["version"], state["image"] = version, FILESYSTEMS[dev.kind][0] + key
                    break
    dev.update(boot)
    return False


# ---------------------------------------------------------------- shared session limit

def claim_session(state_dir, word):
    """Fault max-sessions-N: counts this session among the live ones of every device with the same word (one file per
    session, named by its pid; a file whose process is gone is stale and removed). False: N are live already."""
    limit = int(word.rsplit("-", 1)[1]) if word.rsplit("-", 1)[1].isdigit() else 1
    folder = os.path.join(state_dir, "_sessions", word)
    os.makedirs(folder, exist_ok=True)
    lock = os.open(os.path.join(folder, ".lock"), os.O_CREAT | os.O_RDWR, 0o600)
    fcntl.flock(lock, fcntl.LOCK_EX)
    try:
        live = 0
        for name in os.listdir(folder):
            if not name.isdigit():
                continue
            if os.path.exists("/proc/" + name):
                live += 1
            else:
                os.unlink(os.path.join(folder, name))
        if live >= limit:
            return False
        open(os.path.join(folder, str(os.getpid())), "w").close()
        return True
    finally:
        os.close(lock)


# ---------------------------------------------------------------- main

def main():
    args = sys.argv[1:]
    state_dir = args[args.index("--state") + 1] if "--state" in args else "/tmp/enms-lab/emulator/state"
    address = (os.environ.get("SSH_CONNECTION", "").split() + ["", "", "127.0.0.1"])[2]
    if "--address" in args:
        address = args[args.index("--address") + 1]
    dev = identify(state_dir, address)
    if device_down(dev):
        sys.exit(1)
    command = os.environ.get("SSH_ORIGINAL_COMMAND", "")
    if command.startswith("scp ") and " -t" in command:
        sys.exit(scp_sink(dev, command))
    faults = dev.faults()
    for word in faults:
        if word.startswith("max-sessions-") and not claim_session(state_dir, word):
            sys.stdout.write("\r\n%% Too many sessions (at most %s): closing\r\n" % word.rsplit("-", 1)[1])
            sys.stdout.flush()
            sys.exit(1)
    term = Term(faults)
    if "banner-delay" in faults:
        time.sleep(3)
    user = os.environ.get("USER") or os.environ.get("LOGNAME") or "admin"
    if dev.kind in MODULES:
        module, name = MODULES[dev.kind]
        cli = getattr(__import__(module), name)(dev, term, user)
    else:
        cli = Junos(dev, term, user) if dev.kind == "junos" else IosLike(dev, term, user)
    try:
        cli.run()
    except (Closed, OSError):
        pass


if __name__ == "__main__":
    main()
