// Guessing WEBHOOK_SECRET, METRICS_TOKEN or ADMIN_TOKEN over real HTTP: every secret locks a
// guessing client out (429 with Retry-After, even for the right secret meanwhile), and refusals
// are logged at most once per AUTH_REFUSAL_LOG_INTERVAL_MS, not once each.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { adminApi, type AdminApi } from '../../src/relay/admin/adminRoutes';
import { AUTH_FREE_FAILURES } from '../../src/relay/http/authLockout';
import { startParticle, type ParticleSide } from '../../src/relay/particle';
import { testRelay, testStations } from '../support/relayFixture';

const WEBHOOK_SECRET = 'fake-webhook-secret-77c1e2';
const METRICS_TOKEN = 'fake-metrics-token-5b0d31';
const ADMIN_TOKEN = 'fake-admin-token-31d9a0b7';

let particle: ParticleSide | undefined;
let admin: AdminApi | undefined;
afterEach(() => {
  particle?.close();
  admin?.dispose();
  particle = admin = undefined;
});

/** A pino logger that keeps its lines. */
function capturedLog() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

async function relayWithSecrets() {
  const { logger, lines } = capturedLog();
  const relay = await testRelay({ metricsToken: METRICS_TOKEN, logger, stations: testStations({ particleId: 'e00fce68cccc' }) });
  particle = startParticle(relay, { apiUrl: 'http://127.0.0.1:9', eventName: 'chime', webhookSecret: WEBHOOK_SECRET });
  admin = adminApi(relay, { adminToken: ADMIN_TOKEN });
  relay.addRoute(admin.route);
  return { relay, lines };
}

const guessers = {
  webhook: (url: string, secret: string) =>
    fetch(`${url}/ingest/particle`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ event: 'chime', data: '1', coreid: 'e00fce68cccc', published_at: new Date().toISOString() }),
    }),
  metrics: (url: string, secret: string) => fetch(`${url}/metrics`, { headers: { Authorization: `Bearer ${secret}` } }),
} as const;
const rightSecret = { webhook: WEBHOOK_SECRET, metrics: METRICS_TOKEN } as const;

describe('secret guessing', () => {
  it.each(['webhook', 'metrics'] as const)('guessing the %s secret locks the guesser out, the right secret too meanwhile', async (which) => {
    const { relay } = await relayWithSecrets();
    const guess = guessers[which];
    // AUTH_FREE_FAILURES free failures, then one more that starts the lockout ...
    for (let i = 0; i <= AUTH_FREE_FAILURES; i++) expect((await guess(relay.url, `wrong-guess-number-${i}`)).status).toBe(401);
    // ... and from then on the guesser waits.
    const locked = await guess(relay.url, 'wrong-guess-once-more');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await guess(relay.url, rightSecret[which])).status).toBe(429);
  });

  it('hundreds of refused requests write a handful of log lines, not one each', async () => {
    const { relay, lines } = await relayWithSecrets();
    for (let i = 0; i < 200; i++) {
      await fetch(`${relay.url}/api/admin/stations`, { headers: { Authorization: `Bearer wrong-admin-guess-${i}` } }).then((r) => r.arrayBuffer());
      await guessers.metrics(relay.url, `wrong-metrics-guess-${i}`).then((r) => r.arrayBuffer());
    }
    const refusals = lines.filter((line) => /refused/.test(String(line.event)));
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals.length).toBeLessThanOrEqual(6);
  });
});
