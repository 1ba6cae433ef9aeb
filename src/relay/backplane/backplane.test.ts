// The backplane alone, against a real redis-server (test/support/redis.ts) and a recording hub: no
// relay, no sockets to viewers. The relay-level behaviour is in test/backplane/.
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { STRIKE_HISTORY_SIZE } from '../../protocol';
import { createLogger } from '../log';
import type { AcceptedStrike } from '../hub';
import { startRedis } from '../../../test/support/redis';
import { Backplane, type BackplaneHub } from './backplane';
import { GlobalPresence, PRESENCE_STALE_MS } from './globalPresence';

/** The hub as the backplane sees it: records what is delivered, with a settable viewer count. */
class RecordingHub implements BackplaneHub {
  readonly delivered: { seq: number; station: string; chime: number; t: number }[] = [];
  viewerCount = 0;
  presenceChanges = 0;
  get seq(): number {
    return this.delivered.at(-1)?.seq ?? 0;
  }
  deliver(seq: number, station: string, strike: AcceptedStrike): void {
    this.delivered.push({ seq, station, chime: strike.chime, t: strike.t });
  }
  presenceChanged(): void {
    this.presenceChanges++;
  }
}

const log = createLogger('silent');
const opened: (Backplane | Redis)[] = [];
afterEach(async () => {
  for (const item of opened.splice(0).reverse()) {
    if (item instanceof Backplane) await item.close(0);
    else item.disconnect();
  }
});

