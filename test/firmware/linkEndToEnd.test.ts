// The firmware's direct link, built for the host (the same core a board runs, on POSIX sockets),
// against the real relay on loopback, observed by a real /live viewer. Across the crash that
// started it all (six contacts in one millisecond, 50 strikes in a second), a relay restart, every
// way of cutting the link and a 20 s outage, every strike arrives exactly once, in order, with its
// spacing kept within 10 ms, and every frame is masked (the relay would close an unmasked one with
// 1002). The scenarios run concurrently, each with its own relay.
import { beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/relay/log';
import { startRelay, type Relay } from '../../src/relay/server';
import { waitUntil } from '../faults/support';
import { freePort } from '../support/freePort';
import { LinkProxy } from '../support/linkProxy';
import { relayMetric } from '../support/metrics';
import { ReconnectingViewer } from '../support/reconnectingClient';
import { TEST_TOKENS, testStations } from '../support/relayFixture';
import { TcpProxy, type LinkFault } from '../support/tcpProxy';
import { buildFirmware } from './firmwareBuild';
import { HostDevice, type Closure } from './hostDevice';

/** The spacing between consecutive strikes at the relay may differ from the device's by at most this. */
const SPACING_TOLERANCE_MS = 10;
/** Shortened liveness, as in test/faults/linkFaults.test.ts: relay pings, device keepalive and silence. */
const RELAY_PING_MS = 250;
const DEVICE_ARGS = ['--keepalive-ms', '250', '--silence-ms', '1000', '--backoff-base-ms', '100', '--backoff-cap-ms', '1000'];
const OUTAGE_MS = 20_000;

let buildDir = '';
beforeAll(async () => {
  buildDir = await buildFirmware('host');
}, 180_000);

/** One scenario's relay, viewer, proxies and device; everything is closed in finally, failure or not. */
class Scenario {
  relay!: Relay;
  viewer!: ReconnectingViewer;
  device: HostDevice | undefined;
  private readonly closers: (() => unknown)[] = [];

  async startRelay(port = 0): Promise<Relay> {
    this.relay = await startRelay({ port, stations: testStations(), logger: createLogger('silent'), distDir: 'does-not-exist', pingIntervalMs: RELAY_PING_MS });
    const relay = this.relay;
    this.closers.push(() => relay.close());
    return relay;
  }

  watch(port: number): void {
    this.viewer = new ReconnectingViewer(`ws://127.0.0.1:${port}/live`, { baseMs: 50, capMs: 300 }).start();
    this.closers.push(() => this.viewer.close());
  }

  startDevice(port: number, script: readonly Closure[], args: string[] = []): HostDevice {
    this.device = new HostDevice(buildDir, { port, token: TEST_TOKENS.chicago, script, args: [...DEVICE_ARGS, ...args] });
    const device = this.device;
    this.closers.push(() => device.kill());
    return device;
  }

  add(close: () => unknown): void {
    this.closers.push(close);
  }

  async close(): Promise<void> {
    for (const close of this.closers.reverse()) await close();
  }

  /** The device's strikes arrived at the viewer exactly once, in order, with their spacing. */
  async expectEveryStrikeOnce(expectedCount: number): Promise<void> {
    const device = this.device!;
    const arrived = () => this.viewer.strikes.filter((s) => s.station === 'chicago');
    await waitUntil(() => arrived().length >= device.strikes().length && device.strikes().length >= expectedCount, 15_000, 'every strike at the viewer');
    await new Promise((resolve) => setTimeout(resolve, 300)); // a duplicate would show up by now
    const sent = device.strikes();
    const got = arrived();
    expect(sent.length).toBe(expectedCount);
    expect(got.map((s) => s.chime)).toEqual(sent.map((s) => s.chime));
    // Spacing: the gap between two strikes at the relay against the gap the device measured. The
    // relay stamps t = its receive time - age, so whatever delays delivery (the network; here, a
    // starved test process) shifts t too, and no firmware can help that. That delivery delay is
    // measured per strike (relay receive time t + age, minus the device's wall-clock send time) and
    // allowed for; what remains is the firmware's own error, which must stay within 10 ms. Stale or
    // missing ages (a resend with its old age, an outage not counted) show up here as seconds.
    const sends = sendTimes(device);
    const delivery = got.map((s, i) => {
      const send = sends.get(`${sent[i]!.chime}@${sent[i]!.atMs}`);
      expect(send, `strike ${i} (${JSON.stringify(sent[i])}) was never sent with its true age`).toBeDefined();
      return s.t + send!.age - send!.wallMs;
    });
    const firmwareErrors = got.slice(1).map((s, i) => Math.abs(s.t - got[i]!.t - (sent[i + 1]!.atMs - sent[i]!.atMs)) - Math.abs(delivery[i + 1]! - delivery[i]!));
    const timeline = got.map((s, i) => `${s.chime}: device ${sent[i]!.atMs - sent[0]!.atMs} relay ${s.t - got[0]!.t} (seq ${s.seq}, delivered in ${delivery[i]} ms)`);
    expect(Math.max(0, ...firmwareErrors), timeline.join('\n')).toBeLessThanOrEqual(SPACING_TOLERANCE_MS);
    const stats = await device.stop();
    expect(stats).toMatchObject({ dropped: 0, queueOverflow: 0, refusedFrames: 0, rateLimited: 0, pending: 0 });
    // Every frame masked: an unmasked one would have been closed with 1002 (or refused as a protocol error).
    expect(device.events.filter((e) => e.event === 'protocol_error' || (e.event === 'closed_by_relay' && e.detail === 1002))).toEqual([]);
  }
}

/**
 * For each strike the device sent (keyed by chime and device strike time, which its frame gives as
 * send time - age), the last send: its wall-clock time and the age it carried.
 */
function sendTimes(device: HostDevice): Map<string, { wallMs: number; age: number }> {
  const sends = new Map<string, { wallMs: number; age: number }>();
  for (const event of device.events) {
    if (event.event !== 'sent') continue;
    for (const item of strikeItems(event.frame)) {
      const match = /^(\d+)(?::[\d.]+)?(?:@(\d+))?$/.exec(item)!;
      const age = Number(match[2] ?? 0);
      sends.set(`${match[1]}@${event.atMs! - age}`, { wallMs: event.wallMs as number, age });
    }
  }
  return sends;
}

/** The strike items of a sent frame, without its resend mark (`#<boot>/<position>`, first). */
function strikeItems(frame: unknown): string[] {
  return String(frame).split(',').filter((item) => !item.startsWith('#'));
}

/** How many strike sends were repeats of a strike already sent. */
function resentStrikes(device: HostDevice): number {
  const items = device.events.filter((e) => e.event === 'sent').flatMap((e) => strikeItems(e.frame));
  return items.length - sendTimes(device).size;
}

/** `count` closures `everyMs` apart from `startMs`, cycling over 6 contacts. */
function steadyScript(startMs: number, everyMs: number, count: number): Closure[] {
  return Array.from({ length: count }, (_, i) => ({ atMs: startMs + i * everyMs, contact: i % 6 }));
}

async function scenario(body: (s: Scenario) => Promise<void>): Promise<void> {
  const s = new Scenario();
  try {
    await body(s);
  } finally {
    await s.close();
  }
}

describe('the firmware link against the real relay', () => {
  // First: the longest, so the others run beside it (at most 5 concurrent tests by default).
  it.concurrent(`a ${OUTAGE_MS / 1000} s outage: strikes keep their ages and arrive once, in order, with their spacing`, { timeout: 90_000 }, () =>
    scenario(async (s) => {
      const relay = await s.startRelay();
      s.watch(relay.port);
      const proxy = new LinkProxy(relay.port);
      await proxy.open();
      s.add(() => proxy.cut());
      const script = steadyScript(500, 400, Math.ceil((OUTAGE_MS + 4_000) / 400));
      const device = s.startDevice(proxy.port, script);
      await device.waitFor((events) => events.filter((e) => e.event === 'strike').length >= 3, 10_000, 'strikes before the outage');
      await proxy.cut(); // connections dropped, new ones refused
      const cutAt = Date.now();
      await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
      await proxy.open();
      await device.waitIdle(20_000);
      await s.expectEveryStrikeOnce(script.length);
      // Strikes struck during the outage reached the relay late, carried by their ages.
      expect(device.count('connect_failed')).toBeGreaterThan(3);
      const oldest = s.viewer.strikes.filter((x) => x.station === 'chicago' && x.receivedAt - x.t > OUTAGE_MS - 3_000);
      expect(oldest.length).toBeGreaterThan(0);
      expect(Date.now() - cutAt).toBeGreaterThan(OUTAGE_MS);
    }),
  );

  it.concurrent('six contacts in the same millisecond, then 50 strikes in one second, all chattering: nothing lost, no fault', { timeout: 60_000 }, () =>
    scenario(async (s) => {
      const relay = await s.startRelay();
      s.watch(relay.port);
      await waitUntil(() => s.viewer.hellos.length > 0, 5_000, 'the viewer');
      const closures: Closure[] = [];
      const strike = (atMs: number, contact: number) => {
        // Each closure bounces three times within 3 ms: one strike, not four.
        for (const bounce of [0, 1, 2, 3]) closures.push({ atMs: atMs + bounce, contact });
      };
      for (let contact = 0; contact < 6; contact++) strike(1_000, contact);
      // 50 in one second over 6 contacts: each contact every 120 ms, so a 60 ms lockout keeps them.
      for (let i = 0; i < 50; i++) strike(1_300 + i * 20, i % 6);
      closures.sort((a, b) => a.atMs - b.atMs);
      const device = s.startDevice(relay.port, closures, ['--lockout-ms', '60']);
      await device.waitIdle(15_000);
      await s.expectEveryStrikeOnce(56);
      expect(device.strikes().slice(0, 6).map((x) => x.chime)).toEqual([0, 1, 2, 3, 4, 5]);
      expect(device.count('opened')).toBe(1);
    }),
  );

  it.concurrent('a relay restart: strikes during it are kept and arrive once, in order, with their spacing', { timeout: 60_000 }, () =>
    scenario(async (s) => {
      const port = await freePort();
      await s.startRelay(port);
      s.watch(port);
      const device = s.startDevice(port, steadyScript(500, 150, 30));
      await device.waitFor((events) => events.filter((e) => e.event === 'strike').length >= 8, 10_000, 'strikes before the restart');
      await s.relay.close();
      await new Promise((resolve) => setTimeout(resolve, 700)); // strikes meanwhile wait in the outbox
      await s.startRelay(port);
      await device.waitIdle(20_000);
      await s.expectEveryStrikeOnce(30);
      expect(device.events.some((e) => e.event === 'closed_by_relay' && e.detail === 1001)).toBe(true);
      expect(s.viewer.seqsByEpoch.size).toBe(2);
    }),
  );

  const faults: LinkFault['kind'][] = ['stall', 'reset', 'halfOpenClientSide', 'halfOpenRelaySide', 'deaf'];
  for (const kind of faults) {
    it.concurrent(`a cut link (${kind}): the device notices, reconnects and resends what the relay did not acknowledge, heard once`, { timeout: 60_000 }, () =>
      scenario(async (s) => {
        const relay = await s.startRelay();
        s.watch(relay.port);
        const proxy = await TcpProxy.start({ port: relay.port });
        s.add(() => proxy.close());
        const device = s.startDevice(proxy.port, steadyScript(500, 200, 25));
        // Cut while nothing is in flight, right after an acknowledgement: strikes struck from now
        // on go into the broken link and must come back by resend, never twice.
        await device.waitFor((events) => events.filter((e) => e.event === 'strike').length >= 5 && events.at(-1)?.event === 'pending' && events.at(-1)?.pending === 0, 10_000, 'a quiet moment');
        proxy.breakAll({ kind } as LinkFault);
        await device.waitIdle(20_000);
        await s.expectEveryStrikeOnce(25);
        expect(device.count('opened')).toBeGreaterThanOrEqual(2);
        // Where the device kept writing into a dead link, those strikes were sent again (and, above, arrived once).
        if (kind === 'stall' || kind === 'halfOpenClientSide' || kind === 'deaf') expect(resentStrikes(device)).toBeGreaterThan(0);
        // Deaf: the relay took those strikes, only its pongs were lost; it skipped them when they came again.
        if (kind === 'deaf') expect(await relayMetric(`http://127.0.0.1:${relay.port}`, 'aeolian_strikes_resent_total')).toBeGreaterThan(0);
      }),
    );
  }

});
