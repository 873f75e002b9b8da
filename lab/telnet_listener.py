#!/usr/bin/python3
"""eNMS lab: a minimal inetd for Debian's telnetd (inetutils), one per namespace.

telnetd only speaks on the socket it is given as stdin/stdout, as inetd starts it. This listener binds an address,
daemonizes, writes its PID file, and for each connection forks telnetd with the socket as stdin/stdout/stderr and
`{local}` in its arguments replaced by the address the client dialled. telnetd scrubs its environment before it
starts login, so that address reaches the login shell through telnetd's `-E` program (lab.sh's telnet-login, which
exports it and runs `/bin/login -p`): the emulator serves a whole range of device addresses from one listener.

  telnet_listener.py --listen 0.0.0.0:23 --pidfile FILE -- /usr/sbin/telnetd -h -E "telnet-login %h X={local}"
"""
import os
import signal
import socket
import sys


def main():
    args = sys.argv[1:]
    split = args.index("--")
    options, command = args[:split], args[split + 1:]
    listen = options[options.index("--listen") + 1]
    pidfile = options[options.index("--pidfile") + 1]
    host, port = listen.rsplit(":", 1)
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((host, int(port)))
    server.listen(128)
    # Daemonize after binding, so that a taken port fails the caller.
    if os.fork():
        os._exit(0)
    os.setsid()
    if os.fork():
        os._exit(0)
    with open(pidfile, "w") as f:
        f.write("%d\n" % os.getpid())
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # no zombies: nobody waits for the sessions
    env = dict(os.environ)
    while True:
        try:
            conn, _ = server.accept()
        except InterruptedError:
            continue
        if os.fork() == 0:
            server.close()
            local = conn.getsockname()
            for fd in (0, 1, 2):
                os.dup2(conn.fileno(), fd)
            conn.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            # telnetd hands login an empty environment (TERM only): the dialled address travels as an argument.
            os.execve(command[0], [a.replace("{local}", local[0]) for a in command], env)
        conn.close()


if __name__ == "__main__":
    main()
