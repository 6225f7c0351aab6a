#!/usr/bin/env bash
# Eventuali and Marten on the same PostgreSQL server, same workloads, same event counts, same run.
# Each measurement is a fresh process (eventuali benchmark / bench/Eventuali.MartenComparison), the two
# stores alternate, and the table shows the median of RUNS (default 3) runs each. Usage:
#   scripts/compare-marten.sh [URL]      # default: the server scripts/postgres.sh starts
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bench-common.sh
runs=${RUNS:-3}
url=${1:-$(bash scripts/postgres.sh | tail -n 1)}
dotnet build src/Eventuali.Cli -c Release -nologo -clp:ErrorsOnly >/dev/null
dotnet build bench/Eventuali.MartenComparison -c Release -nologo -clp:ErrorsOnly >/dev/null
eventuali=(dotnet src/Eventuali.Cli/bin/Release/net10.0/Eventuali.Cli.dll)
marten=(dotnet bench/Eventuali.MartenComparison/bin/Release/net10.0/Eventuali.MartenComparison.dll)
base=${url%%\?*}

echo "| workload | events | Eventuali events/s | Marten events/s | ratio | Eventuali p50 / p99 ms | Marten p50 / p99 ms |"
echo "|---|---|---|---|---|---|---|"
for spec in append-batch:100000 append-single:2000 append-concurrent:6400 load-aggregate:100000 read-all:100000; do
  workload=${spec%%:*}; events=${spec##*:}
  ours=(); theirs=()
  for run in $(seq "$runs"); do
    schema="cmp_${workload//-/_}_${run}_$$"
    ours+=("$("${eventuali[@]}" benchmark --database "$(with_schema "$url" "$schema")" --workload "$workload" --events "$events" --json 2>/dev/null)")
    psql -q "$base" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
    theirs+=("$("${marten[@]}" "$workload" "$events" "$url")")
  done
  e=$(printf '%s\n' "${ours[@]}" | field events_per_sec | median); m=$(printf '%s\n' "${theirs[@]}" | field events_per_sec | median)
  e50=$(printf '%s\n' "${ours[@]}" | field p50_ms | median); e99=$(printf '%s\n' "${ours[@]}" | field p99_ms | median)
  m50=$(printf '%s\n' "${theirs[@]}" | field p50_ms | median); m99=$(printf '%s\n' "${theirs[@]}" | field p99_ms | median)
  printf '| %s | %s | %.0f | %.0f | %.1fx | %.2f / %.2f | %.2f / %.2f |\n' "$workload" "$events" "$e" "$m" "$(awk "BEGIN {print $e / $m}")" "$e50" "$e99" "$m50" "$m99"
done
