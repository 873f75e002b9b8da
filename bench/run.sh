#!/usr/bin/env bash
# eNMS benchmarks against peers, in one run on this machine (as root: the device lab uses network namespaces).
#   sudo bench/run.sh                 everything (~25 min): fan-out N=100 and 1,000, engine, import, grid, ui
#   sudo ENMS_BENCH_SIZES=100 bench/run.sh fanout engine     only some parts, smaller
#   sudo bench/run.sh ui                                     the UI in Chromium (ENMS_BENCH_UI_SCALE=10: a tenth of the sizes)
#   sudo ENMS_BENCH_VIEWERS="1 50" bench/run.sh viewers      N Chromium pages watching a run (not in the default parts: ~15 min)
#   sudo bench/run.sh history                                a year of runs and a 100,000-result run vs an empty database (~3 min)
#   sudo bench/run.sh nodes                                  one 2,000-device backup on 1, 2 and 3 cluster nodes (PostgreSQL,
#                                                            Scheduling:DistributeRuns; not in the default parts: ~15 min)
# Prints the tables and writes them to bench/RESULTS.md. Knobs: ENMS_BENCH_SIZES ("100 1000"), ENMS_BENCH_PARALLEL
# (50: eNMS's MaxParallelDevices default, Netmiko's thread pool, Ansible's forks, xargs -P), ENMS_BENCH_ROUTERS (10),
# ENMS_BENCH_PEERS_MAX (above this many devices only eNMS and OpenSSH run: 100), ENMS_BENCH_ANSIBLE_DEVICES (Ansible
# gets the first 20 devices of each set: it costs seconds of CPU per device), ENMS_BENCH_DIR (/tmp/enms-bench).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=${ENMS_BENCH_DIR:-/tmp/enms-bench}
SIZES=${ENMS_BENCH_SIZES:-"100 1000"}
PARALLEL=${ENMS_BENCH_PARALLEL:-50}
ROUTERS=${ENMS_BENCH_ROUTERS:-10}
PEERS_MAX=${ENMS_BENCH_PEERS_MAX:-100}
ANSIBLE_DEVICES=${ENMS_BENCH_ANSIBLE_DEVICES:-20}
PARTS=${*:-fanout engine import grid ui}
export ENMS_LAB_DIR=/tmp/enms-lab-tests   # as the test fixture: one lab, taken in turns through the lock below
LOCK=/tmp/enms-lab-tests.lock
LAB_PASSWORD=enms-lab
BENCH="dotnet $ROOT/bench/eNMS.Bench/bin/Release/net10.0/eNMS.Bench.dll"
PG_BIN=/usr/lib/postgresql/15/bin
PG_PORT=55439

log() { echo "bench: $*" >&2; }
[ "$(id -u)" -eq 0 ] || { log "run as root (the device lab uses network namespaces)"; exit 3; }

packages=(python3-netmiko ansible postgresql openssh-client openssh-server frr iproute2 procps python3 util-linux)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

rm -rf "$OUT"; mkdir -p "$OUT"
RESULTS=$OUT/results.txt
: > "$RESULTS"
log "building eNMS.Web and eNMS.Bench (Release)"
dotnet build eNMS.Web -c Release -v q -nologo > "$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }
dotnet build bench/eNMS.Bench -c Release -v q -nologo >> "$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }
uptime > "$OUT/load-start.txt"

# Runs a command, keeps its RESULT lines, shows the rest on stderr.
record() { "$@" 2> >(sed 's/^/  /' >&2) | tee -a "$RESULTS" | grep -v '^RESULT' >&2 || true; }

ENMS_PID=""
stop_enms() { if [ -n "$ENMS_PID" ]; then kill "$ENMS_PID" 2>/dev/null || true; wait "$ENMS_PID" 2>/dev/null || true; ENMS_PID=""; fi; }
PG_DIR=""
stop_pg() { if [ -n "$PG_DIR" ]; then su postgres -s /bin/sh -c "$PG_BIN/pg_ctl -D $PG_DIR -m immediate stop" >/dev/null 2>&1 || true; PG_DIR=""; fi; }
LAB_UP=""
cleanup() { stop_enms; stop_nodes; stop_pg; if [ -n "$LAB_UP" ]; then lab/lab.sh down >/dev/null 2>&1 || true; fi; }
trap cleanup EXIT

