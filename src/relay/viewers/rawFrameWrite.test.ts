// Guards what writeRawFrames relies on inside `ws` and Node, on a real server and client pair: if an
// upgrade of either moves or changes any of it, these fail before a viewer ever gets a broken stream.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTcpServer, Socket, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { TEST_TOKENS, testRelay } from '../../../test/support/relayFixture';
import { relayMetric } from '../../../test/support/metrics';
import { device, record } from '../../../test/support/wsClient';
import { bareViewerWriter, nativeWriteCounts, sweepRing, viewerBacklogBytes, viewerWriter, writeRawFrames, writesNatively, writesThroughHandle } from './rawFrameWrite';
import { wireFrames } from './rollingFanOut';
import { VIEWER_SERVER_OPTIONS } from './viewerGateway';

interface Pair {
  /** The server side of the connection, as the viewer gateway gets it. */
  viewer: WebSocket;
  client: WebSocket;
  /** Text messages the client parsed, in order. */
  received: string[];
  closed: Promise<number>;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Switches the native sweep between io_uring and write(2) for one test (back to io_uring after it). */
function useRing(enabled: boolean): void {
  expect(bareViewerWriter, 'native/build/viewerWrite.node is missing: npm run build:native').toBeDefined();
  sweepRing(enabled);
  cleanups.push(() => void sweepRing(true));
}

interface SocketPair {
  /** The server side's descriptor, as the sweep writes viewers. */
  fd: number;
  /** Resolves with the first `bytes` the client side has received (reading starts on the first call). */
  receive(bytes: number): Promise<Buffer>;
}

/** `count` TCP connections on loopback, from a server whose sockets are not read from JavaScript. */
async function socketPairs(count: number): Promise<SocketPair[]> {
  const accepted: Socket[] = [];
  const server = createTcpServer((socket) => accepted.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const clients = await Promise.all(
    Array.from({ length: count }, () => new Promise<Socket>((resolve) => {
      const client: Socket = new Socket().connect((server.address() as AddressInfo).port, '127.0.0.1', () => resolve(client));
    })),
  );
  await vi.waitFor(() => expect(accepted.length).toBe(count));
  clients.forEach((client) => client.pause());
  cleanups.push(() => {
    for (const socket of [...clients, ...accepted]) socket.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  // Accepted in connection order on loopback? Not promised: pair them by their ports.
  const byPort = new Map(accepted.map((socket) => [socket.remotePort, socket]));
  return clients.map((client) => {
    const fd = (byPort.get(client.localPort) as unknown as { _handle: { fd: number } })._handle.fd;
    const chunks: Buffer[] = [];
    let reading = false;
    return {
      fd,
      receive(bytes) {
        if (!reading) {
          reading = true;
          client.on('data', (chunk: Buffer) => chunks.push(chunk));
          client.resume();
        }
        return vi.waitFor(
          () => {
            const got = Buffer.concat(chunks);
            if (got.length < bytes) throw new Error(`${got.length} of ${bytes} bytes`);
            return got.subarray(0, bytes);
          },
          { timeout: 5_000 },
        );
      },
    };
  });
}

/** A ws server with the viewer gateway's options and a ws client (which offers permessage-deflate). */
async function connectedPair(): Promise<Pair> {
  const wss = new WebSocketServer(VIEWER_SERVER_OPTIONS);
  const http: Server = createServer();
  const accepted = new Promise<WebSocket>((resolve) => {
    http.on('upgrade', (request, socket, head) => wss.handleUpgrade(request, socket, head, resolve));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => http.close(() => resolve())));
  cleanups.push(() => wss.close());
  const client = new WebSocket(`ws://127.0.0.1:${(http.address() as AddressInfo).port}/live`);
  cleanups.push(() => client.terminate());
  const received: string[] = [];
  client.on('message', (data, isBinary) => received.push(isBinary ? '<binary>' : String(data)));
  const closed = new Promise<number>((resolve) => client.on('close', resolve));
  await new Promise((resolve, reject) => client.once('open', resolve).once('error', reject));
  const viewer = await accepted;
  cleanups.push(() => viewer.terminate());
  return { viewer, client, received, closed };
}

const until = async (condition: () => boolean, what: string): Promise<void> => {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('writeRawFrames (ws internals it relies on)', () => {
  it('ws keeps the connection net.Socket in the private _socket field', async () => {
    const { viewer } = await connectedPair();
    expect((viewer as unknown as { _socket: unknown })._socket).toBeInstanceOf(Socket);
  });

  it('viewers never get permessage-deflate, even when the client offers it', async () => {
    expect(VIEWER_SERVER_OPTIONS.perMessageDeflate).toBe(false);
    const { viewer, client } = await connectedPair();
    expect(viewer.extensions).toBe('');
    expect(client.extensions).toBe('');

    // And so on the relay's real /live.
    const relay = await testRelay();
    const live = new WebSocket(relay.ws('/live'), { perMessageDeflate: true });
    cleanups.push(() => live.terminate());
    await new Promise((resolve, reject) => live.once('open', resolve).once('error', reject));
    expect(live.extensions).toBe('');
  });

  it('written frames arrive as the text messages the client parses, in order with ws sends and close', async () => {
    const { viewer, received, closed } = await connectedPair();
    const medium = 'm'.repeat(300); // 16-bit length
    const large = 'L'.repeat(70_000); // 64-bit length
    writeRawFrames(viewer, wireFrames([Buffer.from('{"a":1}'), Buffer.from(medium), Buffer.from(large)]));
    viewer.send('sent by ws');
    viewer.ping();
    writeRawFrames(viewer, wireFrames([Buffer.from('after')]));
    viewer.close(1001, 'going away');
    expect(await closed).toBe(1001);
    expect(received).toEqual(['{"a":1}', medium, large, 'sent by ws', 'after']);
  });

  it('writes a frame straight to the descriptor in one write when the native viewer write is built', async () => {
    expect(writesThroughHandle()).toBe(true);
    expect(writesNatively(), 'native/build/viewerWrite.node is missing: npm run build:native').toBe(true);
    const { viewer, received } = await connectedPair();
    const socket = (viewer as unknown as { _socket: Socket })._socket;
    const socketWrites = vi.spyOn(socket, 'write');
    const whole = nativeWriteCounts().whole;
    writeRawFrames(viewer, wireFrames([Buffer.from('direct')]));
    expect(nativeWriteCounts().whole).toBe(whole + 1); // taken whole by the kernel, at once
    await until(() => received.length === 1, 'the frame');
    expect(socketWrites).not.toHaveBeenCalled();
    expect(received).toEqual(['direct']);
  });

  it('with AEOLIAN_NATIVE_WRITE=0 it writes through the socket handle (the cheap path is live, not silently off)', async () => {
    vi.resetModules();
    vi.stubEnv('AEOLIAN_NATIVE_WRITE', '0');
    try {
      const fresh = await import('./rawFrameWrite');
      expect(fresh.writesNatively()).toBe(false);
      expect(fresh.writesThroughHandle()).toBe(true);
      const { viewer, received } = await connectedPair();
      const socket = (viewer as unknown as { _socket: Socket })._socket;
      const socketWrites = vi.spyOn(socket, 'write');
      const before = socket.bytesWritten;
      fresh.writeRawFrames(viewer, wireFrames([Buffer.from('direct')]));
      await until(() => received.length === 1, 'the frame');
      expect(socketWrites).not.toHaveBeenCalled();
      expect(fresh.writesThroughHandle()).toBe(true); // net.Socket keeps its handle under the key read
      expect(received).toEqual(['direct']);
      expect(socket.bytesWritten).toBe(before + 8); // Node still counts them (from the handle)
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });

  it('the backlog counts written bytes the peer has not read, and empties once it reads them', async () => {
    const { viewer, client, received } = await connectedPair();
    const clientSocket = (client as unknown as { _socket: Socket })._socket;
    clientSocket.pause();
    const chunk = wireFrames([Buffer.alloc(1 << 20, 'x')]);
    // Fill the kernel's buffers first; what is left waits on the relay's side, where the limit sees it.
    let written = 0;
    await until(() => {
      writeRawFrames(viewer, chunk);
      written++;
      return viewerBacklogBytes(viewer) > chunk.length;
    }, 'the socket to hold a backlog');
    expect(viewerBacklogBytes(viewer)).toBeLessThanOrEqual(written * chunk.length);
    clientSocket.resume();
    await until(() => received.length === written, 'the client to read every frame');
    expect(viewerBacklogBytes(viewer)).toBe(0);
  });

  it('bytes held back for a slow peer stay in order with later frames, ws sends, pings and close', async () => {
    const { viewer, client, received, closed } = await connectedPair();
    const clientSocket = (client as unknown as { _socket: Socket })._socket;
    clientSocket.pause();
    const expected: string[] = [];
    let n = 0;
    const big = (): Buffer => {
      const text = `${n++}`.padEnd(256 * 1024, '.');
      expected.push(text);
      return wireFrames([Buffer.from(text)]);
    };
    const passedOn = nativeWriteCounts().passedOn;
    await until(() => {
      writeRawFrames(viewer, big());
      return viewerBacklogBytes(viewer) > 0;
    }, 'a write to be held back');
    // The kernel took part of a bare write; the handle queued the rest.
    expect(nativeWriteCounts().passedOn).toBeGreaterThan(passedOn);
    writeRawFrames(viewer, big()); // behind the held-back bytes, still through the handle
    viewer.send('sent by ws'); // to libuv through the socket's own queue, behind both
    viewer.ping();
    viewer.send('sent by ws, queued'); // held in the socket's queue until the first is written
    expected.push('sent by ws', 'sent by ws, queued');
    writeRawFrames(viewer, big()); // the socket's queue is not empty: this must follow it
    viewer.close(1000, 'done');
    clientSocket.resume();
    expect(await closed).toBe(1000);
    expect(received.map((text) => text.slice(0, 12))).toEqual(expected.map((text) => text.slice(0, 12)));
    expect(received).toEqual(expected);
  });

  it('a write to a peer that is gone closes the viewer and never throws', async () => {
    const { viewer, client } = await connectedPair();
    const viewerClosed = new Promise<void>((resolve) => viewer.once('close', () => resolve()));
    (client as unknown as { _socket: Socket })._socket.destroy();
    const frame = wireFrames([Buffer.alloc(64 * 1024, 'y')]);
    // The first writes may still land in the kernel before the reset arrives.
    await until(() => {
      if (viewer.readyState === viewer.OPEN) expect(() => writeRawFrames(viewer, frame)).not.toThrow();
      return viewer.readyState === viewer.CLOSED;
    }, 'the viewer to close');
    await viewerClosed;
  });

  it('a destroyed socket is never written again, even once its descriptor number belongs to a file', async () => {
    const { viewer } = await connectedPair();
    const writer = viewerWriter(viewer);
    writer.write(wireFrames([Buffer.from('armed')])); // arms: later writes go bare to the descriptor
    expect(writer.descriptor).toBeGreaterThanOrEqual(0);
    const fd = writer.descriptor;
    (viewer as unknown as { _socket: Socket })._socket.destroy(); // closes the descriptor at once
    const dir = mkdtempSync(join(tmpdir(), 'aeolian-fd-'));
    cleanups.push(() => rmSync(dir, { recursive: true }));
    const file = join(dir, 'reused');
    const reused = openSync(file, 'w'); // the lowest free number: the socket's
    cleanups.push(() => closeSync(reused));
    expect(reused).toBe(fd);
    expect(writer.descriptor).toBe(-1);
    expect(writer.open).toBe(false);
    expect(() => writer.write(wireFrames([Buffer.from('must not land in the file')]))).not.toThrow();
    expect(readFileSync(file).length).toBe(0);
  });
});

describe('the native sweep (sweepWrite in native/viewerWrite.c)', () => {
  // Both ways the sweep can send: through io_uring (built in with liburing) and by write(2).
  for (const throughRing of [true, false]) {
    const how = throughRing ? 'through io_uring' : 'by write(2)';

    it(`${how}: writes each armed viewer at the position in one send, passes those up to date, stops at one at another position or unarmed`, async () => {
      useRing(throughRing);
      const pairs = await socketPairs(6);
      const wire = wireFrames([Buffer.from('m6'), Buffer.from('m7')]);
      const out = new Int32Array(2 + 2 * 6);
      // Viewers 0-5: at 5 (from), up to date (7), at 5, at another position (4), at 5, at 5.
      const bare = Int32Array.from(pairs.map((pair) => pair.fd));
      const sent = Float64Array.from([5, 7, 5, 4, 5, 5]);
      const ringSends = sweepRing()!.sends;
      expect(bareViewerWriter!.sweep(bare, sent, 0, 6, 5, 7, wire, out)).toBe(3);
      expect([...out.subarray(0, 2)]).toEqual([2, 0]);
      expect([...sent]).toEqual([7, 7, 7, 4, 5, 5]);
      expect(sweepRing()!.sends - ringSends).toBe(throughRing ? 2 : 0);
      bare[5] = -1; // unarmed: it stops there
      expect(bareViewerWriter!.sweep(bare, sent, 4, 6, 5, 7, wire, out)).toBe(5);
      expect([...sent]).toEqual([7, 7, 7, 4, 7, 5]);
      // What each client got: the wire once for the three written, nothing for the others (a marker
      // written after the sweep arrives first).
      for (const index of [1, 3, 5]) bareViewerWriter!.one(pairs[index]!.fd, Buffer.from('-'));
      const expected = [wire, Buffer.from('-'), wire, Buffer.from('-'), wire, Buffer.from('-')];
      for (const [index, pair] of pairs.entries()) expect(await pair.receive(expected[index]!.length)).toEqual(expected[index]);
    });

    it(`${how}: a send the kernel takes only part of, or refuses, is reported and the sweep goes on past it`, async () => {
      useRing(throughRing);
      const pairs = await socketPairs(3); // nobody reads yet: a big send fills the socket's buffers
      const wire = Buffer.alloc(16 * 1024 * 1024, 0x61);
      const out = new Int32Array(2 + 2 * 4);
      const bare = Int32Array.from([pairs[0]!.fd, 1_000_000, pairs[1]!.fd, pairs[2]!.fd]); // 1,000,000: no such descriptor
      const sent = Float64Array.from([5, 5, 5, 7]);
      expect(bareViewerWriter!.sweep(bare, sent, 0, 4, 5, 7, wire, out)).toBe(4);
      expect([...out.subarray(0, 2)]).toEqual([0, 3]);
      const shorts = [0, 1, 2].map((k) => [out[2 + 2 * k]!, out[3 + 2 * k]!]).sort((x, y) => x[0]! - y[0]!);
      expect(shorts.map(([index]) => index)).toEqual([0, 1, 2]);
      expect(shorts[1]![1]).toBe(-9); // EBADF
      for (const [index, taken] of [shorts[0]!, shorts[2]!]) {
        expect(taken, `viewer ${index}: part of the wire`).toBeGreaterThan(0);
        expect(taken).toBeLessThan(wire.length);
      }
      expect([...sent]).toEqual([5, 5, 5, 7]); // the short ones stay where they were, for their owners
      // Each client gets exactly the part its send took.
      expect((await pairs[0]!.receive(shorts[0]![1]!)).length).toBe(shorts[0]![1]);
      expect((await pairs[1]!.receive(shorts[2]![1]!)).length).toBe(shorts[2]![1]);
    });
  }

  it('sends through io_uring where liburing was built in (npm run build:native with liburing-dev), unless turned off', () => {
    useRing(true);
    expect(sweepRing()!.available, 'no io_uring in the native sweep: apt-get install liburing-dev, then npm run build:native').toBe(true);
    expect(sweepRing()!.enabled).toBe(true);
    expect(sweepRing(false)!.enabled).toBe(false);
  });

  it('the relay writes its viewers bare from the sweep, and every viewer gets every strike in order', async () => {
    const relay = await testRelay();
    const viewers = await Promise.all(Array.from({ length: 5 }, () => record(relay.ws('/live'))));
    const chicago = await device(relay.ws('/device'), TEST_TOKENS.chicago);
    for (let i = 0; i < 20; i++) {
      chicago.socket.send(String(i % 6));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    for (const viewer of viewers) await viewer.waitFor(() => viewer.strikes().length === 20);
    for (const viewer of viewers) expect(viewer.strikes().map((s) => s.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // The first write to each viewer (its hello) arms it; strikes after that go bare, through the
    // sweep's io_uring, and /metrics counts those sends (they are no write syscalls).
    expect(relay.viewers.bareWriteCounts.whole).toBeGreaterThan(0);
    expect(await relayMetric(relay.url, 'aeolian_viewer_ring_sends_total')).toBeGreaterThan(0);
  });

  it('a viewer socket destroyed on the relay is no longer armed in the sweep by the time its descriptor closes', async () => {
    const relay = await testRelay();
    const viewer = await record(relay.ws('/live'));
    const chicago = await device(relay.ws('/device'), TEST_TOKENS.chicago);
    chicago.socket.send('1');
    await viewer.waitFor(() => viewer.strikes().length === 1);
    // The gateway's own state (private): the one viewer's link, and the sweep's armed descriptors.
    const gateway = relay.viewers as unknown as { links: Set<{ socket: WebSocket }>; fanOut: { order: { bareFd: Int32Array; length: number } } };
    const armed = () => Array.from(gateway.fanOut.order.bareFd.subarray(0, gateway.fanOut.order.length)).filter((fd) => fd >= 0);
    const [link] = [...gateway.links];
    const fd = viewerWriter(link!.socket).descriptor;
    expect(armed()).toEqual([fd]);
    (link!.socket as unknown as { _socket: Socket })._socket.destroy(); // the descriptor closes now; 'close' comes later
    expect(armed()).toEqual([]);
    chicago.socket.send('2'); // a strike right after: nothing may go to the closed descriptor's number
    expect(await viewer.closed).toBe(1006); // the client sees its connection drop, nothing else
    expect(viewer.strikes().map((s) => s.seq)).toEqual([1]);
  });
});
