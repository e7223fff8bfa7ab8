#!/usr/bin/env bash
# Prepares the real-kubelet suite (npm run test:kubelet): a kubelet 1.20.2 built from the same Debian source
# tree as scripts/prepare-apiserver.sh (run that first: this reuses its tree and warm Go cache, about a minute),
# Debian's containerd and runc, and two images made here, since no registry is reachable: the pause image
# (the tree's build/pause/linux/pause.c, static) and a kube-apiserver image (the static binary and an
# /etc/passwd). Images are docker-archive tarballs that the suite imports with `ctr`. Everything is cached in
# PRISMA_AUDIT_CACHE (default /var/cache/prisma-audit) and rebuilt only when an input changed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${PRISMA_AUDIT_CACHE:-/var/cache/prisma-audit}"
bin="$cache/bin"
images="$cache/images"
mkdir -p "$bin" "$images"
[ -x "$bin/kube-apiserver" ] || { echo "no $bin/kube-apiserver: run scripts/prepare-apiserver.sh first" >&2; exit 1; }

need_apt=()
command -v containerd >/dev/null || need_apt+=(containerd)
command -v runc >/dev/null || need_apt+=(runc)
command -v gcc >/dev/null || need_apt+=(gcc libc6-dev)
command -v unshare >/dev/null || need_apt+=(util-linux)
if [ "${#need_apt[@]}" -gt 0 ]; then
  apt-get update -qq
  # Debian's containerd enables a systemd unit only; nothing is started on a machine without systemd.
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${need_apt[@]}" >/dev/null
fi

. "$here/kube-source.sh"
if [ -x "$bin/kubelet" ] && [ -e "$bin/kubelet.reflect2" ] && "$bin/kubelet" --version >/dev/null 2>&1; then
  echo "kubelet: cached at $bin/kubelet ($("$bin/kubelet" --version))"
else
  [ -e "$cache/src/.unpacked" ] || { kube_source_enable_deb_src; apt-get update -qq; }
  tree=$(kube_source_tree "$cache")
  # Static (no cgo): the kubelet needs no C library at run time, like the apiserver binary.
  CGO_ENABLED=0 kube_source_make "$cache" "$tree" WHAT=cmd/kubelet
  out=$(find "$tree/_output" -type f -name kubelet -perm -u+x | head -n1)
  [ -n "$out" ] || { echo "build finished without a kubelet binary" >&2; exit 1; }
  cp "$out" "$bin/kubelet"
  touch "$bin/kubelet.reflect2"
  echo "kubelet: built $bin/kubelet ($("$bin/kubelet" --version))"
fi

# docker-archive <name:tag> <out.tar> <entrypoint json> <rootfs dir>: one layer, a config naming the layer's
# digest and the entrypoint, and a manifest.json with the tag; deterministic, so an unchanged input gives
# byte-identical output.
docker_archive() {
  local tag=$1 out=$2 entrypoint=$3 rootfs=$4 work
  work=$(mktemp -d)
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$rootfs" -cf "$work/layer.tar" .
  local diff config
  diff=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
  printf '{"architecture":"amd64","os":"linux","config":{"Entrypoint":%s,"Env":["PATH=/usr/local/bin:/usr/bin:/bin"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
    "$entrypoint" "$diff" > "$work/config.json"
  config=$(sha256sum "$work/config.json" | cut -d' ' -f1)
  mv "$work/config.json" "$work/$config.json"
  printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["layer.tar"]}]' "$config" "$tag" > "$work/manifest.json"
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$work" -cf "$out.tmp" manifest.json "$config.json" layer.tar
  mv "$out.tmp" "$out"
  rm -rf "$work"
}

# An image is rebuilt when its stamp (the checksum of its inputs) changed.
stamp_ok() { [ -s "$1" ] && [ -e "$1.stamp" ] && [ "$(cat "$1.stamp")" = "$2" ]; }

pause_src="$cache/gopath/src/k8s.io/kubernetes/build/pause/linux/pause.c"
[ -f "$pause_src" ] || pause_src="$(kube_source_tree "$cache")/build/pause/linux/pause.c"
pause_stamp=$(sha256sum "$pause_src" | cut -d' ' -f1)
if stamp_ok "$images/pause.tar" "$pause_stamp"; then
  echo "pause image: cached at $images/pause.tar"
else
  rootfs=$(mktemp -d)
  gcc -Os -Wall -Werror -static -DVERSION=v3.4.1-prisma-audit -o "$rootfs/pause" "$pause_src"
  docker_archive local/pause:3.4.1 "$images/pause.tar" '["/pause"]' "$rootfs"
  rm -rf "$rootfs"
  echo "$pause_stamp" > "$images/pause.tar.stamp"
  echo "pause image: built $images/pause.tar"
fi

api_stamp=$(sha256sum "$bin/kube-apiserver" | cut -d' ' -f1)
if stamp_ok "$images/kube-apiserver.tar" "$api_stamp"; then
  echo "kube-apiserver image: cached at $images/kube-apiserver.tar"
else
  rootfs=$(mktemp -d)
  mkdir -p "$rootfs/usr/local/bin" "$rootfs/etc" "$rootfs/tmp"
  chmod 1777 "$rootfs/tmp"
  cp "$bin/kube-apiserver" "$rootfs/usr/local/bin/kube-apiserver"
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n' > "$rootfs/etc/passwd"
  docker_archive local/kube-apiserver:v1.20.2 "$images/kube-apiserver.tar" '["/usr/local/bin/kube-apiserver"]' "$rootfs"
  rm -rf "$rootfs"
  echo "$api_stamp" > "$images/kube-apiserver.tar.stamp"
  echo "kube-apiserver image: built $images/kube-apiserver.tar"
fi
echo "containerd: $(containerd --version)"
echo "runc: $(runc --version | head -n1)"
