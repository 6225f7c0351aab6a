#!/usr/bin/env bash
# Eventuali's append workloads next to what the same PostgreSQL server does with the same rows and no
# checks at all, in the same run, alternating, each a fresh process; medians of RUNS (default 3) runs:
#   append-batch (50 per append)      vs  Npgsql binary COPY, 50 rows per transaction (and all in one)
#   append-single                     vs  pgbench, one single-row INSERT per transaction, 1 client
#   append-concurrent (32 writers)    vs  the same pgbench INSERT, 32 clients
# Every ceiling writes into an events table made by `eventuali init` (same columns, same four indexes).
# Usage: scripts/pg-ceilings.sh [URL]    # default: the server scripts/postgres.sh starts
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bench-common.sh
runs=${RUNS:-3}
url=${1:-$(bash scripts/postgres.sh | tail -n 1)}
base=${url%%\?*}
dotnet build src/Eventuali.Cli -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet build bench/Eventuali.Ceilings -c Release -nologo -clp:ErrorsOnly >/dev/null
cli=(dotnet src/Eventuali.Cli/bin/Release/net10.0/Eventuali.Cli.dll)
copy=(dotnet bench/Eventuali.Ceilings/bin/Release/net10.0/Eventuali.Ceilings.dll)
pgbench=$(command -v pgbench || ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | sort -V | tail -n 1)
[ -x "$pgbench" ] || { echo "pgbench was not found (it comes with the PostgreSQL server packages)" >&2; exit 1; }

# fresh() runs in command substitutions (subshells), so the schemas are found by name, not remembered.
cleanup() {
  for s in $(psql -Atq "$base" -c "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'ceil\_%\_$$'" 2>/dev/null); do
    psql -q "$base" -c "DROP SCHEMA IF EXISTS $s CASCADE" >/dev/null 2>&1 || true
  done
  rm -f "$script"
}
trap cleanup EXIT
script=$(mktemp)
fresh() { # fresh PURPOSE: a new schema made by eventuali init (prints its name)
  local s="ceil_$1_$(date +%s%N | tail -c 9)_$$"
  "${cli[@]}" init --database "$(with_schema "$url" "$s")" >/dev/null
  echo "$s"
}
ours() { # ours WORKLOAD EVENTS [ARGS...]
  local w=$1 n=$2; shift 2
  "${cli[@]}" benchmark --database "$(with_schema "$url" "$(fresh ours)")" --workload "$w" --events "$n" --json "$@" 2>/dev/null | field events_per_sec
}
copy_rows() { # copy_rows ROWS PER_TRANSACTION
  "${copy[@]}" "$base" "$(fresh copy)" "$1" "$2" | field events_per_sec
}
insert_rows() { # insert_rows CLIENTS TRANSACTIONS_PER_CLIENT: rows per second
  local s; s=$(fresh insert)
  psql -q "$base" -c "CREATE SEQUENCE $s.ceiling_seq" >/dev/null
  cat >"$script" <<SQL
INSERT INTO $s.events (position, stream_id, version, event_id, event_type, content_type, data_json, correlation_id, "timestamp")
VALUES (nextval('$s.ceiling_seq'), currval('$s.ceiling_seq'), 1, gen_random_uuid(), 'benchmark-deposited', 'application/json',
  '{"note": "deposit note 0", "amount": 12.5, "channel": "mobile-app", "currency": "EUR", "accountId": "acc-000000", "reference": "ref-000000-e814f527"}',
  'bench-ceiling/' || currval('$s.ceiling_seq'), now());
SQL
  "$pgbench" -n -f "$script" -c "$1" -j 2 -t "$2" "$base" 2>/dev/null | sed -nE 's/^tps = ([0-9.]+).*/\1/p' | head -n 1
}

declare -A m
for _ in $(seq "$runs"); do
  m[batch]+="$(ours append-batch 200000)"$'\n'
  m[copy50]+="$(copy_rows 200000 50)"$'\n'
  m[copyall]+="$(copy_rows 200000 200000)"$'\n'
  m[single]+="$(ours append-single 5000)"$'\n'
  m[insert1]+="$(insert_rows 1 5000)"$'\n'
  m[concurrent]+="$(ours append-concurrent 50000 --concurrency 32)"$'\n'
  m[insert32]+="$(insert_rows 32 400)"$'\n'
done
med() { printf '%s' "${m[$1]}" | grep -v '^$' | median; }
row() { printf '| %s | %.0f | %s | %.0f | %.2f |\n' "$1" "$(med "$2")" "$3" "$(med "$4")" "$(awk "BEGIN {print $(med "$2") / $(med "$4")}")"; }
echo "| Eventuali workload | events/s | ceiling, same server, same run | rows/s | ratio |"
echo "|---|---|---|---|---|"
row "append-batch (50 per append)" batch "binary COPY, 50 rows per transaction" copy50
row "append-batch (50 per append)" batch "binary COPY, 200,000 rows in one transaction" copyall
row "append-single" single "pgbench: one single-row INSERT per transaction, 1 client" insert1
row "append-concurrent (32 writers)" concurrent "the same INSERT, 32 pgbench clients" insert32
