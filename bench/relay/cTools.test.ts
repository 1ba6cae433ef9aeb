// The bench's C programs, checked for what the relay benchmark takes on trust: the sweep floor
// (sweepFloor.c) speaks websocket well enough for a real RFC 6455 client and gives every viewer
// every strike, in order, stamped; the viewer generator (viewerSwarm.c) counts what it received,
// gaps and latency truly. Built with gcc as the bench builds them.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { waitUntil } from '../../test/faults/support';
import { nextMessage } from './generators';
import { NativeSwarm } from './nativeSwarm';
import { buildSweepFloor, SweepFloor, type FloorWrites } from './sweepFloor';
import type { SwarmConnected, SwarmReport } from './viewerSwarm';

const DEVICES = 2;
const RATE = 100;
const DRIVE_S = 0.3;
/** Longest wait for strikes to arrive: on loopback they take milliseconds, CI's load included. */
const WAIT_MS = 5_000;

let built: ReturnType<typeof buildSweepFloor>;
const floors: SweepFloor[] = [];
const swarms: NativeSwarm[] = [];
const sockets: WebSocket[] = [];

beforeAll(() => {
  built = buildSweepFloor();
}, 60_000);

afterAll(async () => {
  for (const socket of sockets) socket.terminate();
  for (const swarm of swarms) swarm.kill('SIGKILL');
  await Promise.all(floors.map((floor) => floor.close()));
  built?.dispose();
});

async function startFloor(writes: FloorWrites): Promise<SweepFloor> {
  const floor = await SweepFloor.start(built.binary, writes);
  floors.push(floor);
  return floor;
}

interface Viewer {
  messages: { type: string; seq: number; t?: number }[];
}

async function openViewer(port: number): Promise<Viewer> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/live`);
  sockets.push(socket);
  const viewer: Viewer = { messages: [] };
  socket.on('message', (data) => viewer.messages.push(JSON.parse(String(data))));
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  return viewer;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('the C sweep floor', () => {
  const modes: FloorWrites[] = ['write', 'io_uring'];
  for (const writes of modes) {
    it(`gives every websocket viewer a hello and then every strike, in order, stamped on receipt (${writes})`, async (context) => {
      if (writes === 'io_uring' && !built.withLiburing) context.skip(); // built without liburing: no --io-uring
      const floor = await startFloor(writes);
      const viewers = await Promise.all([1, 2, 3].map(() => openViewer(floor.port)));
      await waitUntil(() => viewers.every((v) => v.messages.length === 1), WAIT_MS, 'hellos');
      expect(viewers.map((v) => v.messages[0])).toEqual(viewers.map(() => ({ type: 'hello', seq: 0 })));

      const before = Date.now();
      await floor.drive(DEVICES, RATE, DRIVE_S);
      const sent = floor.latestSeq;
      expect(sent).toBeGreaterThanOrEqual(RATE * DRIVE_S * 0.5);
      await waitUntil(() => viewers.every((v) => v.messages.length === 1 + sent), WAIT_MS, 'every strike at every viewer');
      const after = Date.now();
      for (const viewer of viewers) {
        const strikes = viewer.messages.slice(1);
        expect(strikes.map((m) => m.seq)).toEqual(range(sent));
        expect(strikes.every((m) => m.type === 'strike' && m.t! >= before && m.t! <= after)).toBe(true);
      }
      // The bench adds these sends to the syscalls /proc counts: none for write(2), at least one per viewer and strike otherwise.
      const uncounted = await floor.uncountedWrites();
      if (writes === 'write') expect(uncounted).toBe(0);
      else expect(uncounted).toBeGreaterThanOrEqual(viewers.length);
    });
  }
});

describe('the C viewer generator', () => {
  const receives: ('io_uring' | 'read')[] = ['io_uring', 'read'];
  for (const receive of receives) {
    it(`counts every strike its viewers read, with no gap, and a latency for each (${receive})`, async () => {
      const floor = await startFloor('write');
      const swarm = new NativeSwarm(receive);
      swarms.push(swarm);
      const viewers = 40;
      const connected = nextMessage<SwarmConnected>(swarm, 'connected');
      swarm.send({ cmd: 'connect', port: floor.port, count: viewers, localAddresses: ['127.0.0.1'], concurrency: viewers });
      expect(await connected).toMatchObject({ helloCount: viewers, failed: 0 });

      await floor.drive(DEVICES, RATE, DRIVE_S);
      const sent = floor.latestSeq;
      let report: SwarmReport | undefined;
      for (let waited = 0; report?.lastSeqs.min !== sent && waited < WAIT_MS; waited += 50) {
        const reply = nextMessage<SwarmReport>(swarm, 'report');
        swarm.send({ cmd: 'report' });
        report = await reply;
        if (report.lastSeqs.min !== sent) await sleep(50);
      }
      expect(report).toMatchObject({ viewers, open: viewers, strikes: viewers * sent, gaps: 0, lastSeqs: { min: sent, max: sent } });
      const latencies = report!.latency.reduce((sum, [, count]) => sum + count, 0);
      expect(latencies).toBe(viewers * sent);
      // Loopback, a handful of viewers: every strike arrives within a second of its stamp.
      expect(Math.max(...report!.latency.map(([ms]) => ms))).toBeLessThan(1_000);

      // After a reset the counts start again from nothing.
      swarm.send({ cmd: 'reset' });
      await nextMessage(swarm, 'reset');
      const emptied = nextMessage<SwarmReport>(swarm, 'report');
      swarm.send({ cmd: 'report' });
      expect(await emptied).toMatchObject({ open: viewers, strikes: 0, frames: 0, latency: [] });
    });
  }
});
