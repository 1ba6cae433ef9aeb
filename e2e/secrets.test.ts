// The secrets boundary, tested: build and run with known fake values for every secret, use every
// path in, and look for them where the public (or a log reader) could see them.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { afterEach, expect, it } from 'vitest';
import WebSocket from 'ws';
import { sha256Hex } from '../src/relay/stations/tokens';
import { startFakeCloud, type FakeCloud } from '../test/particle/fakeCloud';
import { spawnRelay } from '../test/support/relayProcess';
import { device, record } from '../test/support/wsClient';

const SECRETS = {
  PARTICLE_TOKEN: 'fake-cloud-token-SECRET-a1b2c3d4',
  WEBHOOK_SECRET: 'fake-webhook-SECRET-e5f6a7b8',
  ADMIN_TOKEN: 'fake-admin-SECRET-c9d0e1f2',
  deviceToken: 'fake-device-SECRET-token-3a4b5c',
  particleId: 'e00fSECRET0particle1d',
};

let cloud: FakeCloud | undefined;
let dir: string | undefined;
afterEach(async () => {
  await cloud?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  cloud = dir = undefined;
});

function filesUnder(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const path = join(root, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function leaks(text: string): string[] {
  return Object.entries(SECRETS)
    .filter(([, value]) => text.includes(value))
    .map(([name]) => name);
}

it('no secret reaches dist/, a public response, a /live frame or the default-level log', async () => {
  dir = mkdtempSync(join(tmpdir(), 'aeolian-secrets-'));
  const outDir = join(dir, 'dist');
  // The page is built with every secret in the environment, as a careless deploy would.
  const saved = { ...process.env };
  Object.assign(process.env, { PARTICLE_TOKEN: SECRETS.PARTICLE_TOKEN, WEBHOOK_SECRET: SECRETS.WEBHOOK_SECRET, ADMIN_TOKEN: SECRETS.ADMIN_TOKEN });
  try {
    await build({ logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  } finally {
    for (const key of ['PARTICLE_TOKEN', 'WEBHOOK_SECRET', 'ADMIN_TOKEN']) if (saved[key] === undefined) delete process.env[key];
  }
  const built = filesUnder(outDir);
  expect(built).toContain(join(outDir, 'index.html'));
  for (const file of built) expect({ file, leaks: leaks(readFileSync(file, 'latin1')) }).toEqual({ file, leaks: [] });

  const stations = join(dir, 'stations.json');
  writeFileSync(
    stations,
    JSON.stringify([{ id: 'test-fjord', name: 'Test fjord', lat: 64.15, lon: -21.94, chimes: 6, tokenSha256: sha256Hex(SECRETS.deviceToken), particleId: SECRETS.particleId }]),
  );
  cloud = await startFakeCloud();
  const relay = await spawnRelay({
    STATIONS: stations,
    DIST_DIR: outDir,
    SIM: '1',
    SIM_SEED: '5',
    LOG_LEVEL: 'info',
    PARTICLE_TOKEN: SECRETS.PARTICLE_TOKEN,
    PARTICLE_API_URL: cloud.url,
    WEBHOOK_SECRET: SECRETS.WEBHOOK_SECRET,
    ADMIN_TOKEN: SECRETS.ADMIN_TOKEN,
  });

  const frames: string[] = [];
  const raw = new WebSocket(relay.ws('/live'));
  raw.on('message', (data) => frames.push(String(data)));
  const viewer = await record(relay.ws('/live'));

  // Every way in: the cloud stream, the webhook, a device socket, the admin API.
  const stream = await cloud.waitForOpens('/v1/devices/events/chime', 1);
  expect(stream.authorization).toBe(`Bearer ${SECRETS.PARTICLE_TOKEN}`);
  const now = Date.now();
  cloud.event('/v1/devices/events/chime', 'chime', { data: '1@20', coreid: SECRETS.particleId, published_at: new Date(now).toISOString() });
  const status = await cloud.waitForOpens('/v1/devices/events/spark/status', 1);
  status.response.write(`event: spark/status\ndata: ${JSON.stringify({ data: 'online', coreid: SECRETS.particleId, published_at: new Date(now).toISOString(), ttl: 60 })}\n\n`);
  const webhook = await fetch(`${relay.url}/ingest/particle`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${SECRETS.WEBHOOK_SECRET}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ event: 'chime', data: '2', coreid: SECRETS.particleId, published_at: new Date(now + 500).toISOString() }),
  });
  expect(webhook.status).toBe(202);
  const chime = await device(relay.ws("/device"), SECRETS.deviceToken);
  chime.socket.send('3,4:0.5');
  await viewer.waitFor(() => viewer.strikes().filter((s) => s.station === 'test-fjord').length >= 4, 10_000);
  const admin = await fetch(`${relay.url}/api/admin/stations/test-fjord/rotate`, { method: 'POST', headers: { Authorization: `Bearer ${SECRETS.ADMIN_TOKEN}` } });
  expect(admin.status).toBe(200);
  await chime.closed;

  // Everything the public can fetch, including refusals (which must not echo what was sent).
  const publicTexts: string[] = [];
  const publicGet = async (path: string, init?: RequestInit) => {
    const response = await fetch(`${relay.url}${path}`, init);
    publicTexts.push(JSON.stringify([...response.headers]), await response.text());
    return response;
  };
  const index = await publicGet('/');
  const csp = index.headers.get('content-security-policy') ?? '';
  expect(csp).toMatch(/default-src 'self'/);
  expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
  for (const path of ['/admin', '/api/stations', '/healthz', '/metrics', '/nope', '/api/admin/stations']) await publicGet(path);
  for (const file of filesUnder(join(outDir, 'assets'))) await publicGet(`/assets/${file.split('/').pop()}`);
  await publicGet('/api/admin/stations', { headers: { Authorization: 'Bearer guess-guess-guess-guess' } });
  await publicGet('/ingest/particle', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  await publicGet('/ingest/particle', {
    method: 'POST',
    headers: { Authorization: `Bearer ${SECRETS.WEBHOOK_SECRET}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ event: 'chime', data: '99', coreid: SECRETS.particleId, published_at: new Date().toISOString() }),
  });
  expect(leaks(publicTexts.join('\n'))).toEqual([]);

  // The raw socket has had every frame that carried the station's strikes (the viewer saw four).
  const fjordStrikes = () => frames.map((text) => JSON.parse(text) as { type: string; station?: unknown }).filter((m) => m.type === 'strike' && m.station === 'test-fjord');
  await expect.poll(() => fjordStrikes().length, { timeout: 10_000 }).toBeGreaterThanOrEqual(4);
  raw.close();
  expect(leaks(frames.join('\n'))).toEqual([]);

  relay.child.kill('SIGTERM');
  await relay.exited;
  expect(relay.output()).toContain('"level":30');
  expect(leaks(relay.output())).toEqual([]);
});
