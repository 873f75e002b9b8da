"""Extreme Networks EXOS (ExtremeXOS 31.x), emulated from Extreme's EXOS command reference (imported by enms_emulator).

Prompt `SYSNAME.N # ` where N counts the commands of the session, with a `* ` in front while the running
configuration differs from the saved one (`* SYSNAME.7 # `). No configuration mode: every command applies as it is
entered. `disable clipaging` turns the pager off (on by default: 24 lines, then "Press <SPACE> to continue or <Q> to
quit:"). A word the parser does not know: a caret under it and "%% Invalid input detected at '^' marker."; a command
cut short: "%% Incomplete command entered, press <tab> or '?' for more"; a command the switch refuses: "Error: ...".
Configuration: `configure snmp sysName|sysLocation|sysContact "X"`, `create vlan V`, `delete vlan V`, `configure vlan
V tag N`, `configure vlan V ipaddress A.B.C.D/N` (or with a mask), `configure ports P description-string "X"`, `enable
ports P` / `disable ports P`. `show configuration` prints it by module between "#" comment lines; `save configuration`
asks "Do you want to save configuration to primary.cfg and overwrite it? (y/N)" (fault nvram-full makes it fail).
This file's grammar is the emulator's own: the driver's profile is written separately.
"""
import json
import shlex

import enms_emulator as emu

PAGER = "Press <SPACE> to continue or <Q> to quit:"
PORTS = [str(i) for i in range(1, 49)]


def initial_state(name):
    running = {"snmp": {"sysName": name, "sysLocation": "", "sysContact": "support@extremenetworks.com"},
               "vlans": {"Default": {"tag": "1", "ip": ""}, "mgmt": {"tag": "4095", "ip": "192.0.2.1/24"}},
               "ports": {p: {"description": "", "enabled": True} for p in PORTS}}
    return {"running": running, "saved": json.loads(json.dumps(running))}


def mask_bits(mask):
    parts = mask.split(".")
    if len(parts) != 4 or not all(p.isdigit() and int(p) <= 255 for p in parts):
        return None
    bits = "".join(format(int(p), "08b") for p in parts)
    return bits.count("1") if "01" not in bits else None


def valid_ip(text):
    parts = text.split(".")
    return len(parts) == 4 and all(p.isdigit() and int(p) <= 255 for p in parts)


def quote(value):
    return '"%s"' % value


