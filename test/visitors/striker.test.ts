// Ringing a real chime, relay side, over real sockets: a raw device client declares a striker and
// receives ring commands for visitors' touches, within the stations file's and its own limits and
// outside quiet hours; what it strikes comes back as an ordinary strike.
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ringCommandSchema, type RingCommand, type StationStriker } from '../../src/protocol';
import { TEST_TOKENS, testRelay, testStations } from '../support/relayFixture';
import { record } from '../support/wsClient';
import { touchClient } from './touchClient';

interface RawDevice {
  socket: WebSocket;
  rings: RingCommand[];
  errors: string[];
}

/** A device as firmware is: raw ws, its own parsing; declares `striker` (if any) once connected. */
async function rawDevice(url: string, striker?: object): Promise<RawDevice> {
  const socket = new WebSocket(url, { headers: { Authorization: `Bearer ${TEST_TOKENS.chicago}` } });
  const device: RawDevice = { socket, rings: [], errors: [] };
  socket.on('message', (data) => {
    const value = JSON.parse(String(data)) as { type: string };
    if (value.type === 'ring') device.rings.push(ringCommandSchema.parse(value));
    else device.errors.push(String(data));
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  if (striker) socket.send(JSON.stringify({ type: 'capabilities', striker }));
  return device;
}

async function relayWithStriker(striker: StationStriker) {
  const relay = await testRelay({ stations: testStations({ striker }) });
  return { relay, deviceUrl: relay.ws('/device') };
}

const metric = async (url: string, name: string) => {
  const text = await (await fetch(`${url}/metrics`)).text();
  const escaped = name.replace(/[{}"]/g, (c) => `\\${c}`);
  return Number(new RegExp(`^${escaped} (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);
};

describe('striker', () => {
  it('rings a declared chime for a touch, and the struck chime comes back as a strike', async () => {
    const { relay, deviceUrl } = await relayWithStriker({ chimes: [0, 1, 2], maxPerMinute: 3, minGapMs: 0 });
    const device = await rawDevice(deviceUrl, { chimes: [0, 1], maxPerMinute: 30, minGapMs: 0 });
    await expect.poll(() => relay.devices.strikerOf('chicago')).toEqual({ chimes: [0, 1], maxPerMinute: 30, minGapMs: 0 });
    const viewer = await record(relay.ws('/live'));
    const page = await touchClient(relay.url);

    const first = await page.touch({ chime: 1, v: 0.6 });
    await expect.poll(() => device.rings.length).toBe(1);
    expect(device.rings[0]).toEqual({ type: 'ring', chime: 1, v: 0.6, id: first.type === 'touch_ack' ? first.seq : -1 });
    // The firmware strikes; its contact reports a real strike through the normal path.
    device.socket.send(String(device.rings[0]!.chime));
    await viewer.waitFor(() => viewer.strikes().length === 1);
    expect(viewer.strikes()[0]).toMatchObject({ station: 'chicago', chime: 1 });

    // Chime 2 is in the stations file but the device did not declare it: no ring.
    expect(await page.touch({ chime: 2 })).toMatchObject({ type: 'touch_ack' });
    // Three rings a minute (the stations file's, stricter than the device's 30).
    for (let i = 0; i < 4; i++) expect(await page.touch({ chime: 0 })).toMatchObject({ type: 'touch_ack' });
    await expect.poll(() => metric(relay.url, 'aeolian_rings_refused_total{reason="rate"}')).toBe(2);
    expect(device.rings.map((ring) => ring.chime)).toEqual([1, 0, 0]);
    expect(await metric(relay.url, 'aeolian_rings_sent_total')).toBe(3);
    expect(await metric(relay.url, 'aeolian_rings_refused_total{reason="chime"}')).toBe(1);
    expect(device.errors).toEqual([]);
  });

  it('keeps the stricter gap of the two', async () => {
    const { relay, deviceUrl } = await relayWithStriker({ chimes: [0], maxPerMinute: 60, minGapMs: 0 });
    const device = await rawDevice(deviceUrl, { chimes: [0], maxPerMinute: 60, minGapMs: 60_000 });
    await expect.poll(() => relay.devices.strikerOf('chicago')).toBeDefined();
    const page = await touchClient(relay.url);
    for (let i = 0; i < 3; i++) expect(await page.touch({ chime: 0 })).toMatchObject({ type: 'touch_ack' });
    await expect.poll(() => metric(relay.url, 'aeolian_rings_refused_total{reason="gap"}')).toBe(2);
    expect(device.rings).toHaveLength(1);
  });

  it('sends no ring to a device that declared no striker, nor in quiet hours', async () => {
    const hour = new Date().getUTCHours();
    const clock = (h: number) => `${String(h % 24).padStart(2, '0')}:00`;
    const quietNow = { from: clock(hour), to: clock(hour + 2), tz: 'UTC' };
    const { relay, deviceUrl } = await relayWithStriker({ chimes: [0], maxPerMinute: 60, minGapMs: 0, quietHours: quietNow });
    const silent = await rawDevice(deviceUrl);
    await expect.poll(() => relay.stations.get('chicago')?.online).toBe(true);
    const page = await touchClient(relay.url);
    expect(await page.touch({ chime: 0 })).toMatchObject({ type: 'touch_ack' });
    await expect.poll(() => metric(relay.url, 'aeolian_rings_refused_total{reason="not_declared"}')).toBe(1);
    silent.socket.terminate();

    const quiet = await rawDevice(deviceUrl, { chimes: [0], maxPerMinute: 60, minGapMs: 0 });
    await expect.poll(() => relay.devices.strikerOf('chicago')).toBeDefined();
    expect(await page.touch({ chime: 0 })).toMatchObject({ type: 'touch_ack' });
    await expect.poll(() => metric(relay.url, 'aeolian_rings_refused_total{reason="quiet_hours"}')).toBe(1);
    expect([...silent.rings, ...quiet.rings]).toEqual([]);
  });

  it('answers a malformed capabilities message with bad_message and keeps the link', async () => {
    const { relay, deviceUrl } = await relayWithStriker({ chimes: [0], maxPerMinute: 60, minGapMs: 0 });
    const device = await rawDevice(deviceUrl, { chimes: [0, 0], maxPerMinute: 60, minGapMs: 0 });
    await expect.poll(() => device.errors.length).toBe(1);
    expect(JSON.parse(device.errors[0]!)).toMatchObject({ type: 'error', code: 'bad_message', detail: expect.stringContaining('chime') });
    expect(relay.devices.strikerOf('chicago')).toBeUndefined();
    expect(device.socket.readyState).toBe(WebSocket.OPEN);
  });
});
