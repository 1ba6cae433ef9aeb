// The striker path end to end with the host build of the firmware (linkHost: the same core a board
// runs, on POSIX sockets and the real clock, its solenoids faked by a log and a contact that closes
// a few ms into each pulse). A raw /device endpoint plays a relay that keeps to no limits, as a
// compromised one would (ringingRelay.ts; the real relay's path: strikerThroughRelay.test.ts):
// commands within the board's limits ring, once, and the struck contact comes back as an ordinary
// strike; commands beyond them do not ring and each names its limit; a flood is refused and
// counted, and the link stays up; no config raises the hard caps.
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDeviceFrame, parseDeviceMessage } from '../../src/protocol';
import { buildFirmware } from './firmwareBuild';
import { HostDevice, type HostEvent } from './hostDevice';
import { RingingRelay } from './ringingRelay';

/** Mirrors firmware/core/striker.h. */
const STRIKER_MIN_PULSE_MS = 5;
const STRIKER_MAX_PULSE_MS = 50;
const STRIKER_ABSOLUTE_MAX_PER_MINUTE = 60;
const STRIKER_ABSOLUTE_MIN_GAP_MS = 250;
/**
 * A pulse may end this much after its time: linkHost's loop sleeps and the machine is shared. The
 * exact timing is the unit tests' (striker.test.cpp); here it shows the loop ends every pulse, and
 * that a configured 1000 ms pulse is held to the 50 ms cap.
 */
const PULSE_LATE_MS = 100;
const DEVICE_ARGS = ['--keepalive-ms', '250', '--silence-ms', '3000', '--backoff-base-ms', '100', '--backoff-cap-ms', '500', '--chimes', '6'];
const CAPABILITIES_TIMEOUT_MS = 10_000;

