// A TCP proxy between the relay and a viewer or a device breaks the link the ways networks do. A
// dead or half-open link is noticed on both sides within the liveness bound (here with shortened
// intervals), the client comes back by itself and a viewer resumes without a gap; a slow viewer is
// cut at the backlog limit while a healthy one gets every strike.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { CloseCode, DEVICE_MISSED_PONGS_ALLOWED, DEVICE_PING_INTERVAL_MS, HEARTBEAT_INTERVAL_MS, VIEWER_SILENCE_DEAD_MS } from '../../src/protocol';
import { TEST_TOKENS, testRelay, testStations } from '../support/relayFixture';
import { ReconnectingDevice, ReconnectingViewer } from '../support/reconnectingClient';
import { TcpProxy, type LinkFault } from '../support/tcpProxy';
import { record } from '../support/wsClient';
import { waitUntil } from './support';

/** Shortened liveness for the test: the relay pings every PING_MS, clients call SILENCE_MS of quiet dead. */
const PING_MS = 250;
const SILENCE_MS = 1_000;
/**
 * Noticing must happen within the protocol's bound, scaled down the same way, plus slack for a
 * shared machine's scheduling (a link that is never noticed still fails: the wait gives up at 10 s).
 */
const SCHEDULING_SLACK_MS = 1_500;
const RELAY_NOTICES_WITHIN_MS = PING_MS * (DEVICE_MISSED_PONGS_ALLOWED + 1) + SCHEDULING_SLACK_MS;
const CLIENT_NOTICES_WITHIN_MS = SILENCE_MS + SCHEDULING_SLACK_MS;
const BACKOFF = { baseMs: 50, capMs: 500 };

const cleanup: { close(): unknown }[] = [];
afterEach(async () => {
  for (const item of cleanup.splice(0)) await item.close();
});

it('the real intervals notice a dead link within 30 s on both sides', () => {
  expect(DEVICE_PING_INTERVAL_MS * (DEVICE_MISSED_PONGS_ALLOWED + 1)).toBeLessThanOrEqual(30_000);
  expect(VIEWER_SILENCE_DEAD_MS).toBeLessThanOrEqual(30_000);
  // A healthy but idle link carries a heartbeat at least twice per silence window.
  expect(VIEWER_SILENCE_DEAD_MS).toBeGreaterThanOrEqual(2 * HEARTBEAT_INTERVAL_MS);
});

async function setup() {
  const relay = await testRelay({ pingIntervalMs: PING_MS });
  const proxy = await TcpProxy.start({ port: relay.port });
  cleanup.push(proxy);
  // A device on a direct link keeps strikes flowing, so a healthy viewer is never silent.
  const tokyo = new ReconnectingDevice(relay.ws('/device'), TEST_TOKENS.tokyo, 50, { silenceDeadMs: SILENCE_MS, ...BACKOFF }).start();
  cleanup.push(tokyo);
  return { relay, proxy };
}

/**
 * Breaks every link through the proxy (and the reconnects, until both sides have noticed) and
 * returns how long the relay and the client each took to notice.
 */
async function breakUntilBothNotice(proxy: TcpProxy, fault: LinkFault, relayNoticed: () => boolean, clientNoticed: () => boolean) {
  const brokenAt = Date.now();
  proxy.faultForNewConnections = fault;
  proxy.breakAll(fault);
  let relayMs = 0;
  let clientMs = 0;
  await waitUntil(
    () => {
      if (!relayMs && relayNoticed()) relayMs = Date.now() - brokenAt || 1;
      if (!clientMs && clientNoticed()) clientMs = Date.now() - brokenAt || 1;
      return relayMs > 0 && clientMs > 0;
    },
    10_000,
    'both sides to notice',
  );
  proxy.faultForNewConnections = undefined;
  return { relayMs, clientMs };
}

const viewerFaults: { fault: LinkFault; relayHears: 'ping' | 'close'; viewerHears: 'silence' | 'close' }[] = [
  { fault: { kind: 'stall' }, relayHears: 'ping', viewerHears: 'silence' },
  { fault: { kind: 'halfOpenRelaySide' }, relayHears: 'ping', viewerHears: 'close' },
  { fault: { kind: 'halfOpenClientSide' }, relayHears: 'close', viewerHears: 'silence' },
  { fault: { kind: 'reset' }, relayHears: 'close', viewerHears: 'close' },
];

