# Sourced (from the checkout's root) by deploy/container/test-image.sh and deploy/systemd/test-unit.sh:
# podman and buildah as both run them, and check(), which reports and counts each check.

# vfs storage and chroot builds work where overlay mounts and nested namespaces do not.
PODMAN=(podman --storage-driver vfs)
BUILDAH=(buildah --storage-driver vfs)
# runc with limits no higher than the caller's: crun refuses this machine's hybrid cgroups, and
# podman's default limits (above the hard ones here) fail with "setrlimit: Operation not permitted".
RUN_FLAGS=(--runtime "${CONTAINER_RUNTIME:-runc}" --ulimit nofile=4096:4096 --ulimit nproc=1024:1024)

passed=0
failed=0
# check WHAT COMMAND...: runs the command and reports WHAT as ok or FAILED; a failure does not stop the run.
check() {
  local what=$1
  shift
  if "$@"; then
    echo "ok: $what"
    passed=$((passed + 1))
  else
    echo "FAILED: $what"
    failed=$((failed + 1))
  fi
}
# checks_passed NAME: the tally; fails if any check did.
checks_passed() {
  echo "$1: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
