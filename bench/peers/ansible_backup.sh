#!/usr/bin/env bash
# Ansible peer of the fan-out benchmark: cli_command "show running-config" over network_cli (paramiko) on every
# host, forks = PARALLEL. Prints one RESULT line (bench/report.py reads it).
# usage: ansible_backup.sh HOSTS_FILE NETWORK_OS USER PASSWORD SECRET PARALLEL WORK_DIR
set -euo pipefail
hosts_file=$1 network_os=$2 user=$3 password=$4 secret=$5 parallel=$6 work=$7
mkdir -p "$work"
{
  echo "[devices]"
  awk 'NF == 2 { print $1 " ansible_host=" $2 }' "$hosts_file"
  echo "[devices:vars]"
  echo "ansible_connection=ansible.netcommon.network_cli"
  echo "ansible_network_os=$network_os"
  echo "ansible_network_cli_ssh_type=paramiko"
  echo "ansible_user=$user"
  echo "ansible_password=$password"
  if [ -n "$secret" ]; then
    echo "ansible_become=yes"
    echo "ansible_become_method=enable"
    echo "ansible_become_password=$secret"
  fi
} > "$work/inventory.ini"
cat > "$work/backup.yml" <<'YML'
- hosts: devices
  gather_facts: false
  tasks:
    - ansible.netcommon.cli_command:
        command: show running-config
      register: config
    - ansible.builtin.copy:
        content: "{{ config.stdout }}"
        dest: "{{ playbook_dir }}/{{ inventory_hostname }}.cfg"
      delegate_to: localhost
YML
devices=$(awk 'NF == 2' "$hosts_file" | wc -l)
started=$(date +%s.%N)
ANSIBLE_HOST_KEY_CHECKING=False ANSIBLE_PARAMIKO_HOST_KEY_AUTO_ADD=True ANSIBLE_RETRY_FILES_ENABLED=False \
  ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3 ANSIBLE_PERSISTENT_COMMAND_TIMEOUT=120 ANSIBLE_PERSISTENT_CONNECT_TIMEOUT=120 ANSIBLE_LOCAL_TEMP="$work/tmp" \
  ansible-playbook -i "$work/inventory.ini" -f "$parallel" "$work/backup.yml" > "$work/ansible.log" 2>&1 || true
ended=$(date +%s.%N)
ok=$(grep -E '^\S+ +: ok=2 ' "$work/ansible.log" | grep -c 'failed=0' || true)
grep -E 'fatal|FAILED' "$work/ansible.log" | sed 's/^/ansible: /' | head -3 >&2 || true
echo "RESULT fanout tool=Ansible_$(ansible --version 2>/dev/null | head -1 | grep -oE '[0-9]+\.[0-9]+' | head -1) label=${BENCH_LABEL:-bench} devices=$devices parallel=$parallel seconds=$(python3 -c "print(round($ended - $started, 3))") failures=$((devices - ok))"
