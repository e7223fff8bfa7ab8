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
. "$(dirname "$0")/kube-source.sh"
if [ "${#need_apt[@]}" -gt 0 ] || [ ! -x "$bin" ]; then
  kube_source_enable_deb_src
  apt-get update -qq
fi
if [ "${#need_apt[@]}" -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ -x "$bin" ] && [ -e "$bin.reflect2" ] && "$bin" --version >/dev/null 2>&1; then
  echo "kube-apiserver: cached at $bin ($("$bin" --version))"
else
  tree=$(kube_source_tree "$cache")
  kube_source_make "$cache" "$tree" WHAT=cmd/kube-apiserver
  out=$(find "$tree/_output" -type f -name kube-apiserver | head -n1)
  [ -n "$out" ] || { echo "build finished without a kube-apiserver binary" >&2; exit 1; }
  cp "$out" "$bin"
  touch "$bin.reflect2"
  echo "kube-apiserver: built $bin ($("$bin" --version))"
fi
etcd_bin=$(command -v etcd || echo /usr/bin/etcd)
echo "etcd: $etcd_bin ($("$etcd_bin" --version 2>/dev/null | head -n1))"
