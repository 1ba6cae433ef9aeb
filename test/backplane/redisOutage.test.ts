// Redis goes away and comes back: relays stay up, say so in /healthz, hold what devices send, and
// once Redis returns every viewer gets every strike exactly once, numbered without gaps.
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { PUBLISH_SCRIPT, runScript } from '../../src/relay/backplane/scripts';
import { TEST_TOKENS, testRelay } from '../support/relayFixture';
import { startRedis } from '../support/redis';
import { device, record } from '../support/wsClient';

interface Health {
  status: string;
  redis: { connected: boolean; bufferedStrikes: number };
}

async function health(url: string): Promise<Health> {
  return (await (await fetch(`${url}/healthz`)).json()) as Health;
}

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(50);
  }
}

describe('backplane: Redis outage and recovery', () => {
  it('strikes sent while Redis is down arrive on every relay once it returns, none lost, none twice', async () => {
    const redis = await startRedis();
    const a = await testRelay({ redisUrl: redis.url });
    const b = await testRelay({ redisUrl: redis.url });
    const onA = await record(a.ws('/live'));
    const onB = await record(b.ws('/live'));
    const chicago = await device(a.ws('/device'), TEST_TOKENS.chicago);
    const tokyo = await device(b.ws('/device'), TEST_TOKENS.tokyo);
    for (let i = 0; i < 5; i++) chicago.socket.send(`${i}@${i}`);
    await onB.waitFor(() => onB.strikes().length === 5);

    await redis.stop();
    await until(async () => (await health(a.url)).status === 'degraded');
    for (let i = 0; i < 30; i++) {
      chicago.socket.send(`${i % 6}@${100 + i}`);
      tokyo.socket.send(`${i % 6}:0.5@${100 + i}`);
      await sleep(5); // paced like devices, so the two relays' buffers interleave
    }
    await until(async () => (await health(a.url)).redis.bufferedStrikes === 30);
    expect((await health(b.url)).redis).toMatchObject({ connected: false, bufferedStrikes: 30 });
    expect(onA.strikes()).toHaveLength(5); // nothing numbered while Redis is away

    await redis.start();
    for (const viewer of [onA, onB]) await viewer.waitFor(() => viewer.strikes().length >= 65, 15_000);
    await sleep(300); // anything doubled would show up now
    for (const viewer of [onA, onB]) {
      const strikes = viewer.strikes();
      expect(strikes).toHaveLength(65);
      expect(strikes.map((s) => s.seq)).toEqual(Array.from({ length: 65 }, (_, i) => i + 1));
      // Each device's strikes arrive once each, in the order they were sent (with 65 in all and
      // seqs 1..65, nothing is lost or doubled). Timing-free: receive times may bunch under load.
      const sentWhileDown = Array.from({ length: 30 }, (_, i) => i % 6);
      expect(strikes.filter((s) => s.station === 'chicago').map((s) => s.chime)).toEqual([0, 1, 2, 3, 4, ...sentWhileDown]);
      expect(strikes.filter((s) => s.station === 'tokyo').map((s) => s.chime)).toEqual(sentWhileDown);
    }
    expect(onA.strikes()).toEqual(onB.strikes());
    expect(await health(a.url)).toMatchObject({ status: 'ok', redis: { connected: true, bufferedStrikes: 0 } });

    // And live traffic flows on as before.
    chicago.socket.send('5');
    await onB.waitFor(() => onB.strikes().length === 66);
    expect(onB.strikes().at(-1)?.seq).toBe(66);
  });

  it('a relay starting while Redis is briefly away waits for it instead of failing', async () => {
    const redis = await startRedis();
    await redis.stop();
    let settled = false;
    const started = testRelay({ redisUrl: redis.url }).catch((error: Error) => error);
    void started.finally(() => (settled = true));
    // BACKPLANE_CONNECT_TIMEOUT_MS is 10 s: Redis stays away for half a second (the outage is the
    // behaviour under test), start-up waits through it, and completes once Redis is back.
    await sleep(500);
    expect(settled).toBe(false);
    await redis.start();
    const relay = await started;
    if (relay instanceof Error) throw relay;
    expect(await health(relay.url)).toMatchObject({ status: 'ok', redis: { connected: true } });
  });

  it('a publish retried after its reply was lost is added once', async () => {
    const redis = await startRedis();
    const client = new Redis(redis.url);
    try {
      const keys = ['t:epoch', 't:seq', 't:strikes', 't:batch:relay-1:7'];
      await client.set('t:epoch', 'e1');
      const args = ['e1', 1000, 60, 'chicago', 3, 0.7, 1764100000120, '']; // '': a strike, not a touch
      expect(await runScript(client, PUBLISH_SCRIPT, keys, args)).toBe(1);
      expect(await runScript(client, PUBLISH_SCRIPT, keys, args)).toBe(0);
      expect(await client.xlen('t:strikes')).toBe(1);
      await expect(runScript(client, PUBLISH_SCRIPT, [...keys.slice(0, 3), 't:batch:relay-1:8'], ['e0', ...args.slice(1)])).rejects.toThrow(/EPOCH/);
    } finally {
      client.disconnect();
    }
  });
});
