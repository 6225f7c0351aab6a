#!/usr/bin/env bash
# Makes a SoftHSM2 token available for the PKCS#11 key provider's tests and prints, as its last lines, the
# environment the tests read (eval "$(bash scripts/softhsm.sh)"). Installs Debian's softhsm2 package when the
# module is missing, keeps the token in a private directory under /tmp (its own softhsm2.conf, so the system's
# tokens are never touched) and initialises a token with a known label and PIN. Safe to run again: an
# initialised token is reused. Environment: EVENTUALI_SOFTHSM_DIR (default /tmp/eventuali-softhsm),
# EVENTUALI_PKCS11_TOKEN (default eventuali-test), EVENTUALI_PKCS11_PIN (default 123456, a test PIN).
set -euo pipefail

DIR="${EVENTUALI_SOFTHSM_DIR:-/tmp/eventuali-softhsm}"
TOKEN="${EVENTUALI_PKCS11_TOKEN:-eventuali-test}"
PIN="${EVENTUALI_PKCS11_PIN:-123456}"
SO_PIN="${EVENTUALI_PKCS11_SO_PIN:-12345678}"

find_module() {
  local m
  for m in /usr/lib/softhsm/libsofthsm2.so /usr/lib/*/softhsm/libsofthsm2.so /usr/lib64/softhsm/libsofthsm2.so /usr/local/lib/softhsm/libsofthsm2.so; do
    if [[ -f "$m" ]]; then echo "$m"; return; fi
  done
}

MODULE="$(find_module)"
if [[ -z "$MODULE" ]] || ! command -v softhsm2-util >/dev/null 2>&1; then
  if [[ "$(id -u)" != 0 ]]; then
    echo "softhsm.sh: SoftHSM2 is not installed and this is not root; install Debian's 'softhsm2' package." >&2
    exit 1
  fi
  echo "softhsm.sh: installing SoftHSM2 (apt-get)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq softhsm2 >/dev/null
  MODULE="$(find_module)"
  if [[ -z "$MODULE" ]]; then
    echo "softhsm.sh: apt-get installed softhsm2 but libsofthsm2.so was not found." >&2
    exit 1
  fi
fi

mkdir -p "$DIR/tokens"
chmod 700 "$DIR" "$DIR/tokens"
CONF="$DIR/softhsm2.conf"
if [[ ! -f "$CONF" ]]; then
  printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n' "$DIR/tokens" >"$CONF"
fi
export SOFTHSM2_CONF="$CONF"

# A lock keeps two runs started together from initialising two tokens with the same label.
exec 9>"$DIR/.lock"
flock 9
if ! softhsm2-util --show-slots 2>/dev/null | grep -q "Label:[[:space:]]*$TOKEN[[:space:]]*$"; then
  softhsm2-util --init-token --free --label "$TOKEN" --pin "$PIN" --so-pin "$SO_PIN" >/dev/null
  echo "softhsm.sh: initialised token '$TOKEN' in $DIR/tokens" >&2
fi
flock -u 9

echo "export SOFTHSM2_CONF=$CONF"
echo "export EVENTUALI_PKCS11_MODULE=$MODULE"
echo "export EVENTUALI_PKCS11_TOKEN=$TOKEN"
echo "export EVENTUALI_PKCS11_PIN=$PIN"
