#!/usr/bin/env bash
# Builds the Kubernetes 1.36 audit oracle (test-oracle/, see its main.go) for npm run test:versions.
# No modern kube-apiserver can be built here, but Debian sid packages the Kubernetes libraries
# (golang-k8s-*, 0.36.x) as Go sources, and k8s.io/apiserver holds the whole audit start-up and
# webhook code. So: a minimal sid chroot (debootstrap, mirror taken from this machine's apt sources),
# the Go and golang-k8s-* packages in it, then a GOPATH-mode build of test-oracle/.
#
# Everything is cached outside the repo (PRISMA_AUDIT_CACHE, default /var/cache/prisma-audit):
#   sid/                 the chroot (~3 GB with its Go build cache)
#   bin/audit-oracle     the probe (static), bin/audit-oracle.key the hash of the Go source it was built from
#   modern-audit-timing.json   seconds the last cold (chroot + packages + build) and cached runs took
# A second run with unchanged Go source only checks the key: well under 10 s.
set -euo pipefail
start=$(date +%s%N)
here="$(cd "$(dirname "$0")/.." && pwd)"
cache="${PRISMA_AUDIT_CACHE:-/var/cache/prisma-audit}"
root="$cache/sid"
bin="$cache/bin/audit-oracle"
timing="$cache/modern-audit-timing.json"
packages=(golang-go golang-k8s-apiserver-dev golang-k8s-client-go-dev golang-k8s-component-base-dev golang-k8s-api-dev
  golang-k8s-apimachinery-dev)
mkdir -p "$cache/bin"

# The key: the Go source and this script's package list. A change to either rebuilds.
key=$( (cd "$here" && find test-oracle -type f \( -name '*.go' \) | LC_ALL=C sort | xargs sha256sum; echo "${packages[*]}") |
  sha256sum | cut -d' ' -f1)
elapsed() { local ms=$((($(date +%s%N) - start) / 1000000)); printf '%d.%02d' $((ms / 1000)) $((ms % 1000 / 10)); }
record() { # kind seconds: keep the other kind's last figure
  local prev='{}'
  [ -s "$timing" ] && prev=$(cat "$timing")
  node -e 'const [p, k, s] = process.argv.slice(1); const t = JSON.parse(p); t[k] = { seconds: Number(s), at: new Date().toISOString() };
    console.log(JSON.stringify(t, null, 2))' "$prev" "$1" "$2" > "$timing.tmp" && mv "$timing.tmp" "$timing"
}

if [ -x "$bin" ] && [ "$(cat "$bin.key" 2>/dev/null)" = "$key" ] && [ -e "$root/.prisma-audit-packages" ]; then
  secs=$(elapsed)
  record cached "$secs"
  echo "audit-oracle: cached at $bin (Kubernetes $(cat "$root/.prisma-audit-packages"), ${secs}s)"
  exit 0
fi
cold=0

command -v debootstrap >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }

in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root DEBIAN_FRONTEND=noninteractive "$@"; }

if [ ! -e "$root/.prisma-audit-base" ]; then
  cold=1
  mirror=$(bash "$here/scripts/apt-mirror.sh")
  rm -rf "$root.partial"
  echo "audit-oracle: debootstrap sid from the machine's own mirror into $root (about 343 packages)"
  debootstrap --variant=minbase sid "$root.partial" "$mirror" > "$cache/debootstrap.log" 2>&1 ||
    { tail -20 "$cache/debootstrap.log" >&2; exit 1; }
  touch "$root.partial/.prisma-audit-base"
  rm -rf "$root"
  mv "$root.partial" "$root"
fi

if [ ! -e "$root/.prisma-audit-packages" ]; then
  cold=1
  # The mirror's sid Release file is often past its Valid-Until against this clock.
  echo 'Acquire::Check-Valid-Until "false";' > "$root/etc/apt/apt.conf.d/99prisma-audit"
  in_root apt-get update -qq
  in_root apt-get install -y -qq --no-install-recommends "${packages[@]}" > "$cache/chroot-apt.log" 2>&1 ||
    { tail -20 "$cache/chroot-apt.log" >&2; exit 1; }
  in_root dpkg-query -W -f '${Version}' golang-k8s-apiserver-dev > "$root/.prisma-audit-packages"
fi

# GOPATH mode against the packaged sources; no -trimpath, so error texts carry the source paths a
# real apiserver's do ("in scheme \"k8s.io/apiserver/pkg/audit/scheme.go:30\"").
work=/build/gopath/src/prisma-audit/audit-oracle
rm -rf "$root$work"
mkdir -p "$root$work"
cp "$here"/test-oracle/*.go "$root$work/"
# The chroot has no /proc: go cannot find itself through /proc/self/exe, so GOROOT is given.
in_root sh -c "cd $work && GOROOT=\$(dirname \$(dirname \$(readlink -f /usr/bin/go))) GOTELEMETRY=off \
  GOPATH=/build/gopath:/usr/share/gocode GO111MODULE=off GOPROXY=off GOFLAGS= CGO_ENABLED=0 GOCACHE=/build/gocache \
  go build -o /build/audit-oracle ."
mv "$root/build/audit-oracle" "$bin.tmp"
mv "$bin.tmp" "$bin"
echo "$key" > "$bin.key"
secs=$(elapsed)
[ "$cold" = 1 ] && record cold "$secs" || record build "$secs"
echo "audit-oracle: built $bin against golang-k8s-apiserver-dev $(cat "$root/.prisma-audit-packages") in ${secs}s"
