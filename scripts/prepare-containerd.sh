#!/usr/bin/env bash
# Installs containerd and runc from Debian for the image suite (npm run test:image), when missing.
# Idempotent: nothing happens when both are on PATH. The suite starts its own containerd with a
# private root, state and socket, so no system service is configured or started here.
set -euo pipefail
need=()
command -v containerd >/dev/null && command -v ctr >/dev/null || need+=(containerd)
command -v runc >/dev/null || need+=(runc)
if [ "${#need[@]}" -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
echo "containerd: $(containerd --version)"
echo "runc: $(runc --version | head -n1)"
