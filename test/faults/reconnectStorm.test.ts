// A reconnect storm: thousands of viewers arriving within one second. The relay (its own process)
// keeps answering /healthz throughout and every viewer gets hello. npm test runs 2,000 viewers to
// spare the shared machine; `npm run bench:relay` runs the full 5,000 and reports /healthz latency.
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { afterEach, expect, it } from 'vitest';
import WebSocket from 'ws';
import { spawnRelay } from '../support/relayProcess';

const STORM_VIEWERS = 2_000;
const STORM_WINDOW_MS = 1_000;
const HEALTHZ_POLL_MS = 50;
/** A /healthz that has not answered in this long counts as the relay not answering (a liveness bound, not a speed target). */
const HEALTHZ_GIVE_UP_MS = 5_000;

/**
 * Polls /healthz from its own thread, so the storm this process is generating cannot delay the
 * polls and make the relay look slow. Posts each status (0: no answer) until told to stop.
 */
const POLLER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { setTimeout: sleep } = require('node:timers/promises');
let polling = true;
parentPort.on('message', () => { polling = false; });
(async () => {
  while (polling) {
    const status = await fetch(workerData.url, { signal: AbortSignal.timeout(workerData.giveUpMs) }).then((r) => r.status, () => 0);
    parentPort.postMessage(status);
    await sleep(workerData.pollMs);
  }
  parentPort.close();
})();
`;

const sockets: WebSocket[] = [];
const workers: Worker[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  await Promise.all(workers.splice(0).map((worker) => worker.terminate()));
});

function viewerGetsHello(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    sockets.push(socket);
    socket.once('message', (data) => resolve(String(data).startsWith('{"type":"hello"')));
    socket.once('error', () => resolve(false));
    socket.once('close', () => resolve(false));
  });
}

it(`${STORM_VIEWERS} viewers within one second all get hello while /healthz keeps answering`, { timeout: 30_000 }, async () => {
  // Every viewer comes from 127.0.0.1: lift the per-address limit (MAX_VIEWERS_PER_ADDRESS).
  const relay = await spawnRelay({ VIEWERS_PER_ADDRESS: String(STORM_VIEWERS) });
  const live = relay.ws('/live');
  const healthStatuses: number[] = [];
  const poller = new Worker(POLLER_SOURCE, {
    eval: true,
    workerData: { url: `${relay.url}/healthz`, pollMs: HEALTHZ_POLL_MS, giveUpMs: HEALTHZ_GIVE_UP_MS },
  });
  workers.push(poller);
  poller.on('message', (status: number) => healthStatuses.push(status));
  const pollerDone = new Promise((resolve) => poller.once('exit', resolve));
  await expect.poll(() => healthStatuses.length, { timeout: 5_000 }).toBeGreaterThan(0); // the poller is answered before the storm

  const startedAt = Date.now();
  const hellos: Promise<boolean>[] = [];
  for (let i = 0; i < STORM_VIEWERS; i++) {
    const due = startedAt + (i * STORM_WINDOW_MS) / STORM_VIEWERS;
    if (due > Date.now()) await sleep(due - Date.now()); // arrivals spread over the storm window, as in a real storm
    hellos.push(viewerGetsHello(live));
  }
  const results = await Promise.all(hellos);
  poller.postMessage('stop');
  await pollerDone;

  expect(results.filter((ok) => !ok).length).toBe(0);
  expect(healthStatuses.length).toBeGreaterThan(5);
  expect(healthStatuses.every((status) => status === 200)).toBe(true);
  const health = (await (await fetch(`${relay.url}/healthz`)).json()) as { viewers: number };
  expect(health.viewers).toBe(STORM_VIEWERS);
});
