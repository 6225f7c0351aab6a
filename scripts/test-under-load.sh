#!/usr/bin/env bash
# Runs the test suite several times while stress-ng keeps every core busy, to find tests that
# depend on how fast the machine is. Builds once, then runs `dotnet test` RUNS times and prints,
# per run, how many tests passed and failed and the names of the failed ones.
#
# Environment: RUNS (default 3), STRESS_CPUS (stress-ng workers, default nproc),
# TEST_TARGET (solution or test project, default Eventuali.sln), CONFIGURATION (default Release),
# SKIP_BUILD=1 to reuse an existing build. Extra arguments go to `dotnet test`, e.g.
#   RUNS=10 TEST_TARGET=tests/Eventuali.Sqlite.Tests scripts/test-under-load.sh --filter "FullyQualifiedName~Concurrency"
# Exits non-zero when any run had a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
config=${CONFIGURATION:-Release}
runs=${RUNS:-3}
cpus=${STRESS_CPUS:-$(nproc)}
target=${TEST_TARGET:-Eventuali.sln}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

step() { printf '\n== %s\n' "$*"; }

if ! [[ "$runs" =~ ^[1-9][0-9]*$ ]]; then echo "RUNS must be a positive whole number, got '$runs'" >&2; exit 2; fi
if ! [[ "$cpus" =~ ^[1-9][0-9]*$ ]]; then echo "STRESS_CPUS must be a positive whole number, got '$cpus'" >&2; exit 2; fi

if ! command -v stress-ng >/dev/null 2>&1; then
  if [[ "$(id -u)" != 0 ]]; then echo "stress-ng is missing and we are not root; install the 'stress-ng' package" >&2; exit 1; fi
  step "Installing stress-ng (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update -qq >/dev/null
  apt-get -o DPkg::Lock::Timeout=300 install -y -qq stress-ng >/dev/null
fi

step "PostgreSQL (installed and started when missing)"
pg_url=$(bash scripts/postgres.sh | tail -n 1)
export EVENTUALI_TEST_POSTGRES=${EVENTUALI_TEST_POSTGRES:-$pg_url}

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  step "Build (before the load starts)"
  dotnet build "$target" -c "$config" -nologo -clp:ErrorsOnly
fi

results=$(mktemp -d "${TMPDIR:-/tmp}/eventuali-load.XXXXXX")
stress_pid=
stop_stress() {
  if [[ -n "$stress_pid" ]] && kill -0 "$stress_pid" 2>/dev/null; then
    kill "$stress_pid" 2>/dev/null || true
    wait "$stress_pid" 2>/dev/null || true
  fi
  stress_pid=
}
trap stop_stress EXIT
trap 'exit 130' INT TERM

step "Load: stress-ng --cpu $cpus"
# The timeout is a backstop only: the trap stops it when this script ends.
stress-ng --cpu "$cpus" --timeout 6h --quiet &
stress_pid=$!

declare -a summary=()
any_failed=0
for run in $(seq 1 "$runs"); do
  step "Run $run of $runs under load ($(uptime | sed -E 's/.*load average: //'))"
  dir="$results/run-$run"
  mkdir -p "$dir"
  started=$SECONDS
  set +e
  dotnet test "$target" -c "$config" --no-build -nologo --logger trx --results-directory "$dir" "$@" >"$dir/console.log" 2>&1
  status=$?
  set -e
  # Counts from each test assembly's closing line (trx files named by the second can overwrite each other);
  # failed names from the trx files and from the console's [FAIL] lines.
  passed=0; failed=0
  while read -r f p; do
    passed=$((passed + p)); failed=$((failed + f))
  done < <(sed -nE 's/.*Failed: +([0-9]+), Passed: +([0-9]+),.*/\1 \2/p' "$dir/console.log")
  names=$( { grep -ho '<UnitTestResult [^>]*outcome="Failed"[^>]*>' "$dir"/*.trx 2>/dev/null \
      | sed -E 's/.*testName="([^"]*)".*/\1/'
    sed -nE 's/^\[xUnit\.net [0-9:.]+\] +(.*) \[FAIL\]$/\1/p' "$dir/console.log"; } \
    | sed -E 's/&quot;/"/g; s/&amp;/\&/g' | sort -u || true)
  line="run $run: $passed passed, $failed failed ($((SECONDS - started)) s, exit $status)"
  if [[ "$status" -ne 0 && "$failed" -eq 0 ]]; then
    # A crashed or aborted test host fails the run without a failed result in the trx files.
    line="$line; the test run itself failed, see $dir/console.log"
    tail -n 20 "$dir/console.log"
  fi
  echo "$line"
  [[ -n "$names" ]] && sed 's/^/  failed: /' <<<"$names"
  summary+=("$line")
  [[ -n "$names" ]] && while IFS= read -r n; do summary+=("  failed: $n"); done <<<"$names"
  if [[ "$status" -ne 0 || "$failed" -ne 0 ]]; then any_failed=1; fi
done
stop_stress

step "Summary ($runs runs with stress-ng --cpu $cpus; logs and trx files in $results)"
printf '%s\n' "${summary[@]}"
exit "$any_failed"
