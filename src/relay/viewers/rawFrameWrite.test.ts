// Guards what writeRawFrames relies on inside `ws`, on a real server and client pair: if a ws upgrade
// moves or changes any of it, these fail before a viewer ever gets a broken stream.
import { createServer, type Server } from 'node:http';
import { Socket, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { testRelay } from '../../../test/support/relayFixture';
import { writeRawFrames } from './rawFrameWrite';
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

  it('bufferedAmount counts the written bytes the peer has not read (the backlog limit sees them)', async () => {
    const { viewer, client } = await connectedPair();
    (client as unknown as { _socket: Socket })._socket.pause();
    const socket = (viewer as unknown as { _socket: Socket })._socket;
    const chunk = wireFrames([Buffer.alloc(1 << 20, 'x')]);
    // Fill the kernel's buffers first; what is left waits in the socket, where ws counts it.
    await until(() => {
      writeRawFrames(viewer, chunk);
      return socket.writableLength > chunk.length;
    }, 'the socket to buffer');
    expect(viewer.bufferedAmount).toBe(socket.writableLength);
    expect(viewer.bufferedAmount).toBeGreaterThan(chunk.length);
  });
});
