#!/usr/bin/env bash
# Debian packages callassist needs. Installs them with apt-get when run as root; otherwise prints
# the exact command and stops. Exits at once when everything is already there.
set -euo pipefail

# command → Debian package
declare -A needed=(
    [espeak-ng]=espeak-ng      # Korean speech for the demo call and the tests
    [chromium]=chromium        # the real browser of the UI tests (driven by Playwright)
)
missing=()
for cmd in "${!needed[@]}"; do
    command -v "$cmd" >/dev/null 2>&1 || missing+=("${needed[$cmd]}")
done
# A CJK font, without which the browser draws Korean as boxes (screenshots, visual checks).
[ -d /usr/share/fonts/opentype/noto ] && ls /usr/share/fonts/opentype/noto/NotoSansCJK-* >/dev/null 2>&1 \
    || missing+=(fonts-noto-cjk)
[ ${#missing[@]} -eq 0 ] && exit 0

packages=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing Debian packages. Install them, then run make again:" >&2
    echo "    sudo apt-get update && sudo apt-get install -y $packages" >&2
    exit 1
fi
command -v apt-get >/dev/null || { echo "setup: no apt-get; install: $packages" >&2; exit 1; }
echo "setup: installing $packages" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $packages >/dev/null
