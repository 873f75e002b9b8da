#!/usr/bin/env bash
# Installs what the tests need (Debian packages, as root) and runs every test tier.
# Opt out of a prerequisite explicitly with ENMS_TEST_SKIP (comma list: postgres,chromium,lab,slapd),
# otherwise a test whose prerequisite is missing fails and names it.
set -euo pipefail
cd "$(dirname "$0")"

packages=(postgresql chromium nginx openssh-server openssh-client inetutils-telnetd frr lldpd iproute2 procps python3 util-linux ansible python3-paramiko python3-textfsm git netconfd slapd ldap-utils)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "test.sh: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "test.sh: missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
  fi
fi

# eNMS.Web bundles its browser code with npm during the build (Node.js from Debian if none is installed).
if ! command -v npm >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  else
    echo "test.sh: npm is missing (sudo apt-get install nodejs npm)" >&2
  fi
fi

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
set +e
dotnet test eNMS.sln --logger "trx;LogFileName=results.trx" --results-directory "$results" "$@"
status=$?
set -e

# dotnet test's own summary is not machine-read: print one line from the TRX totals.
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$counters" | grep -o "$1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  # xunit's skipped tests are results with outcome NotExecuted; the Counters element does not count them.
  skipped=$((skipped + $(grep -o 'outcome="NotExecuted"' "$trx" | wc -l)))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
exit "$status"
