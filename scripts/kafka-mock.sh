#!/usr/bin/env bash
# Builds and starts the Kafka mock fixture the Kafka adapter's tests share: librdkafka's built-in Kafka-protocol mock
# cluster (from Confluent.Kafka's librdkafka.redist package; no Kafka broker package exists here), hosted by
# tests/Eventuali.KafkaMock on a private loopback port. Prints as its last line the environment the tests read
# (eval "$(bash scripts/kafka-mock.sh | tail -n 1)"). Idempotent: a fixture already answering on its port is left
# running. `bash scripts/kafka-mock.sh stop` stops what it started.
#   EVENTUALI_KAFKA_BOOTSTRAP (127.0.0.1:PORT)
set -euo pipefail
cd "$(dirname "$0")/.."

data=${EVENTUALI_KAFKA_DATA:-/tmp/eventuali-kafka-mock}
port=${EVENTUALI_KAFKA_PORT:-19092}
config=${CONFIGURATION:-Release}
mkdir -p "$data"

if [[ "${1:-}" == "stop" ]]; then
  if [[ -f "$data/mock.pid" ]]; then
    kill "$(cat "$data/mock.pid")" 2>/dev/null || true
    rm -f "$data/mock.pid"
  fi
  exit 0
fi

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if ! answers "$port"; then
  echo "kafka-mock.sh: building tests/Eventuali.KafkaMock..." >&2
  dotnet build tests/Eventuali.KafkaMock -c "$config" -nologo -clp:ErrorsOnly >&2
  # Run from a copy, so a later build of the solution can rewrite bin/ while the fixture runs.
  rm -rf "$data/bin" && mkdir -p "$data/bin"
  cp -r "tests/Eventuali.KafkaMock/bin/$config/net10.0/." "$data/bin/"
  setsid dotnet "$data/bin/Eventuali.KafkaMock.dll" --port "$port" </dev/null >"$data/mock.log" 2>&1 &
  echo $! >"$data/mock.pid"
  deadline=$((SECONDS + 60))
  until answers "$port"; do
    if ((SECONDS > deadline)) || ! kill -0 "$(cat "$data/mock.pid")" 2>/dev/null; then
      echo "kafka-mock.sh: the mock cluster did not answer on 127.0.0.1:$port within 60 s; its log:" >&2
      tail -n 20 "$data/mock.log" >&2 || true
      exit 1
    fi
    sleep 0.2
  done
fi

echo "export EVENTUALI_KAFKA_BOOTSTRAP=127.0.0.1:$port"
