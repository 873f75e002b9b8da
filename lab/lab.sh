#!/usr/bin/env bash
# eNMS device lab: FRR routers and Linux hosts in network namespaces, and a vendor CLI emulator (cisco_ios,
# cisco_nxos, arista_eos, juniper_junos, cisco_xr, cisco_asa, vyos, huawei, hp_comware, aruba_aoscx, fortinet, paloalto_panos,
# mikrotik_routeros, hp_procurve, dell_os10, ubiquiti_edge, nokia_sros, extreme_exos) behind one sshd
# serving thousands of devices; the emulator and the FRR
# routers also answer Telnet (Debian's inetutils-telnetd, port 23, /bin/login then the same CLI). Idempotent: `up` tears
# down what a crashed run left before starting; `down` removes everything by PID file and namespace name.
#
#   sudo lab/lab.sh up [all|emulator|frr|linux|gateway|netconf]   (ENMS_LAB_ROUTERS=3 ENMS_LAB_HOSTS=2)
#   sudo lab/lab.sh down
#   sudo lab/lab.sh status
#
# Network rule: only addresses inside namespaces and the bridge this script creates (10.255.0.0/16);
# no default route anywhere, forwarding in the root namespace is never touched.
set -euo pipefail

LAB=${ENMS_LAB_DIR:-/tmp/enms-lab}
SRC=$(cd "$(dirname "$0")" && pwd)
ROUTERS=${ENMS_LAB_ROUTERS:-3}
HOSTS=${ENMS_LAB_HOSTS:-2}
PASSWORD=${ENMS_LAB_PASSWORD:-enms-lab}
KEX="curve25519-sha256,ecdh-sha2-nistp256,diffie-hellman-group14-sha256"
BRIDGE=enms-br0
FRR_BIN=/usr/lib/frr
# LLDP on the routers' links (eth*): without lldpd installed the routers simply have no neighbours to show.
LLDPD=$([ -x /usr/sbin/lldpd ] && echo /usr/sbin/lldpd || echo :)

log() { echo "lab: $*" >&2; }
need() { command -v "$1" >/dev/null 2>&1 || { log "missing prerequisite: $1 (apt-get install $2)"; exit 3; }; }

preflight() {
  [ "$(id -u)" -eq 0 ] || { log "must run as root (network namespaces)"; exit 3; }
  need ip iproute2; need /usr/sbin/sshd openssh-server; need ssh-keygen openssh-client
  need /usr/bin/python3 python3; need /usr/sbin/telnetd inetutils-telnetd
  if [ "${1:-}" != emulator ]; then need vtysh frr; [ -x $FRR_BIN/zebra ] || { log "missing $FRR_BIN/zebra (frr)"; exit 3; }; fi
  mkdir -p /run/sshd "$LAB"
}

ensure_user() { # name shell [group]
  if ! id "$1" >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir "$LAB/home/$1" --shell "$2" ${3:+-G "$3"} "$1"
  else
    usermod --shell "$2" --home "$LAB/home/$1" ${3:+-a -G "$3"} "$1"
  fi
  # SHA-512 (5000 rounds) instead of yescrypt: a lab password, checked at every one of thousands of logins.
  echo "$1:$PASSWORD" | chpasswd -c SHA512 -s 5000
  mkdir -p "$LAB/home/$1"
  printf 'set enable-bracketed-paste off\n' > "$LAB/home/$1/.inputrc"
  printf 'PS1='"'"'\\u@\\h:\\w\\$ '"'"'\n' > "$LAB/home/$1/.bashrc"
  # In an FRR router's namespace its lldpd has a socket of its own (the sshd's SetEnv names it): plain lldpcli reads it.
  printf 'lldpcli() { /usr/sbin/lldpcli ${ENMS_LLDP_SOCKET:+-u "$ENMS_LLDP_SOCKET"} "$@"; }\n' >> "$LAB/home/$1/.bashrc"
  cp "$LAB/home/$1/.bashrc" "$LAB/home/$1/.profile"
  chown -R "$1" "$LAB/home/$1"
}

