// Reading viewers' pongs in place, on a real ws server with real clients (a ws client, and a raw TCP
// client for the bytes a ws client would never send): whole pongs are counted without ws; anything
// else reaches ws, in order, and from then on ws parses the connection as before. If Node moves what
// this relies on, the first test fails before a relay ever stops hearing its viewers.
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { testRelay } from '../../../test/support/relayFixture';
import { onlyWholePongs, readPongsInPlace, readsPongsInPlace } from './pongReader';
import { VIEWER_SERVER_OPTIONS } from './viewerGateway';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const until = async (condition: () => boolean, what: string): Promise<void> => {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

/** The server side of one viewer connection, with what reached ws and what was counted in place. */
interface ServerSide {
  viewer: WebSocket;
  inPlace: boolean;
  pongsInPlace: number;
  wsPongs: string[];
  wsMessages: string[];
  closeCode: Promise<number>;
}

async function viewerServer(): Promise<{ port: number; accepted: Promise<ServerSide> }> {
  const wss = new WebSocketServer(VIEWER_SERVER_OPTIONS);
  const http: Server = createServer();
  const accepted = new Promise<ServerSide>((resolve) => {
    http.on('upgrade', (request, socket, head) =>
      wss.handleUpgrade(request, socket, head, (viewer) => {
        const side: ServerSide = {
          viewer,
          inPlace: false,
          pongsInPlace: 0,
          wsPongs: [],
          wsMessages: [],
          closeCode: new Promise((done) => viewer.on('close', done)),
        };
        viewer.on('pong', (data) => side.wsPongs.push(String(data)));
        viewer.on('message', (data) => side.wsMessages.push(String(data)));
        viewer.on('error', () => undefined);
        side.inPlace = readPongsInPlace(viewer, () => side.pongsInPlace++);
        resolve(side);
      }),
    );
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => http.close(() => resolve())));
  cleanups.push(() => wss.close());
  return { port: (http.address() as AddressInfo).port, accepted };
}

async function wsClient(port: number): Promise<WebSocket> {
  const client = new WebSocket(`ws://127.0.0.1:${port}/live`);
  cleanups.push(() => client.terminate());
  await new Promise((resolve, reject) => client.once('open', resolve).once('error', reject));
  return client;
}

/** A raw TCP client past the upgrade: it writes whatever bytes the test gives it. */
async function rawClient(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  cleanups.push(() => void socket.destroy());
  socket.on('error', () => undefined);
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(`GET /live HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`);
  await new Promise<void>((resolve) => socket.once('data', () => resolve()));
  return socket;
}

/** A client frame: FIN + opcode, masked with a zero key (so the payload reads as is) unless `masked` is false. */
function clientFrame(opcode: number, payload = '', masked = true): Buffer {
  const body = Buffer.from(payload);
  return Buffer.concat([Buffer.from([0x80 | opcode, (masked ? 0x80 : 0) | body.length]), masked ? Buffer.alloc(4) : Buffer.alloc(0), body]);
}
const PONG = 0xa;
const TEXT = 0x1;
const CLOSE = 0x8;

describe('readPongsInPlace', () => {
  it('this Node has what it needs, and a viewer on plain TCP is read in place', async () => {
    expect(readsPongsInPlace()).toBe(true);
    const { port, accepted } = await viewerServer();
    await wsClient(port);
    expect((await accepted).inPlace).toBe(true);
  });

  it("a ws client's pongs to the relay's pings are counted in place, never reaching ws", async () => {
    const { port, accepted } = await viewerServer();
    const client = await wsClient(port);
    const received: string[] = [];
    client.on('message', (data) => received.push(String(data)));
    const side = await accepted;
    for (let round = 1; round <= 3; round++) {
      side.viewer.ping();
      await until(() => side.pongsInPlace === round, `pong ${round}`);
    }
    expect(side.wsPongs).toEqual([]);
    // Writes to the viewer are untouched.
    side.viewer.send('strike');
    await until(() => received.length === 1, 'the frame at the client');
    expect(received).toEqual(['strike']);
  });

  it('anything but whole pongs goes to ws, in order, and ws parses everything after it', async () => {
    const { port, accepted } = await viewerServer();
    const raw = await rawClient(port);
    const side = await accepted;
    raw.write(clientFrame(PONG));
    await until(() => side.pongsInPlace === 1, 'the first pong, in place');
    // A pong and a text frame in one read: both reach ws, the pong first.
    raw.write(Buffer.concat([clientFrame(PONG, 'a'), clientFrame(TEXT, 'hello')]));
    await until(() => side.wsMessages.length === 1, 'the text frame at ws');
    expect(side.wsPongs).toEqual(['a']);
    expect(side.wsMessages).toEqual(['hello']);
    // From now on ws reads every pong, even a whole one alone.
    raw.write(clientFrame(PONG, 'b'));
    await until(() => side.wsPongs.length === 2, 'the next pong at ws');
    expect(side.wsPongs).toEqual(['a', 'b']);
    expect(side.pongsInPlace).toBe(1);
  });

  it('a pong cut across two reads reaches ws whole', async () => {
    const { port, accepted } = await viewerServer();
    const raw = await rawClient(port);
    const side = await accepted;
    const pong = clientFrame(PONG, 'split');
    raw.write(pong.subarray(0, 3));
    await new Promise((resolve) => setTimeout(resolve, 50)); // its own read
    raw.write(pong.subarray(3));
    await until(() => side.wsPongs.length === 1, 'the pong at ws');
    expect(side.wsPongs).toEqual(['split']);
    expect(side.pongsInPlace).toBe(0);
  });

  it('an unmasked pong is refused by ws with a 1002 close, as it was before', async () => {
    const { port, accepted } = await viewerServer();
    const raw = await rawClient(port);
    const side = await accepted;
    const fromServer: Buffer[] = [];
    raw.on('data', (chunk: Buffer) => fromServer.push(chunk));
    raw.write(clientFrame(PONG, '', false));
    await side.closeCode;
    // The server's close frame: FIN + close, 2+ bytes, status 1002 (protocol error).
    const close = Buffer.concat(fromServer);
    expect(close[0]).toBe(0x88);
    expect(close.readUInt16BE(2)).toBe(1002);
    expect(side.pongsInPlace).toBe(0);
  });

  it("a client's close frame reaches ws: the close handshake completes with the client's code", async () => {
    const { port, accepted } = await viewerServer();
    const client = await wsClient(port);
    const side = await accepted;
    side.viewer.ping();
    await until(() => side.pongsInPlace === 1, 'a pong in place first');
    const clientClosed = new Promise<number>((resolve) => client.on('close', resolve));
    client.close(4001, 'bye');
    expect(await side.closeCode).toBe(4001);
    expect(await clientClosed).toBe(4001);
  });

  it('a client that vanishes without a close frame is seen at once (the end of the stream still reaches ws)', async () => {
    const { port, accepted } = await viewerServer();
    const raw = await rawClient(port);
    const side = await accepted;
    raw.destroy();
    expect(await side.closeCode).toBe(1006);
  });
});

describe('onlyWholePongs', () => {
  it('is true only for one or more whole masked pongs, with nothing else', () => {
    const pong = clientFrame(PONG);
    expect(onlyWholePongs(pong, pong.length)).toBe(true);
    const two = Buffer.concat([pong, clientFrame(PONG, 'payload')]);
    expect(onlyWholePongs(two, two.length)).toBe(true);
    expect(onlyWholePongs(two, two.length - 1)).toBe(false); // cut short
    expect(onlyWholePongs(pong, 0)).toBe(false);
    const withText = Buffer.concat([pong, clientFrame(TEXT, 'x')]);
    expect(onlyWholePongs(withText, withText.length)).toBe(false);
    const close = clientFrame(CLOSE);
    expect(onlyWholePongs(close, close.length)).toBe(false);
    const unmasked = clientFrame(PONG, '', false);
    expect(onlyWholePongs(unmasked, unmasked.length)).toBe(false);
    const notFinal = Buffer.from(pong);
    notFinal[0] = PONG; // FIN clear: a fragmented control frame, which ws refuses
    expect(onlyWholePongs(notFinal, notFinal.length)).toBe(false);
  });
});

describe('the relay reads its viewers’ pongs in place', () => {
  it('a viewer answering every ping stays through many rounds; one that answers none is dropped', async () => {
    const pingIntervalMs = 100;
    const relay = await testRelay({ pingIntervalMs });
    const answering = new WebSocket(relay.ws('/live'));
    const silent = new WebSocket(relay.ws('/live'), { autoPong: false });
    cleanups.push(() => answering.terminate(), () => silent.terminate());
    await Promise.all([answering, silent].map((socket) => new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject))));
    let pings = 0;
    answering.on('ping', () => pings++);
    const silentClosed = new Promise((resolve) => silent.on('close', resolve));
    await until(() => relay.hub.viewerCount === 2, 'both viewers');
    await silentClosed; // dropped after DEVICE_MISSED_PONGS_ALLOWED unanswered rounds
    await until(() => pings >= 8, 'eight rounds answered');
    expect(relay.hub.viewerCount).toBe(1);
    expect(answering.readyState).toBe(WebSocket.OPEN);
  });
});
