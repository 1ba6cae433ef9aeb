// Where archived strikes live on disk: one folder per UTC day, one NDJSON file per hour of strike
// time (`2025-11-25/14.ndjson`), so a range query opens only the hours it spans and retention
// deletes whole days.
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
const DAY_FOLDER = /^\d{4}-\d{2}-\d{2}$/;

/** The file that holds strikes struck at `t` (ms since epoch). */
export function hourFileOf(dir: string, t: number): string {
  const iso = new Date(Math.floor(t / HOUR_MS) * HOUR_MS).toISOString();
  return join(dir, iso.slice(0, 10), `${iso.slice(11, 13)}.ndjson`);
}

/** Every hour file that may hold strikes with `from <= t < to`, oldest first (they may not exist). */
export function hourFilesBetween(dir: string, from: number, to: number): string[] {
  const files: string[] = [];
  for (let hour = Math.floor(from / HOUR_MS) * HOUR_MS; hour < to; hour += HOUR_MS) files.push(hourFileOf(dir, hour));
  return files;
}

/** Deletes day folders that end before `cutoff`; returns the days deleted. */
export async function pruneDaysBefore(dir: string, cutoff: number): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const deleted: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || !DAY_FOLDER.test(entry.name)) continue;
    const dayEnd = Date.parse(`${entry.name}T00:00:00Z`) + DAY_MS;
    if (dayEnd <= cutoff) {
      await rm(join(dir, entry.name), { recursive: true, force: true });
      deleted.push(entry.name);
    }
  }
  return deleted;
}
