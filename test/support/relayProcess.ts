// A relay as its own process (main.ts), for tests of signals, restarts and crashes. Always killed
// in afterEach, so a failing test never leaves a server behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { StationConfig } from '../../src/protocol';
import { RELAY_FROM_SOURCE_ARGS } from '../../src/relay/nodeFlags';

export interface RelayProcess {
  child: ChildProcess;
  url: string;
  ws(path: string): string;
  output(): string;
  exited: Promise<number | null>;
}

const children = new Set<ChildProcess>();
const stationsDirs: string[] = [];
afterEach(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
  for (const dir of stationsDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** `nodeArgs`: how node starts it (production's flags, then main.ts, unless a test asks otherwise). */
export function spawnRelay(env: Record<string, string> = {}, nodeArgs: readonly string[] = RELAY_FROM_SOURCE_ARGS): Promise<RelayProcess> {
  const child = spawn(process.execPath, nodeArgs, {
    // No archive unless the test asks for one: an ARCHIVE_PATH exported in the shell (say data/archive)
    // would otherwise have every test relay write into the checkout.
    env: { ...process.env, PORT: '0', SIM: '0', LOG_LEVEL: 'warn', ARCHIVE_PATH: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`relay did not start: ${output}`)), 15_000);
    const onData = () => {
      const match = /live at (http:\/\/[^/\s]+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      const url = match[1]!.replace('localhost', '127.0.0.1');
      resolve({ child, url, ws: (path) => `${url.replace(/^http/, 'ws')}${path}`, output: () => output, exited });
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`relay exited with ${code}: ${output}`));
    });
  });
}

/** A relay process reading `stations` from a stations file of its own (STATIONS), removed after the test. */
export function spawnRelayWithStations(stations: readonly StationConfig[], env: Record<string, string> = {}): Promise<RelayProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'aeolian-relay-stations-'));
  stationsDirs.push(dir);
  const path = join(dir, 'stations.json');
  writeFileSync(path, JSON.stringify(stations));
  return spawnRelay({ ...env, STATIONS: path });
}