ensure_alias() { # name user: another login name for user (same uid, home and shell), e.g. MikroTik's user+options
  id "$1" >/dev/null 2>&1 || useradd --system --non-unique --uid "$(id -u "$2")" --gid "$(id -g "$2")" --no-create-home \
    --home-dir "$LAB/home/$2" --shell "$(getent passwd "$2" | cut -d: -f7)" "$1"
  echo "$1:$PASSWORD" | chpasswd -c SHA512 -s 5000
}

# Telnet: lab/telnet_listener.py (an inetd of one service) starts telnetd for each connection; telnetd runs
# telnet-login as root, which passes what the session needs (the router's directory, the dialled address) through
# the environment that `login -p` keeps (telnetd gives login an empty one), then /bin/login asks for the user and
# password as on any Debian host.
telnet_command() { # pidfile NAME=VALUE... -> the command line to run inside the namespace (no spaces in paths)
  local pid=$1; shift
  echo "/usr/bin/python3 -S $LAB/bin/telnet_listener.py --listen 0.0.0.0:23 --pidfile $pid --" \
    "/usr/sbin/telnetd -h -E '$LAB/bin/telnet-login %h $*'"
}

telnet_tools() {
  mkdir -p "$LAB/bin"
  cp "$SRC/telnet_listener.py" "$LAB/bin/telnet_listener.py"
  cat > "$LAB/bin/telnet-login" <<'SH'
#!/bin/sh
# Run by telnetd as root: telnet-login REMOTE-HOST NAME=VALUE... -> /bin/login -p with those in the environment.
host=$1; shift
for assignment in "$@"; do export "$assignment"; done
exec /bin/login -p -h "$host"
SH
  chmod 755 "$LAB/bin/telnet-login"
}

hostkey() { [ -f "$1" ] || ssh-keygen -q -t ed25519 -N '' -f "$1"; }

sshd_config() { # file pidfile hostkey user extra...
  local file=$1 pid=$2 key=$3 user=$4; shift 4
  cat > "$file" <<CONF
ListenAddress 0.0.0.0:22
HostKey $key
PidFile $pid
UsePAM no
PasswordAuthentication yes
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AuthorizedKeysFile $LAB/authorized_keys
StrictModes no
PermitRootLogin no
AllowUsers $user
KexAlgorithms $KEX
UseDNS no
PrintMotd no
PrintLastLog no
MaxStartups 400:30:800
MaxAuthTries 3
LoginGraceTime 30
LogLevel ERROR
$(printf '%s\n' "$@")
CONF
}