async function join(url: string, hub = new RecordingHub(), options: { prefix?: string; archivedSeq?: number } = {}) {
  const backplane = await Backplane.connect(url, { log, prefix: options.prefix });
  opened.push(backplane);
  await backplane.attach(hub, options.archivedSeq);
  return { backplane, hub };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const strikes = (...chimes: number[]): AcceptedStrike[] => chimes.map((chime) => ({ chime, v: 0.5, t: 1_000 + chime }));

describe('Backplane', () => {
  it('the first relay sets the epoch; later relays adopt it', async () => {
    const redis = await startRedis();
    const a = await join(redis.url);
    const b = await join(redis.url);
    expect(a.backplane.epoch).toMatch(/^[A-Za-z0-9_-]{8}$/);
    expect(b.backplane.epoch).toBe(a.backplane.epoch);
  });

  it('numbers published strikes in Redis and delivers them, in order, to every relay', async () => {
    const redis = await startRedis();
    const a = await join(redis.url);
    const b = await join(redis.url);
    a.backplane.publish('oslo', strikes(1, 2, 3));
    b.backplane.publish('lima', strikes(4));
    for (const { hub } of [a, b]) await until(() => hub.delivered.length === 4, 'four strikes delivered');
    expect(a.hub.delivered).toEqual(b.hub.delivered);
    expect(a.hub.delivered.map((d) => d.seq)).toEqual([1, 2, 3, 4]);
    // Two relays' batches may interleave; each relay's own strikes keep their order and fields.
    expect(a.hub.delivered.filter((d) => d.station === 'oslo').map(({ chime, t }) => ({ chime, t }))).toEqual([
      { chime: 1, t: 1_001 },
      { chime: 2, t: 1_002 },
      { chime: 3, t: 1_003 },
    ]);
    expect(a.backplane.health()).toEqual({ connected: true, bufferedStrikes: 0, refusedStrikes: 0, relays: expect.any(Number) });
  });

  it('a relay that attaches later gets the stream so far before attach returns', async () => {
    const redis = await startRedis();
    const a = await join(redis.url);
    a.backplane.publish('oslo', strikes(1, 2, 3, 4, 5));
    await until(() => a.hub.delivered.length === 5, 'five strikes delivered');
    const late = await join(redis.url);
    expect(late.hub.delivered.map((d) => d.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('attach delivers the last STRIKE_HISTORY_SIZE strikes, or everything after archivedSeq (archive catch-up)', async () => {
    const redis = await startRedis();
    const a = await join(redis.url);
    const total = STRIKE_HISTORY_SIZE + 5;
    a.backplane.publish('oslo', Array.from({ length: total }, (_, i) => ({ chime: i % 6, v: 0.5, t: i })));
    await until(() => a.hub.delivered.length === total, 'every strike delivered');
    const late = await join(redis.url);
    expect(late.hub.delivered.length).toBe(STRIKE_HISTORY_SIZE);
    expect(late.hub.delivered[0]!.seq).toBe(6);
    const fromArchive = await join(redis.url, new RecordingHub(), { archivedSeq: 3 });
    expect(fromArchive.hub.delivered[0]!.seq).toBe(4);
    expect(fromArchive.hub.delivered.at(-1)!.seq).toBe(total);
  });

  it('counts viewers across relays and tells the hub when the others change', async () => {
    const redis = await startRedis();
    const a = await join(redis.url);
    a.hub.viewerCount = 3;
    const b = await join(redis.url);
    b.hub.viewerCount = 4;
    await until(() => a.backplane.viewerCount(3) === 7 && b.backplane.viewerCount(4) === 7, 'both relays to count 7 viewers');
    expect(a.hub.presenceChanges).toBeGreaterThan(0);
    expect(a.backplane.health().relays).toBe(2);
    await b.backplane.close(0);
    opened.splice(opened.indexOf(b.backplane), 1);
    await until(() => a.backplane.viewerCount(3) === 3, 'the closed relay to stop counting');
  });

  it('counts visitors across relays, an address that played through two relays once, and only inside the window', async () => {
    const redis = await startRedis();
    const a = await join(redis.url);
    const b = await join(redis.url);
    const now = Date.now();
    a.backplane.visitorTouched('203.0.113.1', now);
    b.backplane.visitorTouched('203.0.113.1', now);
    b.backplane.visitorTouched('203.0.113.2', now - 50_000); // inside the 60 s window at the next sync
    b.backplane.visitorTouched('203.0.113.3', now - 61_000); // outside it: never counted
    await until(() => a.backplane.visitorCount(1) === 2 && b.backplane.visitorCount(2) === 2, 'both relays to count 2 visitors');
    expect(a.hub.presenceChanges).toBeGreaterThan(0);
    // Redis holds keyed hashes of the addresses, not the addresses.
    const keys = new Redis(redis.url);
    opened.push(keys);
    const members = await keys.zrange('aeolian:visitors', '0', '-1');
    expect(members).toHaveLength(2);
    expect(members.join(' ')).not.toMatch(/203\.0\.113/);
    // Redis emptied (restarted without its data): the relays put their key back, so a relay that
    // joins afterwards hashes the same address to the same member.
    const key = await keys.get('aeolian:visitorKey');
    await keys.flushall();
    await expect.poll(() => keys.get('aeolian:visitorKey'), { timeout: 5_000 }).toBe(key);
    const late = await join(redis.url);
    a.backplane.visitorTouched('203.0.113.1', Date.now());
    late.backplane.visitorTouched('203.0.113.1', Date.now());
    await expect.poll(() => keys.zcard('aeolian:visitors'), { timeout: 5_000 }).toBe(1);
    await until(() => late.backplane.visitorCount(1) === 1 && a.backplane.visitorCount(0) === 1, 'one visitor on both relays');
  });

  it('shows its own visitors, never fewer, when the shared count is missing or stale', async () => {
    const redis = await startRedis();
    const client = new Redis(redis.url);
    opened.push(client);
    const presence = new GlobalPresence(client, { viewers: 'v', visitors: 'vis', visitorKey: 'vk' }, 'relay-1', 'key');
    expect(presence.visitorCount(3, Date.now())).toBe(3); // never synced
    presence.visitorTouched('203.0.113.1', 1_000_000);
    presence.visitorTouched('203.0.113.2', 1_000_000);
    expect(await presence.sync(0, 1_000_500)).toBe(true);
    expect(presence.visitorCount(1, 1_000_500)).toBe(2);
    expect(presence.visitorCount(4, 1_000_500)).toBe(4); // a touch here since the sync
    expect(presence.visitorCount(1, 1_000_500 + PRESENCE_STALE_MS + 1)).toBe(1);
  });

  it('keeps installations with different key prefixes apart on one Redis', async () => {
    const redis = await startRedis();
    const blue = await join(redis.url, new RecordingHub(), { prefix: 'blue:' });
    const green = await join(redis.url, new RecordingHub(), { prefix: 'green:' });
    blue.backplane.publish('oslo', strikes(1, 2));
    green.backplane.publish('lima', strikes(3));
    await until(() => blue.hub.delivered.length === 2 && green.hub.delivered.length === 1, 'each installation its own strikes');
    expect(green.hub.delivered).toEqual([{ seq: 1, station: 'lima', chime: 3, t: 1_003 }]);
    const keys = new Redis(redis.url);
    opened.push(keys);
    expect((await keys.keys('*')).sort()).toEqual(expect.arrayContaining(['blue:epoch', 'blue:seq', 'blue:strikes', 'green:epoch', 'green:seq', 'green:strikes']));
  });
});
