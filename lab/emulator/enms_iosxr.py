"""Cisco IOS XR, emulated from Cisco's documented two-stage configuration model (imported by enms_emulator).

Exec prompt RP/0/RP0/CPU0:host#, no enable (task groups decide what a user may do); `configure` opens a target
configuration private to the session, which nothing applies until `commit`:
  commit                        merges the target into the running configuration, all or nothing: a semantic error in
                                any item fails the whole commit (% Failed to commit one or more configuration items...),
                                `show configuration failed` then tells which items and why, and the target stays
  commit confirmed [30-65535]   a trial commit (seconds; or `minutes 1-1092`), reverted unless `commit` follows in time
  commit replace                the target replaces the whole running configuration (asks first)
  abort                         drops the target and leaves config mode; `end`/`exit` with a target ask
                                "Uncommitted changes found, commit them before exiting(yes/no/cancel)? [cancel]:"
  show configuration            the target; `show configuration merge` the running configuration with it merged
  rollback configuration last N (exec) back to before the last N commits, as a commit of its own
Every commit is persistent: there is no startup configuration to save. Syntax is checked line by line
(% Invalid input detected at '^' marker., % Incomplete command.); semantics at commit. Show commands print the
time first, as XR does. This file's grammar is the emulator's own: the driver's profile is written separately.
"""
import os
import time

import enms_emulator as emu

TIMESTAMP = "Wed Nov 25 11:00:00.000 UTC"
MORE = " --More-- "
# Sections and what may be typed in them: (pattern words, sub-mode prompt); leaves are statements in that section.
SECTIONS = {
    (): {"interface": "config-if", "router static": "config-static", "router ospf": "config-ospf",
         "line": "config-line", "vrf": "config-vrf"},
    ("router static",): {"address-family ipv4 unicast": "config-static-afi",
                         "address-family ipv6 unicast": "config-static-afi"},
    ("router ospf",): {"area": "config-ospf-ar"},
    ("router ospf", "area"): {"interface": "config-ospf-ar-if"},
}
LEAVES = {
    (): {"hostname", "domain", "ntp", "logging", "banner", "snmp-server", "clock", "username", "ssh", "telnet"},
    ("interface",): {"description", "ipv4", "ipv6", "shutdown", "mtu", "vrf", "bandwidth", "load-interval"},
    ("router static", "address-family ipv4 unicast"): {"*route*"},
    ("router static", "address-family ipv6 unicast"): {"*route*"},
    ("router ospf",): {"router-id", "passive", "log"},
    ("router ospf", "area"): set(),
    ("router ospf", "area", "interface"): {"cost", "network", "passive", "hello-interval", "dead-interval"},
    ("line",): {"exec-timeout", "transport"},
    ("vrf",): {"description", "address-family"},
}
# Words that take a value: alone they are incomplete.
NEEDS_VALUE = {"hostname", "description", "mtu", "interface", "ntp", "domain", "ipv4", "router", "area", "cost",
               "router-id", "vrf", "bandwidth", "username", "line"}


def section_key(kinds, line):
    """The SECTIONS key of the section a statement opens inside the sections kinds, or None."""
    first = line.split()[0]
    return next((s for s in SECTIONS.get(kinds, {}) if line == s or line.startswith(s + " ")
                 or len(s.split()) == 1 and s == first), None)


def kinds_of(path):
    kinds = ()
    for line in path:
        kinds += (section_key(kinds, line),)
    return kinds


def parse(text):
    """Indented configuration -> nested [line, children] lists (XR closes sections with '!')."""
    root = []
    stack = [(-1, root)]
    for raw in text.replace("\r", "").split("\n"):
        line = raw.rstrip()
        body = line.strip()
        if not body or body.startswith("!") or body in ("end", "exit", "root"):
            continue
        indent = len(line) - len(line.lstrip())
        while stack[-1][0] >= indent:
            stack.pop()
        node = [body, []]
        stack[-1][1].append(node)
        stack.append((indent, node[1]))
    return root


