"""Cisco ASA, emulated from Cisco's documented CLI (imported by enms_emulator).

User prompt host> and `enable` (Password:) to host#; paging off with `terminal pager 0` (otherwise `<--- More --->`,
erased with a carriage return); `configure terminal` -> host(config)#, sections host(config-if)#,
host(config-network-object)#. Lines apply as they are typed (no candidate, no commit); a refused one prints the
caret line and `ERROR: % Invalid input detected at '^' marker.` (or `ERROR: % Incomplete command`) and changes nothing.
`show running-config` starts with ': Saved' comment lines and ends with ': end'; `write memory` saves it as the
startup configuration (`show startup-config`): 'Building configuration...', the cryptochecksum, '[OK]'; fault
nvram-full makes the save fail. Security contexts are not emulated (single mode). This file's grammar is the
emulator's own: the driver's profile is written separately.
"""
import enms_emulator as emu

MORE = "<--- More --->"
KNOWN = {"hostname", "interface", "nameif", "security-level", "ip", "shutdown", "description", "route", "access-list",
         "access-group", "object", "object-group", "host", "subnet", "nat", "ssh", "telnet", "logging", "ntp", "names",
         "name", "domain-name", "enable", "username", "aaa", "http", "snmp-server", "mtu", "no", "banner", "clock",
         "dns", "timeout", "crypto", "service-policy", "policy-map", "class-map", "vlan", "speed", "duplex"}
SECTIONS = {"interface": "config-if", "object": "config-network-object", "object-group": "config-network-object-group",
            "policy-map": "config-pmap", "class-map": "config-cmap"}
TOP = {"hostname", "interface", "route", "access-list", "access-group", "object", "object-group", "nat", "ssh",
       "telnet", "logging", "ntp", "names", "name", "domain-name", "enable", "username", "aaa", "http", "snmp-server",
       "mtu", "banner", "clock", "dns", "timeout", "crypto", "service-policy", "policy-map", "class-map"}
NEEDS_VALUE = {"hostname", "interface", "nameif", "description", "route", "security-level", "object"}


def initial_state(name):
    running = ("hostname %s\ninterface Management0/0\n nameif management\n security-level 100\n"
               " ip address 192.0.2.1 255.255.255.0\ninterface GigabitEthernet0/1\n shutdown\n no nameif\n"
               "route management 198.18.0.0 255.254.0.0 192.0.2.254 1\n") % name
    text = emu.render_cfg(emu.parse_cfg(running))
    return {"running": text, "startup": text, "flash": {}, "pending": None}


