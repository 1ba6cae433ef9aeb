// A crowd: 1,000 visitors' pages at once (each its own address behind a trusted proxy, in a process
// of their own) hold the relay's global touch cap, and the wind's strike -> viewer latency stays close
// to its value without them. The precise 10 ms comparison needs a quiet machine: that is
// bench/visitors/run.ts (docs/benchmarks.md); here the bound is generous.
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TOUCH_GLOBAL_BURST, TOUCH_GLOBAL_PER_S } from '../../src/protocol';
import { TEST_TOKENS, testRelay, testStations } from '../support/relayFixture';
import { device } from '../support/wsClient';
import type { CrowdResult } from './touchCrowd';

const CLIENTS = 1_000;
/** 1,000 touches/s in all: twenty times the global cap. */
const TOUCHES_PER_CLIENT_PER_S = 1;
const WIND_STRIKES_PER_S = 50;
const MEASURE_MS = 3_000;
/**
 * Generous: on the shared 2-core machine this was written on (load average 15-20 from other work)
 * the wind's p99 with the (niced) crowd measured 7 to 94 ms against 1-2 ms without it; the relay used
 * under a fifth of a core, the rest was waiting for one. The 10 ms comparison is
 * bench/visitors/run.ts's, on a quiet machine (docs/benchmarks.md).
 */
const P99_ALLOWED_INCREASE_MS = 300;

let crowd: ChildProcess | undefined;
afterEach(() => {
  crowd?.kill('SIGKILL');
  crowd = undefined;
});

function p99(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!;
}

/** Starts the crowd; resolves `ready` once every page is connected and `done` with its counts. */
function startCrowd(relayUrl: string, durationMs: number): { ready: Promise<void>; done: Promise<CrowdResult> } {
  // Niced: on a real deployment the crowd's phones are not on the relay's machine, so here the load
  // generator must not take the relay's CPU (the machine is shared and busy).
  const crowdArgs = ['--import', 'tsx', 'test/visitors/touchCrowd.ts', relayUrl, String(CLIENTS), String(TOUCHES_PER_CLIENT_PER_S), String(durationMs)];
  const child = spawn('nice', ['-n', '19', process.execPath, ...crowdArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  crowd = child;
  let output = '';
  let errors = '';
  child.stderr!.on('data', (chunk) => (errors += chunk));
  const lines = () => output.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
  const failed = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`crowd exited with ${code}: ${errors}`))));
  const whenLine = <T>(pick: (line: Record<string, unknown>) => T | undefined) =>
    Promise.race([
      failed,
      new Promise<T>((resolve) => {
        const check = () => {
          for (const line of lines()) {
            const value = pick(line);
            if (value !== undefined) return resolve(value);
          }
        };
        child.stdout!.on('data', (chunk) => {
          output += chunk;
          check();
        });
      }),
    ]);
  return {
    ready: whenLine((line) => ('ready' in line ? true : undefined)).then(() => undefined),
    done: whenLine((line) => ('acks' in line ? (line as unknown as CrowdResult) : undefined)),
  };
}

it('1,000 pages touching at once hold the global cap, and the wind keeps its latency', { timeout: 120_000 }, async () => {
  // Chicago's own share (a quarter of 1,000/s) is far above the global cap, so the global cap is what holds.
  const relay = await testRelay({ trustedProxies: 1, stations: testStations({ strikesPerSecond: 1_000, burst: 2_000 }) });
  const wind = await device(relay.ws('/device'), TEST_TOKENS.chicago);
  await expect.poll(() => relay.stations.get('chicago')?.online).toBe(true);

  // A viewer timing each wind strike from its stamp (receive time at the relay, same clock) to arrival.
  const viewer = new WebSocket(relay.ws('/live'));
  let latencies: number[] = [];
  viewer.on('message', (data) => {
    const message = JSON.parse(String(data)) as { type: string; t?: number };
    if (message.type === 'strike') latencies.push(Date.now() - message.t!);
  });
  await new Promise((resolve) => viewer.once('open', resolve));
  const measureWind = async (): Promise<number[]> => {
    latencies = [];
    const startedAt = Date.now();
    let sent = 0;
    // On schedule: a late timer on a busy machine must not thin the wind (each turn catches up).
    while (Date.now() - startedAt < MEASURE_MS) {
      const due = Math.floor(((Date.now() - startedAt) * WIND_STRIKES_PER_S) / 1000) + 1;
      for (; sent < due; sent++) wind.socket.send('2');
      await sleep(1000 / WIND_STRIKES_PER_S);
    }
    // Every wind strike reaches the viewer, crowd or not.
    await expect.poll(() => latencies.length, { timeout: 10_000 }).toBe(sent);
    return latencies;
  };

  // When the relay accepted each touch (its `t`): the bucket's window is the relay's, not the crowd's.
  const acceptedAt: number[] = [];
  relay.hub.onTouch((touch) => acceptedAt.push(touch.t));

  try {
    const quiet = await measureWind();
    const { ready, done } = startCrowd(relay.url, MEASURE_MS + 500);
    await ready;
    expect(relay.visitors.touches.connectedCount).toBe(CLIENTS);
    const crowded = await measureWind();
    const result = await done;

    const refused = Object.values(result.refused).reduce((sum, n) => sum + n, 0);
    const touchingS = result.touchingMs / 1000;
    expect(result.acks + refused).toBe(result.touchesSent);
    expect(result.touchesSent).toBeGreaterThan(CLIENTS * TOUCHES_PER_CLIENT_PER_S * touchingS * 0.5);
    expect(acceptedAt.length).toBe(result.acks);
    const acceptingS = (acceptedAt.at(-1)! - acceptedAt[0]!) / 1000;
    expect(result.acks).toBeLessThanOrEqual(TOUCH_GLOBAL_BURST + TOUCH_GLOBAL_PER_S * acceptingS + 1);
    expect(result.acks).toBeGreaterThanOrEqual(TOUCH_GLOBAL_PER_S * (touchingS - 1));
    expect(result.refused).toEqual({ slow_down: refused });
    expect(relay.visitors.touches.stats.limited.global).toBe(refused);
    const [quietP99, crowdP99] = [p99(quiet), p99(crowded)];
    expect(crowdP99, `wind p99 ${crowdP99} ms with the crowd, ${quietP99} ms without`).toBeLessThanOrEqual(quietP99 + P99_ALLOWED_INCREASE_MS);
  } finally {
    viewer.terminate();
  }
});