let buildDir = '';
beforeAll(async () => {
  buildDir = await buildFirmware('host');
}, 180_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A fake relay and a device with a striker, both closed afterwards, failure or not. */
async function withStation(args: string[], body: (relay: RingingRelay, device: HostDevice) => Promise<void>): Promise<void> {
  const relay = await RingingRelay.start();
  const device = new HostDevice(buildDir, { port: relay.port, token: 'striker-test-token', script: [], args: [...DEVICE_ARGS, ...args] });
  try {
    await body(relay, device);
  } finally {
    device.kill();
    await relay.close();
  }
}

const rings = (device: HostDevice) => device.events.filter((e) => e.event === 'ring');
const pulses = (device: HostDevice) => device.events.filter((e) => e.event === 'pulse_on');

/** Each pulse's chime, start and length, from the device's log. */
function pulseSpans(device: HostDevice): { chime: number; onMs: number; lengthMs: number }[] {
  const spans: { chime: number; onMs: number; lengthMs: number }[] = [];
  let on: HostEvent | undefined;
  for (const event of device.events) {
    if (event.event === 'pulse_on') on = event;
    if (event.event === 'pulse_off' && on) {
      expect(event.chime).toBe(on.chime);
      spans.push({ chime: on.chime!, onMs: on.atMs!, lengthMs: event.atMs! - on.atMs! });
      on = undefined;
    }
  }
  return spans;
}

/** Every strike that reached the relay, parsed as the relay parses any strike frame. */
function strikesAtRelay(relay: RingingRelay): { chime: number; v: number; age: number }[] {
  return relay.strikeFrames().flatMap((frame) => {
    const parsed = parseDeviceFrame(frame, 6);
    expect(parsed.ok, frame).toBe(true);
    return parsed.ok ? parsed.strikes : [];
  });
}

/** Sends ring commands as fast as the socket takes them for `durationMs`; returns how many. */
async function flood(relay: RingingRelay, durationMs: number, chimes: number): Promise<number> {
  let sent = 0;
  const end = Date.now() + durationMs;
  while (Date.now() < end) {
    for (let i = 0; i < 10; i++, sent++) relay.ring({ chime: sent % chimes, id: sent });
    await sleep(5);
  }
  return sent;
}

describe('the striker end to end, host firmware against a relay that sends rings', () => {
  it.concurrent('a ring within limits rings the chime once, for its pulse, and the struck contact reports an ordinary strike', { timeout: 30_000 }, () =>
    withStation(['--striker-chimes', '0,1,2', '--striker-max-per-minute', '3', '--striker-min-gap-ms', '300', '--striker-pulse-ms', '30'], async (relay, device) => {
      await relay.waitFor(() => relay.texts.length > 0, CAPABILITIES_TIMEOUT_MS, 'the capabilities');
      // Declared first thing on the connection, with the limits the relay must keep to.
      expect(JSON.parse(relay.texts[0]!)).toEqual({ type: 'capabilities', striker: { chimes: [0, 1, 2], maxPerMinute: 3, minGapMs: 300 } });
      relay.ring({ chime: 1, v: 0.8, id: 1043 });
      await device.waitFor((events) => events.some((e) => e.event === 'pulse_off'), 5_000, 'the pulse to end');
      expect(rings(device)).toMatchObject([{ chime: 1, velocity: 800, id: 1043, outcome: 'rung' }]);
      // v 0.8 of a 30 ms pulse, above the 5 ms softest: 25 ms.
      const expectedMs = STRIKER_MIN_PULSE_MS + (30 - STRIKER_MIN_PULSE_MS) * 0.8;
      const [span] = pulseSpans(device);
      expect(span!.chime).toBe(1);
      expect(span!.lengthMs).toBeGreaterThanOrEqual(expectedMs);
      expect(span!.lengthMs).toBeLessThanOrEqual(expectedMs + PULSE_LATE_MS);
      await relay.waitFor(() => relay.strikeFrames().length > 0, 5_000, 'the struck chime as a strike');
      const [strike] = strikesAtRelay(relay);
      expect(strike).toMatchObject({ chime: 1, v: 1 });
      expect(device.strikes()).toEqual([{ chime: 1, atMs: expect.any(Number) }]);
      expect(device.strikes()[0]!.atMs).toBeGreaterThanOrEqual(span!.onMs);
      const stats = await device.stop();
      expect(stats).toMatchObject({ rings: 1, ringsRefused: 0, unreadableFrames: 0, strikes: 1 });
      expect(pulses(device)).toHaveLength(1);
    }),
  );

  it.concurrent('rings beyond the limits do not ring, and each refusal names its limit', { timeout: 30_000 }, () =>
    withStation(['--striker-chimes', '0,1,2,3', '--striker-max-per-minute', '3', '--striker-min-gap-ms', '300', '--striker-chime-gap-ms', '2000'], async (relay, device) => {
      await relay.waitFor(() => relay.messages('capabilities').length > 0, CAPABILITIES_TIMEOUT_MS, 'the capabilities');
      const answered = (count: number) => device.waitFor((events) => events.filter((e) => e.event === 'ring').length >= count, 5_000, `${count} rings answered`);
      relay.ring({ chime: 5, id: 1 }); // no solenoid on chime 5
      relay.ring({ chime: 0, id: 2 });
      relay.ring({ chime: 1, id: 3 }); // within 300 ms of the last ring
      await answered(3);
      // Waits are counted from the device's answer, so the device's own clock has seen at least this much.
      await sleep(400);
      relay.ring({ chime: 0, id: 4 }); // past the gap, within chime 0's own 2 s
      relay.ring({ chime: 1, id: 5 });
      await answered(5);
      await sleep(400);
      relay.ring({ chime: 2, id: 6 });
      await answered(6);
      await sleep(400);
      relay.ring({ chime: 3, id: 7 }); // the fourth in a minute of at most three
      relay.sendRaw('{"type":"ring","chime":"3","id":8}');
      relay.sendRaw('ring 3 please');
      await answered(8);
      expect(rings(device).map((r) => [r.id, r.outcome])).toEqual([
        [1, 'not_on_striker'],
        [2, 'rung'],
        [3, 'gap'],
        [4, 'chime_gap'],
        [5, 'rung'],
        [6, 'rung'],
        [7, 'per_minute'],
        [8, 'malformed'],
      ]);
      expect(pulseSpans(device).map((p) => p.chime)).toEqual([0, 1, 2]);
      await relay.waitFor(() => strikesAtRelay(relay).length >= 3, 5_000, 'three struck chimes');
      const stats = await device.stop();
      expect(stats).toMatchObject({ rings: 3, ringsRefused: 5, unreadableFrames: 2, strikes: 3 });
      expect(strikesAtRelay(relay).map((s) => s.chime)).toEqual([0, 1, 2]);
    }),
  );

  it.concurrent('a flood of ring commands from the relay is refused by the board, counted in its status, and the link stays up', { timeout: 30_000 }, () =>
    withStation(
      ['--striker-chimes', '0,1,2', '--striker-max-per-minute', '4', '--striker-min-gap-ms', '300', '--striker-chime-gap-ms', '500', '--status-interval-ms', '300'],
      async (relay, device) => {
        await relay.waitFor(() => relay.messages('capabilities').length > 0, CAPABILITIES_TIMEOUT_MS, 'the capabilities');
        const sent = await flood(relay, 1_500, 3);
        expect(sent).toBeGreaterThan(200); // about 2500 on an idle machine
        await device.waitFor((events) => events.filter((e) => e.event === 'ring').length >= sent, 10_000, 'every command read');
        const rung = pulseSpans(device);
        // At most the four of the minute, and never two within the gap, whatever the relay sends.
        expect(rung.length).toBeGreaterThanOrEqual(1);
        expect(rung.length).toBeLessThanOrEqual(4);
        for (let i = 1; i < rung.length; i++) expect(rung[i]!.onMs - rung[i - 1]!.onMs).toBeGreaterThanOrEqual(300);
        const refused = sent - rung.length;
        // The refusals reach the operator: the status carries them, and a relay reads it as a status.
        await relay.waitFor(() => relay.messages('status').some((s) => s.ringsRefused === refused), 5_000, `a status with ringsRefused ${refused}`);
        const status = relay.texts.findLast((text) => text.includes('"ringsRefused"'))!;
        expect(parseDeviceMessage(status, 6)).toMatchObject({ ok: true, kind: 'status' });
        await relay.waitFor(() => strikesAtRelay(relay).length >= rung.length, 5_000, 'the struck chimes');
        const stats = await device.stop();
        expect(stats).toMatchObject({ rings: rung.length, ringsRefused: refused, unreadableFrames: 0, reconnects: 0, strikes: rung.length });
        expect(device.count('opened')).toBe(1);
        expect(device.events.filter((e) => ['closed_by_relay', 'protocol_error', 'broken_link', 'silence'].includes(e.event))).toEqual([]);
      },
    ),
  );

  it.concurrent('no config raises the hard caps: declared and kept', { timeout: 30_000 }, () =>
    withStation(
      ['--striker-chimes', '0,1,2,3,4,5', '--striker-max-per-minute', '100000', '--striker-min-gap-ms', '0', '--striker-chime-gap-ms', '0', '--striker-pulse-ms', '1000'],
      async (relay, device) => {
        await relay.waitFor(() => relay.messages('capabilities').length > 0, CAPABILITIES_TIMEOUT_MS, 'the capabilities');
        expect(relay.messages('capabilities')[0]).toEqual({
          type: 'capabilities',
          striker: { chimes: [0, 1, 2, 3, 4, 5], maxPerMinute: STRIKER_ABSOLUTE_MAX_PER_MINUTE, minGapMs: STRIKER_ABSOLUTE_MIN_GAP_MS },
        });
        const started = Date.now();
        const sent = await flood(relay, 1_200, 6);
        await device.waitFor((events) => events.filter((e) => e.event === 'ring').length >= sent, 10_000, 'every command read');
        const count = (events: HostEvent[], name: string) => events.filter((e) => e.event === name).length;
        await device.waitFor((events) => count(events, 'pulse_off') === count(events, 'pulse_on'), 5_000, 'the last pulse to end');
        const rung = pulseSpans(device);
        expect(rung.length).toBeGreaterThanOrEqual(1);
        expect(rung.length).toBeLessThanOrEqual(Math.floor((Date.now() - started) / STRIKER_ABSOLUTE_MIN_GAP_MS) + 1);
        for (const pulse of rung) expect(pulse.lengthMs).toBeLessThanOrEqual(STRIKER_MAX_PULSE_MS + PULSE_LATE_MS);
        for (let i = 1; i < rung.length; i++) expect(rung[i]!.onMs - rung[i - 1]!.onMs).toBeGreaterThanOrEqual(STRIKER_ABSOLUTE_MIN_GAP_MS);
        const stats = await device.stop();
        expect(stats).toMatchObject({ rings: rung.length, ringsRefused: sent - rung.length });
      },
    ),
  );

  it.concurrent('a device without a striker declares none and rings nothing', { timeout: 30_000 }, () =>
    withStation(['--status-interval-ms', '200'], async (relay, device) => {
      await relay.waitFor(() => relay.messages('status').length > 0, CAPABILITIES_TIMEOUT_MS, 'a status');
      relay.ring({ chime: 0, id: 1 });
      await device.waitFor((events) => events.some((e) => e.event === 'ring'), 5_000, 'the ring answered');
      expect(rings(device)).toMatchObject([{ chime: 0, outcome: 'no_striker' }]);
      const stats = await device.stop();
      expect(stats).toMatchObject({ rings: 0, ringsRefused: 1 });
      expect(relay.messages('capabilities')).toEqual([]);
      expect(pulses(device)).toEqual([]);
      for (const status of relay.messages('status')) expect(status).not.toHaveProperty('ringsRefused');
    }),
  );
});
