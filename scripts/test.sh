#!/usr/bin/env bash
# Installs what the tests need when it is missing, then builds and runs every test,
# every example as a smoke test, the demo, and compiles the benchmarks.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
config=${CONFIGURATION:-Release}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

step() { printf '\n== %s\n' "$*"; }

if ! command -v dotnet >/dev/null 2>&1; then
  echo "dotnet (the .NET 10 SDK) is required and was not found on PATH" >&2
  exit 1
fi

step "PostgreSQL (installed and started when missing)"
# Stopped when the run ends (the EXIT trap below runs last, after every server that depends on it).
trap 'bash scripts/postgres.sh stop' EXIT
pg_url=$(bash scripts/postgres.sh | tail -n 1)
export EVENTUALI_TEST_POSTGRES=${EVENTUALI_TEST_POSTGRES:-$pg_url}
echo "tests use $(echo "$EVENTUALI_TEST_POSTGRES" | sed -E 's#//([^:/@]+):[^@]*@#//\1:***@#')"

step "SoftHSM2 (installed and its token initialised when missing, for the PKCS#11 key provider's tests)"
softhsm_env=$(bash scripts/softhsm.sh)
eval "$softhsm_env"
echo "tests use PKCS#11 module $EVENTUALI_PKCS11_MODULE, token $EVENTUALI_PKCS11_TOKEN"

step "promtool (installed when missing, for the metrics exposition and the alert rules under deploy/)"
eval "$(bash scripts/prometheus.sh)"
echo "tests use $EVENTUALI_PROMTOOL ($("$EVENTUALI_PROMTOOL" --version 2>&1 | head -n 1))"

step "Chromium (installed when missing, for the web UI's browser tests)"
eval "$(bash scripts/chromium.sh)"
echo "tests use $EVENTUALI_CHROMIUM"
step "Message brokers (installed and started when missing: nats-server with JetStream, redis-server, rabbitmq-server)"
brokers_env=$(bash scripts/brokers.sh)
eval "$(grep '^export ' <<<"$brokers_env")"
trap "bash scripts/brokers.sh stop; $(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT\$/\1/")" EXIT
for url in "$EVENTUALI_NATS_URL" "$EVENTUALI_REDIS_URL" "$EVENTUALI_RABBITMQ_URL"; do
  echo "tests use $(echo "$url" | sed -E 's#//([^:/@]+):[^@]*@#//\1:***@#')"
done

step "PgBouncer in transaction mode (installed and started when missing, in front of that PostgreSQL)"
# Assigned first, so that a script that fails stops the run here (an eval of a failed substitution would not).
# Added to the exit trap already set, not replacing it; set before the start, so a failed start is cleaned up too.
trap "bash scripts/pgbouncer.sh stop; $(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT\$/\1/")" EXIT
pgbouncer_env=$(bash scripts/pgbouncer.sh)
eval "$(tail -n 2 <<<"$pgbouncer_env")"
echo "tests use $(echo "$EVENTUALI_TEST_PGBOUNCER" | sed -E 's#//([^:/@]+):[^@]*@#//\1:***@#')"

step "PostgreSQL read replica (a streaming hot standby of that PostgreSQL, cloned when missing, for the replica tests)"
trap "bash scripts/pg-replica.sh stop; $(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT\$/\1/")" EXIT
replica_env=$(bash scripts/pg-replica.sh)
eval "$(tail -n 2 <<<"$replica_env")"
echo "tests use $(echo "$EVENTUALI_TEST_PG_REPLICA" | sed -E 's#//([^:/@]+):[^@]*@#//\1:***@#')"

step "Patroni cluster (installed and started when missing: etcd, a primary and a synchronous standby, for the failover test)"
trap "bash scripts/patroni.sh stop; $(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT\$/\1/")" EXIT
patroni_env=$(bash scripts/patroni.sh)
eval "$(tail -n 1 <<<"$patroni_env")"
echo "tests use $(echo "$EVENTUALI_TEST_PATRONI" | sed -E 's#//([^:/@]+):[^@]*@#//\1:***@#')"

step "Kafka mock cluster (librdkafka's, hosted by tests/Eventuali.KafkaMock; no Kafka broker package exists here)"
eval "$(bash scripts/kafka-mock.sh | tail -n 1)"
# Added to whatever the EXIT trap already runs, not in place of it.
trap "bash scripts/kafka-mock.sh stop; $(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")" EXIT
echo "tests use the Kafka mock cluster at $EVENTUALI_KAFKA_BOOTSTRAP"

