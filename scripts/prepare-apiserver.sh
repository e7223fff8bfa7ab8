#!/usr/bin/env bash
# Builds a real kube-apiserver 1.20.2 from Debian's `kubernetes` source package and installs Debian's
# etcd, for the real-apiserver test suite (npm run test:apiserver). kube-apiserver is not packaged as a
# binary in Debian; the source package vendors all its Go dependencies, so Debian's Go can build it
# offline. The binary is cached outside the repo (PRISMA_AUDIT_CACHE, default /var/cache/prisma-audit)
# and reused: the build takes about 7 minutes on 2 cores. The binary is marked with the reflect2 fix
# (bin/kube-apiserver.reflect2) so that a cache from before the fix is rebuilt once.
set -euo pipefail
cache="${PRISMA_AUDIT_CACHE:-/var/cache/prisma-audit}"
bin="$cache/bin/kube-apiserver"
mkdir -p "$cache/bin"

need_apt=()
command -v go >/dev/null || need_apt+=(golang-go)
command -v rsync >/dev/null || need_apt+=(rsync)
command -v jq >/dev/null || need_apt+=(jq)
command -v etcd >/dev/null || [ -x /usr/bin/etcd ] || need_apt+=(etcd-server)
# The tree vendors reflect2 1.0.1, which faults under Go >= 1.18 when JSON-encoding some maps (a Node object
# kills the apiserver); Debian packages the fixed 1.0.2 sources, swapped in before the build.
[ -d /usr/share/gocode/src/github.com/modern-go/reflect2 ] || need_apt+=(golang-github-modern-go-reflect2-dev)
if [ "${#need_apt[@]}" -gt 0 ] || [ ! -x "$bin" ]; then
  # deb-src for the same archive as the configured deb lines, so `apt-get source` finds the package.
  if ! grep -rqs '^Types: deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
    mirror=$(bash "$(dirname "$0")/apt-mirror.sh")
    cat > /etc/apt/sources.list.d/prisma-audit-src.sources <<SRC
Types: deb-src
URIs: $mirror
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  fi
  apt-get update -qq
fi
if [ "${#need_apt[@]}" -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ -x "$bin" ] && [ -e "$bin.reflect2" ] && "$bin" --version >/dev/null 2>&1; then
  echo "kube-apiserver: cached at $bin ($("$bin" --version))"
else
  src="$cache/src"
  rm -rf "$src"; mkdir -p "$src"
  (cd "$src" && apt-get source -qq kubernetes >/dev/null 2>&1)
  tree=$(find "$src" -maxdepth 1 -mindepth 1 -type d -name 'kubernetes-*' | head -n1)
  [ -n "$tree" ] || { echo "apt-get source kubernetes produced no tree in $src" >&2; exit 1; }
  gopath="$cache/gopath"
  mkdir -p "$gopath/src/k8s.io"
  ln -sfn "$tree" "$gopath/src/k8s.io/kubernetes"
  fixed=/usr/share/gocode/src/github.com/modern-go/reflect2
  vendored="$tree/vendor/github.com/modern-go/reflect2"
  rm -f "$vendored"/*.go "$vendored"/*.s   # 1.0.1 has files (go_above_17.go) that 1.0.2 folded into others
  cp "$fixed"/*.go "$fixed"/*.s "$vendored/"
  (
    cd "$gopath/src/k8s.io/kubernetes"
    export GOPATH="$gopath" GO111MODULE=off GOFLAGS=-mod=vendor GOCACHE="$cache/gocache"
    # Debian's source is not a git checkout: give the version script what it needs.
    export KUBE_GIT_VERSION=v1.20.2 KUBE_GIT_TREE_STATE=clean KUBE_GIT_COMMIT=faecb196815e248d3ecfb03c680a4507229c2a56
    make WHAT=cmd/kube-apiserver
  )
  out=$(find "$gopath/src/k8s.io/kubernetes/_output" -type f -name kube-apiserver | head -n1)
  [ -n "$out" ] || { echo "build finished without a kube-apiserver binary" >&2; exit 1; }
  cp "$out" "$bin"
  touch "$bin.reflect2"
  echo "kube-apiserver: built $bin ($("$bin" --version))"
fi
etcd_bin=$(command -v etcd || echo /usr/bin/etcd)
echo "etcd: $etcd_bin ($("$etcd_bin" --version 2>/dev/null | head -n1))"
