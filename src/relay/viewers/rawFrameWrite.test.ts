// Guards what writeRawFrames relies on inside `ws` and Node, on a real server and client pair: if an
// upgrade of either moves or changes any of it, these fail before a viewer ever gets a broken stream.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Socket, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { TEST_TOKENS, testRelay } from '../../../test/support/relayFixture';
import { device, record } from '../../../test/support/wsClient';
import { bareViewerWriter, nativeWriteCounts, viewerBacklogBytes, viewerWriter, writeRawFrames, writesNatively, writesThroughHandle } from './rawFrameWrite';
import { NOT_WRITTEN, wireFrames } from './rollingFanOut';
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
  it('writes each armed viewer at the position in one write, passes those up to date, and stops at the first it cannot finish', () => {
    expect(bareViewerWriter, 'native/build/viewerWrite.node is missing: npm run build:native').toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'aeolian-sweep-'));
    cleanups.push(() => rmSync(dir, { recursive: true }));
    const files = ['a', 'b', 'c', 'd', 'e'].map((name) => join(dir, name));
    const fds = files.map((file) => openSync(file, 'w'));
    cleanups.push(() => fds.forEach((fd) => closeSync(fd)));
    const wire = wireFrames([Buffer.from('m6'), Buffer.from('m7')]);
    const out = new Int32Array(2);
    // Viewers 0-4: at 5 (from), up to date (7), at 5, at another position (4), at 5.
    const bare = Int32Array.from(fds);
    const sent = Float64Array.from([5, 7, 5, 4, 5]);
    expect(bareViewerWriter!.sweep(bare, sent, 0, 5, 5, 7, wire, out)).toBe(3);
    expect([...out]).toEqual([NOT_WRITTEN, 2]);
    expect([...sent]).toEqual([7, 7, 7, 4, 5]);
    expect(files.map((file) => readFileSync(file).length)).toEqual([wire.length, 0, wire.length, 0, 0]);

    // An unarmed viewer (-1) stops it too; one that fails reports -errno and stays unwritten.
    bare[4] = -1;
    expect(bareViewerWriter!.sweep(bare, sent, 4, 5, 5, 7, wire, out)).toBe(4);
    expect(out[0]).toBe(NOT_WRITTEN);
    bare[4] = 1_000_000; // no such descriptor
    expect(bareViewerWriter!.sweep(bare, sent, 4, 5, 5, 7, wire, out)).toBe(4);
    expect([...out]).toEqual([-9, 0]); // EBADF
    expect(sent[4]).toBe(5);
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
    // The first write to each viewer (its hello) arms it; strikes after that go bare.
    expect(relay.viewers.bareWriteCounts.whole).toBeGreaterThan(0);
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
