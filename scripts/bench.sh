#!/usr/bin/env bash
# Runs every benchmark workload several times through `eventuali benchmark --json` and prints
# the median of each figure. Usage:
#   scripts/bench.sh sqlite                  # temp SQLite files
#   scripts/bench.sh postgresql [URL]        # default: the server scripts/postgres.sh starts
# RUNS (default 3) sets the repetitions. The machine is shared: compare medians, not single runs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bench-common.sh
backend=${1:-sqlite}
runs=${RUNS:-3}
dotnet build src/Eventuali.Cli -c Release -nologo -clp:ErrorsOnly >/dev/null
cli=(dotnet src/Eventuali.Cli/bin/Release/net10.0/Eventuali.Cli.dll)

db_args=()
if [ "$backend" = postgresql ]; then
  url=${2:-$(bash scripts/postgres.sh | tail -n 1)}
  # A throwaway schema per run, dropped at the end, so runs never read each other's data.
  schema="bench_$(date +%s)_$$"
  db_args=(--database "$(with_schema "$url" "$schema")")
  trap 'psql -q "${url%%\?*}" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true' EXIT
fi


printf '%-20s %-9s %9s %14s %9s %9s %10s\n' workload durability events "events/s" "p50 ms" "p99 ms" "peak MB"
run() {
  local workload=$1 durability=$2 events=$3; shift 3
  local out=()
  for _ in $(seq "$runs"); do
    out+=("$("${cli[@]}" benchmark "${db_args[@]}" --workload "$workload" --events "$events" --durability "$durability" --json "$@" 2>/dev/null)")
  done
  local eps p50 p99 mem
  eps=$(printf '%s\n' "${out[@]}" | field events_per_sec | median)
  p50=$(printf '%s\n' "${out[@]}" | field p50_ms | median)
  p99=$(printf '%s\n' "${out[@]}" | field p99_ms | median)
  mem=$(printf '%s\n' "${out[@]}" | field peak_working_set_mb | median)
  printf '%-20s %-9s %9s %14.0f %9.2f %9.2f %10.1f\n' "$workload" "$durability" "$events" "$eps" "$p50" "$p99" "$mem"
}

if [ "$backend" = sqlite ]; then
  run append-batch relaxed 200000
  run append-batch full 200000
  run append-single relaxed 50000
  run append-single full 10000
  run append-concurrent full 50000 --concurrency 32
  run load-aggregate full 200000 --batch 50
  run read-all full 1000000
else
  run append-batch full 200000
  run append-single full 10000
  run append-concurrent full 50000 --concurrency 32
  run load-aggregate full 200000 --batch 50
  run read-all full 1000000
fi

# Subscriptions: catch-up rate over a log of N events, then live commit-to-handler latency (p50/p99);
# and the in-process fan-out (events/s per subscriber, the slowest one).
printf '\n%-20s %-9s %9s %14s %9s %9s %10s\n' workload durability events "catch-up/s" "live p50" "live p99" "peak MB"
run_subscribe() {
  local durability=$1 events=$2
  local out=()
  for _ in $(seq "$runs"); do
    out+=("$("${cli[@]}" benchmark "${db_args[@]}" --workload subscribe --events "$events" --durability "$durability" --json 2>/dev/null)")
  done
  printf '%-20s %-9s %9s %14.0f %9.2f %9.2f %10.1f\n' subscribe "$durability" "$events" \
    "$(printf '%s\n' "${out[@]}" | field catchup_events_per_sec | median)" \
    "$(printf '%s\n' "${out[@]}" | field p50_ms | median)" \
    "$(printf '%s\n' "${out[@]}" | field p99_ms | median)" \
    "$(printf '%s\n' "${out[@]}" | field peak_working_set_mb | median)"
}
run_subscribe full 1000000
if [ "$backend" = sqlite ]; then
  db_args=()
  run stream full 2000000 --batch 1000 --subscribers 1
  run stream full 2000000 --batch 1000 --subscribers 8
fi
