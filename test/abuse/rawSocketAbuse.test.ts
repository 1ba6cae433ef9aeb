// Raw-socket abuse against /device and /live: each case gets its documented close code or HTTP
// status, and the relay keeps serving a healthy device and viewer throughout.
import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CloseCode, MAX_DEVICE_FRAME_BYTES, MAX_HANDSHAKE_HEADER_BYTES, MAX_VIEWER_FRAME_BYTES } from '../../src/protocol';
import { TEST_TOKENS, testRelay } from '../support/relayFixture';
import { device, record } from '../support/wsClient';
import { OPCODE, clientFrame, handshakeRequest, rawConnect, socketClosed, type RawConnection } from './rawWebSocket';

/** HANDSHAKE_TIMEOUT_MS (10 s), shortened for the test through RelayOptions.handshakeTimeoutMs. */
const TEST_HANDSHAKE_TIMEOUT_MS = 1_000;

const opened = new Set<net.Socket>();
afterEach(() => {
  for (const socket of opened) socket.destroy();
  opened.clear();
});

async function relayWithBystanders() {
  const relay = await testRelay({ handshakeTimeoutMs: TEST_HANDSHAKE_TIMEOUT_MS });
  const viewer = await record(relay.ws('/live'));
  const tokyo = await device(relay.ws('/device'), TEST_TOKENS.tokyo);
  let sent = 0;
  /** The healthy device's strike still reaches the healthy viewer, and /healthz answers. */
  const stillServing = async () => {
    sent++;
    tokyo.socket.send('4');
    await viewer.waitFor(() => viewer.strikes().filter((s) => s.station === 'tokyo').length === sent);
    expect((await fetch(`${relay.url}/healthz`)).status).toBe(200);
  };
  const open = async (path: string, headers: Record<string, string> = {}): Promise<RawConnection> => {
    const connection = await rawConnect(relay.port, handshakeRequest(path, headers));
    opened.add(connection.socket);
    return connection;
  };
  return { relay, viewer, stillServing, open };
}

const DEVICE_HEADERS = { Authorization: `Bearer ${TEST_TOKENS.chicago}` };
const endpoints = [
  { path: '/device', headers: DEVICE_HEADERS },
  { path: '/live', headers: {} },
] as const;

const frameAbuse = [
  { name: 'invalid UTF-8 in a text frame', bytes: () => clientFrame(OPCODE.text, Buffer.from([0x31, 0xff, 0xfe])), close: CloseCode.invalidPayload },
  { name: 'a control frame over 125 bytes', bytes: () => clientFrame(OPCODE.ping, Buffer.alloc(126, 0x61)), close: CloseCode.protocolError },
  { name: 'a fragmented control frame', bytes: () => clientFrame(OPCODE.ping, 'x', { fin: false }), close: CloseCode.protocolError },
  { name: 'reserved opcode 0x3', bytes: () => clientFrame(0x3, '1'), close: CloseCode.protocolError },
  { name: 'reserved opcode 0xB', bytes: () => clientFrame(0xb, ''), close: CloseCode.protocolError },
  { name: 'RSV1 without a negotiated extension', bytes: () => clientFrame(OPCODE.text, '1', { rsv: 4 }), close: CloseCode.protocolError },
  { name: 'RSV2 and RSV3', bytes: () => clientFrame(OPCODE.text, '1', { rsv: 3 }), close: CloseCode.protocolError },
  { name: 'an unmasked client frame', bytes: () => clientFrame(OPCODE.text, '1', { mask: false }), close: CloseCode.protocolError },
  { name: 'a continuation frame with nothing to continue', bytes: () => clientFrame(OPCODE.continuation, '1'), close: CloseCode.protocolError },
] as const;

describe.each(endpoints)('raw-socket abuse of $path', ({ path, headers }) => {
  it.each(frameAbuse)('$name closes with $close and the relay keeps serving', async ({ bytes, close }) => {
    const { open, stillServing } = await relayWithBystanders();
    const abuser = await open(path, headers);
    expect(abuser.status).toBe(101);
    abuser.write(bytes());
    expect(await abuser.closeCode()).toBe(close);
    await stillServing();
  });

  it('an oversize request head gets HTTP 431 and the relay keeps serving', async () => {
    const { open, stillServing } = await relayWithBystanders();
    const abuser = await open(path, { ...headers, 'X-Padding': 'a'.repeat(MAX_HANDSHAKE_HEADER_BYTES) });
    expect(abuser.status).toBe(431);
    await socketClosed(abuser.socket, 3_000);
    await stillServing();
  });

  it('many headers adding up past the limit get HTTP 431', async () => {
    const { open, stillServing } = await relayWithBystanders();
    const many = Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`X-H${i}`, 'b'.repeat(60)]));
    const abuser = await open(path, { ...headers, ...many });
    expect(abuser.status).toBe(431);
    await stillServing();
  });

  it('a slowloris handshake is answered 408 and closed after the handshake timeout', async () => {
    const { relay, stillServing } = await relayWithBystanders();
    const abuser = await rawConnect(relay.port);
    opened.add(abuser.socket);
    const request = handshakeRequest(path, headers);
    const startedAt = Date.now();
    let index = 0;
    const drip = setInterval(() => abuser.socket.writable && abuser.write(request.slice(index, ++index)), 50);
    try {
      await socketClosed(abuser.socket, TEST_HANDSHAKE_TIMEOUT_MS * 4);
    } finally {
      clearInterval(drip);
    }
    expect(abuser.status).toBe(408);
    expect(index).toBeLessThan(request.length); // it never finished its head
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(TEST_HANDSHAKE_TIMEOUT_MS - 100);
    await stillServing();
  });
});