# ------------------------------------------------------------------ emulator
emulator_up() {
  local dir=$LAB/emulator ns=enms-emu
  mkdir -p "$dir/state"
  ensure_user enmslab /bin/sh
  # RouterOS takes terminal options after a '+' in the user name (what the mikrotik_routeros driver sends, and one
  # without a height, so that the router pages).
  ensure_alias enmslab+ct511w4098h enmslab
  ensure_alias enmslab+ct enmslab
  cp "$SRC"/emulator/enms_*.py "$dir/"
  # Compiled once here and imported by every session: compiling its 1,000 lines each time sshd started it was half of
  # the emulator's start-up, CPU the fan-out bench's tools then shared with it.
  /usr/bin/python3 -m py_compile "$dir"/enms_*.py
  chown -R enmslab "$dir/state"
  hostkey "$dir/ssh_host_ed25519_key"
  touch "$LAB/authorized_keys"
  sshd_config "$dir/sshd_config" "$dir/sshd.pid" "$dir/ssh_host_ed25519_key" "enmslab enmslab+ct511w4098h enmslab+ct" \
    "ForceCommand /usr/bin/python3 -S -c \"import sys; sys.path.insert(0, '$dir'); import enms_emulator; enms_emulator.main()\" --state $dir/state" \
    "SetEnv ENMS_EMU_MINUTE=${ENMS_EMU_MINUTE:-60} ENMS_EMU_RELOAD=${ENMS_EMU_RELOAD:-60}" \
    "Match LocalAddress 10.255.192.0/24" "  DenyUsers *"
  ip netns add $ns
  ip link add enms-emu0 type veth peer name eth0 netns $ns
  ip addr add 10.255.127.1/30 dev enms-emu0
  ip link set enms-emu0 up
  ip -n $ns link set lo up
  ip -n $ns addr add 10.255.127.2/30 dev eth0
  ip -n $ns link set eth0 up
  # The namespace owns 10.255.128.0/17: every address in it is a device (see enms_emulator.py).
  ip -n $ns route add local 10.255.128.0/17 dev lo
  ip route add 10.255.128.0/17 via 10.255.127.2 dev enms-emu0
  ip netns exec $ns /usr/sbin/sshd -f "$dir/sshd_config"
  # Over Telnet, login starts enmslab's login shell, which reads .profile: the emulator for the dialled address.
  cat >> "$LAB/home/enmslab/.profile" <<PROFILE
if [ -n "\$ENMS_TELNET_LOCAL" ]; then
  export ENMS_EMU_MINUTE=${ENMS_EMU_MINUTE:-60} ENMS_EMU_RELOAD=${ENMS_EMU_RELOAD:-60}
  exec /usr/bin/python3 -S -c "import sys; sys.path.insert(0, '$dir'); import enms_emulator; enms_emulator.main()" --state $dir/state --address "\$ENMS_TELNET_LOCAL"
fi
PROFILE
  telnet_tools
  ip netns exec $ns sh -c "$(telnet_command "$dir/telnetd.pid" 'ENMS_TELNET_LOCAL={local}')"
  log "emulator: sshd and telnetd in namespace $ns, devices at 10.255.128.0/17 (user enmslab, password $PASSWORD)"
}

# ------------------------------------------------------------------ FRR routers
# BGP of router $1: AS 6500I, eBGP to its chain neighbours over the link addresses (r1-r2, r2-r3... Established in a
# few seconds: connect retry 2 s), announcing its loopback and 198.18.I.0/24 (a Null0 static). r1 also has a neighbour
# at 10.255.2.250, an address no router owns and no route reaches, so that session stays down (Active/Idle).
frr_bgp() {
  local i=$1
  printf 'ip route 198.18.%d.0/24 Null0\n!\n' "$i"
  printf 'router bgp %d\n bgp router-id 10.255.2.%d\n no bgp ebgp-requires-policy\n no bgp network import-check\n' $((65000 + i)) "$i"
  [ "$i" -gt 1 ] && bgp_neighbor 10.255.1.$((4 * (i - 1) - 3)) $((64999 + i)) "r$((i - 1))"
  [ "$i" -lt "$ROUTERS" ] && bgp_neighbor 10.255.1.$((4 * i - 2)) $((65001 + i)) "r$((i + 1))"
  [ "$i" -eq 1 ] && bgp_neighbor 10.255.2.250 65250 "nobody answers"
  printf ' !\n address-family ipv4 unicast\n  network 10.255.2.%d/32\n  network 198.18.%d.0/24\n exit-address-family\nexit\n!\n' "$i" "$i"
}

bgp_neighbor() {
  printf ' neighbor %s remote-as %d\n neighbor %s description %s\n neighbor %s timers 3 9\n neighbor %s timers connect 2\n' "$1" "$2" "$1" "$3" "$1" "$1"
}

