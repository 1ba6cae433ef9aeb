// Writes the stations file atomically: a temp file beside it, fsync, rename over, fsync the
// folder. A crash leaves either the old file or the new one, never half of one. Writes are
// serialized, so two admin edits never interleave.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { StationConfig } from '../../protocol';
import type { StationRegistry } from './stationRegistry';

/** Same field order as the file a person writes, one station per block. */
export function formatStationsFile(stations: readonly StationConfig[]): string {
  return `${JSON.stringify(stations, null, 2)}\n`;
}

export function writeStationsFileAtomic(path: string, stations: readonly StationConfig[]): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, formatStationsFile(stations));
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  try {
    const dir = openSync(dirname(path), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch {
    // Some filesystems refuse fsync on a directory; the rename itself is still atomic.
  }
}

/** The persisted (non-ephemeral) stations of a registry, in registry order. */
export function persistedStations(registry: StationRegistry): StationConfig[] {
  return registry
    .all()
    .filter((state) => !state.ephemeral)
    .map((state) => state.config);
}

export class StationsStore {
  private queue: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {}

  /** Writes `stations` after any write already under way; rejects if this write fails. */
  save(stations: readonly StationConfig[]): Promise<void> {
    const write = this.queue.then(() => writeStationsFileAtomic(this.path, stations));
    this.queue = write.catch(() => undefined);
    return write;
  }
}