describe('raw-socket abuse: frames that are fine or endpoint-specific', () => {
  it('a device text frame in fragments is reassembled and its strikes accepted', async () => {
    const { open, viewer, stillServing } = await relayWithBystanders();
    const chicago = await open('/device', DEVICE_HEADERS);
    chicago.write(clientFrame(OPCODE.text, '1,', { fin: false }));
    chicago.write(clientFrame(OPCODE.ping, 'mid-message ping is allowed'));
    chicago.write(clientFrame(OPCODE.continuation, '2:0.5,', { fin: false }));
    chicago.write(clientFrame(OPCODE.continuation, '3'));
    await viewer.waitFor(() => viewer.strikes().filter((s) => s.station === 'chicago').length === 3);
    expect(viewer.strikes().filter((s) => s.station === 'chicago').map((s) => [s.chime, s.v])).toEqual([[1, 1], [2, 0.5], [3, 1]]);
    await stillServing();
  });

  it('a fragmented data frame from a viewer is reassembled, then closed with 1008 (viewers send nothing)', async () => {
    const { open, stillServing } = await relayWithBystanders();
    const viewer = await open('/live');
    viewer.write(clientFrame(OPCODE.text, 'he', { fin: false }));
    viewer.write(clientFrame(OPCODE.continuation, 'llo'));
    expect(await viewer.closeCode()).toBe(CloseCode.policyViolation);
    await stillServing();
  });

  it('a device frame over MAX_DEVICE_FRAME_BYTES, even in fragments, closes with 1009', async () => {
    const { open, stillServing } = await relayWithBystanders();
    const chicago = await open('/device', DEVICE_HEADERS);
    const half = '1,'.repeat(MAX_DEVICE_FRAME_BYTES / 4 + 10);
    chicago.write(clientFrame(OPCODE.text, half, { fin: false }));
    chicago.write(clientFrame(OPCODE.continuation, half));
    expect(await chicago.closeCode()).toBe(CloseCode.messageTooBig);
    await stillServing();
  });

  it('a viewer frame over MAX_VIEWER_FRAME_BYTES closes with 1009', async () => {
    const { open, stillServing } = await relayWithBystanders();
    const viewer = await open('/live');
    viewer.write(clientFrame(OPCODE.binary, Buffer.alloc(MAX_VIEWER_FRAME_BYTES + 1)));
    expect(await viewer.closeCode()).toBe(CloseCode.messageTooBig);
    await stillServing();
  });

  it('a connection that never sends a byte is closed with 408 after the handshake timeout', async () => {
    const { relay, stillServing } = await relayWithBystanders();
    const idle = await rawConnect(relay.port);
    opened.add(idle.socket);
    const startedAt = Date.now();
    await socketClosed(idle.socket, TEST_HANDSHAKE_TIMEOUT_MS * 4);
    expect(idle.status).toBe(408);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(TEST_HANDSHAKE_TIMEOUT_MS - 100);
    await stillServing();
  });

  it('thousands of device handshakes without a token each get 401 and the relay keeps serving', async () => {
    const { relay, stillServing } = await relayWithBystanders();
    const HANDSHAKES = 2_000;
    const CONCURRENCY = 50;
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < HANDSHAKES) {
        const auth: Record<string, string> = next++ % 2 === 0 ? {} : { Authorization: 'Bearer wrong-token' };
        const attempt = await rawConnect(relay.port, handshakeRequest('/device', auth));
        statuses.set(attempt.status, (statuses.get(attempt.status) ?? 0) + 1);
        attempt.socket.destroy();
      }
    };
    const serving = (async () => {
      for (let i = 0; i < 5; i++) await stillServing();
    })();
    await Promise.all([...Array.from({ length: CONCURRENCY }, worker), serving]);
    expect(Object.fromEntries(statuses)).toEqual({ 401: HANDSHAKES });
    expect(relay.devices.stats.authFailures).toBe(HANDSHAKES);
    await stillServing();
  });
});

