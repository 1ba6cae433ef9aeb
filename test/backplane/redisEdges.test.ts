// The backplane's rarer paths, against a real redis-server: Redis never there at start, an outage
// longer than the buffer, Redis coming back empty, and Redis numbering another epoch.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { BACKPLANE_CONNECT_TIMEOUT_MS, BACKPLANE_OUTAGE_BUFFER_STRIKES, BackplaneError } from '../../src/relay/backplane/backplane';
import { waitUntil } from '../faults/support';
import { freePort } from '../support/freePort';
import { TEST_TOKENS, testRelay, testStations } from '../support/relayFixture';
import { startRedis } from '../support/redis';
import { device, record } from '../support/wsClient';

interface Health {
  status: string;
  epoch: string;
  redis: { connected: boolean; bufferedStrikes: number; refusedStrikes: number; epochMismatch?: string };
}

const health = async (url: string) => (await (await fetch(`${url}/healthz`)).json()) as Health;
const seqs = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** A relay on a fresh Redis, a viewer, and Chicago's device, once `frame`'s strikes have reached the viewer. */
async function relayOnRedis(frame: string, strikes: number, stations = testStations()) {
  const redis = await startRedis();
  const relay = await testRelay({ redisUrl: redis.url, stations });
  const viewer = await record(relay.ws('/live'));
  const chicago = await device(relay.ws('/device'), TEST_TOKENS.chicago);
  chicago.socket.send(frame);
  await viewer.waitFor(() => viewer.strikes().length === strikes);
  return { redis, relay, viewer, chicago };
}

describe('backplane: rare Redis paths', () => {
  it('a relay whose Redis never answers refuses to start, naming Redis but not its password', async () => {
    const port = await freePort();
    const startedAt = Date.now();
    const error = await testRelay({ redisUrl: `redis://:hunter2-secret@127.0.0.1:${port}` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackplaneError);
    expect((error as Error).message).toMatch(new RegExp(`^Redis at redis://\\*\\*\\*@127\\.0\\.0\\.1:${port}: `));
    expect((error as Error).message).not.toContain('hunter2');
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(BACKPLANE_CONNECT_TIMEOUT_MS - 100);
  }, BACKPLANE_CONNECT_TIMEOUT_MS + 10_000);

  it('an outage longer than the buffer: the first 50,000 strikes are kept and delivered, later ones refused and counted', async () => {
    const { redis, relay, viewer, chicago } = await relayOnRedis('1', 1, testStations({ strikesPerSecond: 1_000_000, burst: 1_000_000 }));

    await redis.stop();
    await waitUntil(async () => (await health(relay.url)).redis.connected === false, 10_000, 'the relay to notice Redis is gone');
    const perFrame = 1_000;
    const frame = Array.from({ length: perFrame }, (_, i) => String(i % 6)).join(',');
    const extra = 1_500;
    const total = BACKPLANE_OUTAGE_BUFFER_STRIKES + extra;
    for (let sent = 0; sent < total; sent += perFrame) chicago.socket.send(sent + perFrame <= total ? frame : frame.split(',').slice(0, total - sent).join(','));
    await waitUntil(async () => (await health(relay.url)).redis.refusedStrikes === extra, 10_000, 'the buffer to fill');
    expect((await health(relay.url)).redis).toMatchObject({ bufferedStrikes: BACKPLANE_OUTAGE_BUFFER_STRIKES, refusedStrikes: extra });

    await redis.start();
    await viewer.waitFor(() => viewer.strikes().length === 1 + BACKPLANE_OUTAGE_BUFFER_STRIKES, 30_000);
    await sleep(200); // a refused strike would show up now
    expect(viewer.strikes().map((s) => s.seq)).toEqual(seqs(1, 1 + BACKPLANE_OUTAGE_BUFFER_STRIKES));
    expect((await health(relay.url)).redis).toMatchObject({ connected: true, bufferedStrikes: 0 });
  }, 60_000);

  it('Redis coming back empty is seeded again with the relay epoch and seq: numbering goes on without a clash', async () => {
    const { redis, relay, viewer, chicago } = await relayOnRedis('1,2,3', 3);
    const epoch = (await health(relay.url)).epoch;

    await redis.stop();
    // Its data is gone (a new, empty Redis on the same address).
    for (const entry of readdirSync(redis.dir)) rmSync(join(redis.dir, entry), { recursive: true, force: true });
    await redis.start();
    await waitUntil(async () => (await health(relay.url)).status === 'ok', 15_000, 'the relay to seed Redis again');
    const client = new Redis(redis.url);
    try {
      expect(await client.get('aeolian:epoch')).toBe(epoch);
      expect(await client.get('aeolian:seq')).toBe('3');
      expect(await client.xlen('aeolian:strikes')).toBe(0); // it really came back empty
    } finally {
      client.disconnect();
    }
    chicago.socket.send('4,5');
    await viewer.waitFor(() => viewer.strikes().length === 5);
    expect(viewer.strikes().map((s) => s.seq)).toEqual(seqs(1, 5));
    const late = await record(relay.ws('/live?since=3&epoch=' + epoch));
    await late.waitFor(() => late.strikes().length === 2);
    expect(late.strikes().map((s) => s.seq)).toEqual([4, 5]);
  }, 30_000);

  it('Redis numbering another epoch: the relay stops publishing, says so in /healthz, and keeps what it accepted', async () => {
    const { redis, relay, viewer, chicago } = await relayOnRedis('1', 1);

    // Someone pointed Redis at another deployment's numbering while this relay ran.
    const client = new Redis(redis.url);
    try {
      await client.set('aeolian:epoch', 'someone-else');
    } finally {
      client.disconnect();
    }
    chicago.socket.send('2,3');
    await waitUntil(async () => (await health(relay.url)).redis.epochMismatch !== undefined, 5_000, 'the mismatch to show');
    const state = await health(relay.url);
    expect(state.status).toBe('degraded');
    expect(state.redis.bufferedStrikes).toBe(2); // held, not numbered into someone else's stream
    expect(viewer.strikes()).toHaveLength(1);
  }, 30_000);
});
