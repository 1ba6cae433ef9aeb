// POST /ingest/particle: the cloud's webhook, its status codes, and one delivery per strike even
// when the same event also comes down the stream.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, expect, it } from 'vitest';
import { startParticle, type ParticleSide } from '../../src/relay/particle';
import { testRelay, testStations } from '../support/relayFixture';
import { record } from '../support/wsClient';
import { startFakeCloud, type FakeCloud } from './fakeCloud';

const SECRET = 'fake-webhook-secret-77c1e2';
let cloud: FakeCloud | undefined;
let particle: ParticleSide | undefined;
afterEach(async () => {
  particle?.close();
  await cloud?.close();
  particle = cloud = undefined;
});

async function setUp(withStream = false) {
  if (withStream) cloud = await startFakeCloud();
  const relay = await testRelay({ stations: testStations({ particleId: 'e00fce68bbbb' }) });
  particle = startParticle(relay, {
    token: withStream ? 'fake-cloud-token-b' : undefined,
    apiUrl: cloud?.url ?? 'http://127.0.0.1:9',
    eventName: 'chime',
    webhookSecret: SECRET,
    reorderHoldMs: 20,
  });
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${relay.url}/ingest/particle`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${SECRET}`, 'Content-Type': 'application/json', ...headers },
      body,
    });
  return { relay, post };
}

const event = (over: Record<string, unknown> = {}) =>
  JSON.stringify({ event: 'chime', data: '2:0.5@40', coreid: 'e00fce68bbbb', published_at: new Date().toISOString(), ...over });

it('answers 401, 415, 413, 400 naming the field, and 202 as documented', async () => {
  const { post } = await setUp();
  expect((await post(event(), { Authorization: '' })).status).toBe(401);
  expect((await post(event(), { Authorization: 'Bearer not-the-secret-at-all' })).status).toBe(401);
  expect((await post(event(), { 'Content-Type': 'text/plain' })).status).toBe(415);
  expect((await post('{"event": "chime", oops', {})).status).toBe(415);
  expect((await post(event({ data: 'x'.repeat(9_000) }))).status).toBe(413);

  const missing = await post(JSON.stringify({ event: 'chime', data: '1', published_at: new Date().toISOString() }));
  expect(missing.status).toBe(400);
  expect(((await missing.json()) as { error: string }).error).toMatch(/^coreid:/);
  const badTime = await post(event({ published_at: 'yesterday' }));
  expect(((await badTime.json()) as { error: string }).error).toMatch(/^published_at:/);
  const badStrike = await post(event({ data: '99' }));
  expect(badStrike.status).toBe(400);
  expect(((await badStrike.json()) as { error: string }).error).toMatch(/^data: chime 99 is out of range/);

  const accepted = await post(event());
  expect(accepted.status).toBe(202);
  expect(await accepted.json()).toEqual({ status: 'accepted' });
  expect(await (await post(event({ coreid: 'e00f-nobody' }))).json()).toEqual({ status: 'unknown_device' });
});

it('a strike that arrives by stream and by webhook is delivered once', async () => {
  const { relay, post } = await setUp(true);
  const viewer = await record(relay.ws('/live'));
  await cloud!.waitForOpens('/v1/devices/events/chime', 1);
  const published_at = new Date().toISOString();
  cloud!.event('/v1/devices/events/chime', 'chime', { data: '3@10', coreid: 'e00fce68bbbb', published_at });
  expect(await (await post(event({ data: '3@10', published_at }))).json()).toMatchObject({ status: expect.stringMatching(/accepted|duplicate/) });
  await viewer.waitFor(() => viewer.strikes().length >= 1);
  await sleep(200); // ten reorder holds: a second delivery would have arrived by now
  expect(viewer.strikes().map((s) => [s.chime, s.t])).toEqual([[3, Date.parse(published_at) - 10]]);
});
