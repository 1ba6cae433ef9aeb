// Clients that ask /api/history for a large range and never read must not starve everyone else:
// a stalled response times out and frees its slot, and one address holds at most
// HISTORY_MAX_QUERIES_PER_ADDRESS slots.
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { HOUR_MS, hourFileOf } from '../../src/relay/archive/archiveFiles';
import { HISTORY_MAX_QUERIES_PER_ADDRESS } from '../../src/relay/archive/historyRoute';
import { testRelay } from '../support/relayFixture';

/** Enough strikes (~14 MB of NDJSON) that a client that never reads fills every socket buffer. */
const ARCHIVED_STRIKES = 150_000;
/** The relay's stall limit, shortened for the test. */
const TEST_STALL_MS = 500;

const opened = new Set<net.Socket>();
const dirs: string[] = [];
afterEach(() => {
  for (const socket of opened) socket.destroy();
  opened.clear();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** An archive folder holding one full hour of strikes, and that hour's query string. */
function bigArchive(): { dir: string; range: string } {
  const dir = mkdtempSync(join(tmpdir(), 'aeolian-starve-'));
  dirs.push(dir);
  const hour = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - HOUR_MS;
  const lines: string[] = [];
  for (let seq = 1; seq <= ARCHIVED_STRIKES; seq++) {
    lines.push(JSON.stringify({ type: 'strike', seq, station: 'chicago', chime: seq % 6, v: 0.5, t: hour + Math.floor((seq * HOUR_MS) / (ARCHIVED_STRIKES + 1)) }));
  }
  const file = hourFileOf(dir, hour);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, lines.join('\n') + '\n');
  return { dir, range: `from=${new Date(hour).toISOString()}&to=${new Date(hour + HOUR_MS).toISOString()}` };
}

/** Sends a history request from `localAddress` and never reads the answer. */
async function neverReads(port: number, path: string, localAddress: string): Promise<net.Socket> {
  const socket = net.connect({ port, host: '127.0.0.1', localAddress });
  opened.add(socket);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.pause();
  socket.write(`GET ${path} HTTP/1.1\r\nHost: relay.test\r\n\r\n`);
  return socket;
}

/** The status of a history request from `localAddress` (the body is read and dropped). */
function statusFrom(port: number, path: string, localAddress = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ port, host: '127.0.0.1', path, localAddress, agent: false }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

async function statusWithin(ms: number, poll: () => Promise<number>, wanted: number): Promise<number> {
  const deadline = Date.now() + ms;
  let status = await poll();
  while (status !== wanted && Date.now() < deadline) {
    await sleep(100);
    status = await poll();
  }
  return status;
}

describe('history starvation', () => {
  it('two clients that never read lose their slots after the stall limit; others are served again', async () => {
    const { dir, range } = bigArchive();
    const relay = await testRelay({ archivePath: dir, historyStallMs: TEST_STALL_MS });
    const path = `/api/history?${range}`;
    await neverReads(relay.port, path, '127.0.0.2');
    await neverReads(relay.port, path, '127.0.0.3');
    // Both slots are taken while the two answers fill their sockets ...
    expect(await statusWithin(5_000, () => statusFrom(relay.port, `${path}&stations=tokyo`), 503)).toBe(503);
    // ... and freed once the stalled answers time out.
    expect(await statusWithin(TEST_STALL_MS * 6, () => statusFrom(relay.port, `${path}&stations=tokyo`), 200)).toBe(200);
  });

  it(`one address holds at most ${HISTORY_MAX_QUERIES_PER_ADDRESS} slot; more from it get 429 while others are served`, async () => {
    const { dir, range } = bigArchive();
    const relay = await testRelay({ archivePath: dir, historyStallMs: 60_000 });
    const path = `/api/history?${range}`;
    for (let i = 0; i < HISTORY_MAX_QUERIES_PER_ADDRESS; i++) await neverReads(relay.port, path, '127.0.0.5');
    expect(await statusWithin(5_000, () => statusFrom(relay.port, `${path}&stations=tokyo`, '127.0.0.5'), 429)).toBe(429);
    expect(await statusFrom(relay.port, `${path}&stations=tokyo`, '127.0.0.6')).toBe(200);
  });
});
