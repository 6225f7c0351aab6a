#!/usr/bin/env bash
# Runs a private PgBouncer in transaction mode in front of the PostgreSQL server that scripts/postgres.sh started,
# for the tests of the store through a pooler. Installs Debian's pgbouncer when missing. The auth file is generated
# from the server's own SCRAM verifier (read over the owner's local socket), so no password appears on a command line
# or in this script. Prints, as its last lines, the environment the tests read (eval "$(bash scripts/pgbouncer.sh)").
#   bash scripts/pgbouncer.sh [start]   start (a running instance is reused)
#   bash scripts/pgbouncer.sh restart   stop, then start (a fault the tests inject: in-flight transactions are cut)
#   bash scripts/pgbouncer.sh stop
# Environment: EVENTUALI_PG_DATA / EVENTUALI_PG_PORT (as for postgres.sh), EVENTUALI_PGBOUNCER_DIR (default
# /tmp/eventuali-pgbouncer), EVENTUALI_PGBOUNCER_PORT (default 56432).
set -euo pipefail

PG_DATA="${EVENTUALI_PG_DATA:-/tmp/eventuali-pg}"
PG_PORT="${EVENTUALI_PG_PORT:-54329}"
DIR="${EVENTUALI_PGBOUNCER_DIR:-/tmp/eventuali-pgbouncer}"
PORT="${EVENTUALI_PGBOUNCER_PORT:-56432}"
PIDFILE="$DIR/pgbouncer.pid"
cmd="${1:-start}"

if [[ "$(id -u)" == 0 ]]; then
  OWNER=postgres
  as_owner() { runuser -u "$OWNER" -- "$@"; }
else
  OWNER="$(id -un)"
  as_owner() { "$@"; }
fi

running() { [[ -s "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

stop() {
  if running; then
    local pid
    pid=$(cat "$PIDFILE")
    kill -TERM "$pid" # immediate shutdown: client and server connections are closed at once
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
  fi
  rm -f "$PIDFILE"
}

case "$cmd" in
  stop) stop; exit 0 ;;
  restart) stop ;;
  start) ;;
  *) echo "pgbouncer.sh: unknown command '$cmd' (start, restart, stop)" >&2; exit 2 ;;
esac

if ! command -v pgbouncer >/dev/null 2>&1; then
  if [[ "$(id -u)" != 0 ]]; then
    echo "pgbouncer.sh: pgbouncer is not installed and this is not root; install Debian's 'pgbouncer' package." >&2
    exit 1
  fi
  echo "pgbouncer.sh: installing pgbouncer (apt-get)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  # The package's maintainer script would start the system-wide service; the policy file refuses service starts.
  policy=/usr/sbin/policy-rc.d
  made_policy=0
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && made_policy=1
  fi
  apt-get install -y -qq --no-install-recommends pgbouncer >/dev/null
  if [[ "$made_policy" == 1 ]]; then rm -f "$policy"; fi
  command -v pgbouncer >/dev/null 2>&1 || { echo "pgbouncer.sh: apt-get installed pgbouncer but the binary was not found on PATH." >&2; exit 1; }
fi

PSQL=$(ls -d /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -n 1 || true)
[[ -n "$PSQL" ]] || PSQL=$(command -v psql)

if ! running; then
  mkdir -p "$DIR"
  chown "$OWNER" "$DIR"
  chmod 700 "$DIR"
  # The verifier is what the server stores: PgBouncer checks clients with it and logs in to the server with it.
  verifier=$(as_owner "$PSQL" -X -q -A -t -h "$PG_DATA" -p "$PG_PORT" -U postgres -d postgres \
    -c "SELECT rolpassword FROM pg_authid WHERE rolname = 'eventuali'")
  if [[ "$verifier" != SCRAM-SHA-256* ]]; then
    echo "pgbouncer.sh: role 'eventuali' on 127.0.0.1:$PG_PORT has no SCRAM password; run scripts/postgres.sh first." >&2
    exit 1
  fi
  (umask 077 && printf '"eventuali" "%s"\n' "$verifier" >"$DIR/userlist.txt")
  cat >"$DIR/pgbouncer.ini" <<INI
[databases]
eventuali = host=127.0.0.1 port=$PG_PORT dbname=eventuali

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PORT
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $DIR/userlist.txt
pool_mode = transaction
max_client_conn = 500
default_pool_size = 40
server_reset_query =
logfile = $DIR/pgbouncer.log
pidfile = $PIDFILE
INI
  chown "$OWNER" "$DIR/userlist.txt" "$DIR/pgbouncer.ini"
  as_owner pgbouncer -d -q "$DIR/pgbouncer.ini" \
    || { echo "pgbouncer.sh: pgbouncer did not start; see $DIR/pgbouncer.log" >&2; tail -n 20 "$DIR/pgbouncer.log" >&2 || true; exit 1; }
fi

for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then break; fi
  sleep 0.1
done
if ! (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo "pgbouncer.sh: nothing accepts connections on 127.0.0.1:$PORT; see $DIR/pgbouncer.log" >&2
  exit 1
fi

echo "export EVENTUALI_PGBOUNCER_DIR=$DIR EVENTUALI_PGBOUNCER_PORT=$PORT EVENTUALI_PG_DATA=$PG_DATA EVENTUALI_PG_PORT=$PG_PORT"
echo "export EVENTUALI_TEST_PGBOUNCER='postgresql://eventuali:eventuali@127.0.0.1:${PORT}/eventuali?pooler=transaction&direct=127.0.0.1:${PG_PORT}'"