class Exos:
    def __init__(self, dev, term, user):
        self.dev, self.t, self.user = dev, term, user
        self.paging = True
        self.count = 1

    def state(self):
        return self.dev.load()

    def prompt(self):
        state = self.state()
        star = "* " if state["running"] != state["saved"] else ""
        return "%s%s.%d # " % (star, state["running"]["snmp"]["sysName"], self.count)

    def paged(self, text):
        lines = text.rstrip("\n").split("\n")
        if not self.paging or len(lines) < 24:
            return self.t.output(text)
        i = 0
        while i < len(lines):
            self.t.output("\n".join(lines[i:i + 23]) + "\n")
            i += 23
            if i >= len(lines):
                break
            self.t.write(PAGER)
            k = self.t.key()
            self.t.raw("\r" + " " * len(PAGER) + "\r")
            if k in (b"q", b"Q"):
                break

    def run(self):
        self.t.write("\n\nExtremeXOS\nCopyright (C) 1996-2023 Extreme Networks. All rights reserved.\nProtected by US Patent "
                     "Nos: 6,678,248; 6,104,700; 6,766,482; 6,618,388; 6,034,957; 6,859,438; 6,912,592.\n"
                     "==============================================================================\n\n"
                     "You are connected to a Switch. Activity on this switch is monitored and may be audited.\n\n")
        while True:
            self.t.write(self.prompt())
            line = self.t.line().strip()
            if not line:
                continue
            self.count += 1
            if line in ("exit", "logout", "quit"):
                return
            self.command(line)

    def invalid(self, line, word_index):
        """A caret under the word the parser stopped at (the prompt is as long as the line's start)."""
        words = line.split()
        column = len(self.prompt()) + sum(len(w) + 1 for w in words[:word_index])
        self.t.output(" " * column + "^\n%% Invalid input detected at '^' marker.\n")

    def incomplete(self):
        self.t.output("%% Incomplete command entered, press <tab> or '?' for more\n")

    def error(self, text):
        self.t.output("Error: %s\n" % text)

    def command(self, line):
        try:
            words = shlex.split(line)
        except ValueError:
            return self.invalid(line, 0)
        head = words[0]
        if words == ["disable", "clipaging"] or words == ["enable", "clipaging"]:
            self.paging = head == "enable"
            return
        if words == ["disable", "cli", "prompting"]:
            return
        if head == "show":
            return self.show(line, words)
        if words[:2] == ["save", "configuration"]:
            return self.save()
        if head in ("configure", "create", "delete", "enable", "disable"):
            return self.change(line, words)
        return self.invalid(line, 0)

    def show(self, line, words):
        running = self.state()["running"]
        rest = words[1:]
        if rest == ["switch"]:
            return self.t.output("SysName:          %s\nSysLocation:      %s\nSysContact:       %s\nSystem MAC:       "
                                 "00:04:96:AA:BB:CC\nSystem Type:      X440G2-48t-10G4\n\nCurrent Time:     Wed Nov 25 "
                                 "11:00:00 2026\nTimezone:         [Auto DST Disabled] GMT Offset: 0 minutes, name is "
                                 "UTC.\nBoot Time:        Tue Nov 24 08:57:00 2026\nBoot Count:       12\nNext Reboot:"
                                 "      None scheduled\nSystem UpTime:    1 day 2 hours 3 minutes 0 seconds\n\n"
                                 "Current State:    OPERATIONAL\nImage Selected:   primary\nImage Booted:     primary\n"
                                 "Primary ver:      31.7.1.4\nSecondary ver:    31.6.1.3\n\nConfig Selected:  "
                                 "primary.cfg\nConfig Booted:    primary.cfg\n"
                                 % (running["snmp"]["sysName"], running["snmp"]["sysLocation"], running["snmp"]["sysContact"]))
        if rest == ["ports", "no-refresh"]:
            return self.paged(self.ports_summary(running))
        if rest == ["iparp"]:
            return self.paged(self.iparp(running))
        if rest == ["lldp", "neighbors"]:
            return self.paged(self.lldp(running))
        if rest == ["log"]:
            return self.paged("".join("11/25/2026 11:%02d:00.00 <Info:AAA.authPass> Login passed for user %s through "
                                      "ssh (10.255.127.1)\n" % (59 - i, self.user) for i in range(60)))
        if rest == ["configuration"]:
            return self.paged(self.configuration(running))
        if rest == ["vlan"]:
            return self.t.output("".join("%-16s %-5s %s\n" % (n, v["tag"], v["ip"] or "------------------")
                                         for n, v in sorted(running["vlans"].items())))
        return self.invalid(line, 1)

    @staticmethod
    def ports_summary(running):
        """`show ports no-refresh`: Port State E/D, Link State A (active) on port 1 alone, cabled to the lab's core
        switch, R (ready) on the others; the legend closes it."""
        rule = "=" * 82 + "\n"
        rows = []
        for p in PORTS:
            enabled = running["ports"][p]["enabled"]
            active = enabled and p == "1"
            rows.append(("%-8s %-20s %-18s %-5s %-5s %s" % (p, "", "Default", "E" if enabled else "D", "A" if active else "R",
                                                            "1000   FULL" if active else "")).rstrip() + "\n")
        return ("Port Summary Monitor                                         Wed Nov 25 11:00:00 2026\n"
                "Port     Display              VLAN Name          Port  Link  Speed  Duplex\n"
                "#        String               (or # VLANs)       State State Actual Actual\n" + rule + "".join(rows) + rule
                + "   Port State: D-Disabled, E-Enabled, F-Disabled by link-flap detection,\n"
                "               L-Disabled due to licensing\n"
                "   Link State: A-Active, R-Ready, NP-Port Not Present, L-Loopback,\n"
                "               D-ELSM enabled but not up\n               d-Ethernet OAM enabled but not up\n")

    def iparp(self, running):
        """`show iparp` (VR-Default: the mgmt VLAN is in VR-Mgmt): the lab's neighbours, learnt on port 1, on a VLAN
        of VR-Default with an address on their subnet while port 1 is enabled."""
        arp, _ = emu.lab_neighbours(self.dev)
        vlan = next((n for n, v in sorted(running["vlans"].items()) if n != "mgmt" and v["ip"].startswith("192.0.2.")), None)
        seen = vlan is not None and running["ports"]["1"]["enabled"]
        tag = running["vlans"][vlan]["tag"] if vlan else ""
        rows = ["%-17s %-16s %-18s %4d %7s    %-13s %-5s %s\n" % ("VR-Default", ip, mac, age, "NO", vlan, tag, 1)
                for ip, mac, age in arp] if seen else []
        return ("VR                Destination      Mac                Age  Static  VLAN          VID   Port\n"
                + "".join(rows) + "\nDynamic Entries  :          %d             Static Entries   :          0\n"
                "Pending Entries  :          0\n\nIn Request       :          0             In Response      :          0\n"
                "Out Request      :          0             Out Response     :          0\n" % len(rows))

    def lldp(self, running):
        """`show lldp neighbors`: the lab's core switch on port 1 while it is enabled."""
        _, core = emu.lab_neighbours(self.dev)
        rule = "=" * 79 + "\n"
        row = "%-7s %-20s %-19s %3d %4d  %s\n" % (1, core["chassis"].upper(), core["port"], 120, 11, core["name"])
        return ("\nLLDP Neighbor Information\nNeighbor Information Summary:\n" + rule
                + "Port    Neighbor Chassis ID  Neighbor Port ID    TTL  Age  Neighbor System Name\n" + rule
                + (row if running["ports"]["1"]["enabled"] else "") + rule
                + "NOTE: The Chassis ID and/or Port ID might be truncated to fit the screen.\n")

    @staticmethod
    def configuration(running):
        snmp = running["snmp"]
        out = ["#", "# Module devmgr configuration.", "#", "configure snmp sysName %s" % quote(snmp["sysName"])]
        out += ["configure snmp %s %s" % (k, quote(snmp[k])) for k in ("sysLocation", "sysContact") if snmp[k]]
        out += ["#", "# Module vlan configuration.", "#"]
        vlans = sorted((n, v) for n, v in running["vlans"].items() if n not in ("Default", "mgmt"))
        out += ["create vlan %s" % quote(n) for n, _ in vlans]
        out += ["configure vlan %s tag %s" % (n, v["tag"]) for n, v in vlans if v["tag"]]
        out += ["configure vlan %s ipaddress %s" % (n, v["ip"]) for n, v in sorted(running["vlans"].items()) if v["ip"]]
        ports = running["ports"]
        out += ["configure ports %s description-string %s" % (p, quote(ports[p]["description"])) for p in PORTS
                if ports[p]["description"]]
        out += ["disable ports %s" % p for p in PORTS if not ports[p]["enabled"]]
        return "\n".join(out) + "\n"

    def save(self):
        self.t.write("Do you want to save configuration to primary.cfg and overwrite it? (y/N) ")
        answer = self.t.line().strip().lower()
        if answer not in ("y", "yes"):
            return self.t.output("Save configuration cancelled.\n")
        if "nvram-full" in self.dev.faults():
            return self.error("Failed to save configuration to primary.cfg: No space left on device")

        def save(state):
            state["saved"] = state["running"]
        self.dev.update(save)
        self.t.output("Saving configuration on Master ....... done!\nConfiguration saved to primary.cfg successfully.\n")

    def change(self, line, words):
        """One configuration command, applied at once; a refusal changes nothing."""
        outcome = self.dev.update(lambda state: self.apply(state["running"], words))
        if outcome is None:
            emu.config_fault(self, self.t)
            return
        kind, detail = outcome
        if kind == "invalid":
            return self.invalid(line, detail)
        if kind == "incomplete":
            return self.incomplete()
        return self.error(detail)

    def apply(self, running, words):
        """Changes running (in place) for words; None when done, else (kind, detail) and nothing changed."""
        head, rest = words[0], words[1:]
        vlans, ports = running["vlans"], running["ports"]
        if head in ("create", "delete"):
            if rest[:1] != ["vlan"]:
                return ("invalid", 1) if rest else ("incomplete", None)
            if len(rest) < 2:
                return ("incomplete", None)
            name = rest[1]
            if head == "create":
                if name in vlans:
                    return ("error", 'VLAN "%s" already exists.' % name)
                vlans[name] = {"tag": "", "ip": ""}
                return None
            if name not in vlans:
                return ("error", 'VLAN "%s" does not exist.' % name)
            if name in ("Default", "mgmt"):
                return ("error", 'VLAN "%s" cannot be deleted.' % name)
            del vlans[name]
            return None
        if head in ("enable", "disable"):
            if rest[:1] != ["ports"]:
                return ("invalid", 1) if rest else ("incomplete", None)
            if len(rest) < 2:
                return ("incomplete", None)
            if rest[1] not in ports:
                return ("error", "Port %s does not exist." % rest[1])
            ports[rest[1]]["enabled"] = head == "enable"
            return None
        # configure ...
        if rest[:1] == ["snmp"]:
            if len(rest) < 2 or rest[1] not in ("sysName", "sysLocation", "sysContact"):
                return ("invalid", 2) if len(rest) >= 2 else ("incomplete", None)
            if len(rest) != 3:
                return ("incomplete", None) if len(rest) < 3 else ("invalid", 4)
            if rest[1] == "sysName" and (not rest[2] or len(rest[2]) > 32 or " " in rest[2]):
                return ("error", "Invalid sysName: it must be 1 to 32 characters without spaces.")
            running["snmp"][rest[1]] = rest[2]
            return None
        if rest[:1] == ["vlan"]:
            if len(rest) < 3:
                return ("incomplete", None)
            name, what = rest[1], rest[2]
            if what not in ("tag", "ipaddress"):
                return ("invalid", 3)
            if name not in vlans:
                return ("error", 'VLAN "%s" does not exist.' % name)
            if what == "tag":
                if len(rest) != 4:
                    return ("incomplete", None) if len(rest) < 4 else ("invalid", 5)
                if not rest[3].isdigit() or not 2 <= int(rest[3]) <= 4094:
                    return ("error", "Invalid VLAN tag %s: the tag must be between 2 and 4094." % rest[3])
                if any(v["tag"] == rest[3] for n, v in vlans.items() if n != name):
                    return ("error", "VLAN tag %s is already used by another VLAN." % rest[3])
                vlans[name]["tag"] = rest[3]
                return None
            if len(rest) < 4:
                return ("incomplete", None)
            address, _, bits = rest[3].partition("/")
            if len(rest) == 5:
                bits = mask_bits(rest[4])
                bits = "" if bits is None else str(bits)
            if not valid_ip(address) or not bits.isdigit() or int(bits) > 32 or len(rest) > 5:
                return ("invalid", 4)
            prefix = "%s/%s" % (address, bits)
            if any(v["ip"].split("/")[0] == address for n, v in vlans.items() if n != name):
                return ("error", "IP address %s is already configured on another VLAN." % address)
            vlans[name]["ip"] = prefix
            return None
        if rest[:1] == ["ports"]:
            if len(rest) < 4 or rest[2] != "description-string":
                return ("incomplete", None) if len(rest) < 3 else ("invalid", 3)
            if rest[1] not in ports:
                return ("error", "Port %s does not exist." % rest[1])
            ports[rest[1]]["description"] = rest[3]
            return None
        return ("invalid", 1) if rest else ("incomplete", None)