describe('viewer link faults', () => {
  it.each(viewerFaults)('$fault.kind: the relay notices by $relayHears, the viewer by $viewerHears, and it resumes without a gap', async ({ fault, viewerHears }) => {
    const { relay, proxy } = await setup();
    const viewer = new ReconnectingViewer(proxy.ws('/live'), { silenceDeadMs: SILENCE_MS, ...BACKOFF }).start();
    cleanup.push(viewer);
    await waitUntil(() => viewer.strikes.length >= 5, 5_000, 'strikes through the proxy');
    expect(relay.hub.viewerCount).toBe(1);

    const { relayMs, clientMs } = await breakUntilBothNotice(proxy, fault, () => relay.hub.viewerCount === 0, () => viewer.endings.length > 0);
    expect(relayMs).toBeLessThan(RELAY_NOTICES_WITHIN_MS);
    expect(clientMs).toBeLessThan(CLIENT_NOTICES_WITHIN_MS);
    expect(viewer.endings[0] === 'silence' ? 'silence' : 'close').toBe(viewerHears);

    // Back through a healthy proxy connection, resumed from where it was.
    await waitUntil(() => viewer.hellos.length >= 2 && viewer.strikes.length > 0 && viewer.lastSeq >= relay.hub.seq - 1, 5_000, 'resume');
    const seqs = viewer.seqsByEpoch.get(relay.hub.epoch)!;
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => seqs[0]! + i));
  });
});

const deviceFaults: { fault: LinkFault }[] = [{ fault: { kind: 'stall' } }, { fault: { kind: 'halfOpenRelaySide' } }, { fault: { kind: 'halfOpenClientSide' } }, { fault: { kind: 'reset' } }];

describe('device link faults', () => {
  it.each(deviceFaults)('$fault.kind: the relay takes the station offline, the device notices and reconnects', async ({ fault }) => {
    const { relay, proxy } = await setup();
    const chicago = new ReconnectingDevice(proxy.ws('/device'), TEST_TOKENS.chicago, 50, { silenceDeadMs: SILENCE_MS, ...BACKOFF }).start();
    cleanup.push(chicago);
    await waitUntil(() => relay.devices.isConnected('chicago'), 5_000, 'chicago online');

    const { relayMs, clientMs } = await breakUntilBothNotice(proxy, fault, () => !relay.devices.isConnected('chicago'), () => chicago.endings.length > 0);
    expect(relayMs).toBeLessThan(RELAY_NOTICES_WITHIN_MS);
    expect(clientMs).toBeLessThan(CLIENT_NOTICES_WITHIN_MS);
    await waitUntil(() => relay.devices.isConnected('chicago') && chicago.openedAt.length >= 2, 5_000, 'chicago back');
    expect(relay.devices.isConnected('tokyo')).toBe(true); // the healthy device never noticed anything
  });
});

describe('a slow viewer', () => {
  it('is cut with 1013 at the backlog limit while a healthy viewer gets every strike in order', async () => {
    const BACKLOG_BYTES = 64 * 1024;
    const relay = await testRelay({ viewerBacklogBytes: BACKLOG_BYTES, stations: testStations({ strikesPerSecond: 100_000, burst: 100_000 }) });
    const proxy = await TcpProxy.start({ port: relay.port });
    cleanup.push(proxy);
    const healthy = await record(relay.ws('/live'));
    proxy.faultForNewConnections = { kind: 'drip', bytesPerTick: 256, tickMs: 50 };
    const slow = await record(proxy.ws('/live'));
    const chicago = await record(relay.ws('/device'), { headers: { Authorization: `Bearer ${TEST_TOKENS.chicago}` } });
    const frame = Array.from({ length: 100 }, (_, i) => String(i % 6)).join(',');
    let frames = 0;
    while (relay.viewers.stats.slowViewerCloses === 0 && frames < 2_000) {
      chicago.socket.send(frame);
      frames++;
      await sleep(5); // paced, so the backlog builds up frame by frame against the drip
    }
    expect(relay.viewers.stats.slowViewerCloses).toBe(1);
    expect(relay.hub.viewerCount).toBe(1);
    await healthy.waitFor(() => healthy.strikes().length === relay.hub.seq, 10_000);
    expect(healthy.strikes().map((s) => s.seq)).toEqual(Array.from({ length: relay.hub.seq }, (_, i) => i + 1));
    // What the slow viewer did get was in order, and it was told to come back later.
    const slowSeqs = slow.strikes().map((s) => s.seq);
    expect(slowSeqs).toEqual(Array.from({ length: slowSeqs.length }, (_, i) => i + 1));
    proxy.breakAll({ kind: 'drip', bytesPerTick: 1 << 20, tickMs: 5 });
    expect(await slow.closed).toBe(CloseCode.tryAgainLater);
    chicago.close();
    healthy.close();
  });
});
