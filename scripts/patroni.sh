#!/usr/bin/env bash
# Runs a private Patroni cluster on loopback for the failover tests: etcd, and two Patroni-managed PostgreSQL nodes
# (a primary and a synchronous standby, synchronous_mode: true). Installs Debian's patroni and etcd-server when
# missing. Passwords are generated per cluster into files readable by their owner only, never put on command lines.
#   bash scripts/patroni.sh [start]      start (a running cluster is reused); waits for a leader and a sync standby
#   bash scripts/patroni.sh kill-primary SIGKILLs the leader's postmaster and prints the node's name
#   bash scripts/patroni.sh wait         waits for a leader and a sync standby again (after a failover)
#   bash scripts/patroni.sh pause-standby / resume-standby
#                                        SIGSTOPs / SIGCONTs the sync standby's WAL receiver: commits on the primary
#                                        wait for it meanwhile (keep it under wal_sender_timeout, 60 s)
#   bash scripts/patroni.sh stop
# Prints, as its last line, the environment the tests read (eval "$(bash scripts/patroni.sh | tail -n 1)").
# Environment: EVENTUALI_PATRONI_DIR (default /tmp/eventuali-patroni), EVENTUALI_PATRONI_PORT (default 55440): the
# nodes' PostgreSQL listen on PORT and PORT+1, their REST APIs on PORT+10 and PORT+11, etcd on PORT+20 and PORT+21.
set -euo pipefail

DIR="${EVENTUALI_PATRONI_DIR:-/tmp/eventuali-patroni}"
BASE="${EVENTUALI_PATRONI_PORT:-55440}"
ETCD_CLIENT=$((BASE + 20))
ETCD_PEER=$((BASE + 21))
cmd="${1:-start}"

if [[ "$(id -u)" == 0 ]]; then
  OWNER=postgres
  id "$OWNER" >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash "$OWNER"
  # From / : the caller's directory (a fresh clone under a mode-700 mktemp directory) is not readable by the owner,
  # and Patroni's worker processes change into their parent's directory on start.
  as_owner() { (cd / && runuser -u "$OWNER" -- "$@"); }
else
  OWNER="$(id -un)"
  as_owner() { "$@"; }
fi