# eNMS.Web as deployed: its own process on a loopback port, a fresh SQLite data directory, no demo network.
start_enms() { # data_dir port [published_dir: run a `dotnet publish` output, which serves the UI's static files]
  local app_dir=eNMS.Web dll=bin/Release/net10.0/eNMS.Web.dll
  [ -n "${3:-}" ] && app_dir=$3 dll=eNMS.Web.dll
  mkdir -p "$1"
  (cd "$app_dir" && Enms__DataDirectory="$1" Enms__SeedDemo=false ENMS_ADMIN_PASSWORD=bench-admin-password \
    Security__ApiRequestsPerMinute=100000 ASPNETCORE_URLS="http://127.0.0.1:$2" \
    exec dotnet "$dll" > "$1/server.log" 2>&1) &
  ENMS_PID=$!
  for _ in $(seq 1 120); do
    curl -s -o /dev/null "http://127.0.0.1:$2/login" && return 0
    kill -0 "$ENMS_PID" 2>/dev/null || break
    sleep 0.5
  done
  log "eNMS.Web did not start: $(tail -5 "$1/server.log")"; exit 1
}

# Process ids: the dotnet host is the process itself (exec above).
peak_mib() { awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

# The lab's namespaces are machine-wide and other engineers' test runs use them: hold the lock (as the test
# fixture does) only for one tool at a time, bringing up just the part needed, so a waiting test run gets a turn.
with_lab() { # part command...
  local part=$1; shift
  exec 9> "$LOCK"
  flock -w 900 9 || { log "$LOCK held for 15 minutes by another run"; exit 1; }
  LAB_UP=1
  ENMS_LAB_ROUTERS=$ROUTERS lab/lab.sh up "$part" > "$OUT/lab.log" 2>&1 || { cat "$OUT/lab.log"; exit 1; }
  grep -qF "$(cat "$OUT/key.pub")" "$ENMS_LAB_DIR/authorized_keys" 2>/dev/null || cat "$OUT/key.pub" >> "$ENMS_LAB_DIR/authorized_keys"
  "$@"
  lab/lab.sh down > /dev/null 2>&1 || true
  LAB_UP=""
  exec 9>&-
  sleep 2
}

# eNMS: real engine, REST API, results persisted (config_backup; MaxParallelDevices = parallel).
fanout_enms() { # label hosts platform user secret parallel
  local dir=$OUT/$1
  start_enms "$dir/enms" 59170
  record $BENCH fanout --url "http://127.0.0.1:59170/" --data "$dir/enms" --hosts "$2" --platform "$3" \
    --user "$4" --password "$LAB_PASSWORD" ${5:+--enable "$5"} --parallel "$6" --label "$1"
  echo "RESULT fanout-memory label=$1 peak_mib=$(peak_mib "$ENMS_PID")" >> "$RESULTS"
  stop_enms
}

# OpenSSH client, the floor: the same CLI conversation piped into ssh, xargs -P.
fanout_openssh() { # label hosts user secret parallel
  local dir=$OUT/$1/openssh script started ended ok n
  mkdir -p "$dir"
  if [ -n "$4" ]; then script="enable\n$4\nterminal length 0\nshow running-config\nexit\n"; else script="terminal length 0\nshow running-config\nexit\n"; fi
  n=$(wc -l < "$2")
  started=$(date +%s.%N)
  awk 'NF == 2 { print $1, $2 }' "$2" | xargs -P "$5" -L 1 sh -c 'printf "$0" | ssh -T -i '"$OUT"'/key -o BatchMode=yes \
      -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o ConnectTimeout=30 \
      '"$3"'@"$2" > '"$dir"'/"$1".cfg 2>&1' "$script" 2>/dev/null || true
  ended=$(date +%s.%N)
  ok=$(grep -lE '^(hostname|host-name) ' "$dir"/*.cfg 2>/dev/null | wc -l || true)
  echo "RESULT fanout tool=OpenSSH_xargs label=$1 devices=$n parallel=$5 seconds=$(python3 -c "print(round($ended - $started, 3))") failures=$((n - ok))" >> "$RESULTS"
}

fanout_set() { # label hosts_file platform user secret network_os
  local label=$1 hosts=$2 platform=$3 user=$4 secret=$5 network_os=$6 n p lab_part=emulator netmiko_type=$3
  n=$(wc -l < "$hosts"); p=$((n < PARALLEL ? n : PARALLEL))
  [ "$platform" = frr ] && lab_part=frr && netmiko_type=cisco_ios   # Netmiko 2.4 has no frr class; its IOS class drives vtysh
  mkdir -p "$OUT/$label"
  export BENCH_LABEL=$label
  log "fan-out $label: $n devices, $p in parallel: eNMS"
  with_lab $lab_part fanout_enms "$label" "$hosts" "$platform" "$user" "$secret" "$p"
  log "fan-out $label: OpenSSH"
  with_lab $lab_part fanout_openssh "$label" "$hosts" "$user" "$secret" "$p"
  if [ "$n" -gt "$PEERS_MAX" ]; then
    echo "RESULT fanout tool=Netmiko_2.4 label=$label devices=$n parallel=$p seconds=0 failures=0 skipped=above_ENMS_BENCH_PEERS_MAX" >> "$RESULTS"
    echo "RESULT fanout tool=Ansible label=$label devices=$n parallel=$p seconds=0 failures=0 skipped=above_ENMS_BENCH_PEERS_MAX" >> "$RESULTS"
    return
  fi
  log "fan-out $label: Netmiko defaults, Netmiko fast_cli"
  with_lab $lab_part record /usr/bin/python3 bench/peers/netmiko_backup.py "$hosts" "$netmiko_type" "$user" "$LAB_PASSWORD" "$secret" "$p" 0 "$OUT/$label/netmiko"
  with_lab $lab_part record /usr/bin/python3 bench/peers/netmiko_backup.py "$hosts" "$netmiko_type" "$user" "$LAB_PASSWORD" "$secret" "$p" 1 "$OUT/$label/netmiko-fast"
  # Ansible costs seconds of CPU per device: it gets the first ENMS_BENCH_ANSIBLE_DEVICES; compared in devices/s.
  head -n "$ANSIBLE_DEVICES" "$hosts" > "$OUT/$label/ansible-hosts.txt"
  log "fan-out $label: Ansible on $(wc -l < "$OUT/$label/ansible-hosts.txt") devices"
  with_lab $lab_part record bench/peers/ansible_backup.sh "$OUT/$label/ansible-hosts.txt" "$network_os" "$user" "$LAB_PASSWORD" "$secret" \
    "$((p < ANSIBLE_DEVICES ? p : ANSIBLE_DEVICES))" "$OUT/$label/ansible"
}

part_fanout() {
  local n i
  ssh-keygen -q -t ed25519 -N '' -f "$OUT/key"
  for n in $SIZES; do
    # Emulated Cisco IOS devices (10.255.128.0-143.255): every tool gets the same platform's CLI.
    for i in $(seq 0 $((n - 1))); do echo "ios-$i 10.255.$((128 + i / 250)).$((i % 250 + 1))"; done > "$OUT/emulated-$n.txt"
    fanout_set "emulated-$n" "$OUT/emulated-$n.txt" cisco_ios enmslab enms-enable cisco.ios.ios
  done
  for i in $(seq 1 "$ROUTERS"); do echo "r$i 10.255.0.$((10 + i))"; done > "$OUT/frr.txt"
  fanout_set "frr-$ROUTERS" "$OUT/frr.txt" frr enmsfrr "" frr.frr.frr
}

start_pg() {
  PG_DIR=$OUT/pg
  mkdir -p "$PG_DIR"; chown postgres "$PG_DIR"
  su postgres -s /bin/sh -c "$PG_BIN/initdb -D $PG_DIR -U postgres --auth=trust" > "$OUT/pg.log" 2>&1
  su postgres -s /bin/sh -c "$PG_BIN/pg_ctl -D $PG_DIR -o '-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=300' -w start" >> "$OUT/pg.log" 2>&1
}

part_engine() {
  log "engine: 20 no-op nodes on 1,000 devices, SQLite"
  record $BENCH engine --provider Sqlite --data "$OUT/engine-sqlite" --devices 1000 --nodes 20 --parallel "$PARALLEL"
  log "engine: the same on PostgreSQL (throwaway cluster on port $PG_PORT)"
  start_pg
  record $BENCH engine --provider Postgres --connection "Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres;Timeout=60;Command Timeout=300" \
    --data "$OUT/engine-pg" --devices 1000 --nodes 20 --parallel "$PARALLEL"
  stop_pg
}

part_import() {
  log "import: workbook of 10,000 devices and 10,000 links"
  record $BENCH workbook --out "$OUT/inventory-10k.xlsx" --devices 10000 --links 10000
  record $BENCH import --file "$OUT/inventory-10k.xlsx" --data "$OUT/import"
}

part_grid() {
  log "grid: 100,000 devices, the device grid's query vs the bare SQL"
  record $BENCH grid --data "$OUT/grid" --devices 100000
}

# Chromium (Debian's, headless, no GPU) on each view of a published eNMS.Web (a build output serves no static web
# assets outside Development), fresh each time: 5,000 devices / 10,000 links on the topology, 10,000 devices on the
# map, a 200-node workflow in the designer (ENMS_BENCH_UI_SCALE=10 divides them).
part_ui() {
  local view devices links scale=${ENMS_BENCH_UI_SCALE:-1}
  dotnet publish eNMS.Web -c Release -o "$OUT/ui-web" -v q -nologo >> "$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }
  for view in topology map designer; do
    case $view in map) devices=10000 links=0 ;; *) devices=5000 links=10000 ;; esac
    log "ui: $view"
    start_enms "$OUT/ui-$view" 59171 "$OUT/ui-web"
    record $BENCH ui --url http://127.0.0.1:59171/ --data "$OUT/ui-$view" --view "$view" --devices $((devices / scale)) \
      --links $((links / scale)) --nodes $((200 / scale))
    stop_enms
  done
}

# A team watching a run: N Chromium pages on the dashboard, the map and the run page (ENMS_BENCH_VIEWERS: "1 50 200").
part_viewers() {
  local n
  [ -d "$OUT/ui-web" ] || dotnet publish eNMS.Web -c Release -o "$OUT/ui-web" -v q -nologo >> "$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }
  for n in ${ENMS_BENCH_VIEWERS:-"1 50 200"}; do
    log "viewers: $n"
    rm -rf "$OUT/viewers-$n"
    start_enms "$OUT/viewers-$n" 59172 "$OUT/ui-web"
    record $BENCH viewers --url http://127.0.0.1:59172/ --data "$OUT/viewers-$n" --pid "$ENMS_PID" --viewers "$n" \
      --devices "${ENMS_BENCH_VIEWERS_DEVICES:-10000}"
    stop_enms
  done
}

# A year of runs (365 × 200, with results) and a run with 100,000 results: the pages' queries vs an empty database.
part_history() {
  log "history: a year of runs and a 100,000-result run, the pages' queries vs an empty database"
  record $BENCH history --data "$OUT/history"
}

# One run across cluster nodes (Scheduling:DistributeRuns on PostgreSQL): the same config_backup of ENMS_BENCH_NODES_DEVICES
# emulated devices, then a no-op service on them, on 1, 2 and 3 nodes (ENMS_BENCH_NODES), each set on a fresh database.
# Batches of 50 devices, 10 in flight; maxParallelDevices (ENMS_BENCH_PARALLEL, 50) holds across the cluster: 50 sessions at most,
# whatever the number of nodes, as the single-node fan-out does. "1-local" is one node without DistributeRuns (the
# run in one process) on the same PostgreSQL: the reference for what the batches cost.
NODE_PIDS=()
stop_nodes() { local pid; for pid in "${NODE_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done; NODE_PIDS=(); }
start_node() { # name port connection_string data_dir distribute
  (cd eNMS.Web && Enms__DataDirectory="$4" Enms__SeedDemo=false ENMS_ADMIN_PASSWORD=bench-admin-password \
    Security__ApiRequestsPerMinute=100000 ASPNETCORE_URLS="http://127.0.0.1:$2" Database__Provider=Postgres \
    Database__ConnectionString="$3" Scheduling__Node="$1" Scheduling__DistributeRuns="$5" Scheduling__RunBatchSize=50 \
    Scheduling__RunBatchesInFlight=$((PARALLEL / 5)) Automation__MaxConcurrentRuns=$((PARALLEL / 5)) \
    exec dotnet bin/Release/net10.0/eNMS.Web.dll > "$4/$1.log" 2>&1) &
  NODE_PIDS+=($!)
  for _ in $(seq 1 240); do
    curl -s -o /dev/null "http://127.0.0.1:$2/login" && return 0
    kill -0 "${NODE_PIDS[-1]}" 2>/dev/null || break
    sleep 0.5
  done
  log "node $1 did not start: $(tail -5 "$4/$1.log")"; exit 1
}

nodes_run() { # label urls pids names hosts connection data parallel
  record $BENCH nodes --label "$1" --urls "$2" --pids "$3" --names "$4" --hosts "$5" --provider Postgres --connection "$6" \
    --data "$7" --platform cisco_ios --user enmslab --password "$LAB_PASSWORD" --enable enms-enable --parallel "$8" \
    --pg-pid "$(head -1 "$PG_DIR/postmaster.pid")"
}

part_nodes() {
  local n=${ENMS_BENCH_NODES_DEVICES:-2000} sets=${ENMS_BENCH_NODES:-1-local 1 2 3} set count i urls pids names cs dir
  [ "$n" -le 4000 ] || { log "ENMS_BENCH_NODES_DEVICES: at most 4,000 (the emulator's Cisco IOS range)"; exit 2; }
  [ -f "$OUT/key" ] || ssh-keygen -q -t ed25519 -N '' -f "$OUT/key"
  for i in $(seq 0 $((n - 1))); do echo "ios-$i 10.255.$((128 + i / 250)).$((i % 250 + 1))"; done > "$OUT/nodes-hosts.txt"
  start_pg
  for set in $sets; do
    count=${set%-local}
    cs="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=nodes_${set/-/_};Timeout=60;Command Timeout=300"
    dir=$OUT/nodes-$set; mkdir -p "$dir"
    urls=""; pids=""; names=""
    log "nodes: $n devices on $set node(s)"
    for i in $(seq 1 "$count"); do
      # One after the other: the first applies the migrations and creates the admin.
      start_node "node$i" $((59180 + i)) "$cs" "$dir" "$([ "$set" = 1-local ] && echo false || echo true)"
      urls+="${urls:+,}http://127.0.0.1:$((59180 + i))/"; pids+="${pids:+,}${NODE_PIDS[-1]}"; names+="${names:+,}node$i"
    done
    # maxParallelDevices holds across the cluster: the same 50 sessions whether one node runs them or the batches do.
    with_lab emulator nodes_run "$set" "$urls" "$pids" "$names" "$OUT/nodes-hosts.txt" "$cs" "$dir" "$PARALLEL"
    stop_nodes
  done
  stop_pg
}

for part in $PARTS; do
  case $part in
    fanout|engine|import|grid|ui|viewers|history|nodes) "part_$part" ;;
    *) log "unknown part '$part' (fanout, engine, import, grid, ui, viewers, history, nodes)"; exit 2 ;;
  esac
done
uptime > "$OUT/load-end.txt"
python3 bench/report.py "$RESULTS" "$OUT" > bench/RESULTS.md
cat bench/RESULTS.md
