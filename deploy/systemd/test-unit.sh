#!/usr/bin/env bash
# Runs deploy/systemd/aeolian-relay.service and the backup service under a real systemd (Debian
# trixie's, in a privileged podman container) set up as docs/deploy.md's walkthrough does, and
# checks that the relay runs inside its sandbox: its user, no capabilities, a syscall filter, a
# read-only system with /var/lib/aeolian writable and the secrets hidden; that admin changes and the
# stations command reach the stations file and the relay; that reload, restart on a crash and the
# backup work, and that the running unit's exposure score is at most 1.5.
#
# Usage, as root, from a checkout with `npm ci` done: deploy/systemd/test-unit.sh
# Needs Debian's podman, buildah, runc and debootstrap (the base comes from stand-in-base.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."

# shellcheck source=deploy/test-checks.sh
source deploy/test-checks.sh
IMAGE=localhost/aeolian-unit-test:latest
ADMIN_TOKEN=unit-test-admin-token-0123456789
RELAY=http://127.0.0.1:8080
MAX_EXPOSURE=1.5
START_TIMEOUT_S=60

if [ ! -d node_modules/tsx ]; then
  echo "test-unit: run npm ci first (the unit runs the relay with tsx from /opt/aeolian/node_modules)" >&2
  exit 2
fi

container=aeolian-unit-test-$$
work=
cleanup() {
  "${PODMAN[@]}" rm -f -t 2 "$container" >/dev/null 2>&1 || true
  [ -n "$work" ] && "${BUILDAH[@]}" rm "$work" >/dev/null 2>&1 || true
  "${PODMAN[@]}" rmi -f "$IMAGE" >/dev/null 2>&1 || true
}
trap cleanup EXIT

