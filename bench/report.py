#!/usr/bin/python3
"""Turns the RESULT lines of one bench/run.sh into the markdown of bench/RESULTS.md.

usage: report.py RESULTS_FILE OUT_DIR
"""
import datetime
import os
import platform
import subprocess
import sys


def parse(path):
    rows = []
    for line in open(path):
        parts = line.split()
        if len(parts) < 2 or parts[0] != "RESULT":
            continue
        row = {"part": parts[1]}
        for item in parts[2:]:
            key, _, value = item.partition("=")
            row[key] = value.replace("_", " ") if key in ("tool", "case", "skipped") else value
        rows.append(row)
    return rows


def number(row, key):
    return float(row.get(key, "0") or 0)


def machine(out):
    model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown CPU")
    memory = next((int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0) / 1024 / 1024
    distro = next((l.split("=", 1)[1].strip().strip('"') for l in open("/etc/os-release") if l.startswith("PRETTY_NAME")), "Linux")
    dotnet = subprocess.run(["dotnet", "--version"], capture_output=True, text=True).stdout.strip()
    load = " → ".join(open(os.path.join(out, f)).read().split("load average:")[-1].strip()
                      for f in ("load-start.txt", "load-end.txt") if os.path.exists(os.path.join(out, f)))
    return (f"{os.cpu_count()} × {model}, {memory:.1f} GiB RAM, {distro}, kernel {platform.release()}, .NET SDK {dotnet}; "
            f"load average (1, 5, 15 min) at start → end: {load} (the machine is shared: figures from one run, ratios "
            "within the same run are what matter)")


def section(lines, title, intro, columns):
    """A heading, its explanation and a table header."""
    lines += [f"## {title}", "", intro, "", "| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]


def goal(ok, text):
    return ("✅ " if ok else "❌ ") + text


def fanout(rows, lines):
    runs = [r for r in rows if r["part"] == "fanout"]
    if not runs:
        return
    memory = {r["label"]: number(r, "peak_mib") for r in rows if r["part"] == "fanout-memory"}
    lines += ["## 1. Fan-out: back up the running configuration", "",
              "eNMS: `config_backup` through the REST API of a running eNMS.Web (SQLite), every result persisted. Peers: the same "
              "devices, the same parallelism. eNMS runs the set twice after a warm-up run on one device: *first run after "
              "start* still JIT-compiles its code paths (tier-0 code, then the hot methods again — most of its CPU); **eNMS** is "
              "the second run, the steady state of a server that has been running, on which the goals are judged (a peer's "
              "time includes its start-up, but Python compiles nothing at run time). Ansible gets only the first devices of a "
              "set (it costs seconds of CPU per device) and is compared in devices/s. Ratio = eNMS devices/s ÷ the tool's "
              "devices/s.", "",
              "| devices | tool | parallel | time (s) | devices/s | eNMS ÷ tool | failures | goal |",
              "|---|---|---|---|---|---|---|---|"]
    goals = {"OpenSSH xargs": 1.0, "Netmiko 2.4 defaults": 10.0, "Netmiko 2.4 fast cli": 1.5}
    for label in dict.fromkeys(r["label"] for r in runs):
        group = [r for r in runs if r["label"] == label]
        enms = next((r for r in group if r["tool"] == "eNMS"), None)
        enms_rate = number(enms, "devices") / number(enms, "seconds") if enms and number(enms, "seconds") else 0
        for r in group:
            n, seconds = number(r, "devices"), number(r, "seconds")
            if r.get("skipped"):
                lines.append(f"| {label} | {r['tool']} | {r['parallel']} | not run ({r['skipped']}) | | | | |")
                continue
            rate = n / seconds if seconds else 0
            if r["tool"] == "eNMS first run":
                openssh = next((number(o, "devices") / number(o, "seconds") for o in group
                                if o["tool"] == "OpenSSH xargs" and number(o, "seconds")), 0)
                versus = f"{rate / openssh:.2f}× OpenSSH" if openssh else ""
                lines.append(f"| {label} | eNMS, first run after start | {r['parallel']} | {seconds:.2f} | {rate:.1f} | {versus} | "
                             f"{r['failures']} | |")
                continue
            if r["tool"] == "eNMS":
                peak = memory.get(label, 0)
                text = f"peak {peak:.0f} MiB" + (" (goal ≤ 500)" if n >= 1000 else "")
                lines.append(f"| {label} | **eNMS** | {r['parallel']} | {seconds:.2f} | {rate:.1f} | — | {r['failures']} | "
                             f"{goal(peak <= 500, text) if n >= 1000 else text} |")
                continue
            if number(r, "failures") >= n:
                lines.append(f"| {label} | {r['tool']} | {r['parallel']} | {seconds:.2f} | — | — | {r['failures']} (all) | ❌ no figure |")
                continue
            ratio = enms_rate / rate if rate else 0
            target = goals.get(r["tool"], 20.0 if r["tool"].startswith("Ansible") else None)
            lines.append(f"| {label} | {r['tool']} | {r['parallel']} | {seconds:.2f} | {rate:.1f} | {ratio:.2f}× | {r['failures']} | "
                         f"{goal(ratio >= target, f'≥ {target:g}×') if target else ''} |")
    lines.append("")


def engine(rows, lines):
    runs = [r for r in rows if r["part"] == "engine"]
    if not runs:
        return
    lines += ["## 2. Engine overhead", "",
              "A workflow of 20 no-op nodes (`wait` 0 s: never touches the device) on 1,000 devices, run through the launcher, "
              "the run worker and the result recorder; done when the run's final status is stored (after every result is "
              "persisted). Each workflow runs once untimed on all devices first (the JIT's second, optimizing pass happens "
              "there), then the median of a few timed runs is kept (one run's figure moves by ±30% on this shared virtual "
              "machine). *executed* = when the last device finished its last node, before persistence caught up. CPU = the eNMS "
              "process's own CPU time over the same span (PostgreSQL's server CPU not included): the figure a busy machine "
              "distorts least.", "",
              "| database | mode | devices × nodes | parallel | executed (s) | total (s) | results stored | µs per node per device | CPU µs per node per device | goal ≤ 50 µs |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for r in runs:
        us = number(r, "us_per_node_device")
        lines.append(f"| {r['provider']} | {r['mode']} | {r['devices']} × {r['nodes']} | {r['parallel']} | {number(r, 'executed_s'):.2f} | "
                     f"{number(r, 'seconds'):.2f} | {r['results']} | {us:.1f} | {number(r, 'cpu_us_per_node_device'):.1f} | {goal(us <= 50, '')} |")
    lines.append("")


def importing(rows, lines):
    runs = [r for r in rows if r["part"] == "import"]
    if not runs:
        return
    section(lines, "3. Import", "An eNMS-format workbook (`device` and `link` sheets) through the real importer, committed into an "
            "empty SQLite database; twice in one process, as the fan-out: the *first import after start* compiles the importer "
            "(JIT), the second (the database emptied in between) is a server that has imported before, on which the goal is "
            "judged.", ["import", "devices", "links", "time (s)", "rows/s", "peak memory (MiB)", "goal ≥ 10,000 rows/s"])
    for r in runs:
        rate = number(r, "rows_per_s")
        first = r.get("first") == "1"
        lines.append(f"| {'first after start' if first else '**steady state**'} | {r['devices']} | {r['links']} | "
                     f"{number(r, 'seconds'):.2f} | {rate:,.0f} | {number(r, 'peak_mib'):.0f} | {'' if first else goal(rate >= 10000, '')} |")
    lines.append("")


def grid(rows, lines):
    runs = [r for r in rows if r["part"] == "grid"]
    if not runs:
        return
    section(lines, "4. Inventory scale",
            f"{int(number(runs[0], 'devices')):,} devices ({runs[0]['provider']}). The device grid's query (`InventoryGrids.Devices`, "
            "what the devices page runs: count + one sorted page of 50) against the same two statements by hand on a bare "
            "data reader. Median of 20, after 5 warm-up rounds.",
            ["query", "matches", "grid (ms)", "bare SQL (ms)", "grid ÷ bare", "goal ≤ 2×"])
    for r in runs:
        ratio = number(r, "ratio")
        lines.append(f"| {r['case']} | {r['matches']} | {number(r, 'grid_ms'):.1f} | {number(r, 'bare_ms'):.1f} | {ratio:.2f}× | "
                     f"{goal(ratio <= 2, '')} |")
    lines.append("")


def ui(rows, lines):
    runs = [r for r in rows if r["part"] == "ui"]
    if not runs:
        lines += ["## 5. UI in Chromium", "", "Not run in this run (`sudo bench/run.sh ui`).", ""]
        return
    version = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True).stdout.strip() or "Chromium"
    section(lines, "5. UI in Chromium",
            f"{version}, headless, **no GPU** (`--disable-gpu`: software raster and compositing), 1400 × 900 viewport, Playwright "
            "against a published eNMS.Web (SQLite) seeded with the network shown; each figure from the page's second load. "
            "*First paint* = navigation start → the first canvas frame with devices drawn (`enms:first-frame` performance mark); "
            "the topology then lays itself out in a worker (*layout done*). *Panning* = the mouse pressed on an empty spot and moved "
            "150 px back and forth for 3 s: canvas draws per second, with moves every 4 ms dispatched in the page (as a 250 Hz mouse's "
            "reach the main thread), and with every move sent by Playwright (CDP `Input.dispatchMouseEvent`, each awaiting the "
            "renderer: how many arrive depends on the machine's load, not on the view). *Designer*: "
            "navigation → every node in the DOM; *drag* = mouse down on a node, 10 moves, up → the node drawn where it lands (first "
            "visible move in brackets): each move is a round trip to the Blazor Server circuit.",
            ["view", "size", "first paint / open (ms)", "layout done (s)", "frames/s panning", "draw ms (mean / max)",
             "frames/s, Playwright mouse", "drag a node (ms)", "goal ≥ 30 frames/s"])
    for r in runs:
        if r["view"] == "designer":
            lines.append(f"| designer | {r['nodes']} nodes, {r['links']} edges | {number(r, 'open_ms'):.0f} | | | | | "
                         f"{number(r, 'drag_ms'):.0f} (first {number(r, 'drag_first_ms'):.0f}) | |")
            continue
        fps = number(r, "pan_fps")
        layout = f"{number(r, 'layout_s'):.1f}" if number(r, "layout_s") else ""
        lines.append(f"| {r['view']} | {int(number(r, 'devices')):,} devices, {int(number(r, 'links')):,} links | {number(r, 'first_frame_ms'):.0f} | "
                     f"{layout} | {fps:.1f} | {number(r, 'draw_ms'):.1f} / {number(r, 'draw_max_ms'):.1f} | "
                     f"{number(r, 'playwright_pan_fps'):.1f} | | {goal(fps >= 30, '')} |")
    lines.append("")


def viewers(rows, lines):
    runs = [r for r in rows if r["part"] == "viewers"]
    if not runs:
        lines += ["## 6. A team watching a run", "", "Not run in this run (`sudo bench/run.sh viewers`).", ""]
        return
    section(lines, "6. A team watching a run",
            "N Chromium pages (one Blazor circuit each: a third on the dashboard, a third on the map, a third on the runs list "
            "and then on the run's own page) on a published eNMS.Web (SQLite) while a workflow of `wait` nodes runs device by "
            "device on every device, 50 at a time (*wait* per node and device: the run lasts ~40 s alone). *Idle per circuit* = the server's resident memory with the pages open minus before, per "
            "page. *Run* = stored start → end, alone (after a warm-up run) and with the pages open; the browsers share the "
            "machine with the server, so the ratio is a lower bound. *Seen* = from the run's stored end to each dashboard and "
            "run page showing it ended (page clock, same machine). *Server CPU* = the server process's CPU seconds during the run "
            "alone and watched (the rest of a slower watched run is the machine's: the browsers, other load). *Closed* = "
            "seconds until the server counts no circuit.",
            ["viewers", "devices × nodes, wait", "idle per circuit (MiB)", "run alone / watched (s)", "server CPU alone / watched (s)", "throughput kept",
             "seen median / max (ms)", "closed: circuits left, s", "goals ≤ 2 MiB, ≥ 90%, ≤ 1 s"])
    for r in runs:
        ratio = number(r, "throughput_ratio")
        per = number(r, "idle_mib_per_circuit")
        seen = number(r, "seen_max_ms")
        missed = int(number(r, "views_missed"))
        lines.append(f"| {int(number(r, 'viewers'))} | {int(number(r, 'devices')):,} × {int(number(r, 'nodes'))}, "
                     f"{number(r, 'wait_ms_per_node'):.0f} ms | {per:.2f} | "
                     f"{number(r, 'run_alone_s'):.1f} / {number(r, 'run_watched_s'):.1f} | "
                     f"{number(r, 'server_cpu_alone_s'):.1f} / {number(r, 'server_cpu_watched_s'):.1f} | {100 * ratio:.0f}% | "
                     f"{number(r, 'seen_median_ms'):.0f} / {seen:.0f}{f' ({missed} missed)' if missed else ''} | "
                     f"{int(number(r, 'circuits_after_close'))}, {number(r, 'release_s'):.0f} | "
                     f"{goal(per <= 2, 'memory')} {goal(ratio >= 0.9, 'throughput')} {goal(seen <= 1000 and not missed, 'seen')} |")
    lines.append("")


def history(rows, lines):
    runs = [r for r in rows if r["part"] == "history"]
    if not runs:
        lines += ["## 7. A year of runs", "", "Not run in this run (`sudo bench/run.sh history`).", ""]
        return
    section(lines, "7. A year of runs",
            f"SQLite, {int(number(runs[0], 'runs')):,} runs (365 days × 200, each on two devices) and {int(number(runs[0], 'results')):,} "
            "results, of which one workflow run holds 104,250 (5,000 devices × 20 nodes), against the same queries on an empty "
            "database. Each row is what a page or endpoint calls (`RunHistory`, `RunFilter`, `RunResultList`, `RunMatrix`, "
            "`GlobalSearch`), on a fresh context. *First*: the first execution on each database in the process, the empty one "
            "first (it also pays JIT and EF's query compilation). *Steady*: median of 20 after 5 warm-up rounds.",
            ["query", "rows", "first: empty / year (ms)", "steady: empty / year (ms)", "year ÷ empty"])
    for r in runs:
        lines.append(f"| {r['case'].replace('_', ' ')} | {int(number(r, 'rows')):,} | {number(r, 'empty_first_ms'):.1f} / "
                     f"{number(r, 'year_first_ms'):.1f} | {number(r, 'empty_ms'):.2f} / {number(r, 'year_ms'):.2f} | "
                     f"{number(r, 'ratio'):.1f}× |")
    lines.append("")


def nodes(rows, lines):
    runs = [r for r in rows if r["part"] == "nodes"]
    if not runs:
        lines += ["## 8. One run across cluster nodes", "", "Not run in this run (`sudo bench/run.sh nodes`).", ""]
        return
    per_node = [r for r in rows if r["part"] == "nodes-node"]
    section(lines, "8. One run across cluster nodes",
            f"`config_backup` of {int(number(runs[0], 'devices')):,} emulated Cisco IOS devices (*backup*), then a no-op service on "
            "the same devices (*noop*: `wait` 0 s, never dials: the engine's own cost), through the first node's REST API, every "
            "result persisted; each set twice, the *first* run after the nodes started (JIT) and the *steady* state. Nodes are "
            "processes on this machine against one PostgreSQL (`Scheduling:DistributeRuns`, batches of 50 devices, 10 batches in "
            "flight, `maxParallelDevices` 50 holding across the cluster: 50 sessions whatever the number of nodes). *1-local* is one node "
            "without DistributeRuns (the run in one process, 50 sessions) on the same PostgreSQL. CPU = each node process's user + "
            "system time over the run (`/proc/PID/stat`), summed; PostgreSQL = the postmaster and its live backends. The lab's "
            "sshd and emulator run on the same 2 cores: devices/s cannot grow with nodes here; CPU per device per node is what "
            "tells how separate machines would scale.",
            ["nodes", "service", "run", "time (s)", "devices/s", "÷ 1-local", "nodes' CPU (s)", "CPU ms per device", "PostgreSQL CPU (s)",
             "failures"])
    reference = {(r["service"], r["run"]): number(r, "devices") / number(r, "seconds")
                 for r in runs if r["label"] == "1-local" and number(r, "seconds")}
    for r in runs:
        devices, seconds = number(r, "devices"), number(r, "seconds")
        rate = devices / seconds if seconds else 0
        ref = reference.get((r["service"], r["run"]))
        ratio = f"{rate / ref:.2f}×" if ref and r["label"] != "1-local" else "—"
        status = "" if r.get("status", "Completed") == "Completed" else f" ({r['status']})"
        # Backends that ended during the run take their CPU time with them: no figure then.
        postgres = f"{number(r, 'pg_cpu_s'):.1f}" if number(r, "pg_cpu_s") >= 0 else "— (backends ended)"
        lines.append(f"| {r['label']} | {r['service']} | {r['run']} | {seconds:.2f} | {rate:.1f} | {ratio} | {number(r, 'cpu_s'):.1f} | "
                     f"{1000 * number(r, 'cpu_s') / devices if devices else 0:.2f} | {postgres} | {r['failures']}{status} |")
    lines += ["", "Per node: the devices each executed (the results' `executedOn`) and its CPU over the run (the coordinator's "
              "includes counting the run's results once a second; a node may use CPU without executing a device: Quartz's "
              "acquisition, the live events it receives).", "",
              "| nodes | service | run | node | devices executed | CPU (s) | CPU ms per device executed |", "|---|---|---|---|---|---|---|"]
    for r in per_node:
        executed = number(r, "devices")
        lines.append(f"| {r['label']} | {r['service']} | {r['run']} | {r['node']} | {int(executed)} | {number(r, 'cpu_s'):.1f} | "
                     f"{1000 * number(r, 'cpu_s') / executed if executed else 0:.2f} |")
    lines.append("")


def main():
    rows = parse(sys.argv[1])
    out = sys.argv[2]
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = ["# eNMS benchmark results", "", f"Run {now} with `sudo bench/run.sh`.", "", f"Machine: {machine(out)}.", ""]
    fanout(rows, lines)
    engine(rows, lines)
    importing(rows, lines)
    grid(rows, lines)
    ui(rows, lines)
    viewers(rows, lines)
    history(rows, lines)
    nodes(rows, lines)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
