// Device status over real sockets: a device's health report reaches the admin API (with the time of
// its last strike) and nothing public; a too-frequent one is dropped unanswered, a malformed one is
// refused like a bad strike frame, and removing the station forgets it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { DEVICE_STATUS_MIN_INTERVAL_MS, MAX_INVALID_FRAMES_PER_WINDOW } from '../../protocol';
import type { AdminStation } from '../../protocol/adminApi';
import { TEST_TOKENS, testRelay, testStations } from '../../../test/support/relayFixture';
import { device, record, type RecordingClient } from '../../../test/support/wsClient';
import { adminApi, type AdminApi } from '../admin/adminRoutes';

const ADMIN_TOKEN = 'fake-admin-token-status-4c2e9d1a';
/** Values no public output could hold by chance: whole numbers, so a float that merely contains their
 *  digits (a metric's 0.00148765..., seen failing CI) does not count as a leak. */
const STATUS = { type: 'status', firmware: 'leak-check-9.8.7', uptimeS: 987_654, rssiDbm: -67, reconnects: 4_321, strikesDropped: 8_765 } as const;
const PRIVATE_FIELDS = /deviceStatus|firmware|rssiDbm|reconnects|strikesDropped|receivedAt|lastStrikeAt/;
const PRIVATE_VALUES = /leak-check|(?<![\d.])(?:987654|4321|8765)(?![\d.])/;

let api: AdminApi | undefined;
const rawViewers: WebSocket[] = [];
afterEach(() => {
  api?.dispose();
  api = undefined;
  for (const socket of rawViewers.splice(0)) socket.terminate();
});

