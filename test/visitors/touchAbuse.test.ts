// Visitors' abuse over real sockets: a flooding page is held to its limit while others keep playing,
// the operator's kill switch stops touches within a second, and station switches hold per station.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { TOUCH_PER_CLIENT_BURST, TOUCH_PER_CLIENT_PER_S } from '../../src/protocol';
import { adminApi, type AdminApi } from '../../src/relay/admin/adminRoutes';
import { TEST_TOKENS, testRelay } from '../support/relayFixture';
import { device, record } from '../support/wsClient';
import { touchClient } from './touchClient';

const ADMIN_TOKEN = 'fake-admin-token-7c1e55aa';
let api: AdminApi | undefined;
afterEach(() => {
  api?.dispose();
  api = undefined;
});

async function relayWithChicago() {
  const relay = await testRelay({ trustedProxies: 1 });
  await device(relay.ws('/device'), TEST_TOKENS.chicago);
  await expect.poll(() => relay.stations.get('chicago')?.online).toBe(true);
  return relay;
}

const FLOOD_TOUCHES_PER_S = 1_000;
const FLOOD_MS = 2_000;

describe('visitors abuse', () => {
  it('one page flooding 1,000 touches/s is held to its limit, and another keeps playing', async () => {
    const relay = await relayWithChicago();
    const viewer = await record(relay.ws('/live'));
    const flooder = await touchClient(relay.url, { forwardedFor: '198.51.100.1' });
    const player = await touchClient(relay.url, { forwardedFor: '198.51.100.2' });
    const startedAt = Date.now();
    let flooded = 0;
    const played: Promise<unknown>[] = [];
    const playerTimer = setInterval(() => played.push(player.touch({ chime: 2 })), 500);
    try {
      while (Date.now() - startedAt < FLOOD_MS) {
        // On schedule: a late timer on a busy machine must not thin the flood.
        const due = Math.floor(((Date.now() - startedAt) * FLOOD_TOUCHES_PER_S) / 1000) + 10;
        for (; flooded < due; flooded++) flooder.sendRaw(JSON.stringify({ type: 'touch', id: `f${flooded}`, station: 'chicago', chime: 1 }));
        await sleep(10);
      }
    } finally {
      clearInterval(playerTimer);
    }
    const elapsedS = (Date.now() - startedAt) / 1000;
    const answers = await Promise.all(played);
    await flooder.waitFor((m) => m.filter((x) => x.type === 'touch_ack' || x.type === 'touch_refused').length === flooded, 10_000);

    expect(flooded).toBeGreaterThan(FLOOD_TOUCHES_PER_S * (FLOOD_MS / 1000) * 0.5);
    const floodAcks = flooder.messages.filter((m) => m.type === 'touch_ack').length;
    expect(floodAcks).toBeGreaterThanOrEqual(TOUCH_PER_CLIENT_BURST);
    expect(floodAcks).toBeLessThanOrEqual(TOUCH_PER_CLIENT_BURST + TOUCH_PER_CLIENT_PER_S * elapsedS + 1);
    const refusals = flooder.messages.filter((m) => m.type === 'touch_refused');
    expect(refusals.every((m) => m.type === 'touch_refused' && m.reason === 'slow_down' && (m.retryMs ?? 0) > 0)).toBe(true);
    expect(flooder.socket.readyState).toBe(flooder.socket.OPEN);

    // Every touch of the other page was accepted and reached the viewer.
    expect(answers.length).toBeGreaterThanOrEqual(3);
    expect(answers.every((answer) => (answer as { type: string }).type === 'touch_ack')).toBe(true);
    await viewer.waitFor((m) => m.filter((x) => x.type === 'touch').length === floodAcks + answers.length);
    const metrics = await (await fetch(`${relay.url}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`^aeolian_touches_accepted_total ${floodAcks + answers.length}$`, 'm'));
    expect(metrics).toMatch(new RegExp(`^aeolian_touches_refused_total\\{reason="slow_down"\\} ${refusals.length}$`, 'm'));
    expect(metrics).toMatch(new RegExp(`^aeolian_touches_limited_total\\{limit="client"\\} ${refusals.length}$`, 'm'));
  });

  it('the admin kill switch stops touches within a second, tells every page, and turns them back on', async () => {
    const relay = await relayWithChicago();
    api = adminApi(relay, { adminToken: ADMIN_TOKEN });
    relay.addRoute(api.route);
    const admin = (method: string, body?: unknown) =>
      fetch(`${relay.url}/api/admin/participation`, {
        method,
        headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const page = await touchClient(relay.url, { forwardedFor: '198.51.100.3' });
    const viewer = await record(relay.ws('/live'));
    expect(await page.touch()).toMatchObject({ type: 'touch_ack' });

    // A page touching every 100 ms while the operator switches off.
    let sent = 0;
    const timer = setInterval(() => page.sendRaw(JSON.stringify({ type: 'touch', id: `k${++sent}`, station: 'chicago', chime: 3 })), 100);
    try {
      await sleep(300);
      const offAt = Date.now();
      const response = await admin('PUT', { enabled: false });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ enabled: false, stations: {} });
      await page.waitFor((m) => m.some((x) => x.type === 'participation' && !x.enabled), 1_000);
      expect(Date.now() - offAt).toBeLessThan(1_000);
      const touchesAtOff = viewer.messages.filter((m) => m.type === 'touch').length;
      await sleep(1_000);
      // Every touch sent a second after the switch was refused resting; none reached viewers after it.
      const lastIds = [`k${sent - 2}`, `k${sent - 1}`];
      for (const id of lastIds) {
        await page.waitFor((m) => m.some((x) => x.type === 'touch_refused' && x.id === id));
        expect(page.messages.find((x) => x.type === 'touch_refused' && x.id === id)).toMatchObject({ reason: 'resting' });
      }
      expect(viewer.messages.filter((m) => m.type === 'touch').length).toBeLessThanOrEqual(touchesAtOff + 1);
    } finally {
      clearInterval(timer);
    }
    expect(await (await admin('GET')).json()).toEqual({ enabled: false, stations: {} });
    expect((await admin('PUT', { enabled: 'no' })).status).toBe(400);
    expect((await admin('POST', { enabled: true })).status).toBe(405);
    expect((await admin('PUT', { enabled: true })).status).toBe(200);
    // On connect (on), off, on again.
    await page.waitFor((m) => m.filter((x) => x.type === 'participation').map((x) => x.type === 'participation' && x.enabled).join() === 'true,false,true');
    expect(await page.touch({ id: 'back' })).toMatchObject({ type: 'touch_ack', id: 'back' });
    const unauthorised = await fetch(`${relay.url}/api/admin/participation`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{"enabled":false}' });
    expect(unauthorised.status).toBe(401);
  });

  it('a station switched off by its operator refuses touches for it alone and says so to every page', async () => {
    const relay = await relayWithChicago();
    await device(relay.ws('/device'), TEST_TOKENS.tokyo);
    await expect.poll(() => relay.stations.get('tokyo')?.online).toBe(true);
    api = adminApi(relay, { adminToken: ADMIN_TOKEN });
    relay.addRoute(api.route);
    const page = await touchClient(relay.url, { forwardedFor: '198.51.100.4' });
    const response = await fetch(`${relay.url}/api/admin/stations/tokyo`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ participation: false }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: 'tokyo', participation: false });
    await page.waitFor((m) => m.some((x) => x.type === 'participation' && x.stations.tokyo === false));
    expect(await page.touch({ station: 'tokyo' })).toMatchObject({ type: 'touch_refused', reason: 'station_resting' });
    expect(await page.touch({ station: 'chicago' })).toMatchObject({ type: 'touch_ack' });
  });
});
