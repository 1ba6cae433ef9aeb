// Fuzzing POST /ingest/particle over real HTTP: any body, any content type, valid events mixed in.
// Every answer is one of the documented statuses with a JSON body saying why; the relay keeps
// serving; and every strike of every event it accepted reaches a viewer, once.
import fc from 'fast-check';
import { afterEach, expect, it } from 'vitest';
import { parseDeviceFrame } from '../../src/protocol';
import { startParticle, type ParticleSide } from '../../src/relay/particle';
import { parseCloudEventJson } from '../../src/relay/particle/cloudEvent';
import { WEBHOOK_MAX_BODY_BYTES } from '../../src/relay/particle/limits';
import { testRelay, testStations } from '../support/relayFixture';
import { record } from '../support/wsClient';

const SECRET = 'fuzz-webhook-secret-5d0a91';
const DEVICE = 'e00fce68fuzz';
const DOCUMENTED = new Set([202, 400, 413, 415]);

let particle: ParticleSide | undefined;
afterEach(() => {
  particle?.close();
  particle = undefined;
});

/** A valid event for the known device: `chimes` strikes, unique by `index` so none is a duplicate. */
const validEvent = fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 8 }).map((chimes) => ({ chimes }));

const junk = fc.oneof(
  fc.string({ maxLength: 400 }),
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc.json({ maxDepth: 4 }),
  fc.jsonValue({ maxDepth: 3 }).map((data) => JSON.stringify({ event: 'chime', data, coreid: DEVICE, published_at: new Date().toISOString() })),
  fc.constantFrom('{"event":"chime","data":"9","coreid":"' + DEVICE + '","published_at":"2026-01-01T00:00:00Z"}', '{"__proto__":{"x":1}}', 'null', '[]'),
  fc.integer({ min: WEBHOOK_MAX_BODY_BYTES - 8, max: WEBHOOK_MAX_BODY_BYTES + 64 }).map((size) => `{"event":"chime","data":"${'1,'.repeat(size / 2)}"}`),
);

function strikesIn(body: string): number {
  const parsed = parseCloudEventJson(body);
  if (!parsed.ok || parsed.event.name !== 'chime') return 0;
  const frame = parseDeviceFrame(parsed.event.payload, 6);
  return frame.ok ? frame.strikes.length : 0;
}

const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', '', 'application/x-www-form-urlencoded');

it('any body gets a documented status and a reason, the relay keeps serving, and accepted strikes all arrive', async () => {
  const relay = await testRelay({ stations: testStations({ particleId: DEVICE, strikesPerSecond: 1_000_000, burst: 1_000_000 }) });
  particle = startParticle(relay, { token: undefined, apiUrl: 'http://127.0.0.1:9', eventName: 'chime', webhookSecret: SECRET, reorderHoldMs: 5 });
  const viewer = await record(relay.ws('/live'));
  let index = 0;
  let acceptedStrikes = 0;
  const publishedBase = Date.now() - 5_000;

  await fc.assert(
    fc.asyncProperty(fc.oneof(junk.map((body) => ({ body })), validEvent), contentType, async (input, type) => {
      const valid = 'chimes' in input;
      const body = valid
        ? JSON.stringify({ event: 'chime', data: input.chimes.join(','), coreid: DEVICE, published_at: new Date(publishedBase + index++).toISOString() })
        : input.body;
      const response = await fetch(`${relay.url}/ingest/particle`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${SECRET}`, ...(type ? { 'Content-Type': type } : {}) },
        body,
      });
      expect(DOCUMENTED.has(response.status), `status ${response.status} for ${JSON.stringify(body).slice(0, 120)}`).toBe(true);
      const answer = (await response.json()) as { error?: string; status?: string };
      if (response.status === 202) expect(answer.status).toMatch(/^(accepted|duplicate|unknown_device|ignored|stale)$/);
      else expect(answer.error?.length).toBeGreaterThan(0);
      if (valid && type.startsWith('application/json')) {
        expect(answer).toEqual({ status: 'accepted' });
        acceptedStrikes += input.chimes.length;
      }
      if (answer.status === 'accepted' && !valid) acceptedStrikes += strikesIn(body); // junk that happens to be a valid event
    }),
    { numRuns: 300 },
  );

  expect((await fetch(`${relay.url}/healthz`)).status).toBe(200);
  expect(acceptedStrikes).toBeGreaterThan(0); // valid events were really in the mix
  await viewer.waitFor(() => viewer.strikes().length === acceptedStrikes, 5_000);
  expect(new Set(viewer.strikes().map((s) => s.seq)).size).toBe(acceptedStrikes);
}, 60_000);
