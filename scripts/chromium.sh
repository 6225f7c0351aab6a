#!/usr/bin/env bash
# Makes Debian's headless-capable Chromium available for the web UI's browser tests, and prints, as its last line,
# the environment the tests read (eval "$(bash scripts/chromium.sh)"). No browser is downloaded: only the Debian
# package is installed, and only when missing. Nothing is started here; each test starts its own browser.
set -euo pipefail

find_chromium() { command -v chromium || command -v chromium-browser || true; }

if [[ -z "$(find_chromium)" ]]; then
  if [[ "$(id -u)" != 0 ]]; then
    echo "chromium.sh: chromium is not installed and this is not root; install Debian's 'chromium' package." >&2
    exit 1
  fi
  echo "chromium.sh: installing chromium (apt-get install chromium)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
  if [[ -z "$(find_chromium)" ]]; then
    echo "chromium.sh: apt-get installed chromium but it was not found on PATH." >&2
    exit 1
  fi
fi

echo "export EVENTUALI_CHROMIUM=$(find_chromium)"
