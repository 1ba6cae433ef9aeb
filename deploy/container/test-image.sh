#!/usr/bin/env bash
# Builds deploy/container/Containerfile and runs the image: it runs as its unprivileged user on a
# read-only root, its health check passes, it serves the page and /api, the stations command in the
# container reaches the running relay, and the state volume outlives the container. Also checks that
# compose.yaml parses and wires relay, Redis and Caddy the way docs/deploy.md describes.
#
# Usage, as root from anywhere: deploy/container/test-image.sh
# Needs Debian's podman, buildah, runc, debootstrap and python3-yaml. NODE_IMAGE=<image> picks the
# base image (default: node:20-bookworm-slim). Where no container registry can be reached, set
# NODE_IMAGE=stand-in: a Debian trixie base (nodejs 20 + npm) made by stand-in-base.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."

# shellcheck source=deploy/test-checks.sh
source deploy/test-checks.sh
IMAGE=localhost/aeolian-relay:test
NODE_IMAGE=${NODE_IMAGE:-docker.io/library/node:20-bookworm-slim}
RUN_FLAGS+=(--network host)
HEALTH_TIMEOUT_S=60

container=aeolian-image-test-$$
volume=$container-state
cleanup() {
  "${PODMAN[@]}" rm -f -t 2 "$container" >/dev/null 2>&1 || true
  "${PODMAN[@]}" volume rm -f "$volume" >/dev/null 2>&1 || true
  "${PODMAN[@]}" rmi -f "$IMAGE" >/dev/null 2>&1 || true
}
trap cleanup EXIT

compose_is_wired() {
  python3 - deploy/container/compose.yaml <<'PY'
import os, sys, yaml
path = sys.argv[1]
compose = yaml.safe_load(open(path))
services = compose["services"]
assert set(services) == {"relay", "redis", "caddy"}, services.keys()
relay, caddy = services["relay"], services["caddy"]
here = os.path.dirname(path)
assert os.path.isfile(os.path.join(here, relay["build"]["context"], relay["build"]["dockerfile"]))
assert "ports" not in relay, "only Caddy is published"
assert relay["environment"]["TRUST_PROXY"] == "1"
subnet = compose["networks"]["default"]["ipam"]["config"][0]["subnet"]
assert relay["environment"]["TRUST_PROXY_ADDRESSES"] == subnet, "the proxy's network is the trusted one"
assert relay["environment"]["REDIS_URL"].startswith("redis://redis:")
assert "relay-state:/var/lib/aeolian" in relay["volumes"]
assert relay["read_only"] is True and relay["cap_drop"] == ["ALL"]
assert caddy["environment"]["AEOLIAN_RELAY"] == "relay:8080"
assert sorted(caddy["ports"]) == ["443:443", "80:80"]
caddyfile = next(v.split(":")[0] for v in caddy["volumes"] if v.endswith(":/etc/caddy/Caddyfile:ro"))
assert os.path.isfile(os.path.join(here, caddyfile))
assert caddy["depends_on"]["relay"]["condition"] == "service_healthy"
assert services["redis"]["healthcheck"]
PY
}
check "compose.yaml parses and wires relay, Redis and Caddy" compose_is_wired

if [ "$NODE_IMAGE" = stand-in ]; then
  NODE_IMAGE=$(deploy/container/stand-in-base.sh)
fi

echo "building $IMAGE from $NODE_IMAGE"
# The host's CA bundle stands in for the image's while building, so npm trusts whatever the host
# trusts (a TLS-inspecting proxy in CI, say); it is mounted for RUN steps only, never stored.
"${BUILDAH[@]}" bud --isolation chroot --format docker --layers=false --build-arg "NODE_IMAGE=$NODE_IMAGE" \
  -v /etc/ssl/certs/ca-certificates.crt:/etc/ssl/certs/ca-certificates.crt:ro \
  -f deploy/container/Containerfile -t "$IMAGE" . >/tmp/$container-build.log 2>&1 || {
  tail -40 /tmp/$container-build.log
  echo "test-image: the image did not build (log above)"
  exit 1
}
rm -f /tmp/$container-build.log

image_config() { "${PODMAN[@]}" image inspect --format "$1" "$IMAGE"; }
check "the image runs as user aeolian" test "$(image_config '{{.Config.User}}')" = aeolian
check "the image has a health check" grep -q healthz <<<"$(image_config '{{.Config.Healthcheck}}')"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
start_relay() {
  # --health-interval=disable: no systemd here to time the checks; `podman healthcheck run` runs one.
  "${PODMAN[@]}" run -d --name "$container" "${RUN_FLAGS[@]}" --health-interval=disable --read-only --tmpfs /tmp --cap-drop ALL \
    --security-opt no-new-privileges -e HOST=127.0.0.1 -e "PORT=$port" -e TRUST_PROXY=1 \
    -v "$volume:/var/lib/aeolian" "$IMAGE" >/dev/null
  for _ in $(seq "$HEALTH_TIMEOUT_S"); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return 0
    sleep 1
  done
  "${PODMAN[@]}" logs "$container" | tail -20
  return 1
}
page() { curl -fsS "http://127.0.0.1:$port$1"; }
lists_lima() {
  for _ in $(seq 20); do
    grep -q '"id":"lima"' <<<"$(page /api/stations)" && return 0
    sleep 0.5
  done
  return 1
}

check "the relay starts in the container and answers /healthz" start_relay
check "its health check passes" "${PODMAN[@]}" healthcheck run "$container"
check "its processes run as uid 10001" test "$("${PODMAN[@]}" exec "$container" id -u)" = 10001
check "its root file system is read-only" bash -c "! ${PODMAN[*]} exec $container sh -c 'touch /app/x' 2>/dev/null"
check "it serves the built page" grep -q '<div id="root">' <<<"$(page /)"
check "the stations command in the container adds a station" \
  bash -c "${PODMAN[*]} exec $container aeolian-relay stations add lima --name Lima --lat=-12.05 --lon=-77.04 --chimes 6 >/dev/null"
check "the running relay applies it at once" lists_lima
"${PODMAN[@]}" rm -f -t 5 "$container" >/dev/null
check "a new container on the same volume starts" start_relay
check "and still has the station" lists_lima

checks_passed test-image
