#!/usr/bin/env bash
# Installs (Debian's packages, when missing) and starts the message brokers the broker tests and example 12 use,
# each on a private loopback port with its own data directory, and prints as its last lines the environment they
# read (eval "$(bash scripts/brokers.sh)"). Idempotent: a broker already answering on its port is left running.
# `bash scripts/brokers.sh stop` stops what it started.
#   NATS with JetStream: EVENTUALI_NATS_URL (nats://user:password@127.0.0.1:PORT)
#   Redis (streams, append-only file): EVENTUALI_REDIS_URL (redis://user:password@127.0.0.1:PORT)
#   RabbitMQ (plugins off, its own epmd and cookie): EVENTUALI_RABBITMQ_URL (amqp://user:password@127.0.0.1:PORT)
#   and EVENTUALI_BROKERS_DATA, where the pid files are (a test kills a broker from its pid and runs this to restart it).
# `bash scripts/brokers.sh start NAME...` starts only the named brokers (nats, redis, rabbitmq).
# Passwords are made once per data directory and kept there; none is ever on a command line.
set -euo pipefail

data=${EVENTUALI_BROKERS_DATA:-/tmp/eventuali-brokers}
nats_port=${EVENTUALI_NATS_PORT:-14222}
redis_port=${EVENTUALI_REDIS_PORT:-16379}
rabbitmq_port=${EVENTUALI_RABBITMQ_PORT:-15672}
# Erlang distribution and its port mapper on private ports too, so another RabbitMQ on this machine is never touched.
rabbitmq_dist_port=${EVENTUALI_RABBITMQ_DIST_PORT:-$((rabbitmq_port + 20000))}
rabbitmq_epmd_port=${EVENTUALI_RABBITMQ_EPMD_PORT:-$((rabbitmq_port + 21000))}
mkdir -p "$data"
data=$(cd "$data" && pwd)

wanted=(nats redis rabbitmq)
if [[ "${1:-}" == "start" && $# -gt 1 ]]; then wanted=("${@:2}"); fi
wants() { [[ " ${wanted[*]} " == *" $1 "* ]]; }

if [[ "${1:-}" == "stop" ]]; then
  for pidfile in "$data"/nats.pid "$data"/redis.pid "$data"/rabbitmq.pid; do
    [[ -f "$pidfile" ]] && kill "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
  done
  # The private port mapper RabbitMQ started (only ours: it listens on our own port).
  if command -v epmd >/dev/null 2>&1 || [[ -x /usr/bin/epmd ]]; then
    ERL_EPMD_PORT=$rabbitmq_epmd_port epmd -kill >/dev/null 2>&1 || true
  fi
  exit 0
fi

install_missing() {
  local binary=$1 package=$2
  command -v "$binary" >/dev/null 2>&1 && return 0
  if [[ "$(id -u)" != 0 ]]; then
    echo "brokers.sh: $binary is not installed and this is not root; install Debian's '$package' package." >&2
    exit 1
  fi
  echo "brokers.sh: installing $package (apt-get install $package)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  # The package's maintainer scripts would start a service on the default port; the policy file refuses it.
  local policy=/usr/sbin/policy-rc.d made_policy=0
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && made_policy=1
  fi
  apt-get install -y -qq --no-install-recommends "$package" >/dev/null
  if [[ "$made_policy" == 1 ]]; then rm -f "$policy"; fi
  command -v "$binary" >/dev/null 2>&1 || PATH=$PATH:/usr/sbin command -v "$binary" >/dev/null 2>&1 || {
    echo "brokers.sh: apt-get installed $package but $binary was not found." >&2
    exit 1
  }
}

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() {
  local name=$1 port=$2 limit=${3:-60}
  local deadline=$((SECONDS + limit))
  until answers "$port"; do
    if ((SECONDS > deadline)); then
      echo "brokers.sh: $name did not answer on 127.0.0.1:$port within $limit s; its log:" >&2
      tail -n 20 "$data/$name.log" >&2 || true
      exit 1
    fi
    sleep 0.2
  done
}

export PATH=$PATH:/usr/sbin

password_of() {
  [[ -f "$data/$1.password" ]] || (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$data/$1.password")
  cat "$data/$1.password"
}

# NATS with JetStream; the password is made once per data directory and kept there.
if wants nats; then
install_missing nats-server nats-server
nats_password=$(password_of nats)
if ! answers "$nats_port"; then
  mkdir -p "$data/nats"
  # The password goes in a config file (mode 600), not on the command line where ps shows it. The login timeout is
  # 30 s, not the server's 2 s: on a loaded machine a client process that has just started can take longer than that
  # to answer the server's INFO, and the server then drops it (the client sees an unreachable server).
  (umask 077; printf 'authorization { user: eventuali, password: "%s", timeout: 30 }\n' "$nats_password" >"$data/nats.conf")
  setsid nats-server -c "$data/nats.conf" -a 127.0.0.1 -p "$nats_port" -js -sd "$data/nats" \
    -P "$data/nats.pid" -l "$data/nats.log" </dev/null >/dev/null 2>&1 &
  wait_for nats "$nats_port"
fi

fi

if wants redis; then
  source "$(dirname "$0")/lib/brokers-redis.sh"
fi

if wants rabbitmq; then
  source "$(dirname "$0")/lib/brokers-rabbitmq.sh"
fi

echo "export EVENTUALI_BROKERS_DATA=$data"
if wants nats; then echo "export EVENTUALI_NATS_URL=nats://eventuali:$nats_password@127.0.0.1:$nats_port"; fi
if wants redis; then echo "export EVENTUALI_REDIS_URL=redis://eventuali:$redis_password@127.0.0.1:$redis_port"; fi
if wants rabbitmq; then echo "export EVENTUALI_RABBITMQ_URL=amqp://eventuali:$rabbitmq_password@127.0.0.1:$rabbitmq_port"; fi
