#!/usr/bin/env bash
# Installs the Debian packages Convene's tests need, only when they are missing.
#   scripts/ensure-system-deps.sh            # redis-server and chromium
#   scripts/ensure-system-deps.sh redis      # only redis-server
#   scripts/ensure-system-deps.sh chromium   # only chromium
# Idempotent: when everything is present it touches nothing (no apt-get update, no network).
# Runs non-interactively; needs root (or sudo without a password) only when something must be installed.
set -euo pipefail

want_redis=0
want_chromium=0
if [ "$#" -eq 0 ]; then
  want_redis=1
  want_chromium=1
fi
for arg in "$@"; do
  case "$arg" in
    redis | redis-server) want_redis=1 ;;
    chromium) want_chromium=1 ;;
    all) want_redis=1; want_chromium=1 ;;
    -h | --help)
      sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "ensure-system-deps: unknown component '$arg' (expected: redis, chromium, all)" >&2
      exit 2
      ;;
  esac
done

missing=()
if [ "$want_redis" -eq 1 ] && ! command -v redis-server >/dev/null 2>&1; then
  missing+=(redis-server)
fi
if [ "$want_chromium" -eq 1 ] && [ ! -x /usr/bin/chromium ]; then
  missing+=(chromium)
fi

if [ "${#missing[@]}" -eq 0 ]; then
  echo "ensure-system-deps: already installed, nothing to do"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-system-deps: missing ${missing[*]} and apt-get is not available; install them with your package manager" >&2
  exit 1
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
  else
    echo "ensure-system-deps: missing ${missing[*]}; run this script as root to install them" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
echo "ensure-system-deps: installing ${missing[*]}"
log="$(mktemp -t ensure-system-deps.XXXXXX)"
trap 'rm -f "$log"' EXIT
run_quietly() {
  # apt/dpkg chatter (debconf, invoke-rc.d) goes to a log that is printed only when the step fails.
  if ! ${SUDO[@]+"${SUDO[@]}"} env DEBIAN_FRONTEND=noninteractive "$@" </dev/null >>"$log" 2>&1; then
    echo "ensure-system-deps: '$*' failed:" >&2
    cat "$log" >&2
    exit 1
  fi
}
run_quietly apt-get update -qq
run_quietly apt-get install -y -qq --no-install-recommends -o Dpkg::Use-Pty=0 "${missing[@]}"

# The Debian package starts a system redis on 6379 when an init system is present; the tests start their own
# servers on free ports, so that one is harmless and left alone.
for pkg in "${missing[@]}"; do
  case "$pkg" in
    redis-server) command -v redis-server >/dev/null 2>&1 || { echo "ensure-system-deps: redis-server still missing after install" >&2; exit 1; } ;;
    chromium) [ -x /usr/bin/chromium ] || { echo "ensure-system-deps: /usr/bin/chromium still missing after install" >&2; exit 1; } ;;
  esac
done
echo "ensure-system-deps: installed ${missing[*]}"
