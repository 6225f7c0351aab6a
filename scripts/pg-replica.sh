#!/usr/bin/env bash
# Runs a streaming hot standby of the PostgreSQL server that scripts/postgres.sh started, for the tests of reads
# served by a replica. The standby is cloned with pg_basebackup over the primary's local socket (peer authentication
# of the cluster's owner: no password anywhere) with a physical replication slot, so a halted standby can resume.
# Prints, as its last lines, the environment the tests read (eval "$(bash scripts/pg-replica.sh)").
#   bash scripts/pg-replica.sh [start]  start (a running standby is reused; a halted one resumes; none: cloned)
#   bash scripts/pg-replica.sh halt     stop the standby's server only (a fault the tests inject); start resumes it
#   bash scripts/pg-replica.sh pause    pg_wal_replay_pause() on the standby (replay lag the tests inject)
#   bash scripts/pg-replica.sh resume   pg_wal_replay_resume()
#   bash scripts/pg-replica.sh stop     stop the standby, drop its slot on the primary, remove its data directory
# Environment: EVENTUALI_PG_DATA / EVENTUALI_PG_PORT (as for postgres.sh), EVENTUALI_PG_REPLICA_DATA (default
# /tmp/eventuali-pg-replica), EVENTUALI_PG_REPLICA_PORT (default 54339).
set -euo pipefail

PG_DATA="${EVENTUALI_PG_DATA:-/tmp/eventuali-pg}"
PG_PORT="${EVENTUALI_PG_PORT:-54329}"
DATA="${EVENTUALI_PG_REPLICA_DATA:-/tmp/eventuali-pg-replica}"
PORT="${EVENTUALI_PG_REPLICA_PORT:-54339}"
LOG="${DATA}.log"
# One slot per standby port, so two standbys of one primary (parallel worktrees) never share one.
SLOT="eventuali_replica_${PORT}"
cmd="${1:-start}"

BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [[ -z "$BIN" || ! -x "$BIN/pg_basebackup" ]]; then
  echo "pg-replica.sh: no PostgreSQL binaries under /usr/lib/postgresql/*/bin; run scripts/postgres.sh first (it installs them)." >&2
  exit 1
fi

if [[ "$(id -u)" == 0 ]]; then
  OWNER=postgres
  as_owner() { (cd / && runuser -u "$OWNER" -- "$@"); }
else
  OWNER="$(id -un)"
  as_owner() { "$@"; }
fi

primary_sql() { as_owner "$BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$PG_DATA" -p "$PG_PORT" -U postgres -d postgres -c "$1"; }
standby_sql() { as_owner "$BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$DATA" -p "$PORT" -U postgres -d postgres -c "$1"; }
running() { as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }
halt() {
  if running; then
    # A restart replays from the standby's last restartpoint, which follows the primary's last checkpoint: one on
    # each now keeps the next start short.
    primary_sql "CHECKPOINT" >/dev/null 2>&1 || true
    standby_sql "CHECKPOINT" >/dev/null 2>&1 || true
    as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w -t 60 stop >/dev/null
  fi
}

case "$cmd" in
  halt) halt; exit 0 ;;
  pause) standby_sql "SELECT pg_wal_replay_pause()" >/dev/null; exit 0 ;;
  resume) standby_sql "SELECT pg_wal_replay_resume()" >/dev/null; exit 0 ;;
  stop)
    halt
    primary_sql "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '$SLOT'" >/dev/null 2>&1 || true
    rm -rf "$DATA" "$LOG"
    exit 0 ;;
  start) ;;
  *) echo "pg-replica.sh: unknown command '$cmd' (start, halt, pause, resume, stop)" >&2; exit 2 ;;
esac

if ! "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then
  echo "pg-replica.sh: the primary on 127.0.0.1:$PG_PORT is not running; run scripts/postgres.sh first." >&2
  exit 1
fi

if [[ ! -s "$DATA/PG_VERSION" ]]; then
  rm -rf "$DATA"
  primary_sql "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '$SLOT'" >/dev/null
  mkdir -p "$DATA"
  chown "$OWNER" "$DATA"
  chmod 700 "$DATA"
  # -R writes primary_conninfo (the primary's socket, as the owner) and the slot; -c fast: no wait for a checkpoint.
  as_owner "$BIN/pg_basebackup" -h "$PG_DATA" -p "$PG_PORT" -U postgres -D "$DATA" -R -X stream -c fast -C -S "$SLOT" \
    2> >(grep -v 'skipping special file' >&2) \
    || { echo "pg-replica.sh: pg_basebackup from 127.0.0.1:$PG_PORT failed." >&2; rm -rf "$DATA"; exit 1; }
  # The copied postgresql.conf is the primary's: later lines win, so these make it the standby's own.
  cat >>"$DATA/postgresql.conf" <<CONF

# Eventuali test standby
port = $PORT
unix_socket_directories = '$DATA'
hot_standby = on
hot_standby_feedback = on
CONF
  touch "$LOG"
  chown "$OWNER" "$LOG"
fi

if ! running; then
  as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >/dev/null \
    || { echo "pg-replica.sh: the standby did not start; see $LOG" >&2; tail -n 20 "$LOG" >&2 || true; exit 1; }
fi

# Ready when it accepts connections, is in recovery, and has replayed what the primary had written when we asked.
target=$(primary_sql "SELECT pg_current_wal_lsn()")
ready=0
for _ in $(seq 1 120); do
  if "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" \
     && [[ "$(standby_sql "SELECT pg_is_in_recovery() AND pg_last_wal_replay_lsn() >= '$target'::pg_lsn" 2>/dev/null)" == t ]]; then
    ready=1; break
  fi
  sleep 0.5
done
if [[ "$ready" != 1 ]]; then
  echo "pg-replica.sh: the standby on 127.0.0.1:$PORT did not catch up with the primary within 60 s; see $LOG" >&2
  tail -n 20 "$LOG" >&2 || true
  exit 1
fi

echo "export EVENTUALI_PG_REPLICA_DATA=$DATA EVENTUALI_PG_REPLICA_PORT=$PORT EVENTUALI_PG_DATA=$PG_DATA EVENTUALI_PG_PORT=$PG_PORT"
echo "export EVENTUALI_TEST_PG_REPLICA='postgresql://eventuali:eventuali@127.0.0.1:${PG_PORT}/eventuali?replica=127.0.0.1:${PORT}'"