class Asa:
    def __init__(self, dev, term, user):
        self.dev, self.t, self.user = dev, term, user
        self.length = 24
        self.privileged = False
        self.config = False
        self.section = None

    def hostname(self):
        for line, _ in emu.parse_cfg(self.dev.load()["running"]):
            if line.startswith("hostname "):
                return line.split()[1]
        return self.dev.name

    def prompt(self):
        if self.config:
            sub = SECTIONS[self.section.split()[0]] if self.section else "config"
            return "%s(%s)# " % (self.hostname(), sub)
        return self.hostname() + ("# " if self.privileged else "> ")

    def paged(self, text):
        return emu.paged_cr(self.t, text, self.length, MORE)

    def invalid(self, line):
        words = line.split()
        bad = next((i for i, w in enumerate(words) if "bogus" in w or i == 0 and w not in KNOWN and w != "show"), 0)
        column = len(self.prompt()) + (line.find(words[bad]) if words else 0)
        self.t.output(" " * column + "^\nERROR: % Invalid input detected at '^' marker.\n")

    def running_text(self, key="running"):
        state = self.dev.load()
        body = emu.render_cfg(emu.parse_cfg(state.get(key, state["running"])))
        return (": Saved\n\n:\n: Serial Number: 9AENMSLAB01\n: Hardware:   ASA5506, 4096 MB RAM, CPU Atom C2000 series "
                "1250 MHz, 1 CPU (4 cores)\n:\nASA Version 9.16(4)\n!\n%s: end\n" % body)

    def run(self):
        self.t.write("\nCisco ASA emulation (eNMS lab): %s\nType help or '?' for a list of available commands.\n" % self.dev.name)
        while True:
            self.t.write(self.prompt())
            line = self.t.line().strip()
            if not line:
                continue
            if not self.config and line in ("exit", "logout", "quit"):
                return
            (self.config_cmd if self.config else self.exec_cmd)(line)

    def exec_cmd(self, line):
        words = line.split()
        if words[0] == "enable":
            if self.privileged:
                return
            for _ in range(3):
                self.t.write("Password: ")
                if self.t.line(echo=False) == emu.ENABLE_SECRET:
                    self.privileged = True
                    return
            return self.t.output("Invalid password\n")
        if words[0] == "disable":
            self.privileged = False
            return
        if words[:2] == ["terminal", "pager"] and len(words) in (2, 3):
            self.length = int(words[2]) if len(words) == 3 and words[2].isdigit() else 24
            return
        if words[:2] == ["terminal", "width"]:
            return
        if words[0] == "show":
            return self.show(line, words)
        if not self.privileged:
            return self.invalid(line)
        if line in ("configure terminal", "conf t"):
            self.config, self.section = True, None
            return
        if words in (["write"], ["write", "memory"]) or words == ["copy", "running-config", "startup-config"]:
            return self.save()
        return self.invalid(line)

    def show(self, line, words):
        rest = " ".join(words[1:])
        if rest == "clock":
            return self.t.output("11:00:00.000 UTC Wed Nov 25 2026\n")
        if rest == "version":
            return self.paged("\nCisco Adaptive Security Appliance Software Version 9.16(4)\nSSP Operating System Version "
                              "2.10(1.162)\n\n%s up 1 day 2 hours\n" % self.hostname())
        if rest == "logging":
            return self.paged("".join("Nov 25 2026 11:%02d:00: %%ASA-5-111008: User '%s' executed the 'write memory' "
                                      "command.\n" % (i % 60, self.user) for i in range(60)))
        if rest in ("running-config", "run") and self.privileged:
            return self.paged(self.running_text())
        if rest == "startup-config" and self.privileged:
            return self.paged(self.running_text("startup"))
        if rest == "interface ip brief":
            rows = [l.split()[1] for l, _ in emu.parse_cfg(self.dev.load()["running"]) if l.startswith("interface ")]
            return self.paged("Interface                  IP-Address      OK? Method Status                Protocol\n"
                              + "".join("%-26s unassigned      YES unset  up                    up\n" % r for r in rows))
        return self.invalid(line)

    def save(self):
        failed = "nvram-full" in self.dev.faults()
        if not failed:
            def save(state):
                state["startup"] = state["running"]
            self.dev.update(save)
        state = self.dev.load()
        size = len(state["running"])
        if failed:
            return self.t.output("Building configuration...\n%Error writing disk0:/.private/startup-config "
                                 "(No space left on device)\n")
        self.t.output("Building configuration...\nCryptochecksum: %s %s %s %s \n\n%d bytes copied in 0.120 secs\n[OK]\n"
                      % (tuple(emu.md5_of(state["running"].encode())[i:i + 8] for i in range(0, 32, 8)) + (size,)))

    def config_cmd(self, line):
        words = line.split()
        if line in ("end", "\x1a"):
            self.config, self.section = False, None
            return
        if line == "exit":
            if self.section:
                self.section = None
            else:
                self.config = False
            return
        if words[0] == "show":
            return self.show(line, words)
        if words[0] in ("write", "copy"):
            return self.exec_cmd(line)
        body = words[1:] if words[0] == "no" else words
        if not body or body[0] not in KNOWN or "bogus" in words:
            return self.invalid(line)
        if len(body) == 1 and body[0] in NEEDS_VALUE and words[0] != "no":
            return self.t.output("ERROR: % Incomplete command\n")
        section = self.section if self.section and body[0] not in TOP else None
        if self.section is None and body[0] not in TOP:
            return self.invalid(line)

        def change(state):
            tree = emu.parse_cfg(state["running"])
            entered = emu.apply_line(tree, section, line)
            state["running"] = emu.render_cfg(tree)
            return entered
        entered = self.dev.update(change)
        self.section = line if body[0] in SECTIONS and words[0] != "no" else (entered if section else None)
        emu.config_fault(self, self.t)
