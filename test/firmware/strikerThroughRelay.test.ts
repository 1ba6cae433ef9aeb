// Ringing a real chime through the real relay: a visitor's touch on /touch reaches the host build of
// the firmware as a ring (after the device declared its striker), rings within the limits, and the
// struck contact comes back as an ordinary strike every /live viewer gets; touches beyond the
// stations file's limits, on a chime without a solenoid or in quiet hours are still played on the
// page but ring nothing. (A relay that does not keep to the limits: strikerEndToEnd.test.ts.)
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StationStriker } from '../../src/protocol';
import { TEST_TOKENS, testRelay, testStations } from '../support/relayFixture';
import { record } from '../support/wsClient';
import { touchClient, type TouchClient } from '../visitors/touchClient';
import { buildFirmware } from './firmwareBuild';
import { HostDevice } from './hostDevice';

const DEVICE_ARGS = ['--keepalive-ms', '250', '--silence-ms', '3000', '--backoff-base-ms', '100', '--backoff-cap-ms', '500'];
/** The board's own limits: looser than the stations file's below, so the relay's are the ones tested. */
const STRIKER_ARGS = ['--striker-chimes', '0,1,2', '--striker-max-per-minute', '10', '--striker-min-gap-ms', '250', '--striker-chime-gap-ms', '500'];
/** The stations file: 3 rings a minute, 600 ms apart, chimes 0-2 (of 6). */
const STATION_STRIKER: StationStriker = { chimes: [0, 1, 2], maxPerMinute: 3, minGapMs: 600 };
/** Waits counted from the device's answer, past the relay's gap with room for a busy machine. */
const PAST_GAP_MS = 800;

let buildDir = '';
beforeAll(async () => {
  buildDir = await buildFirmware('host');
}, 180_000);

const devices: HostDevice[] = [];
const pages: TouchClient[] = [];
afterEach(() => {
  for (const device of devices.splice(0)) device.kill();
  for (const page of pages.splice(0)) page.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** HH:MM in UTC, `offsetMinutes` from now. */
function utcClock(offsetMinutes: number): string {
  const date = new Date(Date.now() + offsetMinutes * 60_000);
  return `${String(date.getUTCHours()).padStart(2, '0')}:${String(date.getUTCMinutes()).padStart(2, '0')}`;
}

async function ringMetrics(url: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const match of text.matchAll(/^aeolian_rings_(sent_total|refused_total\{reason="(\w+)"\}) (\d+)$/gm)) counts[match[2] ?? 'sent'] = Number(match[3]);
  return counts;
}

describe('ringing a real chime through the relay, host firmware as the station', () => {
  it('a touch within the limits rings the chime and its strike reaches the page; beyond them, out of the striker or in quiet hours, nothing rings', { timeout: 60_000 }, async () => {
    // chicago: a striker; tokyo: the same striker in its quiet hours (now, in UTC).
    const [chicago, tokyo] = testStations({ striker: STATION_STRIKER });
    const quiet = { ...tokyo!, striker: { ...STATION_STRIKER, quietHours: { from: utcClock(-60), to: utcClock(60), tz: 'UTC' } } };
    const relay = await testRelay({ stations: [chicago!, quiet] });
    for (const [id, token] of [['chicago', TEST_TOKENS.chicago], ['tokyo', TEST_TOKENS.tokyo]] as const) {
      devices.push(new HostDevice(buildDir, { port: relay.port, token, script: [], args: [...DEVICE_ARGS, ...STRIKER_ARGS] }));
      await expect.poll(() => relay.devices.strikerOf(id), { timeout: 10_000 }).toEqual({ chimes: [0, 1, 2], maxPerMinute: 10, minGapMs: 250 });
    }
    const [device, quietDevice] = devices as [HostDevice, HostDevice];
    const viewer = await record(relay.ws('/live'));
    const page = await touchClient(relay.url);
    pages.push(page);
    const ringsAnswered = (count: number) => device.waitFor((events) => events.filter((e) => e.event === 'ring').length >= count, 5_000, `${count} rings`);

    const first = await page.touch({ station: 'chicago', chime: 1, v: 0.8 });
    expect(first).toMatchObject({ type: 'touch_ack' });
    const seq = (first as { seq: number }).seq;
    await ringsAnswered(1);
    expect(device.events.filter((e) => e.event === 'ring')).toMatchObject([{ chime: 1, velocity: 800, id: seq, outcome: 'rung' }]);
    // The page gets the touch, then the real chime's strike, like any strike of the wind.
    await viewer.waitFor((m) => m.some((x) => x.type === 'strike' && x.station === 'chicago' && x.chime === 1), 5_000);
    const played = viewer.messages.flatMap((m) => ((m.type === 'touch' || m.type === 'strike') && m.station === 'chicago' ? [[m.type, m.chime]] : []));
    expect(played).toEqual([['touch', 1], ['strike', 1]]);

    // Within the gap, on a chime without a solenoid, in quiet hours: played on the page, rung nowhere.
    expect(await page.touch({ station: 'chicago', chime: 2 })).toMatchObject({ type: 'touch_ack' });
    expect(await page.touch({ station: 'chicago', chime: 4 })).toMatchObject({ type: 'touch_ack' });
    expect(await page.touch({ station: 'tokyo', chime: 0 })).toMatchObject({ type: 'touch_ack' });
    await expect.poll(async () => ringMetrics(relay.url)).toMatchObject({ sent: 1, gap: 1, chime: 1, quiet_hours: 1 });

    // Past the gap: two more ring, the fourth in the minute does not.
    for (const chime of [2, 0]) {
      await sleep(PAST_GAP_MS);
      expect(await page.touch({ station: 'chicago', chime })).toMatchObject({ type: 'touch_ack' });
      await ringsAnswered(chime === 2 ? 2 : 3);
    }
    await sleep(PAST_GAP_MS);
    expect(await page.touch({ station: 'chicago', chime: 1 })).toMatchObject({ type: 'touch_ack' });
    await expect.poll(async () => ringMetrics(relay.url)).toMatchObject({ sent: 3, rate: 1 });
    await viewer.waitFor((m) => m.filter((x) => x.type === 'strike' && x.station === 'chicago').length === 3, 5_000);
    expect(viewer.strikes().filter((s) => s.station === 'chicago').map((s) => s.chime)).toEqual([1, 2, 0]);

    const stats = await device.stop();
    expect(stats).toMatchObject({ rings: 3, ringsRefused: 0, strikes: 3 });
    expect(device.events.filter((e) => e.event === 'ring').map((e) => e.outcome)).toEqual(['rung', 'rung', 'rung']);
    expect((await quietDevice.stop()).rings).toBe(0);
    expect(viewer.strikes().filter((s) => s.station === 'tokyo')).toEqual([]);
  });
});