frr_up() {
  local i dir ns batch
  ensure_user enmsfrr "$LAB/bin/frr-shell" frrvty
  mkdir -p "$LAB/bin"
  telnet_tools
  cat > "$LAB/bin/frr-shell" <<'SH'
#!/bin/sh
# Login shell of the lab's FRR user: the router's vtysh (ENMS_FRR_DIR comes from the router's sshd SetEnv, or over
# Telnet from telnet-login).
if [ "$1" = "-c" ]; then exec /usr/bin/vtysh --vty_socket "$ENMS_FRR_DIR/run" --config_dir "$ENMS_FRR_DIR/etc" -c "$2"; fi
exec /usr/bin/vtysh --vty_socket "$ENMS_FRR_DIR/run" --config_dir "$ENMS_FRR_DIR/etc"
SH
  chmod 755 "$LAB/bin/frr-shell"
  ip link add $BRIDGE type bridge 2>/dev/null || true
  ip addr replace 10.255.0.1/24 dev $BRIDGE
  ip link set $BRIDGE up
  batch=$(mktemp)
  for i in $(seq 1 "$ROUTERS"); do
    ns=enms-r$i
    echo "netns add $ns" >> "$batch"
  done
  ip -batch "$batch"; : > "$batch"
  for i in $(seq 1 "$ROUTERS"); do
    ns=enms-r$i
    cat >> "$batch" <<B
link add enms-r$i-m type veth peer name mgmt netns $ns
link set enms-r$i-m master $BRIDGE up
B
    if [ "$i" -lt "$ROUTERS" ]; then
      echo "link add eth2 netns $ns type veth peer name eth1 netns enms-r$((i + 1))" >> "$batch"
    fi
  done
  ip -batch "$batch"; rm -f "$batch"
  for i in $(seq 1 "$ROUTERS"); do
    ns=enms-r$i; dir=$LAB/frr/r$i
    mkdir -p "$dir/run" "$dir/etc"
    ip -n $ns -batch - <<B
link set lo up
link set mgmt up
addr add 10.255.0.$((10 + i))/24 dev mgmt
addr add 10.255.2.$i/32 dev lo
B
    [ "$i" -gt 1 ] && ip -n $ns addr add 10.255.1.$((4 * (i - 1) - 2))/30 dev eth1 && ip -n $ns link set eth1 up
    [ "$i" -lt "$ROUTERS" ] && ip -n $ns addr add 10.255.1.$((4 * i - 3))/30 dev eth2 && ip -n $ns link set eth2 up
    {
      echo "frr defaults traditional"
      echo "hostname r$i"
      echo "service integrated-vtysh-config"
      echo "!"
      for ifc in eth1 eth2; do
        if { [ $ifc = eth1 ] && [ "$i" -gt 1 ]; } || { [ $ifc = eth2 ] && [ "$i" -lt "$ROUTERS" ]; }; then
          printf 'interface %s\n ip ospf area 0\n ip ospf network point-to-point\n ip ospf hello-interval 2\n ip ospf dead-interval 8\nexit\n!\n' $ifc
        fi
      done
      printf 'interface lo\n ip ospf area 0\n ip ospf passive\nexit\n!\n'
      printf 'router ospf\n ospf router-id 10.255.2.%d\nexit\n!\n' "$i"
      frr_bgp "$i"
    } > "$dir/etc/frr.conf"
    echo "service integrated-vtysh-config" > "$dir/etc/vtysh.conf"
    chown -R frr:frr "$dir"; chmod 775 "$dir/run"; chgrp frrvty "$dir/run"
    chmod 644 "$dir/etc/frr.conf" "$dir/etc/vtysh.conf"
    # 'write memory' (vtysh as the SSH user, in frrvty) writes etc/frr.conf through a new file beside it.
    chgrp frrvty "$dir/etc" "$dir/etc/frr.conf"; chmod 775 "$dir/etc"; chmod 664 "$dir/etc/frr.conf"
    hostkey "$dir/ssh_host_ed25519_key"
    touch "$LAB/authorized_keys"
    # enmsfrr lands in vtysh; enmshost (bash) on the same router reads its LLDP with lldpcli, as on an FRR Linux host.
    sshd_config "$dir/sshd_config" "$dir/run/sshd.pid" "$dir/ssh_host_ed25519_key" "enmsfrr enmshost" \
      "SetEnv ENMS_FRR_DIR=$dir ENMS_LLDP_SOCKET=$dir/run/lldpd.sock"
    printf 'configure lldp tx-interval 5\nconfigure lldp portidsubtype ifname\nconfigure system hostname r%d\nconfigure system ip management pattern 10.255.0.*\n' "$i" > "$dir/etc/lldpd.conf"
    local common="-d -u frr -g frr --vty_socket $dir/run -z $dir/run/zserv.api -f /dev/null"
    ip netns exec $ns unshare --uts sh -c "hostname r$i
      $LLDPD -u $dir/run/lldpd.sock -p $dir/run/lldpd.pid -O $dir/etc/lldpd.conf -I 'eth*'
      $FRR_BIN/zebra $common -i $dir/run/zebra.pid --log file:$dir/zebra.log
      $FRR_BIN/staticd $common -i $dir/run/staticd.pid --log file:$dir/staticd.log
      $FRR_BIN/ospfd $common -i $dir/run/ospfd.pid --log file:$dir/ospfd.log
      $FRR_BIN/bgpd $common -i $dir/run/bgpd.pid --log file:$dir/bgpd.log
      for t in 1 2 3 4 5 6 7 8 9 10; do [ -S $dir/run/ospfd.vty ] && [ -S $dir/run/bgpd.vty ] && break; sleep 0.2; done
      /usr/bin/vtysh --vty_socket $dir/run --config_dir $dir/etc -b >/dev/null
      /usr/sbin/sshd -f $dir/sshd_config
      $(telnet_command "$dir/run/telnetd.pid" "ENMS_FRR_DIR=$dir")" 2>/dev/null
  done
  log "frr: $ROUTERS routers r1..r$ROUTERS at 10.255.0.11.. (SSH and Telnet, user enmsfrr, password $PASSWORD), OSPF on 10.255.1.0/24"
}

