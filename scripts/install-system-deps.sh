#!/usr/bin/env bash
# Install the Debian packages the real-server tests use (PostgreSQL for the store tests,
# Chromium for the browser tests), only when they are missing.
# Runs as root on CI and developer machines (see DEVELOPERS.md); prints what it does.
set -euo pipefail
need=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-system-deps: missing ${need[*]}; run as root or install them with apt-get" >&2
  exit 1
fi
echo "install-system-deps: installing ${need[*]} from Debian"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
