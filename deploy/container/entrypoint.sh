#!/bin/sh
# The container's relay: a fresh state volume gets an empty stations file (the relay refuses to
# start without one); `aeolian-relay stations ...` runs the stations command on the same file.
set -eu
if [ ! -e "$STATIONS" ]; then
  echo '[]' > "$STATIONS"
fi
if [ "${1:-}" = stations ]; then
  shift
  exec node /app/relay/stations.mjs "$@"
fi
# --no-memory-reducer --heap-growing-percent=100: see src/relay/nodeFlags.ts.
exec node --no-memory-reducer --heap-growing-percent=100 /app/relay/main.mjs "$@"
