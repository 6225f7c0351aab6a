#!/usr/bin/env bash
# Starts a local OpenID Connect provider for the server's bearer-token tests: the npm oidc-provider package (pinned
# by tests/oidc-provider/package-lock.json, installed with npm ci into a private directory) running
# tests/oidc-provider/provider.mjs on a loopback port. Installs Debian's nodejs and npm when node is missing.
# Prints as its last line the environment the tests read (eval "$(bash scripts/oidc-provider.sh | tail -n 1)").
# Idempotent: a provider already answering on its port is left running. `bash scripts/oidc-provider.sh stop` stops
# what it started.
#   EVENTUALI_OIDC_DATA (default /tmp/eventuali-oidc), EVENTUALI_OIDC_PORT (default 19390)
set -euo pipefail
cd "$(dirname "$0")/.."

data=${EVENTUALI_OIDC_DATA:-/tmp/eventuali-oidc}
port=${EVENTUALI_OIDC_PORT:-19390}
issuer="http://127.0.0.1:$port"
mkdir -p "$data"

if [[ "${1:-}" == "stop" ]]; then
  if [[ -f "$data/provider.pid" ]]; then
    kill "$(cat "$data/provider.pid")" 2>/dev/null || true
    rm -f "$data/provider.pid"
  fi
  exit 0
fi

discovery_answers() {
  node -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(2000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' \
    "$issuer/.well-known/openid-configuration" 2>/dev/null
}

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  if [[ "$(id -u)" != 0 ]]; then
    echo "oidc-provider.sh: node and npm are required and this is not root; install Debian's nodejs and npm." >&2
    exit 1
  fi
  echo "oidc-provider.sh: installing nodejs and npm (apt-get)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi

if ! discovery_answers; then
  app="$data/app"
  mkdir -p "$app"
  # Reinstalled only when the pinned lock file changed.
  if ! cmp -s tests/oidc-provider/package-lock.json "$app/package-lock.json" || [[ ! -d "$app/node_modules/oidc-provider" ]]; then
    echo "oidc-provider.sh: installing oidc-provider (npm ci)..." >&2
    cp tests/oidc-provider/package.json tests/oidc-provider/package-lock.json "$app/"
    (cd "$app" && npm ci --omit=dev --no-audit --no-fund --loglevel=error >&2)
  fi
  cp tests/oidc-provider/provider.mjs "$app/"
  EVENTUALI_OIDC_PORT=$port setsid node "$app/provider.mjs" </dev/null >"$data/provider.log" 2>&1 &
  echo $! >"$data/provider.pid"
  deadline=$((SECONDS + 60))
  until discovery_answers; do
    if ((SECONDS > deadline)) || ! kill -0 "$(cat "$data/provider.pid")" 2>/dev/null; then
      echo "oidc-provider.sh: the provider did not answer at $issuer within 60 s; its log:" >&2
      tail -n 20 "$data/provider.log" >&2 || true
      exit 1
    fi
    sleep 0.2
  done
fi

echo "export EVENTUALI_OIDC_ISSUER=$issuer"