# ------------------------------------------------------------------ Linux hosts
linux_up() {
  local i ns dir
  # In group adm: Debian's lldpcli is set-user _lldpd (which may open lldpd's socket) and runs for group adm only.
  ensure_user enmshost /bin/bash adm
  ip link add $BRIDGE type bridge 2>/dev/null || true
  ip addr replace 10.255.0.1/24 dev $BRIDGE
  ip link set $BRIDGE up
  for i in $(seq 1 "$HOSTS"); do
    ns=enms-h$i; dir=$LAB/linux/h$i
    mkdir -p "$dir"
    ip netns add $ns
    ip link add enms-h$i-m type veth peer name mgmt netns $ns
    ip link set enms-h$i-m master $BRIDGE up
    ip -n $ns link set lo up
    ip -n $ns addr add 10.255.0.$((100 + i))/24 dev mgmt
    ip -n $ns link set mgmt up
    hostkey "$dir/ssh_host_ed25519_key"
    touch "$LAB/authorized_keys"
    # SFTP as on any Linux server: Ansible copies its modules and files over it.
    sshd_config "$dir/sshd_config" "$dir/sshd.pid" "$dir/ssh_host_ed25519_key" enmshost "Subsystem sftp internal-sftp"
    # Port 2222: keyboard-interactive only (through PAM), as devices with RADIUS/TACACS+ prompts ask.
    sed -e 's/^UsePAM no/UsePAM yes/; s/^PasswordAuthentication yes/PasswordAuthentication no/' \
      -e 's/^KbdInteractiveAuthentication no/KbdInteractiveAuthentication yes/' \
      -e 's/^ListenAddress 0.0.0.0:22/ListenAddress 0.0.0.0:2222/' -e "s#^PidFile .*#PidFile $dir/ki.pid#" \
      "$dir/sshd_config" > "$dir/sshd_ki_config"
    ip netns exec $ns unshare --uts sh -c "hostname h$i; /usr/sbin/sshd -f $dir/sshd_config; /usr/sbin/sshd -f $dir/sshd_ki_config"
  done
  log "linux: $HOSTS hosts h1..h$HOSTS at 10.255.0.101.. (user enmshost, password $PASSWORD; port 2222: keyboard-interactive)"
}

