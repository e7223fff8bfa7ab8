# Sourced by prepare-apiserver.sh and prepare-kubelet.sh: the Kubernetes 1.20.2 source tree from Debian's
# `kubernetes` source package, unpacked once under the cache and shared by both builds (and their Go cache).

# Adds a deb-src line for the archive the machine's apt already uses, so `apt-get source` finds the package.
kube_source_enable_deb_src() {
  if ! grep -rqs '^Types: deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
    local mirror
    mirror=$(bash "$(dirname "${BASH_SOURCE[0]}")/apt-mirror.sh")
    cat > /etc/apt/sources.list.d/prisma-audit-src.sources <<SRC
Types: deb-src
URIs: $mirror
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  fi
}

# Prints the tree (GOPATH layout: $cache/gopath/src/k8s.io/kubernetes), unpacking it when absent, with the
# vendored reflect2 1.0.1 replaced by Debian's 1.0.2: 1.0.1 faults under Go >= 1.18 when JSON-encoding some
# maps (a Node object kills the apiserver). The old files are removed first: the two versions split the
# same functions over differently named files (go_above_17.go vs go_above_118.go).
kube_source_tree() {
  local cache=$1 link="$1/gopath/src/k8s.io/kubernetes"
  # The stamp is written only after a complete unpack: an interrupted one is unpacked again.
  if [ ! -e "$cache/src/.unpacked" ] || [ ! -d "$link/cmd" ]; then
    local src="$cache/src" tree
    rm -rf "$src"; mkdir -p "$src" "$cache/gopath/src/k8s.io"
    (cd "$src" && apt-get source -qq kubernetes >/dev/null 2>&1)
    tree=$(find "$src" -maxdepth 1 -mindepth 1 -type d -name 'kubernetes-*' | head -n1)
    [ -n "$tree" ] || { echo "apt-get source kubernetes produced no tree in $src" >&2; return 1; }
    ln -sfn "$tree" "$link"
    touch "$src/.unpacked"
  fi
  local fixed=/usr/share/gocode/src/github.com/modern-go/reflect2 vendored="$link/vendor/github.com/modern-go/reflect2"
  if [ -e "$vendored/go_above_17.go" ] || [ ! -e "$vendored/go_above_118.go" ]; then
    rm -f "$vendored"/*.go "$vendored"/*.s
    cp "$fixed"/*.go "$fixed"/*.s "$vendored/"
  fi
  printf '%s\n' "$link"
}

# Runs make in the tree with the environment both builds share (GOPATH mode, vendored deps). The tree keeps
# its Go build cache in _output/local/go/cache (hack/lib/golang.sh sets GOCACHE), so the second build is warm.
kube_source_make() {
  local cache=$1 tree=$2; shift 2
  (
    cd "$tree"
    export GOPATH="$cache/gopath" GO111MODULE=off GOFLAGS=-mod=vendor
    # Debian's source is not a git checkout: give the version script what it needs.
    export KUBE_GIT_VERSION=v1.20.2 KUBE_GIT_TREE_STATE=clean KUBE_GIT_COMMIT=faecb196815e248d3ecfb03c680a4507229c2a56
    make "$@"
  )
}