async function relayWithAdmin(options: Parameters<typeof testRelay>[0] = {}) {
  const relay = await testRelay(options);
  api = adminApi(relay, { adminToken: ADMIN_TOKEN });
  relay.addRoute(api.route);
  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`${relay.url}/api/admin/${path}`, {
      method,
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const station = async (id: string) => ((await (await admin('GET', 'stations')).json()) as AdminStation[]).find((s) => s.id === id);
  return { relay, admin, station };
}

/** A /live viewer that keeps every frame as the exact text sent (the recording client parses, dropping unknown fields). */
function rawViewer(url: string): Promise<string[]> {
  const frames: string[] = [];
  const socket = new WebSocket(url);
  rawViewers.push(socket);
  socket.on('message', (data) => frames.push(String(data)));
  return new Promise((resolve, reject) => {
    socket.once('message', () => resolve(frames));
    socket.once('error', reject);
  });
}

/** Sends a strike and waits for it at the viewer: everything the device sent before has been handled. */
async function strikeAndWait(chicago: RecordingClient, viewer: RecordingClient, chime: number): Promise<void> {
  const before = viewer.strikes().length;
  chicago.socket.send(String(chime));
  await viewer.waitFor(() => viewer.strikes().length > before);
}

describe('device status', () => {
  it('is kept with its arrival time and shown in the admin API beside the last strike, taking nothing from the rate limit', async () => {
    // A bucket of one strike: if the status took a token, the strike after it would be dropped.
    const { relay, station } = await relayWithAdmin({ stations: testStations({ strikesPerSecond: 0.01, burst: 1 }) });
    const viewer = await record(relay.ws('/live'));
    const chicago = await device(relay.ws('/device'), TEST_TOKENS.chicago);
    expect((await station('chicago'))!).toMatchObject({ deviceStatus: null, lastStrikeAt: null });

    const sentAt = Date.now();
    chicago.socket.send(JSON.stringify(STATUS));
    chicago.socket.send('2@250');
    await viewer.waitFor(() => viewer.strikes().length === 1);
    const after = Date.now();

    const shown = (await station('chicago'))!;
    const { type: _type, ...reported } = STATUS;
    expect(shown.deviceStatus).toEqual({ ...reported, receivedAt: expect.any(Number) });
    expect(shown.deviceStatus!.receivedAt).toBeGreaterThanOrEqual(sentAt);
    expect(shown.deviceStatus!.receivedAt).toBeLessThanOrEqual(after);
    expect(shown.lastStrikeAt).toBe(viewer.strikes()[0]!.t);
    expect(shown.strikesDropped).toBe(0);
    expect(chicago.messages).toEqual([]); // no error: not a refused frame, not rate-limited
    expect(relay.devices.stats).toMatchObject({ statusesKept: 1, framesRefused: 0, strikesRateLimited: 0 });
  });

  it('from a board with a striker carries the rings it refused to the admin API', async () => {
    const { relay, station } = await relayWithAdmin();
    const chicago = await device(relay.ws('/device'), TEST_TOKENS.chicago);
    chicago.socket.send(JSON.stringify({ ...STATUS, ringsRefused: 52 }));
    await vi.waitFor(async () => expect((await station('chicago'))!.deviceStatus).toMatchObject({ ringsRefused: 52 }), { timeout: 5_000 });
    expect(chicago.messages).toEqual([]);
  });

  it('never reaches public output: /live hello and station frames, /api/stations, /healthz, /metrics', async () => {
    const { relay, admin, station } = await relayWithAdmin();
    const before = await rawViewer(relay.ws('/live'));
    const viewer = await record(relay.ws('/live'));
    const chicago = await device(relay.ws('/device'), TEST_TOKENS.chicago);
    chicago.socket.send(JSON.stringify(STATUS));
    await strikeAndWait(chicago, viewer, 1);
    expect((await station('chicago'))?.deviceStatus?.firmware).toBe(STATUS.firmware);

    // A station frame sent after the status (a rename), and a hello that lists the station.
    expect((await admin('PATCH', 'stations/chicago', { name: 'Chicago pier' })).status).toBe(200);
    const after = await rawViewer(relay.ws('/live'));
    await strikeAndWait(chicago, viewer, 2);
    const live = [...before, ...after];
    expect(live.some((frame) => frame.includes('"type":"hello"') && frame.includes('Chicago pier'))).toBe(true);
    expect(live.some((frame) => frame.includes('"type":"station"') && frame.includes('Chicago pier'))).toBe(true);
    expect(live.some((frame) => frame.includes('"type":"strike"'))).toBe(true);

    const stations = await (await fetch(`${relay.url}/api/stations`)).text();
    const healthz = await (await fetch(`${relay.url}/healthz`)).text();
    const metrics = await (await fetch(`${relay.url}/metrics`)).text();
    for (const [where, text] of [...live.map((frame) => ['/live', frame] as const), ['/api/stations', stations] as const, ['/healthz', healthz] as const]) {
      expect(text, where).not.toMatch(PRIVATE_FIELDS);
      expect(text, where).not.toMatch(PRIVATE_VALUES);
    }
    expect(metrics).not.toMatch(PRIVATE_VALUES);
  });

  it('one sooner than the interval is ignored without an answer', async () => {
    const { relay, station } = await relayWithAdmin();
    const viewer = await record(relay.ws('/live'));
    const chicago = await device(relay.ws('/device'), TEST_TOKENS.chicago);
    chicago.socket.send(JSON.stringify({ ...STATUS, uptimeS: 100 }));
    chicago.socket.send(JSON.stringify({ ...STATUS, uptimeS: 105, reconnects: 1 }));
    await strikeAndWait(chicago, viewer, 3);
    const shown = (await station('chicago'))!;
    expect(shown.deviceStatus).toMatchObject({ uptimeS: 100, reconnects: STATUS.reconnects });
    expect(chicago.messages).toEqual([]);
    expect(relay.devices.stats).toMatchObject({ statusesKept: 1, statusesIgnored: 1, framesRefused: 0 });

    // The interval is the relay's clock: a status that comes after it replaces the old one.
    relay.stations.get('chicago')!.deviceStatus!.receivedAt -= DEVICE_STATUS_MIN_INTERVAL_MS;
    chicago.socket.send(JSON.stringify({ ...STATUS, uptimeS: 160 }));
    await strikeAndWait(chicago, viewer, 4);
    expect((await station('chicago'))!.deviceStatus!.uptimeS).toBe(160);
  });

  it('a malformed one is refused with bad_message and the link stays open; it counts toward the refused-frame close', async () => {
    const { relay, station } = await relayWithAdmin();
    const viewer = await record(relay.ws('/live'));
    const chicago = await device(relay.ws('/device'), TEST_TOKENS.chicago);
    chicago.socket.send(JSON.stringify({ ...STATUS, rssiDbm: 12 }));
    await chicago.waitFor((m) => m.length === 1);
    expect(chicago.messages[0]).toMatchObject({ type: 'error', code: 'bad_message', detail: expect.stringContaining('rssiDbm') });
    await strikeAndWait(chicago, viewer, 5); // still open, still heard
    expect((await station('chicago'))!.deviceStatus).toBeNull();

    for (let i = 0; i < MAX_INVALID_FRAMES_PER_WINDOW; i++) chicago.socket.send('{"type":"status","firmware":""}');
    expect(await chicago.closed).toBe(1008);
    expect(relay.devices.stats.framesRefused).toBe(MAX_INVALID_FRAMES_PER_WINDOW + 1);
  });

  it('removing the station forgets its status: added again under the same id, it has none', async () => {
    const { relay, admin, station } = await relayWithAdmin();
    const viewer = await record(relay.ws('/live'));
    const chicago = await device(relay.ws('/device'), TEST_TOKENS.chicago);
    chicago.socket.send(JSON.stringify(STATUS));
    await strikeAndWait(chicago, viewer, 1);
    expect((await station('chicago'))!.deviceStatus).not.toBeNull();

    expect((await admin('DELETE', 'stations/chicago')).status).toBe(204);
    expect(await chicago.closed).toBe(1008);
    const created = await admin('POST', 'stations', { id: 'chicago', name: 'Chicago', lat: 41.88, lon: -87.63, chimes: 6 });
    expect(created.status).toBe(201);
    expect(((await created.json()) as { station: AdminStation }).station).toMatchObject({ deviceStatus: null, lastStrikeAt: null });
    expect((await station('chicago'))!.deviceStatus).toBeNull();
  });
});
