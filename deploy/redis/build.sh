#!/usr/bin/env bash
# Build Redis 8 (vector sets compiled in) from Debian trixie's source package, with Debian's
# patches applied, into $CALLASSIST_CACHE_DIR/redis-<version>/bin. Runs once; later runs exit at once.
#
#   deploy/redis/build.sh          build (or reuse) and print the redis-server path
#   REDIS_SOURCE_SUITE=trixie      Debian suite to take the source package from
#
# Needs apt-get, dpkg-source (dpkg-dev), gcc and make. No root needed: apt runs on private lists.
set -euo pipefail

cache_dir="${CALLASSIST_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/callassist}"
suite="${REDIS_SOURCE_SUITE:-trixie}"
mirror="${REDIS_SOURCE_MIRROR:-http://deb.debian.org/debian}"

existing=$(ls -d "$cache_dir"/redis-8.*/bin/redis-server 2>/dev/null | sort -V | tail -n 1 || true)
if [ -n "$existing" ] && "$existing" --version >/dev/null 2>&1; then
    echo "$existing"
    exit 0
fi

for tool in apt-get dpkg-source gcc make; do
    command -v "$tool" >/dev/null || { echo "build.sh: '$tool' is missing (Debian: apt-get install dpkg-dev build-essential)" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/callassist-redis-build.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/archives/partial" "$cache_dir"
echo "deb-src $mirror $suite main" > "$work/sources.list"
apt_opts=(
    -o "Dir::Etc::SourceList=$work/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
    -o "Dir::State::Lists=$work/lists" -o "Dir::Cache::Archives=$work/archives"
    -o "Debug::NoLocking=1" -o "APT::Sandbox::User=$(id -un)"
)
echo "build.sh: fetching the redis source package from $suite" >&2
apt-get "${apt_opts[@]}" -qq update >&2
(cd "$work" && apt-get "${apt_opts[@]}" -qq source --download-only redis >&2)
dsc=$(ls "$work"/redis_*.dsc | head -n 1)
version=$(basename "$dsc" .dsc | sed -e 's/^redis_//' -e 's/^[0-9]*://' -e 's/-.*$//' -e 's/[~+].*$//')
case "$version" in 8.*) ;; *) echo "build.sh: $suite ships redis $version, not 8.x" >&2; exit 1;; esac

# dpkg-source -x applies Debian's patch series (the bare orig tarball would not).
# apt has already checked the signed Sources index and the hashes of every file it fetched;
# gpgv may note that it cannot check the .dsc's own signature without debian-keyring.
(cd "$work" && dpkg-source -q -x "$dsc" src >&2)
echo "build.sh: compiling redis $version (about a minute on two cores)" >&2
make -C "$work/src" -j"$(nproc)" BUILD_TLS=no >"$work/make.log" 2>&1 || { tail -n 40 "$work/make.log" >&2; exit 1; }

dest="$cache_dir/redis-$version"
rm -rf "$dest.tmp" && mkdir -p "$dest.tmp/bin"
cp "$work/src/src/redis-server" "$work/src/src/redis-cli" "$dest.tmp/bin/"
cp "$dsc" "$dest.tmp/"
rm -rf "$dest" && mv "$dest.tmp" "$dest"
"$dest/bin/redis-server" --version >&2
echo "$dest/bin/redis-server"
