"""Ubiquiti EdgeSwitch (1.x, FASTPATH-based), emulated from Ubiquiti's documented CLI (imported by enms_emulator).

User EXEC "(host) >", `enable` asks "Password:" for the enable secret and gives "(host) #"; `terminal length 0`
turns the pager off (`terminal length 24` back on: "--More-- or (q)uit"); `configure` -> "(host) (Config)#",
`interface 0/N` -> "(host) (Interface 0/N)#", `exit` goes up one level (there is no `end`). Lines apply as they are
typed; a refused one answers a caret line and "% Invalid input detected at '^' marker." (a missing argument:
"Command not found / Incomplete command. Use ? to list commands.") and changes nothing. `hostname "name"` renames
the prompt. `show running-config` starts with "!Current Configuration:" comments, then the configuration with
`configure` ... `exit`; `write memory` asks "Are you sure you want to save? (y/n)" and answers "Configuration
Saved!" (`show startup-config`; fault nvram-full makes it fail). This file's grammar is the emulator's own: the
driver's profile is written separately.
"""
import enms_emulator as emu

MORE = "--More-- or (q)uit"
TOP = {"hostname", "interface", "ip", "sntp", "logging", "snmp-server", "no", "vlan", "spanning-tree", "username",
       "network", "lldp"}
IN_INTERFACE = {"description", "shutdown", "no", "mtu", "vlan", "speed", "lacp", "spanning-tree", "poe"}
NEEDS = {"hostname": 2, "interface": 2, "description": 2, "ip": 3, "logging": 2, "mtu": 2, "sntp": 2}
PORTS = 26


def initial_state(name):
    sections = [['hostname "%s"' % name, []], ["ip route 198.18.0.0 255.254.0.0 192.0.2.254", []],
                ["interface 0/1", ["description 'uplink'"]], ["interface 0/2", ["shutdown"]]]
    return {"running": sections, "startup": sections}


def render(sections):
    out = ["!Current Configuration:", "!",
           '!System Description "EdgeSwitch 24-Port Lite, 1.9.3.5162233, Linux 3.6.5-f4a26ed5, 0.0.0.0000000"',
           '!System Software Version "1.9.3.5162233"', '!System Up Time          "0 days 1 hrs 0 mins 0 secs"',
           "!Additional Packages     QOS,IPv6 Management,Routing", "!",
           "network protocol none", "network parms 192.0.2.1 255.255.255.0 192.0.2.254", "vlan database", "exit",
           "configure"]
    out.extend(line for line, _ in sections if not line.startswith("interface "))
    out.extend(["line console", "exit", "line telnet", "exit", "line ssh", "exit", "!"])
    for line, children in sections:
        if line.startswith("interface "):
            out.extend([line] + children + ["exit", ""])
    out.append("exit")
    return "\n".join(out) + "\n"