alive() { [[ -s "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

stop_pid() {
  local file=$1
  if alive "$file"; then
    local pid
    pid=$(cat "$file")
    kill -TERM "$pid"
    for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
  fi
  rm -f "$file"
}

stop_all() {
  # Patroni stops its PostgreSQL on the way out; etcd last, so the nodes can still release their keys.
  stop_pid "$DIR/node1.pid"
  stop_pid "$DIR/node0.pid"
  stop_pid "$DIR/etcd.pid"
  # A postmaster orphaned by a killed Patroni: stop it by its own pid file.
  for n in 0 1; do
    local pm="$DIR/node$n/data/postmaster.pid"
    if [[ -s "$pm" ]]; then
      local pid
      pid=$(head -n 1 "$pm")
      if kill -0 "$pid" 2>/dev/null; then kill -QUIT "$pid" || true; fi
    fi
  done
}

# The nodes' roles from the REST API of every node that answers: lines "name role state".
members() {
  python3 - "$BASE" <<'PY'
import json, sys, urllib.request
base = int(sys.argv[1])
for port in (base + 10, base + 11):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/cluster", timeout=2) as r:
            for m in json.load(r).get("members", []):
                print(m.get("name"), m.get("role"), m.get("state"), m.get("port", ""))
        break
    except Exception:
        continue
PY
}

wait_ready() {
  local deadline=$((SECONDS + ${1:-120}))
  while (( SECONDS < deadline )); do
    local m
    m=$(members || true)
    if grep -Eq ' leader running' <<<"$m" && grep -Eq ' sync_standby (streaming|running)' <<<"$m"; then
      return 0
    fi
    sleep 0.5
  done
  echo "patroni.sh: no leader with a synchronous standby within the deadline; see $DIR/*.log" >&2
  members >&2 || true
  tail -n 20 "$DIR"/node*.log >&2 || true
  return 1
}

url() { echo "postgresql://eventuali:eventuali@127.0.0.1:${BASE},127.0.0.1:$((BASE + 1))/eventuali?target=primary"; }

case "$cmd" in
  stop) stop_all; exit 0 ;;
  wait) wait_ready 120; echo "export EVENTUALI_TEST_PATRONI='$(url)'"; exit 0 ;;
  kill-primary)
    leader=$(members | awk '$2 == "leader" { print $1 }')
    [[ -n "$leader" ]] || { echo "patroni.sh: no leader to kill" >&2; exit 1; }
    pm="$DIR/$leader/data/postmaster.pid"
    kill -KILL "$(head -n 1 "$pm")"
    echo "$leader"
    exit 0 ;;
  pause-standby)
    # After a failover test the new primary takes a while to name its synchronous standby again: wait for it.
    wait_ready 120 >/dev/null || exit 1
    standby=$(members | awk '$2 == "sync_standby" { print $1 }')
    [[ -n "$standby" ]] || { echo "patroni.sh: no synchronous standby" >&2; exit 1; }
    receiver=$(ps -o pid=,args= --ppid "$(head -n 1 "$DIR/$standby/data/postmaster.pid")" | awk '/walreceiver/ { print $1 }')
    [[ -n "$receiver" ]] || { echo "patroni.sh: $standby has no WAL receiver" >&2; exit 1; }
    kill -STOP "$receiver"
    echo "$standby"
    exit 0 ;;
  resume-standby)
    # Every node's receiver: after a failover the paused one may belong to the new leader, or to no standby at all.
    for n in 0 1; do
      pm="$DIR/node$n/data/postmaster.pid"
      [[ -s "$pm" ]] || continue
      for receiver in $(ps -o pid=,args= --ppid "$(head -n 1 "$pm")" | awk '/walreceiver/ { print $1 }'); do
        kill -CONT "$receiver" && echo "node$n"
      done
    done
    exit 0 ;;
  start) ;;
  *) echo "patroni.sh: unknown command '$cmd' (start, wait, kill-primary, pause-standby, resume-standby, stop)" >&2; exit 2 ;;
esac

if ! command -v patroni >/dev/null 2>&1 || ! command -v etcd >/dev/null 2>&1; then
  if [[ "$(id -u)" != 0 ]]; then
    echo "patroni.sh: patroni or etcd is not installed and this is not root; install Debian's 'patroni' and 'etcd-server'." >&2
    exit 1
  fi
  echo "patroni.sh: installing patroni and etcd-server (apt-get)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  # The packages' maintainer scripts would start system-wide services; the policy file refuses service starts.
  policy=/usr/sbin/policy-rc.d
  made_policy=0
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && made_policy=1
  fi
  apt-get install -y -qq --no-install-recommends patroni etcd-server >/dev/null
  if [[ "$made_policy" == 1 ]]; then rm -f "$policy"; fi
  command -v patroni >/dev/null && command -v etcd >/dev/null \
    || { echo "patroni.sh: apt-get ran but patroni or etcd was not found on PATH." >&2; exit 1; }
fi

BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [[ -z "$BIN" || ! -x "$BIN/postgres" ]]; then
  echo "patroni.sh: no PostgreSQL server binaries under /usr/lib/postgresql/*/bin; run scripts/postgres.sh first." >&2
  exit 1
fi

mkdir -p "$DIR"
chown "$OWNER" "$DIR"
chmod 700 "$DIR"

# A cold start begins from nothing: a cluster left half-bootstrapped by an earlier failed start (its replication role
# never created, a stale leader key in etcd) would never become healthy. This cluster holds test data only.
if ! alive "$DIR/etcd.pid" && ! alive "$DIR/node0.pid" && ! alive "$DIR/node1.pid"; then
  rm -rf "$DIR/etcd" "$DIR/node0/data" "$DIR/node1/data"
fi