def render(tree, depth=0):
    out = []
    for line, children in tree:
        out.append(" " * depth + line)
        if children or depth == 0 and line.split()[0] in ("interface", "router", "line", "vrf"):
            out.extend(render(children, depth + 1))
            out.append(" " * depth + "!")
    return out


def text_of(tree):
    return "\n".join(render(tree)) + "\n"


def find(tree, path):
    """The children list of the section at path (created on the way)."""
    for line in path:
        node = next((n for n in tree if n[0] == line), None)
        if node is None:
            node = [line, []]
            tree.append(node)
        tree = node[1]
    return tree


def put(tree, path, line, keep_no=False):
    """Sets a statement in the section at path: one value per key (description, ipv4 address, hostname). A 'no'
    statement removes what it names; in a target (keep_no) it stays, for the commit to remove it from running."""
    children = find(tree, path)
    if line.startswith("no "):
        target = line[3:]
        children[:] = [n for n in children if not (n[0] == target or n[0].startswith(target + " "))]
        if keep_no and not any(n[0] == line for n in children):
            children.append([line, []])
        return
    words = line.split()
    key = " ".join(words[:2]) if words[0] in ("ipv4", "ntp", "domain") else words[0]
    single = {"hostname", "description", "mtu", "ipv4 address", "router-id", "domain name", "bandwidth", "cost"}
    at = len(children)
    if key in single:
        same = [i for i, n in enumerate(children) if n[0] == key or n[0].startswith(key + " ")]
        at = same[0] if same else at
        children[:] = [n for i, n in enumerate(children) if i not in same]
    if not any(n[0] == line for n in children):
        children.insert(at, [line, []])


def merge(base, extra):
    for line, children in extra:
        if line.startswith("no "):
            target = line[3:]
            base[:] = [n for n in base if not (n[0] == target or n[0].startswith(target + " "))]
            continue
        node = next((n for n in base if n[0] == line), None)
        if node is None:
            put(base, [], line)
            node = next(n for n in base if n[0] == line)
        merge(node[1], children)
    return base


def addresses(tree, skip=None):
    """ipv4 addresses by interface."""
    found = {}
    for line, children in tree:
        if line.startswith("interface ") and line != skip:
            for c, _ in children:
                if c.startswith("ipv4 address "):
                    found[c.split()[2]] = line
    return found


def semantic_errors(running, target):
    """What XR's verification refuses at commit: an IPv4 address already on another interface (XR checks
    addresses across interfaces when the commit is verified, not when the line is typed)."""
    merged = merge(parse(text_of(running)), target)
    errors = []
    seen = {}
    for line, children in merged:
        if not line.startswith("interface "):
            continue
        for c, _ in children:
            if c.startswith("ipv4 address "):
                address = c.split()[2]
                if address in seen:
                    errors.append((line, c, "!!%% 'IP-ADDR' detected the 'warning' condition 'The address %s is "
                                   "already configured on %s'" % (address, seen[address].split()[1])))
                seen.setdefault(address, line)
    return errors


def initial_state(name):
    running = ("hostname %s\ninterface MgmtEth0/RP0/CPU0/0\n description mgmt\n ipv4 address 192.0.2.1 "
               "255.255.255.0\n!\ninterface GigabitEthernet0/0/0/1\n shutdown\n!\nrouter static\n"
               " address-family ipv4 unicast\n  198.18.0.0/15 192.0.2.254\n !\n!\n") % name
    return {"running": running, "commits": [], "pending": None, "sessions": {}}


