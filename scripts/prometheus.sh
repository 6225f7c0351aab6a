#!/usr/bin/env bash
# Makes promtool (from Debian's prometheus package) available for the tests that check the metrics endpoint's
# exposition and the alert rules under deploy/, and prints, as its last line, the environment the tests read
# (eval "$(bash scripts/prometheus.sh)"). Only the promtool binary is used: no Prometheus server is started, and
# the package's own service is never enabled by this script.
set -euo pipefail

if ! command -v promtool >/dev/null 2>&1; then
  if [[ "$(id -u)" != 0 ]]; then
    echo "prometheus.sh: promtool is not installed and this is not root; install Debian's 'prometheus' package." >&2
    exit 1
  fi
  echo "prometheus.sh: installing promtool (apt-get install prometheus)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  # The package's maintainer script would start a server on :9090; the policy file refuses service starts.
  policy=/usr/sbin/policy-rc.d
  made_policy=0
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && made_policy=1
  fi
  apt-get install -y -qq --no-install-recommends prometheus >/dev/null
  if [[ "$made_policy" == 1 ]]; then rm -f "$policy"; fi
  if ! command -v promtool >/dev/null 2>&1; then
    echo "prometheus.sh: apt-get installed prometheus but promtool was not found on PATH." >&2
    exit 1
  fi
fi

echo "export EVENTUALI_PROMTOOL=$(command -v promtool)"