# ------------------------------------------------------------------ a router behind a gateway
# r0: an FRR router (zebra, staticd; SSH and Telnet) whose only link is to Linux host h1, on 10.255.3.0/24, which the
# root namespace has no route to: reachable only through h1's sshd as a jump host (eNMS "gateways").
gateway_up() {
  local ns=enms-r0 dir=$LAB/frr/r0
  ip netns list | grep -q '^enms-h1\b' || { log "gateway: needs the linux part (host h1)"; exit 3; }
  mkdir -p "$dir/run" "$dir/etc"
  ip netns add $ns
  ip link add inner netns enms-h1 type veth peer name eth0 netns $ns
  ip -n enms-h1 addr add 10.255.3.1/24 dev inner
  ip -n enms-h1 link set inner up
  ip -n $ns link set lo up
  ip -n $ns addr add 10.255.3.10/24 dev eth0
  ip -n $ns link set eth0 up
  # From the root namespace this network is unreachable on purpose: a direct dial fails at once and no packet
  # follows the machine's default route out.
  ip route add unreachable 10.255.3.0/24
  printf 'frr defaults traditional\nhostname r0\nservice integrated-vtysh-config\n!\nip route 198.51.100.0/24 Null0\n!\n' > "$dir/etc/frr.conf"
  echo "service integrated-vtysh-config" > "$dir/etc/vtysh.conf"
  chown -R frr:frr "$dir"; chmod 775 "$dir/run"; chgrp frrvty "$dir/run"
  chmod 644 "$dir/etc/frr.conf" "$dir/etc/vtysh.conf"
  hostkey "$dir/ssh_host_ed25519_key"
  sshd_config "$dir/sshd_config" "$dir/run/sshd.pid" "$dir/ssh_host_ed25519_key" enmsfrr "SetEnv ENMS_FRR_DIR=$dir"
  local common="-d -u frr -g frr --vty_socket $dir/run -z $dir/run/zserv.api -f /dev/null"
  ip netns exec $ns unshare --uts sh -c "hostname r0
    $FRR_BIN/zebra $common -i $dir/run/zebra.pid --log file:$dir/zebra.log
    $FRR_BIN/staticd $common -i $dir/run/staticd.pid --log file:$dir/staticd.log
    for t in 1 2 3 4 5 6 7 8 9 10; do [ -S $dir/run/staticd.vty ] && break; sleep 0.2; done
    /usr/bin/vtysh --vty_socket $dir/run --config_dir $dir/etc -b >/dev/null
    /usr/sbin/sshd -f $dir/sshd_config
    $(telnet_command "$dir/run/telnetd.pid" "ENMS_FRR_DIR=$dir")" 2>/dev/null
  log "gateway: router r0 at 10.255.3.10 (SSH and Telnet), reachable only through h1 (10.255.0.101)"
}

# ------------------------------------------------------------------ NETCONF servers
# Debian's netconfd (yuma123) behind sshd's netconf subsystem, in namespace enms-nc at 10.255.0.200: port 830 is a
# server with a candidate datastore (:candidate, :confirmed-commit, :validate), port 1830 one that writes running
# only (:writable-running, no :candidate). netconf-subsystem picks the netconfd socket by the port dialled.
netconf_up() {
  local dir=$LAB/netconf ns=enms-nc kind port
  [ -x /usr/sbin/netconfd ] || { log "missing prerequisite: /usr/sbin/netconfd (apt-get install netconfd)"; exit 3; }
  mkdir -p "$dir"
  ensure_user enmsnc /bin/sh
  for kind in candidate running; do
    cat > "$dir/$kind-startup.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">
  <system xmlns="urn:ietf:params:xml:ns:yang:ietf-system"><hostname>nc-$kind</hostname></system>
  <interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces">
    <interface>
      <name>eth0</name>
      <type xmlns:ianaift="urn:ietf:params:xml:ns:yang:iana-if-type">ianaift:ethernetCsmacd</type>
      <description>uplink</description>
    </interface>
  </interfaces>
</config>
XML
    port=830; [ $kind = running ] && port=1830
    # --superuser: the lab user bypasses NACM (the lab tests NETCONF, not access control rules). Each server keeps its
    # transaction id in \$HOME/.yuma: a HOME of its own, or the two servers would share (and corrupt) one.
    mkdir -p "$dir/home-$kind"
    HOME="$dir/home-$kind" /usr/sbin/netconfd --target=$kind --port=$port --ncxserver-sockname="$dir/$kind.sock" --startup="$dir/$kind-startup.xml" \
      --module=iana-if-type --module=ietf-interfaces --module=ietf-system --superuser=enmsnc \
      --log="$dir/netconfd-$kind.log" --log-level=warn </dev/null >/dev/null 2>&1 &
    echo $! > "$dir/netconfd-$kind.pid"
    # One after the other: a server that starts while the other writes its start-up files can fail to read them.
    for t in $(seq 1 50); do [ -S "$dir/$kind.sock" ] && break; sleep 0.1; done
    [ -S "$dir/$kind.sock" ] || { log "netconfd ($kind) did not start: $(tail -5 "$dir/netconfd-$kind.log")"; exit 1; }
  done
  hostkey "$dir/ssh_host_ed25519_key"
  touch "$LAB/authorized_keys"
  sshd_config "$dir/sshd_config" "$dir/sshd.pid" "$dir/ssh_host_ed25519_key" enmsnc \
    "Subsystem netconf /usr/sbin/netconf-subsystem --ncxserver-sockname=830@$dir/candidate.sock --ncxserver-sockname=1830@$dir/running.sock"
  sed -i 's/^ListenAddress 0.0.0.0:22/ListenAddress 0.0.0.0:830\nListenAddress 0.0.0.0:1830/' "$dir/sshd_config"
  ip link add $BRIDGE type bridge 2>/dev/null || true
  ip addr replace 10.255.0.1/24 dev $BRIDGE
  ip link set $BRIDGE up
  ip netns add $ns
  ip link add enms-nc-m type veth peer name mgmt netns $ns
  ip link set enms-nc-m master $BRIDGE up
  ip -n $ns link set lo up
  ip -n $ns addr add 10.255.0.200/24 dev mgmt
  ip -n $ns link set mgmt up
  ip netns exec $ns /usr/sbin/sshd -f "$dir/sshd_config"
  log "netconf: netconfd at 10.255.0.200 port 830 (candidate) and 1830 (running only) (user enmsnc, password $PASSWORD)"
}

