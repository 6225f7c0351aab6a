#!/usr/bin/env bash
# Makes a PostgreSQL server for Eventuali development and tests available on 127.0.0.1 and
# prints its URL as the last line. Installs the Debian packages when no server binaries exist,
# then runs a private cluster (its own data directory and port). Safe to run again: a running
# cluster is reused. Environment: EVENTUALI_PG_DATA (default /tmp/eventuali-pg),
# EVENTUALI_PG_PORT (default 54329). `bash scripts/postgres.sh stop` stops the cluster of that data directory
# (fast shutdown; its data stays for the next start).
set -euo pipefail

DATA="${EVENTUALI_PG_DATA:-/tmp/eventuali-pg}"
PORT="${EVENTUALI_PG_PORT:-54329}"
LOG="${DATA}.log"

find_bin() {
  local dirs
  dirs=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -n "$dirs" && -x "$dirs/postgres" ]]; then echo "$dirs"; fi
}

BIN="$(find_bin)"
if [[ -z "$BIN" ]]; then
  if [[ "$(id -u)" != 0 ]]; then
    echo "postgres.sh: no PostgreSQL server found and not root; install the 'postgresql' package." >&2
    exit 1
  fi
  echo "postgres.sh: installing PostgreSQL (apt-get)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq postgresql >/dev/null
  BIN="$(find_bin)"
  if [[ -z "$BIN" ]]; then
    echo "postgres.sh: apt-get installed postgresql but no server binary was found under /usr/lib/postgresql/*/bin." >&2
    exit 1
  fi
fi

# The cluster runs as the 'postgres' OS user when we are root (postgres refuses to run as root).
if [[ "$(id -u)" == 0 ]]; then
  OWNER=postgres
  if ! id "$OWNER" >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /bin/bash "$OWNER"
  fi
  as_owner() { runuser -u "$OWNER" -- "$@"; }
else
  OWNER="$(id -un)"
  as_owner() { "$@"; }
fi

if [[ "${1:-}" == "stop" ]]; then
  if [[ -s "$DATA/PG_VERSION" ]] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w -t 60 stop >/dev/null
  fi
  exit 0
fi

if [[ ! -s "$DATA/PG_VERSION" ]]; then
  mkdir -p "$DATA"
  chown "$OWNER" "$DATA"
  chmod 700 "$DATA"
  touch "$LOG"
  chown "$OWNER" "$LOG"
  # Local socket: peer auth for the owner only; TCP: passwords (scram-sha-256).
  as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth-local=peer --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >/dev/null 2>&1 \
    || as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth-local=peer --auth-host=scram-sha-256 \
      --encoding=UTF8 --locale=C >/dev/null
  cat >>"$DATA/postgresql.conf" <<CONF

# Eventuali development cluster
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DATA'
fsync = on
synchronous_commit = on
max_connections = 200
CONF
fi

if ! as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >/dev/null \
    || { echo "postgres.sh: the server did not start; see $LOG" >&2; tail -n 20 "$LOG" >&2 || true; exit 1; }
fi

for _ in $(seq 1 60); do
  if "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then break; fi
  sleep 0.5
done
if ! "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
  echo "postgres.sh: the server is not accepting connections on 127.0.0.1:$PORT; see $LOG" >&2
  exit 1
fi

psql_admin() { as_owner "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$DATA" -p "$PORT" -U postgres -d postgres "$@"; }

psql_admin >/dev/null <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'eventuali') THEN
    CREATE ROLE eventuali LOGIN CREATEDB PASSWORD 'eventuali';
  ELSE
    ALTER ROLE eventuali LOGIN CREATEDB PASSWORD 'eventuali';
  END IF;
  -- For the shared-table tenancy tests only: they create owner and application roles (and try a BYPASSRLS one).
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'eventuali_admin') THEN
    CREATE ROLE eventuali_admin LOGIN SUPERUSER PASSWORD 'eventuali';
  ELSE
    ALTER ROLE eventuali_admin LOGIN SUPERUSER PASSWORD 'eventuali';
  END IF;
END
$$;
SELECT 'CREATE DATABASE eventuali OWNER eventuali'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'eventuali') \gexec
SQL

# A role of its own for the cross-tenant analytics reader: no privileges but what the tenant registry grants it.
psql_admin >/dev/null <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'eventuali_analytics') THEN
    CREATE ROLE eventuali_analytics LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD 'eventuali_analytics';
  END IF;
END
$$;
SQL

echo "postgresql://eventuali:eventuali@127.0.0.1:${PORT}/eventuali"
