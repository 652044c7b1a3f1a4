#!/usr/bin/env bash
# Installs the Debian packages the image-build tests need. Safe to run again.
set -euo pipefail
need=()
for pkg in buildah debootstrap; do
  command -v "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ "${#need[@]}" -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "system-deps: ${need[*]} missing and not root: image-build tests will be skipped" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" uidmap fuse-overlayfs ca-certificates >/dev/null
