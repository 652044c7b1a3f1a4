#!/usr/bin/env bash
# Installs the Debian packages the image-build tests need. Safe to run again.
#   debootstrap  makes the stand-ins for the official images (always needed)
#   buildah      builds images only where no Docker daemon answers (the fallback engine)
set -euo pipefail
need=()
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
if ! docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
  command -v buildah >/dev/null 2>&1 || need+=(buildah uidmap fuse-overlayfs)
fi
if [ "${#need[@]}" -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "system-deps: ${need[*]} missing and not root: image-build tests will be skipped" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" ca-certificates >/dev/null