# ------------------------------------------------------------------ teardown and status
down() {
  local pidfile ns
  for pidfile in "$LAB"/emulator/sshd.pid "$LAB"/emulator/telnetd.pid "$LAB"/frr/*/run/*.pid "$LAB"/linux/*/*.pid "$LAB"/netconf/*.pid; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
  done
  for ns in $(ip netns list | awk '{print $1}' | grep -E '^enms-(emu|nc|r[0-9]+|h[0-9]+)$' || true); do
    # Whatever still runs in our namespaces (emulator sessions, vtysh) is ours.
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
  done
  ip route del 10.255.128.0/17 2>/dev/null || true
  ip route del unreachable 10.255.3.0/24 2>/dev/null || true
  ip link del enms-emu0 2>/dev/null || true
  for link in $(ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | grep -E '^enms-((r|h)[0-9]+|nc)-m$' || true); do
    ip link del "$link" 2>/dev/null || true
  done
  ip link del $BRIDGE 2>/dev/null || true
  rm -rf "$LAB/frr" "$LAB/linux" "$LAB/emulator/state" "$LAB/netconf"
}

status() {
  ip netns list | grep -E '^enms-' || echo "no lab namespaces"
  for pidfile in "$LAB"/emulator/sshd.pid "$LAB"/emulator/telnetd.pid "$LAB"/frr/*/run/*.pid "$LAB"/linux/*/*.pid "$LAB"/netconf/*.pid; do
    [ -f "$pidfile" ] && echo "$pidfile: $(cat "$pidfile")"
  done
  return 0
}

case "${1:-}" in
  up)
    what=${2:-all}
    preflight "$what"
    down
    case $what in
      all) emulator_up; frr_up; linux_up; gateway_up; netconf_up ;;
      emulator) emulator_up ;;
      frr) frr_up ;;
      linux) linux_up ;;
      gateway) frr_up; linux_up; gateway_up ;;
      netconf) netconf_up ;;
      *) echo "usage: $0 up [all|emulator|frr|linux|gateway|netconf]" >&2; exit 2 ;;
    esac ;;
  down) down; log "down" ;;
  status) status ;;
  *) echo "usage: $0 up [all|emulator|frr|linux|gateway|netconf] | down | status" >&2; exit 2 ;;
esac
