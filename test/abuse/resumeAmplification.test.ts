// A ~250-byte resume handshake must not make the relay push the whole 10,000-strike history into a
// socket that never reads: the replay goes out VIEWER_REPLAY_IN_FLIGHT_BYTES at a time, each next
// chunk only once the viewer has read the last; and one address holds at most
// MAX_VIEWERS_PER_ADDRESS viewers (TRUST_PROXY-aware).
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_VIEWERS_PER_ADDRESS, STRIKE_HISTORY_SIZE, VIEWER_REPLAY_IN_FLIGHT_BYTES } from '../../src/protocol';
import { TEST_TOKENS, testRelay, testStations } from '../support/relayFixture';
import { device, httpStatusOf, record, type RecordingClient } from '../support/wsClient';
import { handshakeRequest } from './rawWebSocket';

const opened = new Set<{ close(): void }>();
afterEach(() => {
  for (const client of opened) client.close();
  opened.clear();
});

async function viewer(url: string, options?: Parameters<typeof record>[1]): Promise<RecordingClient> {
  const client = await record(url, options);
  opened.add(client);
  return client;
}

/** A relay whose resume history is full: STRIKE_HISTORY_SIZE strikes, about 800 KB of replay. */
async function relayWithFullHistory() {
  const relay = await testRelay({ stations: testStations({ strikesPerSecond: 100_000, burst: 100_000 }) });
  const chicago = await device(relay.ws('/device'), TEST_TOKENS.chicago);
  opened.add(chicago);
  const perFrame = 2_000; // "1,1,...": 2 bytes a strike, under MAX_DEVICE_FRAME_BYTES
  for (let sent = 0; sent < STRIKE_HISTORY_SIZE; sent += perFrame) chicago.socket.send(Array.from({ length: perFrame }, (_, i) => String(i % 6)).join(','));
  while (relay.hub.seq < STRIKE_HISTORY_SIZE) await sleep(20);
  return { relay, chicago };
}

describe('resume amplification', () => {
  it('a resume that never reads is sent at most VIEWER_REPLAY_IN_FLIGHT_BYTES of replay', async () => {
    const { relay } = await relayWithFullHistory();
    const socket = net.connect({ port: relay.port, host: '127.0.0.1' });
    opened.add({ close: () => socket.destroy() });
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.pause();
    socket.write(handshakeRequest(`/live?since=0&epoch=${relay.hub.epoch}`));
    await sleep(500);
    let received = 0;
    socket.on('data', (chunk: Buffer) => (received += chunk.length));
    socket.resume();
    await sleep(500);
    // The 101 answer and the hello come on top of the replay chunk.
    expect(received).toBeGreaterThan(VIEWER_REPLAY_IN_FLIGHT_BYTES / 2);
    expect(received).toBeLessThan(VIEWER_REPLAY_IN_FLIGHT_BYTES + 8 * 1024);
  });

  it('a viewer that reads gets the whole replay in order, then the strikes struck meanwhile', async () => {
    const { relay, chicago } = await relayWithFullHistory();
    const resumed = await viewer(relay.ws(`/live?since=0&epoch=${relay.hub.epoch}`));
    chicago.socket.send('5');
    await resumed.waitFor(() => resumed.strikes().length === STRIKE_HISTORY_SIZE + 1, 10_000);
    expect(resumed.strikes().map((strike) => strike.seq)).toEqual(Array.from({ length: STRIKE_HISTORY_SIZE + 1 }, (_, i) => i + 1));
  });

  it(`one address holds at most MAX_VIEWERS_PER_ADDRESS (${MAX_VIEWERS_PER_ADDRESS}) viewers; the next gets 429, others are served`, async () => {
    const relay = await testRelay();
    for (let i = 0; i < MAX_VIEWERS_PER_ADDRESS; i++) await viewer(relay.ws('/live'), { localAddress: '127.0.0.7' });
    expect(await httpStatusOf(relay.ws('/live'), { localAddress: '127.0.0.7' })).toBe(429);
    await viewer(relay.ws('/live'), { localAddress: '127.0.0.8' });
    // A viewer that leaves frees its place.
    [...opened][0]!.close();
    await sleep(100);
    await viewer(relay.ws('/live'), { localAddress: '127.0.0.7' });
  });

  it('behind a trusted proxy, viewers are counted by the address the proxy saw', async () => {
    const relay = await testRelay({ trustedProxies: 1, maxViewersPerAddress: 1 });
    const from = (client: string) => ({ headers: { 'X-Forwarded-For': client } });
    await viewer(relay.ws('/live'), from('203.0.113.1'));
    await viewer(relay.ws('/live'), from('203.0.113.2'));
    expect(await httpStatusOf(relay.ws('/live'), from('203.0.113.1'))).toBe(429);
  });
});
