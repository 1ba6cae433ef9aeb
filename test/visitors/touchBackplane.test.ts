// Touches through the shared Redis stream (a real redis-server, as test/backplane does): every
// relay's viewers get the same touch seqs among the strikes, and the page's ack names that seq.
import { describe, expect, it } from 'vitest';
import type { RelayMessage } from '../../src/protocol';
import { startRedis } from '../support/redis';
import { TEST_TOKENS, testRelay } from '../support/relayFixture';
import { device, record } from '../support/wsClient';
import { touchClient } from './touchClient';

const played = (messages: RelayMessage[]) =>
  messages.flatMap((m) => (m.type === 'strike' || m.type === 'touch' ? [[m.type, m.seq, m.station, m.chime, m.t]] : []));

describe('touches on the backplane', () => {
  it('a touch on relay A reaches viewers of A and B with the same seq, among strikes from B', async () => {
    const redis = await startRedis();
    const a = await testRelay({ redisUrl: redis.url });
    const b = await testRelay({ redisUrl: redis.url });
    const onA = await record(a.ws('/live'));
    const onB = await record(b.ws('/live'));
    // Online state is each relay's own (the backplane carries strikes, not station state), so the
    // touched station's device is on A; tokyo's strikes come in through B.
    const chicago = await device(a.ws('/device'), TEST_TOKENS.chicago);
    const tokyo = await device(b.ws('/device'), TEST_TOKENS.tokyo);
    await expect.poll(() => a.stations.get('chicago')?.online).toBe(true);
    const page = await touchClient(a.url);
    const acks: number[] = [];
    for (let i = 0; i < 5; i++) {
      tokyo.socket.send(String(i));
      chicago.socket.send(String(i));
      const answer = await page.touch({ id: `bp${i}`, chime: i });
      expect(answer).toMatchObject({ type: 'touch_ack', id: `bp${i}` });
      if (answer.type === 'touch_ack') acks.push(answer.seq);
    }
    for (const viewer of [onA, onB]) await viewer.waitFor((m) => played(m).length === 15);
    expect(played(onA.messages)).toEqual(played(onB.messages));
    const touches = onB.messages.filter((m) => m.type === 'touch');
    expect(touches.map((m) => m.seq)).toEqual(acks);
    expect(touches.map((m) => m.chime)).toEqual([0, 1, 2, 3, 4]);
    expect(played(onA.messages).map(([, seq]) => seq)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    // Counted once, as touches, on each relay; strikes stay strikes.
    expect(b.hub.stats).toMatchObject({ strikesAccepted: 10, touchesDelivered: 5 });
  });

  it("presence.visitors is the same on every relay: each address once, whichever relays it played through", async () => {
    const redis = await startRedis();
    const a = await testRelay({ redisUrl: redis.url, trustedProxies: 1 });
    const b = await testRelay({ redisUrl: redis.url, trustedProxies: 1 });
    const onA = await record(a.ws('/live'));
    const onB = await record(b.ws('/live'));
    // Station state is each relay's own: chicago's device is on A, tokyo's on B.
    await device(a.ws('/device'), TEST_TOKENS.chicago);
    await device(b.ws('/device'), TEST_TOKENS.tokyo);
    await expect.poll(() => a.stations.get('chicago')?.online && b.stations.get('tokyo')?.online).toBe(true);
    const visitor = (relay: typeof a, address: string) => touchClient(relay.url, { forwardedFor: address });
    const onlyOnA = await visitor(a, '203.0.113.1');
    const onBoth = [await visitor(a, '203.0.113.2'), await visitor(b, '203.0.113.2')];
    const onlyOnB = await visitor(b, '203.0.113.3');
    expect(await onlyOnA.touch()).toMatchObject({ type: 'touch_ack' });
    expect(await onBoth[0]!.touch()).toMatchObject({ type: 'touch_ack' });
    expect(await onBoth[1]!.touch({ station: 'tokyo' })).toMatchObject({ type: 'touch_ack' });
    expect(await onlyOnB.touch({ station: 'tokyo' })).toMatchObject({ type: 'touch_ack' });
    const visitorsNow = (messages: RelayMessage[]) => messages.findLast((m) => m.type === 'presence')?.visitors;
    // Each relay saw two addresses itself; together there were three.
    for (const viewer of [onA, onB]) await viewer.waitFor((m) => visitorsNow(m) === 3, 8_000);
  });

  it('refuses touches slow_down while Redis is unreachable, and accepts them again once it is back', async () => {
    const redis = await startRedis();
    const a = await testRelay({ redisUrl: redis.url });
    await device(a.ws('/device'), TEST_TOKENS.chicago);
    await expect.poll(() => a.stations.get('chicago')?.online).toBe(true);
    const page = await touchClient(a.url);
    expect(await page.touch()).toMatchObject({ type: 'touch_ack' });
    await redis.stop();
    await expect.poll(() => a.hub.numberingAvailable, { timeout: 5_000 }).toBe(false);
    expect(await page.touch({ id: 'away' })).toEqual({ type: 'touch_refused', id: 'away', reason: 'slow_down', retryMs: 1_000 });
    await redis.start();
    await expect.poll(() => a.hub.numberingAvailable, { timeout: 10_000 }).toBe(true);
    expect(await page.touch({ id: 'away' })).toMatchObject({ type: 'touch_ack', id: 'away' });
  });
});
