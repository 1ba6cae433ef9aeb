// The relay restarted 3 times under 200 viewers and 10 devices: everyone reconnects by themselves,
// spread out by jitter, and every viewer ends with every accepted strike of every epoch exactly
// once, in seq order.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, expect, it } from 'vitest';
import { spawnRelay, type RelayProcess } from '../support/relayProcess';
import { ReconnectingDevice, ReconnectingViewer } from '../support/reconnectingClient';
import { freePort } from '../support/freePort';
import { faultToken, percentile, waitUntil, writeStationsFile } from './support';

const VIEWERS = 200;
const DEVICES = 10;
const RESTARTS = 3;
const STRIKE_INTERVAL_MS = 250;
const RUN_BETWEEN_RESTARTS_MS = 700;
const BACKOFF = { baseMs: 100, capMs: 1_000 };

const clients: { close(): void }[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

/** The epoch and last seq the relay logged as it shut down. */
function closingState(relay: RelayProcess): { epoch: string; seq: number } {
  const line = relay.output().split('\n').find((l) => l.includes('"event":"relay_closing"'));
  if (!line) throw new Error(`no relay_closing line in: ${relay.output().slice(-500)}`);
  const { epoch, seq } = JSON.parse(line) as { epoch: string; seq: number };
  return { epoch, seq };
}

async function healthz(url: string): Promise<{ seq: number; epoch: string; devices: number }> {
  return (await (await fetch(`${url}/healthz`)).json()) as { seq: number; epoch: string; devices: number };
}

it('3 restarts: every viewer gets every accepted strike once, in order, per epoch; reconnects are spread by jitter', { timeout: 60_000 }, async () => {
  const port = await freePort();
  // Every viewer comes from 127.0.0.1: lift the per-address limit (MAX_VIEWERS_PER_ADDRESS).
  const env = { PORT: String(port), STATIONS: writeStationsFile(DEVICES), LOG_LEVEL: 'info', VIEWERS_PER_ADDRESS: String(VIEWERS) };
  let relay = await spawnRelay(env);
  const live = relay.ws('/live');

  const viewers = Array.from({ length: VIEWERS }, () => new ReconnectingViewer(live, BACKOFF).start());
  clients.push(...viewers);
  await waitUntil(() => viewers.every((v) => v.hellos.length > 0), 15_000, 'every viewer to get hello');
  const devices = Array.from({ length: DEVICES }, (_, i) => new ReconnectingDevice(relay.ws('/device'), faultToken(i), STRIKE_INTERVAL_MS, BACKOFF).start());
  clients.push(...devices);

  const finalSeqByEpoch = new Map<string, number>();
  /** Per restart: ms from the new relay being up to each viewer's first hello in the new epoch. */
  const reconnectDelays: number[][] = [];
  for (let restart = 0; restart < RESTARTS; restart++) {
    await sleep(RUN_BETWEEN_RESTARTS_MS); // strikes flow for a while in each epoch
    relay.child.kill('SIGTERM');
    expect(await relay.exited).toBe(0);
    const closed = closingState(relay);
    expect(closed.seq).toBeGreaterThan(0);
    finalSeqByEpoch.set(closed.epoch, closed.seq);
    relay = await spawnRelay(env);
    const upAt = Date.now();
    const { epoch } = await healthz(relay.url);
    await waitUntil(() => viewers.every((v) => v.hellos.some((h) => h.epoch === epoch)), 20_000, `every viewer in epoch ${epoch}`);
    await waitUntil(async () => (await healthz(relay.url)).devices === DEVICES, 20_000, 'every device back');
    // When each viewer *started* the attempt that got in: that is what jitter spreads. (Hello times
    // also carry the relay's handshake queue, which bunches them on a loaded machine.)
    reconnectDelays.push(viewers.map((v) => successfulAttemptAt(v, epoch) - upAt));
  }
  await sleep(RUN_BETWEEN_RESTARTS_MS); // and in the last one
  for (const device of devices) device.close();
  // Once the relay has seen every device go, it has taken in all they sent: the final seq stands.
  await waitUntil(async () => (await healthz(relay.url)).devices === 0, 5_000, 'every device gone');
  const last = await healthz(relay.url);
  finalSeqByEpoch.set(last.epoch, last.seq);
  await waitUntil(() => viewers.every((v) => v.epoch === last.epoch && v.lastSeq === last.seq), 10_000, 'every viewer to catch up');

  expect(finalSeqByEpoch.size).toBe(RESTARTS + 1);
  const bad = viewers.filter((v) => [...finalSeqByEpoch].some(([e, n]) => (v.seqsByEpoch.get(e) ?? []).length !== n));
  const details = bad.slice(0, 2).map((v) =>
    JSON.stringify({ final: [...finalSeqByEpoch], hellos: v.hellos, got: [...v.seqsByEpoch].map(([e, l]) => [e, l.length, l[0], l.at(-1)]), history: v.history.slice(-30) }),
  );
  expect(bad.length, details.join('\n')).toBe(0);
  for (const viewer of viewers) {
    expect(viewer.invalidMessages).toBe(0);
    for (const [epoch, finalSeq] of finalSeqByEpoch) {
      const expected = Array.from({ length: finalSeq }, (_, i) => i + 1);
      expect(viewer.seqsByEpoch.get(epoch), `epoch ${epoch}`).toEqual(expected);
    }
  }

  // Jitter: the viewers come back over a spread of time, not in one wave.
  for (const delays of reconnectDelays) {
    const sorted = [...delays].sort((a, b) => a - b);
    const spreadMs = percentile(sorted, 90) - percentile(sorted, 10);
    const busiest100Ms = Math.max(...sorted.map((start) => sorted.filter((d) => d >= start && d < start + 100).length));
    expect(spreadMs).toBeGreaterThan(200);
    expect(busiest100Ms / VIEWERS).toBeLessThan(0.5);
  }
});

function successfulAttemptAt(viewer: ReconnectingViewer, epoch: string): number {
  const helloAt = viewer.hellos.find((h) => h.epoch === epoch)!.at;
  const attempts = viewer.history
    .filter((line) => line.includes(' connect '))
    .map((line) => Number(line.slice(0, line.indexOf(' '))))
    .filter((at) => at <= helloAt);
  return attempts.at(-1) ?? helloAt;
}
