#!/usr/bin/env bash
# Eventuali's SQLite append workloads next to what the same file format does with the same rows and no
# checks, in the same run, alternating, each a fresh process and a fresh file; medians of RUNS (default 3):
#   append-batch relaxed (50 per append)          vs  prepared INSERT loop, 50 rows per transaction, WAL+NORMAL
#   append-concurrent full (32 writers, 1 event)  vs  the fsync ceiling: the same INSERT, 1 row per transaction, WAL+FULL
# Every ceiling writes into an events table made by `eventuali init` (same columns, same unique indexes).
# Usage: scripts/sqlite-ceilings.sh [DIR]    # default: a temporary directory on the same disk as /tmp
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bench-common.sh
runs=${RUNS:-3}
dir=${1:-$(mktemp -d)}
dotnet build src/Eventuali.Cli -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet build bench/Eventuali.Ceilings -c Release -nologo -clp:ErrorsOnly >/dev/null
cli=(dotnet src/Eventuali.Cli/bin/Release/net10.0/Eventuali.Cli.dll)
ceiling=(dotnet bench/Eventuali.Ceilings/bin/Release/net10.0/Eventuali.Ceilings.dll)
trap 'rm -f "$dir"/ceil-*.db*' EXIT

fresh() { # a new store file made by eventuali init (prints its path)
  local f; f="$dir/ceil-$(date +%s%N)-$$.db"
  "${cli[@]}" init --database "sqlite://$f" >/dev/null
  echo "$f"
}
ours() { # ours WORKLOAD EVENTS DURABILITY [ARGS...]
  local w=$1 n=$2 d=$3 f; shift 3
  f=$(fresh)
  "${cli[@]}" benchmark --database "sqlite://$f" --workload "$w" --events "$n" --durability "$d" --json "$@" 2>/dev/null | field events_per_sec
  rm -f "$f" "$f-wal" "$f-shm"
}
loop() { # loop ROWS PER_TRANSACTION normal|full
  local f; f=$(fresh)
  "${ceiling[@]}" sqlite "$f" "$1" "$2" "$3" | field events_per_sec
  rm -f "$f" "$f-wal" "$f-shm"
}

declare -A m
for _ in $(seq "$runs"); do
  m[batch]+="$(ours append-batch 200000 relaxed)"$'\n'
  m[loop50]+="$(loop 200000 50 normal)"$'\n'
  m[concurrent]+="$(ours append-concurrent 20000 full --concurrency 32)"$'\n'
  m[fsync]+="$(loop 2000 1 full)"$'\n'
done
med() { printf '%s' "${m[$1]}" | grep -v '^$' | median; }
row() { printf '| %s | %.0f | %s | %.0f | %.2f |\n' "$1" "$(med "$2")" "$3" "$(med "$4")" "$(awk "BEGIN {print $(med "$2") / $(med "$4")}")"; }
echo "| Eventuali workload | events/s | ceiling, same file system, same run | rows/s | ratio |"
echo "|---|---|---|---|---|"
row "append-batch relaxed (50 per append)" batch "prepared INSERT loop, 50 rows per transaction, WAL+NORMAL" loop50
row "append-concurrent full (32 writers)" concurrent "fsync ceiling: 1 row per transaction, WAL+FULL" fsync