if ! alive "$DIR/etcd.pid"; then
  as_owner bash -c "nohup etcd --name eventuali-ha --data-dir '$DIR/etcd' \
    --listen-client-urls http://127.0.0.1:$ETCD_CLIENT --advertise-client-urls http://127.0.0.1:$ETCD_CLIENT \
    --listen-peer-urls http://127.0.0.1:$ETCD_PEER --initial-advertise-peer-urls http://127.0.0.1:$ETCD_PEER \
    --initial-cluster eventuali-ha=http://127.0.0.1:$ETCD_PEER >'$DIR/etcd.log' 2>&1 & echo \$! >'$DIR/etcd.pid'"
fi

if [[ ! -s "$DIR/secrets" ]]; then
  (umask 077 && printf 'SU=%s\nREPL=%s\n' "$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')" "$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')" >"$DIR/secrets")
  chown "$OWNER" "$DIR/secrets"
fi
# shellcheck disable=SC1091
. "$DIR/secrets"

for n in 0 1; do
  cfg="$DIR/node$n.yml"
  pg_port=$((BASE + n))
  if [[ ! -s "$cfg" ]]; then
    mkdir -p "$DIR/node$n"
    chown "$OWNER" "$DIR/node$n"
    chmod 700 "$DIR/node$n"
    # A short loop and TTL so a crashed primary is replaced in seconds; primary_start_timeout 0: fail over at once
    # instead of restarting a crashed primary in place; synchronous_mode: promote only a synchronous standby.
    (umask 077 && cat >"$cfg" <<YML
scope: eventuali-ha
name: node$n
restapi:
  listen: 127.0.0.1:$((BASE + 10 + n))
  connect_address: 127.0.0.1:$((BASE + 10 + n))
etcd3:
  host: 127.0.0.1:$ETCD_CLIENT
bootstrap:
  dcs:
    ttl: 10
    loop_wait: 1
    retry_timeout: 4
    maximum_lag_on_failover: 1048576
    primary_start_timeout: 0
    synchronous_mode: true
    postgresql:
      use_pg_rewind: true
      remove_data_directory_on_rewind_failure: true
      parameters:
        synchronous_commit: 'on'
        max_connections: 200
        wal_log_hints: 'on'
        fsync: 'on'
  initdb:
  - encoding: UTF8
  - locale: C
  - data-checksums
  pg_hba:
  - local all all peer
  - host replication replicator 127.0.0.1/32 scram-sha-256
  - host all all 127.0.0.1/32 scram-sha-256
postgresql:
  listen: 127.0.0.1:$pg_port
  connect_address: 127.0.0.1:$pg_port
  data_dir: $DIR/node$n/data
  bin_dir: $BIN
  pgpass: $DIR/node$n/pgpass
  authentication:
    replication:
      username: replicator
      password: $REPL
    superuser:
      username: postgres
      password: $SU
  parameters:
    unix_socket_directories: '$DIR/node$n'
YML
)
    chown "$OWNER" "$cfg"
  fi
  if ! alive "$DIR/node$n.pid"; then
    as_owner bash -c "nohup patroni '$cfg' >>'$DIR/node$n.log' 2>&1 & echo \$! >'$DIR/node$n.pid'"
  fi
  if [[ $n == 0 ]]; then
    # The first node bootstraps the cluster; the second then clones it.
    deadline=$((SECONDS + 90))
    until members | grep -q ' leader running'; do
      (( SECONDS < deadline )) || { echo "patroni.sh: node0 did not become leader; see $DIR/node0.log" >&2; tail -n 20 "$DIR/node0.log" >&2; exit 1; }
      sleep 0.5
    done
  fi
done

wait_ready 120

# The application's role and database, created on the leader (replicated to the standby).
leader_port=$(members | awk '$2 == "leader" { print $4 }')
leader=$(members | awk '$2 == "leader" { print $1 }')
as_owner "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$DIR/$leader" -p "$leader_port" -U postgres -d postgres >/dev/null <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'eventuali') THEN
    CREATE ROLE eventuali LOGIN CREATEDB PASSWORD 'eventuali';
  END IF;
END
$$;
SELECT 'CREATE DATABASE eventuali OWNER eventuali'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'eventuali') \gexec
SQL

echo "export EVENTUALI_TEST_PATRONI='$(url)'"
