#!/usr/bin/env bash
# Backs up the relay's state, the stations file and the strike archive, into one dated tarball in
# BACKUP_DIR (latest.tar.gz points at the newest) and deletes tarballs older than BACKUP_KEEP_DAYS.
# Safe while the relay runs: the stations file is only ever replaced whole (rename), and the archive
# appends whole lines, so a copy taken mid-write holds the lines written so far.
# Run daily by aeolian-backup.timer (deploy/systemd); restore steps are in docs/deploy.md.
set -euo pipefail

STATE_DIR=${STATE_DIR:-/var/lib/aeolian}
BACKUP_DIR=${BACKUP_DIR:-/var/backups/aeolian}
BACKUP_KEEP_DAYS=${BACKUP_KEEP_DAYS:-14}

parts=()
for part in stations.json archive; do
  [ -e "$STATE_DIR/$part" ] && parts+=("$part")
done
if [ ${#parts[@]} -eq 0 ]; then
  echo "backup: nothing to back up in $STATE_DIR (no stations.json, no archive/)" >&2
  exit 1
fi

mkdir -p "$BACKUP_DIR"
name=aeolian-$(date -u +%Y-%m-%dT%H%M%SZ).tar.gz
partial=$BACKUP_DIR/.$name.partial
trap 'rm -f "$partial"' EXIT
# GNU tar exits 1 when a file grew while it was read (this hour's archive file): that copy is fine.
status=0
tar -C "$STATE_DIR" --warning=no-file-changed -czf "$partial" "${parts[@]}" || status=$?
if [ "$status" -gt 1 ]; then
  echo "backup: tar failed with status $status" >&2
  exit "$status"
fi
mv "$partial" "$BACKUP_DIR/$name"
ln -sfn "$name" "$BACKUP_DIR/latest.tar.gz"
find "$BACKUP_DIR" -maxdepth 1 -name 'aeolian-*.tar.gz' -mtime +"$BACKUP_KEEP_DAYS" -delete
echo "backup: $BACKUP_DIR/$name"