step "OIDC provider (npm oidc-provider, installed and started when missing, for the server's bearer-token tests)"
trap "bash scripts/oidc-provider.sh stop; $(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT\$/\1/")" EXIT
oidc_env=$(bash scripts/oidc-provider.sh)
eval "$(tail -n 1 <<<"$oidc_env")"
echo "tests use the OIDC provider at $EVENTUALI_OIDC_ISSUER"

step "Build (warnings are errors)"
dotnet build Eventuali.sln -c "$config" -nologo -clp:ErrorsOnly

step "Tests"
results=$(mktemp -d)
set +e
dotnet test Eventuali.sln -c "$config" --no-build -nologo --logger "trx" --results-directory "$results" 2>&1 | tee "$results/console.log"
test_status=${PIPESTATUS[0]}
set -e

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters"); f=$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")
  t=$(sed -E 's/.* total="([0-9]+)".*/\1/' <<<"$counters"); x=$(sed -E 's/.* executed="([0-9]+)".*/\1/' <<<"$counters")
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + t - x))
done
# A skip is a stated capability of a backend (e.g. the memory store does not persist), never a missing server.
grep -ho '<UnitTestResult [^>]*outcome="NotExecuted"[^>]*>' "$results"/*.trx 2>/dev/null \
  | sed -E 's/.*testName="([^"]*)".*/skipped: \1/' || true

step "Examples (smoke tests)"
example_failures=0
for proj in examples/*/*.csproj; do
  name=$(basename "$(dirname "$proj")")
  if timeout 300 dotnet run -c "$config" --no-build --project "$proj" >"$results/$name.log" 2>&1; then
    echo "example $name: ok"; passed=$((passed + 1))
  else
    echo "example $name: FAILED"; tail -n 30 "$results/$name.log"; failed=$((failed + 1)); example_failures=1
  fi
done

step "Demo (the README's main job)"
demo_dir=$(mktemp -d)
if (cd "$demo_dir" && timeout 300 dotnet run -c "$config" --no-build --project "$root/src/Eventuali.Cli" -- demo >"$results/demo.log" 2>&1); then
  echo "demo: ok"; tail -n 5 "$results/demo.log"; passed=$((passed + 1))
else
  echo "demo: FAILED"; tail -n 30 "$results/demo.log"; failed=$((failed + 1))
fi
rm -rf "$demo_dir"

step "Relay benchmark (smoke: a short run on the three brokers; the measured figures are in docs/brokers.md)"
if timeout 300 dotnet run -c "$config" --no-build --project bench/Eventuali.RelayBench -- all --events 5000 --runs 1 --seconds 2 --rate 200 >"$results/relaybench.log" 2>&1; then
  echo "relay benchmark: ok"; grep -E '^\| (nats|redis|rabbitmq) ' "$results/relaybench.log" || true; passed=$((passed + 1))
else
  echo "relay benchmark: FAILED"; tail -n 30 "$results/relaybench.log"; failed=$((failed + 1))
fi

step "Server benchmark (smoke: HTTP append and SSE on SQLite and PostgreSQL, 1,000 SSE clients each; figures in docs/server.md)"
if timeout 300 dotnet run -c "$config" --no-build --project bench/Eventuali.ServerBench -- --quick >"$results/serverbench.log" 2>&1; then
  echo "server benchmark: ok"; grep -E '^\| (sqlite|postgres) ' "$results/serverbench.log" || true; passed=$((passed + 1))
else
  echo "server benchmark: FAILED"; tail -n 30 "$results/serverbench.log"; failed=$((failed + 1))
fi

step "Packages (pack, install the tool, a console project on the packed Eventuali, the Native AOT CLI)"
if bash scripts/packages-check.sh "$results"; then :; fi
pk_passed=$(grep -c '^packages: ok' "$results/packages.summary" 2>/dev/null || true)
pk_failed=$(grep -c '^packages: FAILED' "$results/packages.summary" 2>/dev/null || true)
passed=$((passed + pk_passed)); failed=$((failed + pk_failed))
if [ "$pk_passed" -eq 0 ] && [ "$pk_failed" -eq 0 ]; then echo "packages: no check ran"; failed=$((failed + 1)); fi

step "README quick start is the compiled example"
if bash scripts/check-readme.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

echo
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$test_status" -ne 0 ] || [ "$failed" -ne 0 ]; then
  exit 1
fi
