// Shared by the fault tests: a stations file of N known devices, a free port, waiting on a condition.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StationConfig } from '../../src/protocol';
import { sha256Hex } from '../../src/relay/stations/tokens';

export const faultToken = (index: number) => `fault-device-token-${index}`;

export function faultStations(count: number): StationConfig[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `station-${index}`,
    name: `Station ${index}`,
    lat: 0,
    lon: index,
    chimes: 6,
    tokenSha256: sha256Hex(faultToken(index)),
  }));
}

export function writeStationsFile(count: number): string {
  const path = join(mkdtempSync(join(tmpdir(), 'aeolian-faults-')), 'stations.json');
  writeFileSync(path, JSON.stringify(faultStations(count)));
  return path;
}

export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
