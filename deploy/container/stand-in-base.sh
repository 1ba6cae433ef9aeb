#!/usr/bin/env bash
# Makes, once, a Debian trixie base image with Node.js 20 and npm from Debian's own packages, for
# machines that reach Debian's packages but no container registry (this project's CI). Prints its
# name. Used by deploy/container/test-image.sh and deploy/systemd/test-unit.sh; needs debootstrap.
set -euo pipefail

IMAGE=localhost/aeolian-node-stand-in:trixie
PODMAN=(podman --storage-driver vfs)

if ! "${PODMAN[@]}" image exists "$IMAGE"; then
  rootfs=$(mktemp -d)
  trap 'rm -rf "$rootfs"' EXIT
  # debootstrap's own resolver misses some of npm's dependencies: apt inside installs them.
  debootstrap --variant=minbase --include=ca-certificates trixie "$rootfs" >/dev/null
  chroot "$rootfs" sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null && apt-get clean'
  rm -rf "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -c . | "${PODMAN[@]}" import --change 'CMD ["node"]' - "$IMAGE" >/dev/null
fi
echo "$IMAGE"
