#!/usr/bin/env bash
# Checks the relay's systemd unit file: `systemd-analyze verify` must have nothing to say, and the
# exposure score of `systemd-analyze security` must stay at or below 1.5 (of 10; lower is safer).
# Usage: deploy/systemd/check-unit.sh [UNIT_FILE]   (default: the installed copy)
# Run by test/deploy/systemdUnit.test.ts; needs systemd 250+ (--offline), not a running systemd.
set -euo pipefail

MAX_EXPOSURE_TENTHS=15
unit=${1:-/etc/systemd/system/aeolian-relay.service}

if ! command -v systemd-analyze >/dev/null; then
  echo "check-unit: systemd-analyze is missing (apt-get install -y systemd)" >&2
  exit 2
fi

status=0
findings=$(systemd-analyze verify "$unit" 2>&1) || status=$?
if [ "$status" -ne 0 ] || [ -n "$findings" ]; then
  echo "check-unit: systemd-analyze verify $unit found problems:" >&2
  echo "$findings" >&2
  exit 1
fi
echo "check-unit: verify: no findings"

status=0
report=$(systemd-analyze security --offline=true --threshold="$MAX_EXPOSURE_TENTHS" "$unit" 2>&1) || status=$?
echo "check-unit: security: $(grep 'Overall exposure level' <<<"$report" || echo "$report")"
if [ "$status" -ne 0 ]; then
  echo "check-unit: exposure above $((MAX_EXPOSURE_TENTHS / 10)).$((MAX_EXPOSURE_TENTHS % 10)); the full report:" >&2
  echo "$report" >&2
  exit 1
fi
