// The relay subscribed to a fake Particle cloud: strikes keep their rhythm, the stream survives
// drops, stalls and garbage, and only known devices are heard.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, expect, it } from 'vitest';
import { startParticle, type ParticleSide } from '../../src/relay/particle';
import { testRelay, testStations } from '../support/relayFixture';
import { record } from '../support/wsClient';
import { startFakeCloud, type FakeCloud } from './fakeCloud';

const CHIME_PATH = '/v1/devices/events/chime';
const STATUS_PATH = '/v1/devices/events/spark/status';
const CLOUD_TOKEN = 'fake-cloud-token-4f9a0c';

let cloud: FakeCloud | undefined;
let particle: ParticleSide | undefined;
afterEach(async () => {
  particle?.close();
  await cloud?.close();
  particle = cloud = undefined;
});

async function setUp(stallMs = 60_000) {
  cloud = await startFakeCloud();
  const relay = await testRelay({ stations: testStations({ particleId: 'e00fce68aaaa' }) });
  particle = startParticle(relay, {
    token: CLOUD_TOKEN,
    apiUrl: cloud.url,
    eventName: 'chime',
    stallMs,
    reconnectBaseMs: 20,
    reorderHoldMs: 50,
  });
  const viewer = await record(relay.ws('/live'));
  await cloud.waitForOpens(CHIME_PATH, 1);
  return { relay, viewer, cloud, particle };
}

const iso = (ms: number) => new Date(ms).toISOString();

it('strikes reach viewers with their original spacing; garbage, keep-alives and strangers are skipped', async () => {
  const { viewer, cloud, particle } = await setUp();
  const open = cloud.current(CHIME_PATH)!;
  expect(open.authorization).toBe(`Bearer ${CLOUD_TOKEN}`);
  expect(cloud.opens.every((o) => !o.path.includes(CLOUD_TOKEN))).toBe(true);

  const p1 = Date.now() - 2_000;
  cloud.write(CHIME_PATH, ': keep-alive\n\n');
  // Multi-line data: the cloud may split the JSON over data lines; they join with "\n".
  cloud.write(CHIME_PATH, `event: chime\ndata: {"data":"1:0.5@300,2@100",\ndata: "ttl":60,"published_at":"${iso(p1)}","coreid":"e00fce68aaaa"}\n\n`);
  cloud.write(CHIME_PATH, 'this line is not sse at all\n');
  cloud.write(CHIME_PATH, 'event: chime\ndata: {not json\n\n');
  cloud.event(CHIME_PATH, 'chime', { data: '3', coreid: 'e00f-stranger', published_at: iso(p1 + 500) });
  cloud.event(CHIME_PATH, 'chime', { data: '3', coreid: 'e00f-stranger', published_at: iso(p1 + 600) });
  cloud.event(CHIME_PATH, 'chime', { data: '0:0.25', coreid: 'e00fce68aaaa', published_at: iso(p1 + 1_000) });

  await viewer.waitFor(() => viewer.strikes().length >= 3);
  await sleep(150); // three reorder holds: a stranger's or a garbage strike would have arrived by now
  const strikes = viewer.strikes();
  expect(strikes.map((s) => [s.station, s.chime, s.v, s.t])).toEqual([
    ['chicago', 1, 0.5, p1 - 300],
    ['chicago', 2, 1, p1 - 100],
    ['chicago', 0, 0.25, p1 + 1_000],
  ]);
  expect(particle.ingest.stats.unknownDeviceEvents).toBe(2);
  // The stream was never reopened: bad lines do not break it.
  expect(cloud.opens.filter((o) => o.path === CHIME_PATH)).toHaveLength(1);
});

it('repeated and reordered events are delivered once, in publish order', async () => {
  const { viewer, cloud } = await setUp();
  const p = Date.now() - 1_000;
  cloud.event(CHIME_PATH, 'chime', { data: '2', coreid: 'e00fce68aaaa', published_at: iso(p + 200) });
  cloud.event(CHIME_PATH, 'chime', { data: '1', coreid: 'e00fce68aaaa', published_at: iso(p) });
  cloud.event(CHIME_PATH, 'chime', { data: '2', coreid: 'e00fce68aaaa', published_at: iso(p + 200) });
  await viewer.waitFor(() => viewer.strikes().length >= 2);
  await sleep(200); // four reorder holds: a repeat delivered twice would have arrived by now
  expect(viewer.strikes().map((s) => [s.chime, s.t])).toEqual([
    [1, p],
    [2, p + 200],
  ]);
});

it('recovers from a dropped connection and from a stalled one', async () => {
  const { viewer, cloud, particle } = await setUp(400);
  cloud.current(CHIME_PATH)!.response.destroy();
  await cloud.waitForOpens(CHIME_PATH, 2);
  cloud.event(CHIME_PATH, 'chime', { data: '4', coreid: 'e00fce68aaaa', published_at: iso(Date.now()) });
  await viewer.waitFor(() => viewer.strikes().some((s) => s.chime === 4));

  // Keep-alive comments are bytes: a quiet but pinged stream is not stalled.
  for (let i = 0; i < 5; i++) {
    cloud.write(CHIME_PATH, ':\n\n');
    await sleep(150); // 750 ms in all, past the 400 ms stall limit: only the keep-alives hold it open
  }
  expect(cloud.opens.filter((o) => o.path === CHIME_PATH)).toHaveLength(2);

  // Silence past the stall limit: the relay gives up on the connection and opens a new one.
  await cloud.waitForOpens(CHIME_PATH, 3);
  expect(particle.link!.streams[0]!.stats.stalls).toBeGreaterThanOrEqual(1);
  cloud.event(CHIME_PATH, 'chime', { data: '5', coreid: 'e00fce68aaaa', published_at: iso(Date.now()) });
  await viewer.waitFor(() => viewer.strikes().some((s) => s.chime === 5));
});

it('spark/status drives the station online state that viewers see', async () => {
  const { viewer, cloud } = await setUp();
  await cloud.waitForOpens(STATUS_PATH, 1);
  const t = Date.now();
  cloud.event(STATUS_PATH, 'spark/status', { data: 'online', coreid: 'e00fce68aaaa', published_at: iso(t) });
  await viewer.waitFor((m) => m.some((x) => x.type === 'station' && x.station.id === 'chicago' && x.station.online));
  // An older "offline" that arrives late says nothing; a newer one does.
  cloud.event(STATUS_PATH, 'spark/status', { data: 'offline', coreid: 'e00fce68aaaa', published_at: iso(t - 5_000) });
  cloud.event(STATUS_PATH, 'spark/status', { data: 'offline', coreid: 'e00fce68aaaa', published_at: iso(t + 1_000) });
  await viewer.waitFor((m) => m.some((x) => x.type === 'station' && x.station.id === 'chicago' && !x.station.online));
  expect(viewer.messages.filter((x) => x.type === 'station')).toHaveLength(2);
});
