#!/usr/bin/python3
"""Netmiko 2.4 peer of the fan-out benchmark: back up the running config of every host in a thread pool.

usage: netmiko_backup.py HOSTS_FILE DEVICE_TYPE USER PASSWORD SECRET PARALLEL FAST_CLI(0|1) OUT_DIR
HOSTS_FILE has one "name address" per line. Prints one RESULT line (bench/report.py reads it).
"""
import concurrent.futures
import os
import sys
import time

from netmiko import ConnectHandler


def backup(host, args):
    name, address = host
    device_type, user, password, secret, fast_cli, out = args
    connection = ConnectHandler(device_type=device_type, host=address, username=user, password=password,
                                secret=secret, fast_cli=fast_cli)
    try:
        if secret:
            connection.enable()
        config = connection.send_command("show running-config")
    finally:
        connection.disconnect()
    with open(os.path.join(out, name + ".cfg"), "w") as f:
        f.write(config)
    return "hostname" in config or "host-name" in config


def main():
    hosts_file, device_type, user, password, secret, parallel, fast_cli, out = sys.argv[1:9]
    hosts = [line.split() for line in open(hosts_file) if len(line.split()) == 2]
    os.makedirs(out, exist_ok=True)
    args = (device_type, user, password, secret, fast_cli == "1", out)
    failures = 0
    errors = []
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=int(parallel)) as pool:
        for future in concurrent.futures.as_completed([pool.submit(backup, h, args) for h in hosts]):
            try:
                if not future.result():
                    failures += 1
            except Exception as e:  # a peer's failure is counted, never hidden
                failures += 1
                errors.append(str(e).splitlines()[0] if str(e) else type(e).__name__)
    seconds = time.monotonic() - started
    for error in sorted(set(errors))[:5]:
        print("netmiko: " + error, file=sys.stderr)
    tool = "Netmiko_2.4_fast_cli" if fast_cli == "1" else "Netmiko_2.4_defaults"
    print("RESULT fanout tool=%s label=%s devices=%d parallel=%s seconds=%.3f failures=%d"
          % (tool, os.environ.get("BENCH_LABEL", "bench"), len(hosts), parallel, seconds, failures))


if __name__ == "__main__":
    main()