class IosXr:
    def __init__(self, dev, term, user):
        self.dev, self.t, self.user = dev, term, user
        self.length = 24
        self.config = False
        self.path = []  # the sections entered, outermost first
        self.target = []  # this session's target configuration (a tree of what was typed)
        self.typed = False
        self.failed = None  # 'show configuration failed' after a refused commit

    # -- state
    def load(self):
        return self.dev.load()

    def update(self, change):
        return self.dev.update(change)

    def hostname(self):
        for line, _ in parse(self.load()["running"]):
            if line.startswith("hostname "):
                return line.split()[1]
        return self.dev.name

    def prompt(self):
        where = "config"
        if self.config and self.path:
            kinds = kinds_of(self.path)
            where = SECTIONS[kinds[:-1]][kinds[-1]]
        return "RP/0/RP0/CPU0:%s%s#" % (self.hostname(), "(%s)" % where if self.config else "")

    def check_pending(self):
        state = self.load()
        p = state.get("pending")
        if not p or time.time() <= p["deadline"]:
            return

        def revert(state):
            p = state.get("pending")
            if p and time.time() > p["deadline"]:
                state["commits"].append({"id": 1000000001 + len(state["commits"]), "user": "system",
                                         "before": state["running"], "comment": "confirmed commit timed out"})
                state["running"] = p["previous"]
                state["pending"] = None
        self.update(revert)

    # -- output
    def paged(self, text):
        lines = text.split("\n")
        if self.length == 0 or len(lines) <= self.length - 1:
            return self.t.output(text)
        i, page = 0, self.length - 1
        while i < len(lines):
            chunk = lines[i:i + page]
            i += page
            self.t.output("\n".join(chunk) + ("\n" if i < len(lines) else ""))
            if i >= len(lines):
                break
            self.t.write(MORE)
            k = self.t.key()
            self.t.raw("\b" * len(MORE) + " " * len(MORE) + "\b" * len(MORE))
            if k in (b"q", b"Q"):
                break
            page = 1 if k in (b"\r", b"\n") else self.length - 1

    def show(self, text):
        self.paged(TIMESTAMP + "\n" + text)

    def invalid(self, line, word=0):
        words = line.split()
        column = len(self.prompt()) + (line.find(words[word]) if words else 0)
        self.t.output(" " * column + "^\n% Invalid input detected at '^' marker.\n")

    def running_text(self, state=None):
        state = state or self.load()
        return ("Building configuration...\n!! IOS XR Configuration 7.9.2\n!! Last configuration change at %s by %s\n"
                "!\n%send\n" % (TIMESTAMP[4:], self.user, state["running"]))

    # -- main loop
    def run(self):
        self.t.write("\n\nIMPORTANT:  READ CAREFULLY\nWelcome to %s (Cisco IOS XR emulation, eNMS lab)\n\n" % self.dev.name)
        try:
            while True:
                self.check_pending()
                self.t.write(self.prompt())
                line = self.t.line().strip()
                if not line:
                    continue
                self.check_pending()
                if not self.config and line in ("exit", "logout", "quit"):
                    return
                (self.config_cmd if self.config else self.exec_cmd)(line)
        finally:
            if self.config:
                self.leave_config()

    # -- exec mode
    def exec_cmd(self, line):
        words = line.split()
        if words[:2] == ["terminal", "length"] and len(words) == 3 and words[2].isdigit():
            self.length = int(words[2])
            return
        if words[:2] == ["terminal", "width"] and len(words) == 3 and words[2].isdigit():
            return
        if line in ("configure", "configure terminal", "conf t"):
            self.enter_config()
            return
        if words[:3] == ["rollback", "configuration", "last"] and len(words) == 4 and words[3].isdigit():
            return self.rollback(int(words[3]))
        if words[0] == "show":
            return self.show_exec(line, words)
        if words[0] in ("rollback", "configure", "terminal"):
            return self.t.output("% Incomplete command.\n") if len(words) == 1 else self.invalid(line, len(words) - 1)
        return self.invalid(line)

    def show_exec(self, line, words):
        state = self.load()
        rest = " ".join(words[1:])
        if rest == "clock":
            return self.show("11:00:00.000 UTC Wed Nov 25 2026\n")
        if rest == "version":
            return self.show("Cisco IOS XR Software, Version 7.9.2\nCopyright (c) 2013-2023 by Cisco Systems, Inc.\n\n"
                             "Build Information:\n Built By     : ingunawa\n\n%s uptime is 1 day, 2 hours, 3 minutes\n"
                             % self.hostname())
        if rest in ("running-config", "run"):
            return self.show(self.running_text(state))
        if rest == "logging":
            return self.show("".join("RP/0/RP0/CPU0:Nov 25 11:%02d:00.000 UTC: config[%d]: %%MGBL-CONFIG-6-DB_COMMIT : "
                                     "Configuration committed by user '%s'.\n" % (i % 60, 65000 + i, self.user)
                                     for i in range(60)))
        if rest == "configuration commit list":
            rows = ["SNo. Label/ID    User      Line                Client      Time Stamp",
                    "~~~~ ~~~~~~~~    ~~~~      ~~~~                ~~~~~~      ~~~~~~~~~~"]
            for n, c in enumerate(reversed(state["commits"]), 1):
                rows.append("%-4d %-11d %-9s %-19s %-11s %s" % (n, c["id"], c["user"], "vty0:node0_RP0_CPU0", "CLI",
                                                             TIMESTAMP[:-8]))
            return self.show("\n".join(rows) + "\n")
        if rest == "configuration sessions":
            rows = ["Current Configuration Session  Line       User     Date                     Lock"]
            for pid, s in sorted(state["sessions"].items()):
                if emu.alive(int(pid)):
                    rows.append("%-30s %-10s %-8s %s" % ("00000%s-%s" % (pid[-3:], "000c81a1"), "vty0", s["user"],
                                                          TIMESTAMP[:-8]))
            return self.show("\n".join(rows) + "\n")
        if rest == "interfaces brief" or rest == "ipv4 interface brief":
            rows = [l.split()[1] for l, _ in parse(state["running"]) if l.startswith("interface ")]
            return self.show("Interface                      IP-Address      Status          Protocol Vrf-Name\n"
                             + "".join("%-30s unassigned      Up              Up       default\n" % r for r in rows))
        return self.invalid(line, min(1, len(words) - 1))

    def rollback(self, n):
        def roll(state):
            commits = state["commits"]
            if n < 1 or n > len(commits):
                return len(commits)
            before = commits[-n]["before"]
            commits.append({"id": 1000000001 + len(commits), "user": self.user, "before": state["running"],
                            "comment": "rollback"})
            state["running"] = before
            state["pending"] = None
            return None
        count = self.update(roll)
        if count is not None:
            return self.t.output("%% Insufficient number of commits to rollback. Only %d commits are available.\n" % count)
        self.t.output("\nLoading Rollback Changes.\nLoaded Rollback Changes in 1 sec\nCommitting.\n"
                      "1 items committed in 1 sec (0)items/sec\nUpdating.\nUpdated Commit database in 1 sec\n"
                      "Configuration successfully rolled back %d commits.\n" % n)

    # -- config mode
    def enter_config(self):
        self.config, self.path, self.target, self.typed, self.failed = True, [], [], False, None

        def register(state):
            state["sessions"][str(os.getpid())] = {"user": self.user}
        self.update(register)

    def leave_config(self):
        self.config, self.path, self.target, self.typed = False, [], [], False

        def unregister(state):
            state["sessions"].pop(str(os.getpid()), None)
        self.update(unregister)

    def config_cmd(self, line):
        words = line.split()
        if line in ("end", "\x1a") or line == "exit" and not self.path:
            if self.typed and not self.ask_uncommitted():
                return
            return self.leave_config()
        if line == "exit":
            self.path.pop()
            return
        if line == "root":
            self.path = []
            return
        if line == "abort":
            return self.leave_config()
        if words[0] == "commit":
            return self.commit(words)
        if words[0] == "show":
            return self.show_config(line, words)
        if words[0] == "do":
            return self.exec_cmd(" ".join(words[1:]))
        self.statement(line)

    def ask_uncommitted(self):
        """True when config mode may be left (committed or dropped); False to stay (cancel)."""
        while True:
            self.t.write("Uncommitted changes found, commit them before exiting(yes/no/cancel)? [cancel]:")
            answer = self.t.line().strip().lower()
            if answer in ("yes", "y"):
                return self.commit(["commit"])
            if answer in ("no", "n"):
                return True
            if answer in ("", "cancel", "c"):
                return False

    def statement(self, line):
        """Syntax check, then the line goes into the target; a command of a parent section falls back to it."""
        words = line.split()
        body = line[3:] if words[0] == "no" and len(words) > 1 else line
        if not body.split() or "bogus" in words:
            return self.invalid(line, words.index("bogus") if "bogus" in words else 0)
        path = list(self.path)
        while True:
            kinds = kinds_of(path)
            first = body.split()[0]
            opens = section_key(kinds, body)
            leaves = LEAVES.get(kinds, set())
            route = "*route*" in leaves and "/" in first
            if opens or first in leaves or route:
                break
            if not path:
                return self.invalid(line)
            path.pop()
        if len(body.split()) == 1 and first in NEEDS_VALUE and words[0] != "no":
            return self.t.output("% Incomplete command.\n")
        self.path = path
        if opens and words[0] != "no":
            self.path = path + [body]
            find(self.target, self.path)
        else:
            put(self.target, path, line, keep_no=True)
        self.typed = True
        emu.config_fault(self, self.t)

    def show_config(self, line, words):
        rest = " ".join(words[1:])
        if rest == "configuration" or rest == "":
            return self.show("Building configuration...\n!! IOS XR Configuration 7.9.2\n%send\n" % text_of(self.target))
        if rest == "configuration merge":
            merged = merge(parse(self.load()["running"]), self.target)
            return self.show("Building configuration...\n!! IOS XR Configuration 7.9.2\n%send\n" % text_of(merged))
        if rest == "configuration failed":
            return self.show(self.failed or "")
        if rest == "running-config":
            return self.show(self.running_text())
        return self.show_exec(line, words)

    def commit(self, words):
        """Returns True when config mode may be left (the commit went through)."""
        minutes = seconds = None
        replace = False
        args = words[1:]
        if args[:1] == ["replace"]:
            replace, args = True, args[1:]
        if args[:1] == ["confirmed"]:
            rest = args[1:]
            if rest[:1] == ["minutes"] and len(rest) == 2 and rest[1].isdigit() and 1 <= int(rest[1]) <= 1092:
                minutes = int(rest[1])
            elif len(rest) == 1 and rest[0].isdigit() and 30 <= int(rest[0]) <= 65535:
                seconds = int(rest[0])
            elif not rest:
                seconds = 600
            else:
                self.invalid(" ".join(words), len(words) - 1)
                return False
        elif args and args[0] not in ("comment", "label"):
            self.invalid(" ".join(words), len(words) - len(args))
            return False
        if replace:
            self.t.write("This commit will replace or remove the entire running configuration. This\n"
                         "operation can be service affecting.\nDo you wish to proceed? [no]: ")
            if self.t.line().strip().lower() not in ("yes", "y"):
                return False
        state = self.load()
        errors = semantic_errors([] if replace else parse(state["running"]), self.target)
        if errors:
            self.failed = ("!! SEMANTIC ERRORS: This configuration was rejected by \n!! the system due to semantic errors. "
                           "The individual \n!! errors with each failed configuration command can be \n!! found below.\n\n\n"
                           + "".join("%s\n %s\n%s\n!\n" % e for e in errors) + "end\n")
            self.t.output("\n% Failed to commit one or more configuration items during a pseudo-atomic operation. All "
                          "changes made have been reverted. Please issue 'show configuration failed [inheritance]' "
                          "from this session to view the errors\n")
            return False
        scale = float(os.environ.get("ENMS_EMU_MINUTE", "60"))
        deadline = None
        if minutes or seconds:
            deadline = time.time() + (minutes * scale if minutes else seconds * scale / 60)

        def apply(state):
            new = text_of(parse(text_of(self.target)) if replace else merge(parse(state["running"]), self.target))
            if new == state["running"]:
                if state.get("pending"):
                    state["pending"] = None
                    return "confirmed"
                return "none"
            state["commits"].append({"id": 1000000001 + len(state["commits"]), "user": self.user,
                                     "before": state["running"]})
            previous = state["pending"]["previous"] if state.get("pending") else state["running"]
            state["running"] = new
            state["pending"] = {"deadline": deadline, "previous": previous} if deadline else None
            return "done"
        outcome = self.update(apply)
        if outcome == "none" and not self.typed:
            self.t.output("% No configuration changes to commit.\n")
        self.target, self.typed, self.failed = [], False, None
        return True
