// Two in-process relays sharing one real redis-server: one numbering, one order, one viewer count.
import { describe, expect, it } from 'vitest';
import { TEST_TOKENS, testRelay } from '../support/relayFixture';
import { startRedis } from '../support/redis';
import { device, record } from '../support/wsClient';

describe('backplane: relays sharing one Redis', () => {
  it('a device on relay A is heard on relay B with the same seqs and epoch, in the same order', async () => {
    const redis = await startRedis();
    const a = await testRelay({ redisUrl: redis.url });
    const b = await testRelay({ redisUrl: redis.url });
    expect(a.hub.epoch).toBe(b.hub.epoch);
    const onA = await record(a.ws('/live'));
    const onB = await record(b.ws('/live'));
    const chicago = await device(a.ws('/device'), TEST_TOKENS.chicago);
    const tokyo = await device(b.ws('/device'), TEST_TOKENS.tokyo);
    for (let i = 0; i < 20; i++) {
      chicago.socket.send(String(i % 6));
      tokyo.socket.send(`${i % 6}:0.5`);
    }
    for (const viewer of [onA, onB]) await viewer.waitFor(() => viewer.strikes().length === 40);
    const seen = (viewer: typeof onA) => viewer.strikes().map((s) => [s.seq, s.station, s.chime, s.v, s.t]);
    expect(seen(onA)).toEqual(seen(onB));
    expect(onA.strikes().map((s) => s.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(onA.strikes().filter((s) => s.station === 'chicago').map((s) => s.chime)).toEqual(
      Array.from({ length: 20 }, (_, i) => i % 6),
    );
    const hello = onB.messages[0];
    expect(hello?.type === 'hello' && hello.epoch).toBe(a.hub.epoch);
  });

  it('a viewer resumes on another relay with exactly the strikes it missed', async () => {
    const redis = await startRedis();
    const a = await testRelay({ redisUrl: redis.url });
    const b = await testRelay({ redisUrl: redis.url });
    const viewer = await record(a.ws('/live'));
    const chicago = await device(a.ws('/device'), TEST_TOKENS.chicago);
    chicago.socket.send('0,1,2');
    await viewer.waitFor(() => viewer.strikes().length === 3);
    viewer.close();
    chicago.socket.send('3,4');
    // B has heard the two strikes the viewer missed, through Redis.
    await expect.poll(() => b.hub.seq, { timeout: 5_000 }).toBe(5);
    const resumed = await record(b.ws(`/live?since=3&epoch=${a.hub.epoch}`));
    await resumed.waitFor(() => resumed.strikes().length === 2);
    expect(resumed.messages[0]).toMatchObject({ type: 'hello', epoch: a.hub.epoch });
    expect(resumed.messages[0]).not.toHaveProperty('gap');
    expect(resumed.strikes().map((s) => [s.seq, s.chime])).toEqual([[4, 3], [5, 4]]);
  });

  it('a relay started later knows the recent history and the seq already reached', async () => {
    const redis = await startRedis();
    const a = await testRelay({ redisUrl: redis.url });
    const chicago = await device(a.ws('/device'), TEST_TOKENS.chicago);
    const viewer = await record(a.ws('/live'));
    chicago.socket.send('0,1,2,3');
    await viewer.waitFor(() => viewer.strikes().length === 4);
    const late = await testRelay({ redisUrl: redis.url });
    expect(late.hub.seq).toBe(4);
    const resumed = await record(late.ws(`/live?since=1&epoch=${a.hub.epoch}`));
    await resumed.waitFor(() => resumed.strikes().length === 3);
    expect(resumed.strikes().map((s) => s.seq)).toEqual([2, 3, 4]);
  });

  it('viewer counts are global: presence on one relay counts viewers on the others', async () => {
    const redis = await startRedis();
    const a = await testRelay({ redisUrl: redis.url });
    const b = await testRelay({ redisUrl: redis.url });
    await record(b.ws('/live'));
    await record(b.ws('/live'));
    const onA = await record(a.ws('/live'));
    await onA.waitFor((messages) => messages.some((m) => m.type === 'presence' && m.viewers === 3), 8_000);
    const health = (await (await fetch(`${a.url}/healthz`)).json()) as { status: string; redis: { connected: boolean; relays: number } };
    expect(health.status).toBe('ok');
    expect(health.redis).toMatchObject({ connected: true, relays: 2 });
  });
});
