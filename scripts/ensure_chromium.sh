#!/usr/bin/env bash
# Make sure a headless Debian/Ubuntu `chromium` is available for tests/test_browser.py.
# Prints the browser's path. Installs the distribution package when it is missing (needs root or
# sudo); set CHROMIUM to use another binary.
set -euo pipefail
if [[ -n "${CHROMIUM:-}" ]]; then
  command -v "$CHROMIUM"
  exit 0
fi
for name in chromium chromium-browser; do
  if path=$(command -v "$name" 2>/dev/null); then
    echo "$path"
    exit 0
  fi
done
if [[ $(id -u) -eq 0 ]]; then SUDO=(); elif command -v sudo >/dev/null; then SUDO=(sudo -n); else
  echo "ensure_chromium: chromium is missing and installing it needs root (apt-get install chromium)" >&2
  exit 1
fi
echo "ensure_chromium: installing chromium with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq >&2
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends chromium >&2
command -v chromium