class EdgeSwitch:
    def __init__(self, dev, term, user):
        self.dev, self.t, self.user = dev, term, user
        self.length = 24
        self.enabled = False
        self.config = False
        self.section = None

    def sections(self):
        return self.dev.load()["running"]

    def hostname(self):
        return next((l.split(None, 1)[1].strip('"') for l, _ in self.sections() if l.startswith("hostname ")), "UBNT EdgeSwitch")

    def prompt(self):
        if not self.enabled:
            return "(%s) >" % self.hostname()
        if not self.config:
            return "(%s) #" % self.hostname()
        return "(%s) (%s)#" % (self.hostname(), "Interface " + self.section.split()[1] if self.section else "Config")

    def paged(self, text):
        emu.paged_cr(self.t, text, self.length, MORE)

    def invalid(self, line, word):
        at = len(self.prompt()) + max(0, line.find(word))
        self.t.output(" " * at + "^\n% Invalid input detected at '^' marker.\n")

    def incomplete(self):
        self.t.output("Command not found / Incomplete command. Use ? to list commands.\n")

    def run(self):
        self.t.write("\nWelcome to EdgeSwitch\n\n")
        while True:
            self.t.write(self.prompt())
            line = self.t.line().strip()
            if not line:
                continue
            words = line.split()
            if not self.config and words in (["exit"], ["logout"], ["quit"]):
                if self.enabled and words == ["exit"]:
                    self.enabled = False
                    continue
                return
            if not self.enabled:
                self.user_cmd(line, words)
            else:
                (self.config_cmd if self.config else self.exec_cmd)(line)

    def user_cmd(self, line, words):
        if words == ["enable"]:
            self.t.write("Password:")
            secret = self.t.line(echo=False)
            if secret == emu.ENABLE_SECRET:
                self.enabled = True
            else:
                self.t.output("% Incorrect password\n")
            return
        if words[0] == "show":
            return self.show(line, words)
        return self.invalid(line, words[0])

    def exec_cmd(self, line):
        words = line.split()
        if words[:2] == ["terminal", "length"] and len(words) == 3 and words[2].isdigit():
            self.length = int(words[2])
            return
        if words[0] == "show":
            return self.show(line, words)
        if words == ["configure"]:
            self.config, self.section = True, None
            return
        if words == ["write", "memory"] or words == ["copy", "system:running-config", "nvram:startup-config"]:
            return self.save()
        if words[0] in ("terminal", "write", "copy"):
            return self.incomplete()
        return self.invalid(line, words[0])

    def show(self, line, words):
        rest = " ".join(words[1:])
        state = self.dev.load()
        if not rest:
            return self.incomplete()
        if rest == "clock":
            return self.t.output("11:00:00 UTC(UTC+0:00) Nov 25 2026\nNo time source\n")
        if rest == "version":
            return self.t.output("Switch: 1\n\nSystem Description............................. EdgeSwitch 24-Port Lite, "
                                 "1.9.3.5162233, Linux 3.6.5-f4a26ed5, 0.0.0.0000000\nMachine Type................"
                                 "................... EdgeSwitch 24-Port Lite\nMachine Model................................"
                                 ".. ES-24-Lite\nSerial Number.................................. F09FC2%06X\nBurned In "
                                 "MAC Address.......................... F0:9F:C2:00:00:01\nSoftware Version......................"
                                 "......... 1.9.3.5162233\n" % int(self.dev.address.split(".")[3]))
        if rest == "port all":
            return self.paged(self.ports())
        if rest == "arp":
            return self.paged(self.arp())
        if rest == "lldp remote-device all":
            return self.paged(self.lldp())
        if rest == "logging buffered" and self.enabled:
            return self.paged("".join("<14> Nov 25 11:%02d:00 %s-1 TRAPMGR[1245]: traputil.c(721) %d %%%% Link Up: 0/%d\n"
                                      % (i, self.hostname(), i, i % PORTS + 1) for i in range(60)))
        if rest == "running-config" and self.enabled:
            return self.paged(render(state["running"]))
        if rest == "startup-config" and self.enabled:
            return self.paged(render(state["startup"]))
        return self.invalid(line, next((w for w in words[1:] if "bogus" in w), words[1]))

    def port_enabled(self, port):
        return not any(l == "interface 0/%d" % port and "shutdown" in c for l, c in self.sections())

    def ports(self):
        """`show port all`: Admin Mode Enable/Disable and Link Status Up/Down per port; only 0/1 is cabled (to the lab's
        core switch)."""
        rows = []
        for port in range(1, PORTS + 1):
            enabled = self.port_enabled(port)
            up = enabled and port == 1
            rows.append("0/%-7d %-6s %-9s %-12s %-10s %-6s %-7s %-6s %s\n" % (
                port, "", "Enable" if enabled else "Disable", "Auto", "1000 Full" if up else "", "Up" if up else "Down",
                "Enable", "Enable", "long"))
        return ("\n                 Admin     Physical     Physical   Link   Link    LACP   Actor\n"
                " Intf      Type  Mode      Mode         Status     Status Trap    Mode   Timeout\n"
                "--------- ------ --------- ------------ ---------- ------ ------- ------ --------\n" + "".join(rows))

    def arp(self):
        """`show arp`: the ARP settings, then the lab's neighbours learnt on 0/1 (the switch's address, from `network
        parms`, is on their subnet) while 0/1 is enabled."""
        arp, _ = emu.lab_neighbours(self.dev)
        rows = arp if self.port_enabled(1) else []
        return ("\nAge Time (seconds)............................. 1200\nResponse Time (seconds)........................ 1\n"
                "Retries........................................ 4\nCache Size..................................... 896\n"
                "Dynamic Renew Mode ............................ Disable\n"
                "Total Entry Count Current / Peak .............. %d / %d\n"
                "Static Entry Count Configured / Active / Max .. 0 / 0 / 64\n\n"
                "IP Address      MAC Address        Interface          Type         Age\n"
                "--------------- -----------------  -----------------  --------     -----------\n" % (len(rows), len(arp))
                + "".join("%-15s %-17s  %-17s  %-8s     %s\n" % (ip, mac.upper(), "0/1", "Dynamic", "0h %dm 0s" % age)
                          for ip, mac, age in rows))

    def lldp(self):
        """`show lldp remote-device all`: every port, with the remote device's id, chassis, port and name where one is
        known (the lab's core switch on 0/1 while it is enabled)."""
        _, core = emu.lab_neighbours(self.dev)
        rows = []
        for port in range(1, PORTS + 1):
            if port == 1 and self.port_enabled(1):
                rows.append("0/%-7d %-7d %-19s %-17s %s\n" % (port, 1, core["chassis"].upper(), core["port"], core["name"]))
            else:
                rows.append("0/%d\n" % port)
        return ("\nLLDP Remote Device Summary\n\nLocal\nInterface RemID   Chassis ID          Port ID           System Name\n"
                "--------- ------- ------------------- ----------------- -----------------\n" + "".join(rows))

    def save(self):
        self.t.write("\nThis operation may take a few minutes.\nManagement interfaces will not be available during "
                     "this time.\n\nAre you sure you want to save? (y/n) ")
        if not self.t.line().strip().lower().startswith("y"):
            return self.t.output("\nConfiguration Not Saved!\n")
        if "nvram-full" in self.dev.faults():
            return self.t.output("\nError! Failed to write 'startup-config': not enough space.\n\nConfiguration Not Saved!\n")

        def save(state):
            state["startup"] = state["running"]
        self.dev.update(save)
        self.t.output("\nConfig file 'startup-config' created successfully .\n\n\nConfiguration Saved!\n")

    def config_cmd(self, line):
        words = line.split()
        if words == ["exit"]:
            if self.section:
                self.section = None
            else:
                self.config = False
            return
        if words[0] in ("show", "write"):
            return self.invalid(line, words[0])
        body = words[1:] if words[0] == "no" else words
        allowed = IN_INTERFACE if self.section else TOP
        bogus = next((w for w in words if "bogus" in w), None)
        if not body or body[0] not in allowed or bogus:
            return self.invalid(line, bogus or (body[0] if body else words[0]))
        if words[0] != "no" and len(body) < NEEDS.get(body[0], 1):
            return self.incomplete()
        if self.section:
            return self.section_line(words)
        if body[0] == "interface":
            return self.enter(line, words, body)

        def top(s):
            if words[0] == "hostname":
                s[:] = [e for e in s if not e[0].startswith("hostname ")]
                s.insert(0, ['hostname "%s"' % " ".join(words[1:]).strip('"'), []])
            elif words[0] == "no":
                s[:] = [e for e in s if not (e[0] == " ".join(body) or e[0].startswith(" ".join(body) + " "))]
            elif not any(e[0] == line for e in s):
                s.insert(len([e for e in s if not e[0].startswith("interface ")]), [line, []])
        self.change(top)
        emu.config_fault(self, self.t)

    def enter(self, line, words, body):
        port = body[1]
        unit, _, number = port.partition("/")
        if unit != "0" or not number.isdigit() or not 1 <= int(number) <= PORTS:
            return self.invalid(line, port)
        header = "interface " + port
        if words[0] == "no":
            return self.invalid(line, "interface")
        self.change(lambda s: None if any(e[0] == header for e in s) else s.append([header, []]))
        self.section = header

    def section_line(self, words):
        header = self.section
        keep = " ".join(words)
        if words[0] == "description":
            keep = "description '%s'" % " ".join(words[1:]).strip("'\"")

        def edit(s):
            entry = next(e for e in s if e[0] == header)
            if words[0] == "no":
                target = " ".join(words[1:])
                entry[1][:] = [c for c in entry[1] if not (c == target or c.startswith(target + " "))]
                return
            key = {"description": "description ", "mtu": "mtu "}.get(words[0])
            entry[1][:] = [c for c in entry[1] if not (key and c.startswith(key)) and c != keep] + [keep]
        self.change(edit)
        emu.config_fault(self, self.t)

    def change(self, edit):
        def apply(state):
            edit(state["running"])
        self.dev.update(apply)