# The server of the walkthrough: Debian trixie with systemd, the code in /opt/aeolian, the user,
# the state folder, the secrets file, both units installed and enabled.
base=$(deploy/container/stand-in-base.sh)
work=$("${BUILDAH[@]}" from "$base")
in_build() { "${BUILDAH[@]}" run --isolation chroot -v /etc/ssl/certs/ca-certificates.crt:/etc/ssl/certs/ca-certificates.crt:ro "$work" -- "$@"; }
in_build sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends systemd systemd-sysv procps curl >/dev/null && apt-get clean && rm -rf /var/lib/apt/lists/*'
source_tar=$(mktemp --suffix=.tar)
tar -c --exclude=./node_modules --exclude=./.git --exclude=./dist --exclude=./tmp --exclude=./data -f "$source_tar" .
"${BUILDAH[@]}" add "$work" "$source_tar" /opt/aeolian >/dev/null
rm -f "$source_tar"
"${BUILDAH[@]}" copy "$work" "$(readlink -f node_modules)" /opt/aeolian/node_modules >/dev/null
in_build sh -c "set -e
  mkdir -p /opt/aeolian/dist && echo '<!doctype html><title>unit test</title>' > /opt/aeolian/dist/index.html
  useradd --system --home-dir /var/lib/aeolian --shell /usr/sbin/nologin aeolian
  install -d -o aeolian -g aeolian -m 0750 /var/lib/aeolian /var/backups/aeolian
  echo '[]' > /var/lib/aeolian/stations.json && chown aeolian:aeolian /var/lib/aeolian/stations.json
  install -d -m 0700 /etc/aeolian
  (umask 077; echo ADMIN_TOKEN=$ADMIN_TOKEN > /etc/aeolian/relay.env)
  cp /opt/aeolian/deploy/systemd/aeolian-relay.service /opt/aeolian/deploy/systemd/aeolian-backup.service /opt/aeolian/deploy/systemd/aeolian-backup.timer /etc/systemd/system/
  systemctl enable aeolian-relay.service aeolian-backup.timer 2>/dev/null"
"${BUILDAH[@]}" config --cmd /sbin/init "$work"
"${BUILDAH[@]}" commit --quiet "$work" "$IMAGE" >/dev/null

on_server() { "${PODMAN[@]}" exec "$container" "$@"; }
relay_pid() { on_server systemctl show -p MainPID --value aeolian-relay; }
healthy() {
  for _ in $(seq "$START_TIMEOUT_S"); do
    on_server curl -fsS "$RELAY/healthz" >/dev/null 2>&1 && return 0
    sleep 1
  done
  on_server journalctl -u aeolian-relay --no-pager -n 20
  return 1
}
station_listed() {
  for _ in $(seq 20); do
    grep -q "\"id\":\"$1\"" <<<"$(on_server curl -fsS "$RELAY/api/stations")" && return 0
    sleep 0.5
  done
  return 1
}
process_status() { on_server grep -E "^$1:" "/proc/$(relay_pid)/status" | awk '{print $2}'; }
mount_options() { on_server awk -v at="$1" '$5 == at { options = $6 } END { print options }' "/proc/$(relay_pid)/mountinfo"; }
# As root in the relay's mount namespace: what its sandbox lets anyone there see and write.
in_relay_mounts() { on_server nsenter -t "$(relay_pid)" -m "$@"; }
cannot() { ! "$@" >/dev/null 2>&1; }
admin_adds_tokyo() {
  on_server curl -fsS -o /dev/null -X POST -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' \
    -H 'Sec-Fetch-Site: same-origin' -d '{"id":"tokyo","name":"Tokyo","lat":35.68,"lon":139.69,"chimes":6}' "$RELAY/api/admin/stations" &&
    on_server grep -q '"id": *"tokyo"' /var/lib/aeolian/stations.json
}
restarted_once() {
  for _ in $(seq 30); do
    [ "$(on_server systemctl show -p NRestarts --value aeolian-relay)" = 1 ] && return 0
    sleep 0.5
  done
  return 1
}
exposure_at_most() { awk -v e="$1" -v max="$2" 'BEGIN { exit !(e != "" && e + 0 <= max + 0) }'; }
backup_holds_stations() {
  # Here-strings, not pipes into grep -q: with pipefail, the writer's SIGPIPE would fail the check.
  on_server systemctl start aeolian-backup && grep -qx stations.json <<<"$(on_server tar -tzf /var/backups/aeolian/latest.tar.gz)"
}

# --privileged: systemd needs it to make the mount namespaces the sandbox is built from.
"${PODMAN[@]}" run -d --name "$container" "${RUN_FLAGS[@]}" --network none --privileged --systemd=always "$IMAGE" >/dev/null

check "systemd starts the relay and it answers /healthz" healthy
check "it runs as user aeolian" test "$(process_status Uid)" = "$(on_server id -u aeolian)"
check "with no capabilities" test "$(process_status CapEff)" = 0000000000000000
check "with no new privileges" test "$(process_status NoNewPrivs)" = 1
check "under a syscall filter" test "$(process_status Seccomp)" = 2
check "the system is read-only to it" grep -q '^ro' <<<"$(mount_options /)"
check "/var/lib/aeolian is writable to it" grep -q '^rw' <<<"$(mount_options /var/lib/aeolian)"
check "it cannot write /opt/aeolian" cannot in_relay_mounts touch /opt/aeolian/x
check "it cannot read the secrets file" cannot in_relay_mounts cat /etc/aeolian/relay.env
check "an admin request adds a station to the file" admin_adds_tokyo
check "the walkthrough's stations command adds a station" on_server sh -c 'cd /opt/aeolian && runuser -u aeolian -- env STATIONS=/var/lib/aeolian/stations.json node --import tsx src/relay/cli/stations.ts add lima --name Lima --lat=-12.05 --lon=-77.04 --chimes 6 >/dev/null'
check "and the running relay applies it at once" station_listed lima
check "systemctl reload re-reads the stations file (SIGHUP)" on_server systemctl reload aeolian-relay
pid_before=$(relay_pid)
on_server systemctl kill -s KILL aeolian-relay
check "a crashed relay is restarted" restarted_once
check "and answers again, with its stations" healthy
check "with the station the command added" station_listed lima
check "and the one the admin added" station_listed tokyo
check "as a new process" test "$(relay_pid)" != "$pid_before"
exposure=$(on_server systemd-analyze security aeolian-relay | awk '/Overall exposure level/ { print $(NF-2) }')
check "the running unit's exposure is at most $MAX_EXPOSURE (it is $exposure)" exposure_at_most "$exposure" "$MAX_EXPOSURE"
timers() { on_server systemctl list-timers --all; }
check "the backup timer is scheduled" grep -q aeolian-backup.timer <<<"$(timers)"
check "the backup service writes a tarball holding the stations file" backup_holds_stations

checks_passed test-unit
