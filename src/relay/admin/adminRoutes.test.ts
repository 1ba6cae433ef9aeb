// The admin API over real HTTP: round trips that persist, reach viewers at once, survive a restart,
// and silence a muted station.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testRelay, testStations, TEST_TOKENS } from '../../../test/support/relayFixture';
import { spawnRelay } from '../../../test/support/relayProcess';
import { device, httpStatusOf, record } from '../../../test/support/wsClient';
import { setTimeout as sleep } from 'node:timers/promises';
import { adminApi, type AdminApi, type AdminStation } from './adminRoutes';

const ADMIN_TOKEN = 'fake-admin-token-31d9a0b7';
let dir: string | undefined;
let api: AdminApi | undefined;
afterEach(() => {
  api?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = api = undefined;
});

function stationsFile(): string {
  dir = mkdtempSync(join(tmpdir(), 'aeolian-admin-'));
  const path = join(dir, 'stations.json');
  writeFileSync(path, JSON.stringify(testStations()));
  return path;
}

function client(base: string, token = ADMIN_TOKEN) {
  return (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}/api/admin/${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
}

async function inProcess() {
  const path = stationsFile();
  const relay = await testRelay({ stationsPath: path });
  api = adminApi(relay, { adminToken: ADMIN_TOKEN, stationsPath: path });
  relay.addRoute(api.route);
  return { relay, path, admin: client(relay.url) };
}

describe('admin API', () => {
  it('create, edit, rotate, disconnect and delete: persisted, and viewers hear at once', async () => {
    const { relay, path, admin } = await inProcess();
    const viewer = await record(relay.ws('/live'));

    const created = await admin('POST', 'stations', { id: 'lima', name: 'Lima', lat: -12.05, lon: -77.04, chimes: 5 });
    expect(created.status).toBe(201);
    const { token } = (await created.json()) as { token: string };
    await viewer.waitFor((m) => m.some((x) => x.type === 'station' && x.station.id === 'lima'));
    expect(readFileSync(path, 'utf8')).toContain('"lima"');
    expect(readFileSync(path, 'utf8')).not.toContain(token);

    const lima = await device(relay.ws('/device'), token);
    const listed = (await (await admin('GET', 'stations')).json()) as AdminStation[];
    expect(listed.find((s) => s.id === 'lima')).toMatchObject({ connected: true, online: true, muted: false, particleId: null });
    expect(JSON.stringify(listed)).not.toContain('tokenSha256');

    const patched = await admin('PATCH', 'stations/lima', { name: 'Lima harbour', particleId: 'e00fce68cccc' });
    expect(patched.status).toBe(200);
    await viewer.waitFor((m) => m.some((x) => x.type === 'station' && x.station.name === 'Lima harbour'));
    expect(JSON.parse(readFileSync(path, 'utf8'))).toContainEqual(expect.objectContaining({ id: 'lima', name: 'Lima harbour', particleId: 'e00fce68cccc' }));

    const rotated = (await (await admin('POST', 'stations/lima/rotate')).json()) as { token: string };
    expect(await lima.closed).toBe(1008);
    expect(await httpStatusOf(relay.ws('/device'), { headers: { Authorization: `Bearer ${token}` } })).toBe(401);
    const again = await device(relay.ws('/device'), rotated.token);
    expect(await (await admin('POST', 'stations/lima/disconnect')).json()).toEqual({ disconnected: true });
    await again.closed;

    expect((await admin('DELETE', 'stations/lima')).status).toBe(204);
    // Offline first (pages that predate station_removed), then gone.
    await viewer.waitFor((m) => m.some((x) => x.type === 'station_removed' && x.station === 'lima'));
    const aboutLima = viewer.messages.filter((x) => (x.type === 'station' && x.station.id === 'lima') || x.type === 'station_removed');
    expect(aboutLima.slice(-2).map((x) => (x.type === 'station' ? `station online=${x.station.online}` : x.type))).toEqual(['station online=false', 'station_removed']);
    expect(readFileSync(path, 'utf8')).not.toContain('lima');
    expect((await admin('GET', 'stations/lima')).status).toBe(404);
  });

  it('a muted station is heard by no one until unmuted', async () => {
    const { relay, admin } = await inProcess();
    const viewer = await record(relay.ws('/live'));
    const chicago = await device(relay.ws('/device'), TEST_TOKENS.chicago);
    expect((await admin('PATCH', 'stations/chicago', { muted: true })).status).toBe(200);
    chicago.socket.send('1,2,3');
    // No event says "muted strikes handled": a window in which they must not arrive. It also keeps
    // the unmute below from racing the frame on the device socket.
    await sleep(200);
    expect(viewer.strikes()).toHaveLength(0);
    expect((await admin('PATCH', 'stations/chicago', { muted: false })).status).toBe(200);
    chicago.socket.send('4');
    await viewer.waitFor(() => viewer.strikes().length === 1);
    expect(viewer.strikes()[0]!.chime).toBe(4);
  });

  it('refuses what it should, with an error that names the problem', async () => {
    const { relay, admin } = await inProcess();
    expect((await client(relay.url, 'wrong-token-wrong-token')('GET', 'stations')).status).toBe(401);
    expect((await admin('GET', 'stations', undefined, { Origin: 'https://evil.example' })).status).toBe(403);
    expect((await admin('GET', 'stations', undefined, { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    const notJson = await fetch(`${relay.url}/api/admin/stations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'text/plain' },
      body: '{}',
    });
    expect(notJson.status).toBe(415);
    const bad = await admin('PATCH', 'stations/chicago', { lat: 91 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^lat:/);
    expect((await admin('PATCH', 'stations/nowhere', { lat: 1 })).status).toBe(404);
    const escape = await admin('PATCH', 'stations/chicago', { name: '\u001b[31mChicago' });
    expect(escape.status).toBe(400);
    expect(((await escape.json()) as { error: string }).error).toMatch(/^name: must not contain control or bidirectional-override characters/);
    const blank = await admin('POST', 'stations', { id: 'lima', name: '\u2003', lat: 0, lon: 0, chimes: 3 });
    expect(blank.status).toBe(400);
    expect(((await blank.json()) as { error: string }).error).toMatch(/^name: must have a visible character/);
  });
});

describe('admin API across a restart', () => {
  it('changes survive a restart of the relay process', async () => {
    const path = stationsFile();
    const env = { STATIONS: path, ADMIN_TOKEN };
    const first = await spawnRelay(env);
    const admin = client(first.url);
    expect((await admin('POST', 'stations', { id: 'oslo', name: 'Oslo', lat: 59.91, lon: 10.75, chimes: 7 })).status).toBe(201);
    expect((await admin('PATCH', 'stations/chicago', { name: 'Chicago lakefront', muted: true })).status).toBe(200);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = await spawnRelay(env);
    const listed = (await (await client(second.url)('GET', 'stations')).json()) as AdminStation[];
    expect(listed.map((s) => [s.id, s.name, s.muted])).toEqual([
      ['chicago', 'Chicago lakefront', true],
      ['tokyo', 'Tokyo', false],
      ['oslo', 'Oslo', false],
    ]);
    const pub = (await (await fetch(`${second.url}/api/stations`)).json()) as { id: string }[];
    expect(pub.map((s) => s.id)).toEqual(['chicago', 'tokyo', 'oslo']);
  });
});
